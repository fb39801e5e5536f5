//! The policy parser: JSON text → [`crate::ast::policy`], collecting every
//! problem it finds (each with a position, a code, a class and a fix) rather
//! than stopping at the first.

use crate::ast::operator::{all_names, BaseOperator, Operator, OperatorFamily};
use crate::ast::policy::*;
use crate::layer::PolicyKind;
use crate::parse::diagnostic::{aws_errors as aws, did_you_mean, Diagnostic, DiagnosticCode as C};
use crate::pattern::glob::toks_text;
use crate::pattern::template::Tokens;
use crate::pattern::{ArnPattern, ArnProblem, Glob, Template};
use crate::span::{Span, Spanned};
use crate::syntax::json::{self, ValueKind as JsonKind};
use crate::syntax::text::Text;

/// The JSON the policy parser reads: views of a [`json::Doc`], whose
/// strings borrow from the text unless they held escapes.
type JsonValue<'d> = json::Value<'d>;
type JsonMember<'d> = json::Member<'d>;
use crate::values;
use std::collections::HashMap;

impl Typed {
    fn of(family: OperatorFamily, text: &str, template: &Template) -> Typed {
        use crate::values as v;
        let parsed = match family {
            OperatorFamily::Numeric => v::parse_number(text).map(Typed::Number),
            OperatorFamily::Date => v::parse_date(text).map(Typed::Date),
            OperatorFamily::Bool | OperatorFamily::Null => v::parse_bool(text).map(Typed::Bool),
            OperatorFamily::IpAddress => v::parse_cidr(text).map(Typed::Cidr),
            OperatorFamily::Binary => v::decode_base64(text).map(Typed::Bytes),
            OperatorFamily::Arn => {
                return template
                    .fixed()
                    .map(|g| Typed::Arn(Box::new(ArnPattern::condition(g.clone()))))
                    .unwrap_or(Typed::Text)
            }
            OperatorFamily::String => return Typed::Text,
        };
        parsed.unwrap_or(Typed::Invalid)
    }
}

/// The outcome of parsing: a policy when the text is JSON of the right shape
/// (possibly with errors in parts of it), and every problem found.
#[derive(Debug, Clone)]
pub struct ParsedPolicy {
    pub policy: Option<Policy>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedPolicy {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Checks a value written in a policy for the operator's type. Returns the
/// message and the fix hint when it cannot be a value of that type.
fn check_policy_value(op: BaseOperator, text: &str) -> Option<(String, String)> {
    let bad = |what: &str, example: &str| {
        Some((
            format!("{} expects {what}, but \"{text}\" is not one", op.name()),
            format!("write {what}, for example {example}"),
        ))
    };
    match op.family() {
        OperatorFamily::Numeric if values::parse_number(text).is_none() => bad("a number", "\"10\""),
        OperatorFamily::Date if values::parse_date(text).is_none() => {
            bad("a date (ISO 8601 or epoch seconds)", "\"2026-01-01T00:00:00Z\"")
        }
        OperatorFamily::Bool if values::parse_bool(text).is_none() => bad("true or false", "\"true\""),
        OperatorFamily::Null if values::parse_bool(text).is_none() => Some((
            format!("Null expects true (the key is absent) or false (the key is present), found \"{text}\""),
            "write \"true\" or \"false\"".to_string(),
        )),
        OperatorFamily::IpAddress if values::parse_cidr(text).is_none() => {
            bad("an IP address or CIDR range", "\"203.0.113.0/24\" or \"2001:db8::/32\"")
        }
        OperatorFamily::Binary if values::decode_base64(text).is_none() => bad("a base64-encoded value", "\"QmluYXJ5VmFsdWU=\""),
        _ => None,
    }
}

/// Parses and validates an identity-based policy.
pub fn parse_policy(text: &str) -> ParsedPolicy {
    parse_policy_as(text, PolicyKind::Identity)
}

/// Parses and validates a policy of the given kind.
pub fn parse_policy_as(text: &str, kind: PolicyKind) -> ParsedPolicy {
    if text.len() > crate::limits::MAX_POLICY_TEXT {
        return ParsedPolicy {
            policy: None,
            diagnostics: vec![Diagnostic::error(
                C::InvalidJson,
                Span::default(),
                crate::limits::too_large(
                    "the policy",
                    text.len(),
                    crate::limits::MAX_POLICY_TEXT,
                    "MAX_POLICY_TEXT",
                ),
                "split it into smaller policies",
            )],
        };
    }
    let doc = match json::parse_doc(text) {
        Ok(v) => v,
        Err(e) => {
            return ParsedPolicy {
                policy: None,
                diagnostics: vec![
                    Diagnostic::error(C::InvalidJson, e.span, e.message, e.hint).aws(aws::SYNTAX)
                ],
            }
        }
    };
    let mut b = Builder {
        kind,
        diags: Vec::new(),
        variables: false,
        src: Text::from(text),
        base: text.as_ptr() as usize,
        lower: None,
    };
    let policy = b.policy(&doc.root());
    let mut diagnostics = b.diags;
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    ParsedPolicy {
        policy,
        diagnostics,
    }
}

const POLICY_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
/// The index of a statement element in [`STATEMENT_ELEMENTS`]' order of
/// exclusive pairs: Action 0, NotAction 1, Resource 2, NotResource 3,
/// Principal 4, NotPrincipal 5, then Sid, Effect, Condition.
fn statement_element(key: &str) -> Option<u32> {
    Some(match key {
        "Action" => 0,
        "NotAction" => 1,
        "Resource" => 2,
        "NotResource" => 3,
        "Principal" => 4,
        "NotPrincipal" => 5,
        "Sid" => 6,
        "Effect" => 7,
        "Condition" => 8,
        _ => return None,
    })
}

const PRINCIPAL_TYPES: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

struct Builder {
    kind: PolicyKind,
    diags: Vec<Diagnostic>,
    /// Policy variables are substituted (Version 2012-10-17), read before
    /// the statements so that each string is compiled once.
    variables: bool,
    /// A copy of the source: the strings the policy keeps are parts of it
    /// ([`Builder::text`]), one allocation for all of them.
    src: Text,
    /// The address of the text being read (see [`Builder::src_range`]).
    base: usize,
    /// The source with ASCII letters lower-cased (same byte offsets), made
    /// when a case-insensitive pattern first needs it.
    lower: Option<Text>,
}

/// Reports duplicate keys in an object and returns the members to use: the
/// last of each key, as AWS does, in the order of their last occurrence.
/// Linear in the number of members.
fn dedupe<'d>(members: json::Object<'d>, what: &str, diags: &mut Vec<Diagnostic>) -> Members<'d> {
    // Objects of a policy have a handful of members: compare keys directly
    // below this size (no hashing), use a hash map above it.
    const SMALL: usize = 12;
    let mut report = |prev: &JsonMember<'_>, m: &JsonMember<'_>| {
        // AWS stores the policy and keeps only the last entry: the
        // earlier one does nothing.
        diags.push(Diagnostic::inert(
            C::DuplicateKey,
            prev.key_span,
            format!(
                "duplicate key \"{}\" in {what}: AWS keeps only the last one (line {}, column {}), so this one does nothing",
                m.key, m.key_span.start.line, m.key_span.start.column
            ),
            format!("merge the two \"{}\" entries into one", m.key),
        ));
    };
    if members.len() <= SMALL {
        if !members.repeats_a_key_small() {
            return Members::All(members);
        }
        let mut out: Vec<JsonMember<'d>> = Vec::with_capacity(members.len());
        for m in members.iter() {
            if let Some(i) = out.iter().position(|o| o.key == m.key) {
                if let Some(prev) = out.get(i) {
                    report(prev, &m);
                }
                out.remove(i);
            }
            out.push(m);
        }
        // the order of last occurrences
        return Members::Last(out);
    }
    // key -> index of its last occurrence
    let all: Vec<JsonMember<'d>> = members.iter().collect();
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(all.len());
    for (i, m) in all.iter().enumerate() {
        if let Some(prev) = last.insert(m.key, i).and_then(|p| all.get(p)) {
            report(prev, m);
        }
    }
    Members::Last(
        all.iter()
            .enumerate()
            .filter(|(i, m)| last.get(m.key) == Some(i))
            .map(|(_, m)| *m)
            .collect(),
    )
}

/// The members of an object to read: all of them when no key repeats,
/// otherwise the last of each key (see [`dedupe`]).
enum Members<'d> {
    All(json::Object<'d>),
    Last(Vec<JsonMember<'d>>),
}

/// The members of [`Members`], one by one.
enum MembersIter<'a, 'd> {
    All(json::Members<'d>),
    Last(std::slice::Iter<'a, JsonMember<'d>>),
}

impl<'d> Iterator for MembersIter<'_, 'd> {
    type Item = JsonMember<'d>;

    fn next(&mut self) -> Option<JsonMember<'d>> {
        match self {
            MembersIter::All(it) => it.next(),
            MembersIter::Last(it) => it.next().copied(),
        }
    }
}

impl<'d> Members<'d> {
    fn iter(&self) -> MembersIter<'_, 'd> {
        match self {
            Members::All(s) => MembersIter::All(s.iter()),
            Members::Last(v) => MembersIter::Last(v.iter()),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Members::All(s) => s.is_empty(),
            Members::Last(v) => v.is_empty(),
        }
    }
}

impl Builder {
    /// A string of the source as a [`Text`]: a part of the policy's copy of
    /// its source, or its own copy when it is not in the source (a string
    /// that held escapes).
    fn text(&self, s: &str) -> Text {
        self.src_range(s)
            .and_then(|r| self.src.slice_of_str(r))
            .unwrap_or_else(|| Text::from(s))
    }

    /// Where `s` lies in the source, when it is a part of it (borrowed from
    /// the text being read: memory that lies within the text is the text).
    fn src_range(&self, s: &str) -> Option<std::ops::Range<usize>> {
        let offset = (s.as_ptr() as usize).checked_sub(self.base)?;
        let end = offset.checked_add(s.len())?;
        (end <= self.src.len()).then_some(offset..end)
    }

    /// `s` (a string of the source) with ASCII letters lower-cased, as a
    /// part of the lower-cased copy of the source when it is in the source.
    fn lower_text(&mut self, s: &str) -> Text {
        let Some(range) = self.src_range(s) else {
            return Text::from(s.to_ascii_lowercase());
        };
        let src = &self.src;
        self.lower
            .get_or_insert_with(|| {
                Text::build(|l| {
                    l.push_str(src);
                    l.make_ascii_lowercase();
                })
            })
            .slice_of_str(range)
            .unwrap_or_else(|| Text::from(s.to_ascii_lowercase()))
    }

    /// AWS rejects the policy as a syntax error ("Syntax errors in policy.").
    fn err(&mut self, code: C, span: Span, message: impl Into<String>, hint: impl Into<String>) {
        self.reject(code, span, message, hint, aws::SYNTAX);
    }

    /// AWS rejects the policy with this error text.
    fn reject(
        &mut self,
        code: C,
        span: Span,
        message: impl Into<String>,
        hint: impl Into<String>,
        aws_error: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::error(code, span, message, hint).aws(aws_error));
    }

    /// AWS stores it; probably not what was meant.
    fn warn(&mut self, code: C, span: Span, message: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(code, span, message, hint));
    }

    /// AWS stores it; at request time this part does nothing.
    fn inert(&mut self, code: C, span: Span, message: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::inert(code, span, message, hint));
    }

    fn unknown_key(&mut self, m: &JsonMember<'_>, known: &[&str], place: &str) {
        let hint = match did_you_mean(m.key, known.iter().copied()) {
            Some(s) => format!("did you mean \"{s}\"? Element names are case-sensitive"),
            None => format!("remove it; {place} may hold only {}", known.join(", ")),
        };
        self.err(
            C::UnknownElement,
            m.key_span,
            format!("unknown element \"{}\" in {place}", m.key),
            hint,
        );
    }

    fn policy(&mut self, root: &JsonValue<'_>) -> Option<Policy> {
        let Some(members) = root.as_object() else {
            self.err(
                C::WrongType,
                root.span,
                format!("a policy must be a JSON object, found {}", root.type_name()),
                "wrap the policy in { \"Version\": \"2012-10-17\", \"Statement\": [ … ] }",
            );
            return None;
        };
        let members = dedupe(members, "the policy", &mut self.diags);
        self.variables = members
            .iter()
            .any(|m| m.key == "Version" && m.value.as_str() == Some("2012-10-17"));
        let mut version = None;
        let mut id = None;
        let mut statements = Vec::new();
        let mut saw_statement = false;
        for m in members.iter() {
            match m.key {
                "Version" => match m.value.as_str() {
                    Some("2012-10-17") => {
                        version = Some(Spanned::new(PolicyVersion::V2012, m.value.span))
                    }
                    Some("2008-10-17") => {
                        version = Some(Spanned::new(PolicyVersion::V2008, m.value.span))
                    }
                    _ => self.err(
                        C::InvalidVersion,
                        m.value.span,
                        format!(
                            "Version must be \"2012-10-17\" or \"2008-10-17\", found {}",
                            show(&m.value)
                        ),
                        "write \"Version\": \"2012-10-17\" (it is a fixed date, not today's date)",
                    ),
                },
                "Id" => match m.value.as_str() {
                    Some(s) => id = Some(Spanned::new(s.to_string(), m.value.span)),
                    None => self.err(
                        C::WrongType,
                        m.value.span,
                        format!("Id must be a string, found {}", m.value.type_name()),
                        "write the Id in double quotes",
                    ),
                },
                "Statement" => {
                    saw_statement = true;
                    match &m.value.kind() {
                        JsonKind::Object(_) => {
                            if let Some(s) = self.statement(&m.value, 0) {
                                statements.push(s);
                            }
                        }
                        JsonKind::Array(items) => {
                            statements.reserve_exact(items.len());
                            if items.is_empty() {
                                self.err(
                                    C::EmptyValue,
                                    m.value.span,
                                    "the policy has no statements: AWS refuses an empty Statement list",
                                    "add a statement with Effect, Action and Resource",
                                );
                            }
                            for (i, item) in items.iter().enumerate() {
                                if let Some(s) = self.statement(&item, i) {
                                    statements.push(s);
                                }
                            }
                        }
                        _ => self.err(
                            C::WrongType,
                            m.value.span,
                            format!(
                                "Statement must be an object or an array of objects, found {}",
                                m.value.type_name()
                            ),
                            "write \"Statement\": [ { \"Effect\": …, \"Action\": …, \"Resource\": … } ]",
                        ),
                    }
                }
                _ => self.unknown_key(&m, &POLICY_ELEMENTS, "a policy"),
            }
        }
        if !saw_statement {
            self.err(
                C::MissingElement,
                Span::point(root.span.start),
                "the policy has no Statement element",
                "add \"Statement\": [ { \"Effect\": \"Allow\", \"Action\": …, \"Resource\": … } ]",
            );
        }
        if version.is_none() && !self.diags.iter().any(|d| d.code == C::InvalidVersion) {
            self.warn(
                C::MissingVersion,
                Span::point(root.span.start),
                "the policy has no Version, so it is read as version 2008-10-17 and policy variables such as ${aws:username} are plain text",
                "add \"Version\": \"2012-10-17\" as the first element",
            );
        }
        // Sids must be unique within a policy. A handful of Sids are compared
        // directly, kept on the stack (no hashing, no allocation); more go
        // through a hash map.
        const FEW_SIDS: usize = 16;
        let mut few: [(&str, Span); FEW_SIDS] = [("", Span::default()); FEW_SIDS];
        let mut n_few = 0;
        let use_few = statements.iter().filter(|s| s.sid.is_some()).count() <= FEW_SIDS;
        let mut first_sid: HashMap<&str, Span> = HashMap::new();
        for s in &statements {
            let Some(sid) = &s.sid else { continue };
            let first = if use_few {
                let seen = few.get(..n_few).unwrap_or_default();
                let first = seen
                    .iter()
                    .find(|(t, _)| *t == sid.value.as_str())
                    .map(|(_, span)| *span);
                if let (None, Some(slot)) = (first, few.get_mut(n_few)) {
                    *slot = (&sid.value, sid.span);
                    n_few += 1;
                }
                first
            } else {
                let first = first_sid.get(sid.value.as_str()).copied();
                if first.is_none() {
                    first_sid.insert(&sid.value, sid.span);
                }
                first
            };
            if let Some(first) = first {
                self.diags.push(
                    Diagnostic::error(
                        C::DuplicateSid,
                        sid.span,
                        format!(
                            "Sid \"{}\" is already used at line {}, column {}",
                            sid.value, first.start.line, first.start.column
                        ),
                        "give every statement a unique Sid",
                    )
                    .aws(aws::DUPLICATE_SID),
                );
            }
        }
        Some(Policy {
            version,
            id,
            statements,
            span: root.span,
        })
    }

    fn statement(&mut self, v: &JsonValue<'_>, index: usize) -> Option<Statement> {
        let Some(members) = v.as_object() else {
            self.err(
                C::WrongType,
                v.span,
                format!("a statement must be an object, found {}", v.type_name()),
                "write the statement as { \"Effect\": …, \"Action\": …, \"Resource\": … }",
            );
            return None;
        };
        let anchor = members
            .first()
            .map(|m| m.key_span.start)
            .unwrap_or(v.span.start);
        // which elements are present, by one match of each key: a key can
        // repeat only when an element is seen twice or two keys are unknown
        let mut seen = 0u16;
        let mut repeat = false;
        let mut unknown = 0;
        for key in members.keys() {
            match statement_element(key) {
                Some(i) => {
                    repeat |= seen & (1 << i) != 0;
                    seen |= 1 << i;
                }
                None => unknown += 1,
            }
        }
        // (removing the earlier of repeated keys leaves the same elements)
        let members = if repeat || unknown > 1 {
            dedupe(members, "the statement", &mut self.diags)
        } else {
            Members::All(members)
        };
        let mut st = Statement {
            index,
            sid: None,
            effect: None,
            principal: None,
            action: None,
            resource: None,
            conditions: Vec::new(),
            span: v.span,
            anchor,
        };
        let mut saw_effect = false;
        let find = |k: &str| members.iter().find(|m| m.key == k).map(|m| m.key_span);
        for (pair, (a, b)) in [
            ("Action", "NotAction"),
            ("Resource", "NotResource"),
            ("Principal", "NotPrincipal"),
        ]
        .into_iter()
        .enumerate()
        {
            let both = (seen >> (2 * pair)) & 0b11 == 0b11;
            if let Some(sb) = both.then(|| find(b)).flatten() {
                self.err(
                    C::ConflictingElements,
                    sb,
                    format!("a statement cannot have both {a} and {b}"),
                    format!("keep either {a} (what it covers) or {b} (everything except it)"),
                );
            }
        }
        for m in members.iter() {
            match m.key {
                "Sid" => match m.value.as_str() {
                    Some(s) => {
                        if self.kind != PolicyKind::Resource
                            && !s.bytes().all(|b| b.is_ascii_alphanumeric())
                        {
                            let message = format!("Sid \"{s}\" holds characters other than A-Z, a-z and 0-9, which IAM rejects in {}s", self.kind.label());
                            let hint = "use letters and digits only, for example \"AllowReadLogs\"";
                            if self.kind.is_iam_policy() {
                                self.reject(
                                    C::InvalidSid,
                                    m.value.span,
                                    message,
                                    hint,
                                    aws::SID_ALPHANUMERIC,
                                );
                            } else {
                                self.warn(C::InvalidSid, m.value.span, message, hint);
                            }
                        }
                        st.sid = Some(Spanned::new(self.text(s), m.value.span));
                    }
                    None => self.err(
                        C::WrongType,
                        m.value.span,
                        format!("Sid must be a string, found {}", m.value.type_name()),
                        "write the Sid in double quotes",
                    ),
                },
                "Effect" => {
                    saw_effect = true;
                    match m.value.as_str() {
                        Some("Allow") => {
                            st.effect = Some(Spanned::new(Effect::Allow, m.value.span))
                        }
                        Some("Deny") => st.effect = Some(Spanned::new(Effect::Deny, m.value.span)),
                        Some(other) => {
                            let hint = match did_you_mean(other, ["Allow", "Deny"]) {
                                Some(s) => format!("write \"{s}\" (case-sensitive)"),
                                None => "write \"Allow\" or \"Deny\"".to_string(),
                            };
                            self.reject(
                                C::InvalidEffect,
                                m.value.span,
                                format!("Effect must be \"Allow\" or \"Deny\", found \"{other}\""),
                                hint,
                                aws::LEGACY_PARSING,
                            )
                        }
                        None => self.err(
                            C::WrongType,
                            m.value.span,
                            format!(
                                "Effect must be the string \"Allow\" or \"Deny\", found {}",
                                m.value.type_name()
                            ),
                            "write \"Effect\": \"Allow\" or \"Effect\": \"Deny\"",
                        ),
                    }
                }
                "Action" | "NotAction" => {
                    let negated = m.key == "NotAction";
                    let strs = self.strings(&m);
                    let mut patterns = Vec::with_capacity(strs.len());
                    for (text, span) in strs.iter() {
                        patterns.extend(self.action_pattern(text, span));
                    }
                    st.action = Some(ActionElement {
                        negated,
                        key_span: m.key_span,
                        patterns,
                    });
                }
                "Resource" | "NotResource" => {
                    let negated = m.key == "NotResource";
                    let strs = self.strings(&m);
                    let mut patterns = Vec::with_capacity(strs.len());
                    for (text, span) in strs.iter() {
                        patterns.push(self.resource_pattern(text, span));
                    }
                    st.resource = Some(ResourceElement {
                        negated,
                        key_span: m.key_span,
                        patterns,
                    });
                }
                "Principal" | "NotPrincipal" => {
                    let negated = m.key == "NotPrincipal";
                    if !self.kind.has_principal() {
                        self.reject(
                            C::NotAllowedHere,
                            m.key_span,
                            format!("{} is not allowed in a {}: the principal is whoever the policy is attached to", m.key, self.kind.label()),
                            format!("remove {}; it belongs in resource-based policies such as bucket or trust policies", m.key),
                            aws::NO_PRINCIPAL_ALLOWED,
                        );
                    } else if negated && self.kind == PolicyKind::Rcp {
                        self.err(
                            C::NotAllowedHere,
                            m.key_span,
                            "NotPrincipal is not supported in resource control policies",
                            "use \"Principal\": \"*\" with a condition on aws:PrincipalArn (ArnNotLike) instead",
                        );
                    }
                    st.principal = self.principal(&m, negated);
                }
                "Condition" => st.conditions = self.conditions(&m.value),
                _ => self.unknown_key(&m, &STATEMENT_ELEMENTS, "a statement"),
            }
        }
        let head = Span::new(v.span.start, v.span.start);
        if !saw_effect {
            self.err(
                C::MissingElement,
                head,
                format!("statement {} has no Effect", index),
                "add \"Effect\": \"Allow\" or \"Effect\": \"Deny\"",
            );
        }
        if st.action.is_none() {
            self.reject(
                C::MissingElement,
                head,
                format!("statement {} has neither Action nor NotAction", index),
                "add \"Action\": [\"service:ActionName\"], for example \"s3:GetObject\"",
                aws::MISSING_ACTIONS,
            );
        }
        if st.resource.is_none()
            && matches!(
                self.kind,
                PolicyKind::Identity | PolicyKind::PermissionsBoundary | PolicyKind::Session
            )
        {
            self.reject(
                C::MissingElement,
                head,
                format!("statement {} has neither Resource nor NotResource", index),
                "add \"Resource\": \"*\" or the ARNs the statement covers",
                aws::MISSING_RESOURCES,
            );
        }
        if st.principal.is_none() && self.kind.has_principal() {
            self.reject(
                C::MissingElement,
                head,
                format!("statement {} of a {} has no Principal", index, self.kind.label()),
                "add \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"} or \"Principal\": \"*\"",
                aws::MISSING_PRINCIPAL,
            );
        }
        if let (
            Some(p),
            Some(Spanned {
                value: Effect::Allow,
                ..
            }),
        ) = (&st.principal, &st.effect)
        {
            if p.negated {
                self.warn(
                    C::NotPrincipalWithAllow,
                    p.key_span,
                    "NotPrincipal with Allow is not supported by AWS; where an older policy still holds it, it allows every principal except those listed (the caller is left out when its ARN, its role or its account is listed), anonymous users included",
                    "name the principals to allow in Principal instead",
                );
            }
        }
        if self.kind == PolicyKind::Rcp
            && matches!(st.effect.as_ref().map(|e| e.value), Some(Effect::Allow))
            && !is_full_access(&st)
        {
            self.warn(
                C::NotAllowedHere,
                head,
                format!("statement {index} of a resource control policy allows: AWS Organizations supports Allow only in RCPFullAWSAccess (Principal \"*\", Action \"*\", Resource \"*\"), which is attached to every level and cannot be detached"),
                "write RCPs as Deny statements; include RCPFullAWSAccess at each level to model your organization",
            );
        }
        Some(st)
    }

    /// A string or an array of strings; reports anything else.
    fn strings<'d>(&mut self, m: &JsonMember<'d>) -> Strs<'d> {
        match &m.value.kind() {
            JsonKind::String(s) => Strs::One(s, m.value.span),
            JsonKind::Array(items) => {
                if items.is_empty() {
                    let aws_error = match m.key {
                        "Action" | "NotAction" => aws::MISSING_ACTIONS,
                        "Resource" | "NotResource" => aws::MISSING_RESOURCES,
                        _ => aws::SYNTAX,
                    };
                    self.reject(
                        C::EmptyValue,
                        m.value.span,
                        format!("{} is an empty array", m.key),
                        format!("list at least one value in {}", m.key),
                        aws_error,
                    );
                }
                for it in items.iter().filter(|it| it.as_str().is_none()) {
                    self.err(
                        C::WrongType,
                        it.span,
                        format!(
                            "each {} entry must be a string, found {}",
                            m.key,
                            it.type_name()
                        ),
                        "write the entry in double quotes",
                    );
                }
                Strs::Many(*items)
            }
            _ => {
                self.err(
                    C::WrongType,
                    m.value.span,
                    format!(
                        "{} must be a string or an array of strings, found {}",
                        m.key,
                        m.value.type_name()
                    ),
                    format!(
                        "write \"{}\": \"…\" or \"{}\": [\"…\", \"…\"]",
                        m.key, m.key
                    ),
                );
                Strs::None
            }
        }
    }

    fn action_pattern(&mut self, text: &str, span: Span) -> Option<ActionPattern> {
        let problem = action_problem(text);
        match &problem {
            None => {}
            Some(ActionProblem::NoVendor) => {
                // A lower-case run then an upper-case letter is a service prefix glued to
                // the action's name (s3GetObject -> s3:GetObject); an action name alone
                // (GetObject) lacks its prefix, which cannot be guessed.
                let starts_lower = text.chars().next().is_some_and(|c| c.is_ascii_lowercase());
                let name_only = text.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '*');
                let hint = if let Some(i) = text
                    .char_indices()
                    .find(|(i, c)| *i > 0 && c.is_ascii_uppercase())
                    .map(|(i, _)| i)
                    .filter(|i| starts_lower && !text.contains(' ') && text.is_char_boundary(*i))
                {
                    let (a, b) = text.split_at(i);
                    format!("an action is service:ActionName; did you mean \"{a}:{b}\"?")
                } else if name_only {
                    format!(
                        "an action is service:ActionName: put its service prefix before it, as in \"s3:{text}\" for Amazon S3 or \"imagebuilder:{text}\" for Image Builder"
                    )
                } else {
                    "an action is service:ActionName, for example \"s3:GetObject\", or \"*\"".to_string()
                };
                self.reject(
                    C::MalformedAction,
                    span,
                    format!("\"{text}\" is not a valid action: it names no service"),
                    hint,
                    aws::ACTION_VENDOR,
                );
            }
            Some(ActionProblem::VendorWildcard) => self.reject(
                C::MalformedAction,
                span,
                format!("\"{text}\": the service prefix of an action cannot hold wildcards"),
                "name the service exactly, for example \"s3:Get*\"; use \"*\" alone for every action",
                aws::ACTION_VENDOR_WILDCARD,
            ),
            Some(ActionProblem::BadVendor(vendor)) => self.reject(
                C::MalformedAction,
                span,
                format!("\"{text}\": \"{vendor}\" is not a valid service prefix"),
                "a service prefix holds only letters, digits, '-' and '.', for example \"s3\" or \"imagebuilder\"",
                format!("MalformedPolicyDocument: Vendor {vendor} is not valid"),
            ),
            Some(ActionProblem::TwoColons) => self.reject(
                C::MalformedAction,
                span,
                format!("\"{text}\" is not a valid action: it has more than one colon"),
                "an action is service:ActionName, for example \"s3:GetObject\"",
                aws::ACTION_ONE_COLON,
            ),
            Some(ActionProblem::NoName) => self.inert(
                C::MalformedAction,
                span,
                format!("\"{text}\" names no action, so it matches no request"),
                "write the action's name after the colon, for example \"s3:GetObject\", or \"s3:*\"",
            ),
            Some(ActionProblem::BadName) => {
                let hint = if text.trim() != text || text.contains(' ') {
                    "remove the spaces; an action is service:ActionName, for example \"s3:GetObject\""
                } else {
                    "an action name holds only letters, digits and the wildcards * and ?"
                };
                self.inert(
                    C::MalformedAction,
                    span,
                    format!("\"{text}\" is not an action name AWS uses, so it matches no request"),
                    hint,
                )
            }
        }
        let inert = matches!(
            problem,
            Some(ActionProblem::NoName | ActionProblem::BadName)
        );
        let shared = self.text(text);
        let glob = if inert {
            Glob::never()
        } else if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Glob::wildcard_ignore_case_text(&self.lower_text(text))
        } else {
            Glob::wildcard_ignore_case_text(&shared)
        };
        Some(ActionPattern {
            glob,
            inert,
            text: shared,
            span,
        })
    }

    fn resource_pattern(&mut self, text: &str, span: Span) -> ResourcePattern {
        let colons = crate::pattern::arn::five_colons(text);
        match crate::pattern::arn::check_arn_pattern_at(text, colons) {
            Ok(()) => {}
            Err(ArnProblem::MissingPrefix) => self.reject(
                C::MalformedArn,
                span,
                format!("\"{text}\" is not an ARN"),
                "write a full ARN such as \"arn:aws:s3:::my-bucket/*\", or \"*\" for all resources",
                format!("MalformedPolicyDocument: Resource {text} must be in ARN format or \"*\"."),
            ),
            Err(ArnProblem::TooFewPartsWithEmpty { found }) => self.reject(
                C::MalformedArn,
                span,
                format!("\"{text}\" is not a valid ARN: it has {found} colon-separated parts, an ARN has 6"),
                "an ARN is arn:partition:service:region:account:resource; keep empty parts as '::', e.g. \"arn:aws:s3:::bucket\"",
                aws::LEGACY_PARSING,
            ),
            Err(ArnProblem::TooFewParts { found, padded }) => self.warn(
                C::MalformedArn,
                span,
                format!("\"{text}\" has {found} colon-separated parts, an ARN has 6: AWS reads the missing parts as \"*\", so this matches like \"{padded}\""),
                format!("write the whole ARN, \"{padded}\", or name the region and account"),
            ),
            Err(ArnProblem::BadService) => self.reject(
                C::MalformedArn,
                span,
                format!("\"{text}\": the service part of a resource ARN must be named exactly (no wildcard, not empty)"),
                "name the service, e.g. arn:aws:s3:::bucket",
                aws::RESOURCE_VENDOR,
            ),
        }
        let head = match colons {
            ([.., fifth], 5) => Some(fifth),
            _ => None,
        };
        let head_end = head.unwrap_or(text.len());
        // where the first variable starts, if any
        let var_at = variable_at(text);
        if text.starts_with("arn:") && var_at.is_some_and(|v| v + 2 <= head_end) {
            self.inert(
                C::MalformedArn,
                span,
                format!("\"{text}\": policy variables are substituted only in the resource part of an ARN, after the fifth colon; before it ${{…}} is literal text, so this entry matches no real resource"),
                "name the partition, service, region and account literally; compare them with a condition such as StringEquals on aws:ResourceAccount",
            );
        }
        let shared = self.text(text);
        let matcher = if self.variables && var_at.is_some() {
            match Tokens::of_resource(text, true, true) {
                (Tokens::Fixed(toks), _) => {
                    let shown = toks_text(&toks);
                    ResourceMatcher::Fixed {
                        shown: (shown != text).then(|| Text::from(shown.as_str())),
                        pattern: ArnPattern::resource_toks(toks),
                    }
                }
                (vars, read) => {
                    let template = Template::from_tokens(vars);
                    ResourceMatcher::Vars(ResourceVars {
                        prefix: template.literal_prefix(),
                        template,
                        read,
                    })
                }
            }
        } else {
            ResourceMatcher::Fixed {
                pattern: ArnPattern::resource_text_at(&shared, head),
                // consecutive stars are one
                shown: text.contains("**").then(|| {
                    let mut s = String::with_capacity(text.len());
                    for c in text.chars() {
                        if !(c == '*' && s.ends_with('*')) {
                            s.push(c);
                        }
                    }
                    s.into()
                }),
            }
        };
        ResourcePattern {
            text: shared,
            span,
            matcher,
            variables: self.variables,
        }
    }

    fn principal(&mut self, m: &JsonMember<'_>, negated: bool) -> Option<PrincipalElement> {
        let mut entries = Vec::new();
        match &m.value.kind() {
            JsonKind::String(s) if *s == "*" => entries.push(PrincipalEntry {
                kind: PrincipalType::Everyone,
                text: Text::from("*"),
                span: m.value.span,
            }),
            JsonKind::Object(members) => {
                let members = dedupe(*members, m.key, &mut self.diags);
                if members.is_empty() {
                    self.err(
                        C::EmptyValue,
                        m.value.span,
                        format!("{} is empty", m.key),
                        "name at least one principal, for example {\"AWS\": \"arn:aws:iam::111122223333:root\"}",
                    );
                }
                for pm in members.iter() {
                    let kind = match pm.key {
                        "AWS" => PrincipalType::Aws,
                        "Service" => PrincipalType::Service,
                        "Federated" => PrincipalType::Federated,
                        "CanonicalUser" => PrincipalType::CanonicalUser,
                        _ => {
                            self.unknown_key(&pm, &PRINCIPAL_TYPES, m.key);
                            continue;
                        }
                    };
                    for (text, span) in self.strings(&pm).iter() {
                        self.check_principal(kind, text, span);
                        entries.push(PrincipalEntry {
                            kind,
                            text: self.text(text),
                            span,
                        });
                    }
                }
            }
            _ => {
                self.reject(
                    C::InvalidPrincipal,
                    m.value.span,
                    format!("{} must be \"*\" or an object such as {{\"AWS\": …}}, found {}", m.key, show(&m.value)),
                    "write \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, {\"Service\": \"ec2.amazonaws.com\"} or \"*\"",
                    aws::INVALID_PRINCIPAL,
                );
                return None;
            }
        }
        Some(PrincipalElement {
            negated,
            key_span: m.key_span,
            entries,
        })
    }

    fn check_principal(&mut self, kind: PrincipalType, text: &str, span: Span) {
        match kind {
            PrincipalType::Aws => {
                if text == "*" || crate::request::principal::is_account_id(text) {
                    return;
                }
                match crate::pattern::Arn::parse(text) {
                    Some(a) if a.service == "iam" || a.service == "sts" => {
                        if a.resource.contains('*') || a.resource.contains('?') {
                            self.reject(
                                C::InvalidPrincipal,
                                span,
                                format!("\"{text}\": wildcards are not allowed in a principal ARN"),
                                "name the principal exactly, or use \"*\" with a condition on aws:PrincipalArn (ArnLike)",
                                aws::INVALID_PRINCIPAL,
                            );
                        }
                    }
                    _ => self.reject(
                        C::InvalidPrincipal,
                        span,
                        format!("\"{text}\" is not a valid AWS principal"),
                        "use an account ID (\"111122223333\"), an IAM ARN (\"arn:aws:iam::111122223333:role/Name\"), an assumed-role ARN, or \"*\"",
                        aws::INVALID_PRINCIPAL,
                    ),
                }
            }
            PrincipalType::Service => {
                if !text.ends_with(".amazonaws.com")
                    && !text.ends_with(".amazonaws.com.cn")
                    && text != "*"
                {
                    self.warn(
                        C::InvalidPrincipal,
                        span,
                        format!("\"{text}\" does not look like a service principal"),
                        "service principals look like \"ec2.amazonaws.com\"",
                    );
                }
            }
            PrincipalType::Federated | PrincipalType::CanonicalUser | PrincipalType::Everyone => {}
        }
    }

    fn conditions(&mut self, v: &JsonValue<'_>) -> Vec<Condition> {
        let mut out = Vec::new();
        let Some(ops) = v.as_object() else {
            self.err(
                C::WrongType,
                v.span,
                format!("Condition must be an object, found {}", v.type_name()),
                "write \"Condition\": { \"StringEquals\": { \"aws:PrincipalTag/team\": \"blue\" } }",
            );
            return out;
        };
        out.reserve_exact(ops.len());
        for op_m in dedupe(ops, "the Condition block", &mut self.diags).iter() {
            let operator = match Operator::parse(op_m.key) {
                Ok(op) => {
                    if !op.is_canonical(op_m.key) {
                        let canonical = op.canonical_name();
                        // IAM matches operator names exactly: "Invalid
                        // Condition type : stringEquals".
                        self.reject(
                            C::OperatorCase,
                            op_m.key_span,
                            format!(
                                "operator \"{}\" must be spelled \"{}\": condition operator names are case-sensitive",
                                op_m.key, canonical
                            ),
                            format!("write \"{canonical}\""),
                            format!("MalformedPolicyDocument: Invalid Condition type : {}", op_m.key),
                        );
                    }
                    op
                }
                Err(_) => {
                    let names = all_names();
                    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                    let base = op_m.key.rsplit(':').next().unwrap_or(op_m.key);
                    let hint = match did_you_mean(base, refs.iter().copied()) {
                        Some(s) if op_m.key.contains(':') => format!(
                            "did you mean \"{}:{s}\"? The prefix may only be ForAllValues: or ForAnyValue:",
                            op_m.key.split(':').next().unwrap_or("")
                        ),
                        Some(s) => format!("did you mean \"{s}\"?"),
                        None => "use a documented operator such as StringEquals, StringLike, ArnLike, IpAddress, Bool, NumericLessThan, DateGreaterThan or Null".to_string(),
                    };
                    if op_m.value.as_object().is_some_and(|o| o.is_empty()) {
                        // AWS stores an unknown operator that names no key.
                        self.inert(
                            C::UnknownOperator,
                            op_m.key_span,
                            format!("unknown condition operator \"{}\"; it names no condition key, so it does nothing", op_m.key),
                            hint,
                        );
                    } else {
                        self.reject(
                            C::UnknownOperator,
                            op_m.key_span,
                            format!("unknown condition operator \"{}\"", op_m.key),
                            hint,
                            format!(
                                "MalformedPolicyDocument: Invalid Condition type : {}",
                                op_m.key
                            ),
                        );
                    }
                    continue;
                }
            };
            let Some(keys) = op_m.value.as_object() else {
                self.err(
                    C::WrongType,
                    op_m.value.span,
                    format!(
                        "the value of {} must be an object of condition keys, found {}",
                        op_m.key,
                        op_m.value.type_name()
                    ),
                    format!(
                        "write \"{}\": {{ \"aws:SourceIp\": \"203.0.113.0/24\" }}",
                        op_m.key
                    ),
                );
                continue;
            };
            if keys.is_empty() {
                self.inert(
                    C::EmptyValue,
                    op_m.value.span,
                    format!(
                        "{} names no condition key, so it constrains nothing",
                        op_m.key
                    ),
                    "add a condition key and its value(s), or remove the operator",
                );
            }
            // one text for every key of the operator
            let operator_text = self.text(op_m.key);
            for key_m in dedupe(keys, op_m.key, &mut self.diags).iter() {
                let values = self.condition_values(operator, &key_m);
                out.push(Condition {
                    operator,
                    operator_text: operator_text.clone(),
                    operator_span: op_m.key_span,
                    key: self.text(key_m.key),
                    key_span: key_m.key_span,
                    values,
                    key_lower: if key_m.key.is_ascii() {
                        self.lower_text(key_m.key)
                    } else {
                        key_m.key.to_lowercase().into()
                    },
                });
            }
        }
        out
    }

    fn condition_values(&mut self, op: Operator, m: &JsonMember<'_>) -> Vec<ConditionValue> {
        let (one, many) = match m.value.kind() {
            JsonKind::Array(items) => {
                if items.is_empty() {
                    self.inert(
                        C::EmptyValue,
                        m.value.span,
                        format!("condition key \"{}\" has an empty list of values: no request value can match one", m.key),
                        "give at least one value",
                    );
                }
                (None, Some(items))
            }
            _ => (Some(m.value), None),
        };
        let mut out = Vec::with_capacity(many.map_or(1, |a| a.len()));
        for v in one
            .into_iter()
            .chain(many.into_iter().flat_map(|a| a.iter()))
        {
            out.extend(self.condition_value(op, &v));
        }
        out
    }

    /// One value of a condition, parsed for its operator (reported when it
    /// is not a scalar: `None`).
    fn condition_value(&mut self, op: Operator, v: &JsonValue<'_>) -> Option<ConditionValue> {
        let family = op.base.family();
        let variables = self.variables && op.base.takes_variables();
        let wildcards = op.base.takes_wildcards();
        {
            let Some(text) = v.scalar_str().map(|s| self.text(s)) else {
                self.err(
                    C::WrongType,
                    v.span,
                    format!(
                        "a condition value must be a string, number or boolean, found {}",
                        v.type_name()
                    ),
                    "write the value in double quotes, or list several values in an array",
                );
                return None;
            };
            let template = Template::parse_text(&text, variables, wildcards);
            let typed = Typed::of(family, &text, &template);
            let problem = match typed {
                Typed::Invalid => check_policy_value(op.base, &text),
                _ => None,
            };
            if let Some((message, hint)) = problem {
                let message = if text.contains("${") {
                    format!(
                        "policy variables are not substituted in {} conditions, so \"{text}\" is compared as written and is not {}: it satisfies neither {} nor its negation",
                        op.base.name(),
                        op.base.family().type_name(),
                        op.base.name()
                    )
                } else {
                    format!(
                        "{message}, so it satisfies neither {} nor its negation",
                        op.base.name()
                    )
                };
                self.inert(C::InvalidConditionValue, v.span, message, hint);
            }
            if op.base.family() == OperatorFamily::Arn
                && !text.contains("${")
                && text != "*"
                && condition_arn_problem(&text)
            {
                self.inert(
                    C::MalformedArn,
                    v.span,
                    format!(
                        "\"{text}\" is not an ARN of six colon-separated parts, so {} can never match it",
                        op.base.name()
                    ),
                    "compare ARNs with Arn operators, other text with String operators",
                );
            }
            Some(ConditionValue {
                shown: template.fixed().map(Glob::shared_text),
                typed,
                template,
                text,
                span: v.span,
            })
        }
    }
}

/// The strings of an element written as a string or an array of strings
/// (entries of another type were reported).
enum Strs<'d> {
    One(&'d str, Span),
    Many(json::Array<'d>),
    None,
}

impl<'d> Strs<'d> {
    fn len(&self) -> usize {
        match self {
            Strs::One(..) => 1,
            Strs::Many(items) => items.len(),
            Strs::None => 0,
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&'d str, Span)> + '_ {
        let (one, many) = match *self {
            Strs::One(s, span) => (Some((s, span)), None),
            Strs::Many(items) => (
                None,
                Some(items.iter().filter_map(|it| Some((it.as_str()?, it.span)))),
            ),
            Strs::None => (None, None),
        };
        one.into_iter().chain(many.into_iter().flatten())
    }
}

/// Where the first `${` of `text` starts (most texts hold no `$`: one
/// `memchr`).
fn variable_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if !bytes.contains(&b'$') {
        return None;
    }
    bytes.windows(2).position(|w| w == b"${")
}

/// Why an Action entry is not a well-formed action.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ActionProblem {
    /// No `:` (or nothing before it). AWS rejects it.
    NoVendor,
    /// A wildcard in the service prefix. AWS rejects it.
    VendorWildcard,
    /// Other characters than letters, digits, `-` and `.` in the prefix.
    /// AWS rejects it.
    BadVendor(String),
    /// More than one colon. AWS rejects it.
    TwoColons,
    /// Nothing after the colon: AWS stores it; it names no action.
    NoName,
    /// Characters no action name has (spaces, …): AWS stores it; it names
    /// no action.
    BadName,
}

fn action_problem(text: &str) -> Option<ActionProblem> {
    if text == "*" {
        return None;
    }
    // one pass over each side of the first colon (every character the
    // checks accept is ASCII: a byte of a longer character fails them too)
    let Some(colon) = text.bytes().position(|b| b == b':') else {
        return Some(ActionProblem::NoVendor);
    };
    let (vendor, name) = (
        text.get(..colon).unwrap_or_default(),
        text.get(colon + 1..).unwrap_or_default(),
    );
    if vendor.is_empty() {
        return Some(ActionProblem::NoVendor);
    }
    let (mut wildcard, mut bad) = (false, false);
    for b in vendor.bytes() {
        match b {
            b'*' | b'?' => wildcard = true,
            b'-' | b'.' => {}
            b if b.is_ascii_alphanumeric() => {}
            _ => bad = true,
        }
    }
    if wildcard {
        return Some(ActionProblem::VendorWildcard);
    }
    if bad {
        return Some(ActionProblem::BadVendor(vendor.to_string()));
    }
    let (mut colon, mut bad) = (false, false);
    for b in name.bytes() {
        match b {
            b':' => colon = true,
            b'*' | b'?' | b'-' | b'_' | b'.' => {}
            b if b.is_ascii_alphanumeric() => {}
            _ => bad = true,
        }
    }
    if colon {
        return Some(ActionProblem::TwoColons);
    }
    if name.is_empty() {
        return Some(ActionProblem::NoName);
    }
    if bad {
        return Some(ActionProblem::BadName);
    }
    None
}

/// An `ArnLike`/`ArnEquals` value that cannot match any ARN: not `arn:` with
/// six colon-separated parts.
fn condition_arn_problem(text: &str) -> bool {
    let well_formed = text.starts_with("arn:") && text.splitn(6, ':').count() == 6;
    !(well_formed || text.starts_with('*') || text.starts_with("arn*"))
}

/// RCPFullAWSAccess's one statement: Allow, Principal "*", Action "*",
/// Resource "*", no condition.
fn is_full_access(st: &Statement) -> bool {
    let star = |texts: Vec<&str>| texts == ["*"];
    st.conditions.is_empty()
        && st.principal.as_ref().is_some_and(|p| {
            !p.negated
                && p.entries.len() == 1
                && p.entries.iter().all(|e| {
                    e.text == "*" && matches!(e.kind, PrincipalType::Everyone | PrincipalType::Aws)
                })
        })
        && st.action.as_ref().is_some_and(|a| {
            !a.negated && star(a.patterns.iter().map(|p| p.text.as_str()).collect())
        })
        && st.resource.as_ref().is_some_and(|r| {
            !r.negated && star(r.patterns.iter().map(|p| p.text.as_str()).collect())
        })
}

/// A short rendering of a value for messages.
fn show(v: &JsonValue<'_>) -> String {
    match &v.kind() {
        JsonKind::String(s) => format!("\"{s}\""),
        JsonKind::Number(n) => n.to_string(),
        _ => v.type_name().to_string(),
    }
}
