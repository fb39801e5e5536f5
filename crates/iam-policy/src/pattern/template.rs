//! Policy strings that may hold variables (`${aws:username}`): a Resource
//! entry or a condition value, compiled into literal characters, wildcards
//! and variables, resolved against a request's context.
//!
//! A string without variables is compiled once into a [`Glob`]; one with
//! variables keeps its parts, and each request substitutes its values into a
//! token buffer that is matched directly (see [`crate::pattern::glob::matches_toks`]).

use crate::pattern::glob::{toks_text, Glob, Tok};
use crate::syntax::text::Text;

/// Where policy variables get their values: the request context.
pub trait Variables {
    /// The value of a single-valued key (a multivalued key has none).
    fn single_value(&self, key: &str) -> Option<&str>;
    /// Whether the key is in the request at all (a default applies only
    /// when it is not).
    fn contains(&self, key: &str) -> bool;
    /// [`Variables::single_value`] for a key already lower-cased
    /// ([`str::to_lowercase`]); implementations can skip folding it again.
    fn single_value_folded(&self, lower: &str) -> Option<&str> {
        self.single_value(lower)
    }
    /// [`Variables::contains`] for a key already lower-cased.
    fn contains_folded(&self, lower: &str) -> bool {
        self.contains(lower)
    }
}

/// One element of a policy string that holds variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal characters and wildcards.
    Toks(Vec<Tok>),
    /// `${key}` or `${key, 'default'}`.
    Var {
        /// As written.
        key: String,
        /// Lower-cased: variable names are case-insensitive, like context keys.
        lower: String,
        default: Option<String>,
    },
}

/// A policy string (a Resource entry or a condition value) compiled into
/// literal characters, wildcards and variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The parts, when the string holds a variable (empty otherwise).
    parts: Vec<Part>,
    /// The text each [`Part::Toks`] shows, in order (see
    /// [`Template::render_into`]).
    shown: Vec<Shown>,
    /// The compiled pattern, when it holds none.
    fixed: Option<Glob>,
}

/// How a run of tokens shows in a trace: its text, and whether it starts
/// and ends with a `*` wildcard (consecutive `*` show as one, also across
/// a variable whose value is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    text: String,
    star_first: bool,
    star_last: bool,
}

/// Tokens of literal text, `*` and `?` read as wildcards when `wildcards`.
fn push_text(out: &mut Vec<Tok>, text: &str, wildcards: bool) {
    out.extend(text.chars().map(|c| match c {
        '*' if wildcards => Tok::AnyString,
        '?' if wildcards => Tok::AnyChar,
        c => Tok::Lit(c),
    }));
}

/// The result of tokenizing a policy string.
pub(crate) enum Tokens {
    /// No variable: the tokens.
    Fixed(Vec<Tok>),
    /// The parts, at least one of them a variable.
    Vars(Vec<Part>),
}

/// Tokenizes `text` with variables, appending to `parts`. A `${` that no
/// `}` closes is literal text. Linear: each `}` search starts after the
/// previous group, and one failed search ends them all.
fn tokenize_vars(text: &str, wildcards: bool, parts: &mut Vec<Part>) {
    let mut toks = match parts.pop() {
        Some(Part::Toks(t)) => t,
        Some(other) => {
            parts.push(other);
            Vec::new()
        }
        None => Vec::new(),
    };
    let mut rest = text;
    while let Some(open) = rest.find("${") {
        let after = rest.get(open + 2..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            break;
        };
        push_text(&mut toks, rest.get(..open).unwrap_or_default(), wildcards);
        let inner = after.get(..close).unwrap_or_default();
        match inner.trim() {
            "*" => toks.push(Tok::Lit('*')),
            "?" => toks.push(Tok::Lit('?')),
            "$" => toks.push(Tok::Lit('$')),
            _ => {
                if !toks.is_empty() {
                    parts.push(Part::Toks(std::mem::take(&mut toks)));
                }
                parts.push(parse_var(inner));
            }
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    push_text(&mut toks, rest, wildcards);
    if !toks.is_empty() {
        parts.push(Part::Toks(toks));
    }
}

impl Tokens {
    /// Tokenizes `text`. With `variables`, `${…}` is a policy variable;
    /// otherwise it is literal text. With `wildcards`, `*` and `?` are
    /// wildcards.
    pub(crate) fn of(text: &str, variables: bool, wildcards: bool) -> Tokens {
        let mut parts = Vec::new();
        if variables && text.contains("${") {
            tokenize_vars(text, wildcards, &mut parts);
        } else {
            let mut toks = Vec::with_capacity(text.len());
            push_text(&mut toks, text, wildcards);
            parts.push(Part::Toks(toks));
        }
        Tokens::from_parts(parts)
    }

    /// Tokenizes a Resource entry: policy variables are substituted only in
    /// the resource part of the ARN, after the fifth colon. With `read`, the
    /// part before the fifth colon, which holds no variable, is rewritten for
    /// the `Resource` reading ([`crate::pattern::arn::resource_reading`])
    /// here, once; the second value says whether it was, in which case the
    /// substituted tokens need no rewriting ("You can't use a
    /// variable to replace parts of the ARN before the fifth colon, such as
    /// the service or account"); before it `${…}` is literal text.
    pub(crate) fn of_resource(text: &str, variables: bool, read: bool) -> (Tokens, bool) {
        let split = text
            .char_indices()
            .filter(|(_, c)| *c == ':')
            .nth(4)
            .map(|(i, _)| i + 1);
        match split.and_then(|i| Some((text.get(..i)?, text.get(i..)?))) {
            Some((head, tail)) if variables && text.starts_with("arn:") => {
                let mut toks = Vec::with_capacity(text.len());
                push_text(&mut toks, head, true);
                if read {
                    // the head holds no variable: read it as a Resource ARN
                    // once, here (the tail is never rewritten)
                    crate::pattern::arn::resource_reading(&mut toks);
                }
                let mut parts = vec![Part::Toks(toks)];
                if tail.contains("${") {
                    tokenize_vars(tail, true, &mut parts);
                } else if let Some(Part::Toks(t)) = parts.last_mut() {
                    push_text(t, tail, true);
                }
                (Tokens::from_parts(parts), read)
            }
            _ => (Tokens::of(text, variables, true), false),
        }
    }

    fn from_parts(mut parts: Vec<Part>) -> Tokens {
        if parts.iter().any(|p| matches!(p, Part::Var { .. })) {
            return Tokens::Vars(parts);
        }
        let mut all = match parts.first_mut() {
            Some(Part::Toks(t)) => std::mem::take(t),
            _ => Vec::new(),
        };
        for p in parts.into_iter().skip(1) {
            if let Part::Toks(t) = p {
                all.extend(t);
            }
        }
        Tokens::Fixed(all)
    }
}

impl Template {
    /// Compiles `text`. With `variables`, `${…}` is a policy variable (policy
    /// version 2012-10-17); otherwise it is literal text. With `wildcards`,
    /// `*` and `?` are wildcards; otherwise they are literal.
    pub fn parse(text: &str, variables: bool, wildcards: bool) -> Template {
        if !(variables && text.contains("${")) {
            // the common case: no tokens, no parts
            let fixed = if wildcards {
                Glob::wildcard(text)
            } else {
                Glob::literal(text)
            };
            return Template {
                parts: Vec::new(),
                shown: Vec::new(),
                fixed: Some(fixed),
            };
        }
        Template::from_tokens(Tokens::of(text, variables, wildcards))
    }

    /// [`Template::parse`], sharing the text with the compiled pattern when
    /// it holds neither variable nor wildcard.
    pub fn parse_text(text: &Text, variables: bool, wildcards: bool) -> Template {
        if !(variables && text.contains("${")) {
            let fixed = if wildcards {
                Glob::wildcard_text(text)
            } else {
                Glob::literal_text(text.clone())
            };
            return Template {
                parts: Vec::new(),
                shown: Vec::new(),
                fixed: Some(fixed),
            };
        }
        Template::from_tokens(Tokens::of(text, variables, wildcards))
    }

    /// Compiles a Resource entry (see `Tokens::of_resource`); the pattern
    /// is read as text, not yet as an ARN (see [`crate::pattern::ArnPattern::resource`]).
    /// Unlike the other constructors, a template without variables keeps
    /// its tokens as written (stars not collapsed) as its one part, for
    /// callers that read the entry token by token.
    pub fn parse_resource(text: &str, variables: bool) -> Template {
        match Tokens::of_resource(text, variables, false).0 {
            Tokens::Fixed(toks) => Template {
                parts: vec![Part::Toks(toks.clone())],
                shown: Vec::new(),
                fixed: Some(Glob::from_toks(toks)),
            },
            vars => Template::from_tokens(vars),
        }
    }

    /// The literal text at the start of the template, up to the first
    /// wildcard or variable.
    pub fn literal_prefix(&self) -> String {
        let toks: &[Tok] = match (&self.fixed, self.parts.first()) {
            (None, Some(Part::Toks(t))) => t,
            _ => &[],
        };
        toks.iter()
            .map_while(|t| match t {
                Tok::Lit(c) => Some(*c),
                _ => None,
            })
            .collect()
    }

    pub(crate) fn from_tokens(t: Tokens) -> Template {
        match t {
            Tokens::Fixed(toks) => Template {
                parts: Vec::new(),
                shown: Vec::new(),
                fixed: Some(Glob::from_toks(toks)),
            },
            Tokens::Vars(parts) => Template {
                shown: parts
                    .iter()
                    .filter_map(|p| match p {
                        Part::Toks(t) => Some(Shown {
                            text: toks_text(t),
                            star_first: t.first().is_some_and(|t| t.is_star()),
                            star_last: t.last().is_some_and(|t| t.is_star()),
                        }),
                        Part::Var { .. } => None,
                    })
                    .collect(),
                parts,
                fixed: None,
            },
        }
    }

    /// Appends the text the template shows once its variables are
    /// substituted (as [`toks_text`] shows the substituted tokens), without
    /// building the tokens. Fails as [`Template::resolve_into`] does.
    pub fn render_into<V: Variables + ?Sized>(
        &self,
        ctx: &V,
        out: &mut String,
    ) -> Result<(), Vec<String>> {
        if let Some(g) = &self.fixed {
            out.push_str(&g.text());
            return Ok(());
        }
        let mut missing: Vec<String> = Vec::new();
        let mut shown = self.shown.iter();
        // the text so far ends with a `*` wildcard
        let mut star = false;
        for p in &self.parts {
            match p {
                Part::Toks(_) => {
                    if let Some(s) = shown.next() {
                        let text = if star && s.star_first {
                            s.text.get(1..).unwrap_or_default()
                        } else {
                            &s.text
                        };
                        out.push_str(text);
                        star = s.star_last || (star && s.star_first && text.is_empty());
                    }
                }
                Part::Var {
                    key,
                    lower,
                    default,
                } => {
                    let value = match ctx.single_value_folded(lower) {
                        Some(v) => Some(v),
                        None => match default {
                            Some(d) if !ctx.contains_folded(lower) => Some(d.as_str()),
                            _ => None,
                        },
                    };
                    match value {
                        Some(v) => {
                            out.push_str(v);
                            star &= v.is_empty();
                        }
                        None => missing.push(key.clone()),
                    }
                }
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(missing)
        }
    }

    /// The compiled pattern when the template holds no variable.
    pub fn fixed(&self) -> Option<&Glob> {
        self.fixed.as_ref()
    }

    pub fn has_variables(&self) -> bool {
        self.fixed.is_none()
    }

    /// The parts of a template that holds variables (empty for one that
    /// holds none, see [`Template::fixed`], except from
    /// [`Template::parse_resource`]).
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The variable keys this template uses.
    pub fn variable_keys(&self) -> impl Iterator<Item = &str> {
        vars(&self.parts).map(|(key, _, _)| key)
    }

    /// Substitutes variables from the request context into `out` (cleared
    /// first). A substituted value is literal text (its `*` is not a
    /// wildcard). Fails with the keys that have no value (nor a default) or
    /// that are multivalued. A template without variables gives its tokens.
    pub fn resolve_into<V: Variables + ?Sized>(
        &self,
        ctx: &V,
        out: &mut Vec<Tok>,
    ) -> Result<(), Vec<String>> {
        out.clear();
        if let Some(g) = &self.fixed {
            out.extend(g.toks());
            return Ok(());
        }
        resolve_parts(&self.parts, ctx, out)
    }

    /// [`Template::resolve_into`], without naming the keys that have no
    /// value: false when one has none.
    pub fn resolves_into<V: Variables + ?Sized>(&self, ctx: &V, out: &mut Vec<Tok>) -> bool {
        out.clear();
        if let Some(g) = &self.fixed {
            out.extend(g.toks());
            return true;
        }
        for p in &self.parts {
            match p {
                Part::Toks(t) => out.extend_from_slice(t),
                Part::Var { lower, default, .. } => match ctx.single_value_folded(lower) {
                    Some(v) => out.extend(v.chars().map(Tok::Lit)),
                    None => match default {
                        Some(d) if !ctx.contains_folded(lower) => {
                            out.extend(d.chars().map(Tok::Lit))
                        }
                        _ => return false,
                    },
                },
            }
        }
        true
    }

    /// Substitutes variables and compiles the result (see
    /// [`Template::resolve_into`]).
    pub fn resolve<V: Variables + ?Sized>(&self, ctx: &V) -> Result<Glob, Vec<String>> {
        if let Some(g) = &self.fixed {
            return Ok(g.clone());
        }
        let mut toks = Vec::new();
        resolve_parts(&self.parts, ctx, &mut toks)?;
        Ok(Glob::from_toks(toks))
    }
}

/// The variables of some parts: key as written, lower-cased, default.
fn vars(parts: &[Part]) -> impl Iterator<Item = (&str, &str, Option<&str>)> {
    parts.iter().filter_map(|p| match p {
        Part::Var {
            key,
            lower,
            default,
        } => Some((key.as_str(), lower.as_str(), default.as_deref())),
        Part::Toks(_) => None,
    })
}

/// Substitutes the variables of `parts` into `out` (not cleared).
pub(crate) fn resolve_parts<V: Variables + ?Sized>(
    parts: &[Part],
    ctx: &V,
    out: &mut Vec<Tok>,
) -> Result<(), Vec<String>> {
    let mut missing: Vec<String> = Vec::new();
    for p in parts {
        match p {
            Part::Toks(t) => out.extend_from_slice(t),
            Part::Var {
                key,
                lower,
                default,
            } => match ctx.single_value_folded(lower) {
                Some(v) => out.extend(v.chars().map(Tok::Lit)),
                None => match default {
                    Some(d) if !ctx.contains_folded(lower) => out.extend(d.chars().map(Tok::Lit)),
                    _ => missing.push(key.clone()),
                },
            },
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing)
    }
}

/// The text of resolved tokens, as a trace shows it.
pub fn resolved_text(toks: &[Tok]) -> String {
    toks_text(toks)
}

/// Parses the inside of `${…}`: `key` or `key, 'default'`.
fn parse_var(inner: &str) -> Part {
    let var = |key: &str, default: Option<String>| Part::Var {
        key: key.to_string(),
        lower: key.to_lowercase(),
        default,
    };
    if let Some((key, rest)) = inner.split_once(',') {
        let rest = rest.trim();
        let default = rest
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix('\''))
            .map(str::to_string);
        if default.is_some() {
            return var(key.trim(), default);
        }
    }
    var(inner.trim(), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::RequestContext;

    #[test]
    fn template_escapes_and_defaults() {
        let ctx = RequestContext::from_pairs([("aws:username", vec!["alice"])]);
        let t = Template::parse("home/${aws:username}/${*}", true, true);
        let r = t.resolve(&ctx).unwrap();
        assert_eq!(r.text(), "home/alice/*");
        assert!(r.matches("home/alice/*"));
        assert!(!r.matches("home/alice/x"), "${{*}} is a literal star");
        let t = Template::parse("${aws:PrincipalTag/team, 'none'}", true, false);
        assert_eq!(t.resolve(&ctx).unwrap().text(), "none");
        let t = Template::parse("${aws:userid}", true, false);
        assert_eq!(t.resolve(&ctx).unwrap_err(), vec!["aws:userid".to_string()]);
        let t = Template::parse("${aws:username}", false, false);
        assert_eq!(t.resolve(&ctx).unwrap().text(), "${aws:username}");
        // variable names are case-insensitive, like context keys
        let t = Template::parse("${AWS:UserName}", true, false);
        assert_eq!(t.resolve(&ctx).unwrap().text(), "alice");
        // a substituted value is literal, not a wildcard
        let ctx = RequestContext::from_pairs([("aws:username", vec!["a*"])]);
        let t = Template::parse("${aws:username}", true, true);
        let r = t.resolve(&ctx).unwrap();
        assert!(!r.matches("abc"));
        assert!(r.matches("a*"));
    }

    #[test]
    fn parts_keep_text_order() {
        let ctx = RequestContext::from_pairs([("a", vec!["1"]), ("b", vec!["2"])]);
        let t = Template::parse("x${a}y${*}${b}z${c, 'd'}", true, true);
        let mut out = Vec::new();
        t.resolve_into(&ctx, &mut out).unwrap();
        assert_eq!(resolved_text(&out), "x1y*2zd");
        assert_eq!(t.variable_keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        // an unclosed `${` is text, and costs linear time
        let t = Template::parse(&"${".repeat(10_000), true, true);
        assert_eq!(t.fixed().unwrap().text(), "${".repeat(10_000));
        let t = Template::parse("${a}${", true, true);
        t.resolve_into(&ctx, &mut out).unwrap();
        assert_eq!(resolved_text(&out), "1${");
    }

    #[test]
    fn resource_variables_only_after_the_fifth_colon() {
        let ctx = RequestContext::from_pairs([("aws:username", vec!["alice"])]);
        let t = Template::parse_resource("arn:aws:s3:::${aws:username}/${aws:username}", true);
        let mut out = Vec::new();
        t.resolve_into(&ctx, &mut out).unwrap();
        assert_eq!(resolved_text(&out), "arn:aws:s3:::alice/alice");
        let t = Template::parse_resource("arn:aws:s3:${aws:username}::b/${aws:username}", true);
        t.resolve_into(&ctx, &mut out).unwrap();
        assert_eq!(resolved_text(&out), "arn:aws:s3:${aws:username}::b/alice");
        let t = Template::parse_resource("arn:aws:s3:::${aws:username}", false);
        assert_eq!(t.fixed().unwrap().text(), "arn:aws:s3:::${aws:username}");
    }

    proptest::proptest! {
        /// The text shown without building tokens is the text of the tokens.
        #[test]
        fn render_agrees_with_tokens(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["a", "*", "?", ":", "**", "${x}", "${y}", "${z}", "${*}", "${z, ''}", "${z, '*'}", "${"]),
                0..8,
            ),
            resource in proptest::bool::ANY,
        ) {
            let text: String = pieces.concat();
            let ctx = RequestContext::from_pairs([("x", vec![""]), ("y", vec!["b*"])]);
            let t = if resource {
                Template::parse_resource(&format!("arn:aws:s3:::{text}"), true)
            } else {
                Template::parse(&text, true, true)
            };
            let mut toks = Vec::new();
            let mut shown = String::new();
            let by_toks = t.resolve_into(&ctx, &mut toks).map(|()| resolved_text(&toks));
            let rendered = t.render_into(&ctx, &mut shown).map(|()| shown.clone());
            proptest::prop_assert_eq!(by_toks, rendered);
            proptest::prop_assert_eq!(t.resolves_into(&ctx, &mut toks), t.resolve_into(&ctx, &mut Vec::new()).is_ok());
        }
    }

    #[test]
    fn multivalued_keys_do_not_resolve() {
        let ctx = RequestContext::from_pairs([("aws:TagKeys", vec!["a", "b"])]);
        let t = Template::parse("${aws:TagKeys, 'x'}", true, false);
        assert!(t.resolve(&ctx).is_err());
    }
}
