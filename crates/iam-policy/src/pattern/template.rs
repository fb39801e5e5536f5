//! Policy strings that may hold variables (`${aws:username}`): a Resource
//! entry or a condition value, compiled into literal characters, wildcards
//! and variables, resolved against a request's context.

use crate::pattern::glob::{Glob, Tok};
use std::borrow::Cow;

/// Where policy variables get their values: the request context.
pub trait Variables {
    /// The value of a single-valued key (a multivalued key has none).
    fn single_value(&self, key: &str) -> Option<&str>;
    /// Whether the key is in the request at all (a default applies only
    /// when it is not).
    fn contains(&self, key: &str) -> bool;
}

/// One element of a policy string that may hold variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Tok(Tok),
    /// `${key}` or `${key, 'default'}`.
    Var {
        key: String,
        default: Option<String>,
    },
}

/// A policy string (a Resource entry or a condition value) compiled into
/// literal characters, wildcards and variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
    has_vars: bool,
    /// Precompiled pattern when there are no variables.
    fixed: Option<Glob>,
}

impl Template {
    /// Compiles `text`. With `variables`, `${…}` is a policy variable (policy
    /// version 2012-10-17); otherwise it is literal text. With `wildcards`,
    /// `*` and `?` are wildcards; otherwise they are literal.
    pub fn parse(text: &str, variables: bool, wildcards: bool) -> Template {
        let chars: Vec<char> = text.chars().collect();
        // next_close[i]: the index of the first `}` at or after i, found in one
        // backward pass, so many unclosed `${` cost linear time, not quadratic.
        let mut next_close: Vec<Option<usize>> = vec![None; chars.len() + 1];
        if variables {
            let mut next = None;
            for (i, c) in chars.iter().enumerate().rev() {
                if *c == '}' {
                    next = Some(i);
                }
                if let Some(slot) = next_close.get_mut(i) {
                    *slot = next;
                }
            }
        }
        let mut parts = Vec::with_capacity(chars.len());
        let mut i = 0;
        let mut has_vars = false;
        while let Some(&c) = chars.get(i) {
            if variables && c == '$' && chars.get(i + 1) == Some(&'{') {
                if let Some(end) = next_close.get(i + 2).copied().flatten() {
                    let inner: String = chars.get(i + 2..end).unwrap_or_default().iter().collect();
                    i = end + 1;
                    match inner.trim() {
                        "*" => parts.push(Part::Tok(Tok::Lit('*'))),
                        "?" => parts.push(Part::Tok(Tok::Lit('?'))),
                        "$" => parts.push(Part::Tok(Tok::Lit('$'))),
                        _ => {
                            has_vars = true;
                            parts.push(parse_var(&inner));
                        }
                    }
                    continue;
                }
            }
            parts.push(Part::Tok(match c {
                '*' if wildcards => Tok::AnyString,
                '?' if wildcards => Tok::AnyChar,
                c => Tok::Lit(c),
            }));
            i += 1;
        }
        let fixed = if has_vars {
            None
        } else {
            Some(Glob::from_toks(parts.iter().filter_map(|p| match p {
                Part::Tok(t) => Some(*t),
                Part::Var { .. } => None,
            })))
        };
        Template {
            parts,
            has_vars,
            fixed,
        }
    }

    /// Compiles a Resource entry: policy variables are substituted only in
    /// the resource part of the ARN, after the fifth colon ("You can't use a
    /// variable to replace parts of the ARN before the fifth colon, such as
    /// the service or account"); before it `${…}` is literal text.
    pub fn parse_resource(text: &str, variables: bool) -> Template {
        let split = text
            .char_indices()
            .filter(|(_, c)| *c == ':')
            .nth(4)
            .map(|(i, _)| i + 1);
        match split.and_then(|i| Some((text.get(..i)?, text.get(i..)?))) {
            Some((head, tail)) if variables && text.starts_with("arn:") => {
                let head = Template::parse(head, false, true);
                let tail = Template::parse(tail, true, true);
                let has_vars = tail.has_vars;
                let parts: Vec<Part> = head.parts.into_iter().chain(tail.parts).collect();
                let fixed = if has_vars {
                    None
                } else {
                    Some(Glob::from_toks(parts.iter().filter_map(|p| match p {
                        Part::Tok(t) => Some(*t),
                        Part::Var { .. } => None,
                    })))
                };
                Template {
                    parts,
                    has_vars,
                    fixed,
                }
            }
            _ => Template::parse(text, variables, true),
        }
    }

    /// The compiled pattern when the template holds no variable.
    pub fn fixed(&self) -> Option<&Glob> {
        self.fixed.as_ref()
    }

    pub fn has_variables(&self) -> bool {
        self.has_vars
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The variable keys this template uses.
    pub fn variable_keys(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var { key, .. } => Some(key.as_str()),
            Part::Tok(_) => None,
        })
    }

    /// Substitutes variables from the request context. A substituted value is
    /// literal text (its `*` is not a wildcard). Fails with the keys that have
    /// no value (nor a default) or that are multivalued.
    pub fn resolve<V: Variables + ?Sized>(&self, ctx: &V) -> Result<Cow<'_, Glob>, Vec<String>> {
        if let Some(g) = &self.fixed {
            return Ok(Cow::Borrowed(g));
        }
        let mut toks = Vec::with_capacity(self.parts.len());
        let mut missing = Vec::new();
        for p in &self.parts {
            match p {
                Part::Tok(t) => toks.push(*t),
                Part::Var { key, default } => match ctx.single_value(key) {
                    Some(v) => toks.extend(v.chars().map(Tok::Lit)),
                    None => match default {
                        Some(d) if !ctx.contains(key) => toks.extend(d.chars().map(Tok::Lit)),
                        _ => missing.push(key.clone()),
                    },
                },
            }
        }
        if missing.is_empty() {
            Ok(Cow::Owned(Glob::from_toks(toks)))
        } else {
            Err(missing)
        }
    }
}

/// Parses the inside of `${…}`: `key` or `key, 'default'`.
fn parse_var(inner: &str) -> Part {
    if let Some((key, rest)) = inner.split_once(',') {
        let rest = rest.trim();
        let default = rest
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix('\''))
            .map(str::to_string);
        if default.is_some() {
            return Part::Var {
                key: key.trim().to_string(),
                default,
            };
        }
    }
    Part::Var {
        key: inner.trim().to_string(),
        default: None,
    }
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
    fn multivalued_keys_do_not_resolve() {
        let ctx = RequestContext::from_pairs([("aws:TagKeys", vec!["a", "b"])]);
        let t = Template::parse("${aws:TagKeys, 'x'}", true, false);
        assert!(t.resolve(&ctx).is_err());
    }
}
