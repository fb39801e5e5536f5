//! The one scenario reader: JSON text → [`Scenario`], every problem with its
//! position. Field names are a contract; unknown fields are errors.

use crate::ast::scenario::{
    ManagedRef, PolicySource, RequestSpec, ResolvedManaged, Scenario, ScenarioPolicies,
    FORMAT_VERSION,
};
use crate::ast::Decision;
use crate::parse::diagnostic::{did_you_mean, Diagnostic, DiagnosticCode as C};
use crate::request::principal::{is_account_id, Principal};
use crate::syntax::json::{self, JsonKind, JsonMember, JsonValue};
use serde::{Deserialize, Deserializer};
use std::collections::HashSet;

impl Scenario {
    /// Reads a scenario file, reporting every problem with its position.
    pub fn from_json(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
        if text.len() > crate::limits::MAX_SCENARIO_TEXT {
            return Err(vec![Diagnostic::error(
                C::InvalidJson,
                crate::span::Span::default(),
                crate::limits::too_large(
                    "the scenario",
                    text.len(),
                    crate::limits::MAX_SCENARIO_TEXT,
                    "MAX_SCENARIO_TEXT",
                ),
                "split it into several scenario files",
            )]);
        }
        let root = json::parse(text)
            .map_err(|e| vec![Diagnostic::error(C::InvalidJson, e.span, e.message, e.hint)])?;
        let mut r = Reader { diags: Vec::new() };
        let s = r.scenario(&root);
        if r.diags.iter().any(Diagnostic::is_error) {
            Err(r.diags)
        } else {
            s.ok_or(r.diags)
        }
    }
}

/// Looks AWS managed policies up by name or ARN. The engine bundles none:
/// the `iam-managed` crate implements this for the command line, the npm
/// package and the playground.
pub trait ManagedPolicies {
    fn resolve(&self, name_or_arn: &str) -> Result<ResolvedManaged, UnknownManaged>;
}

/// Why a managed policy reference could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownManaged {
    pub message: String,
    /// How to fix it ("did you mean …").
    pub hint: String,
}

impl Scenario {
    /// Resolves every AWS managed policy reference (`{"managed": …}`); an
    /// unknown one is an error at its position, with "did you mean".
    pub fn resolve_managed(&mut self, source: &dyn ManagedPolicies) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        let ids: Vec<_> = self.policies.iter().map(|(id, _)| id).collect();
        for id in ids {
            if let Some(PolicySource::Managed(m)) = self.policies.get_mut(id) {
                match source.resolve(&m.managed) {
                    Ok(r) => m.resolved = Some(r),
                    Err(e) => diags.push(
                        Diagnostic::error(
                            C::UnknownManagedPolicy,
                            m.span.unwrap_or_default(),
                            format!("{id}: {}", e.message),
                            e.hint,
                        )
                        .aws(format!(
                            "NoSuchEntity: Policy {} does not exist or is not attachable.",
                            managed_arn(&m.managed)
                        )),
                    ),
                }
            }
        }
        diags
    }
}

/// The ARN an attach call would name for a reference.
fn managed_arn(name_or_arn: &str) -> String {
    if name_or_arn.starts_with("arn:") {
        name_or_arn.to_string()
    } else {
        format!("arn:aws:iam::aws:policy/{name_or_arn}")
    }
}

impl RequestSpec {
    /// Reads one request object (as in a scenario's `requests`).
    pub fn from_json(text: &str) -> Result<RequestSpec, Vec<Diagnostic>> {
        let root = json::parse(text)
            .map_err(|e| vec![Diagnostic::error(C::InvalidJson, e.span, e.message, e.hint)])?;
        let mut r = Reader { diags: Vec::new() };
        let spec = r.request(&root, 0);
        if r.diags.iter().any(Diagnostic::is_error) {
            Err(r.diags)
        } else {
            spec.ok_or(r.diags)
        }
    }
}

/// Reading a scenario through serde (e.g. inside a larger document) goes
/// through the same reader, so both report the same problems.
impl<'de> Deserialize<'de> for Scenario {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Scenario::from_json(&value.to_string())
            .map_err(|diags| serde::de::Error::custom(first_problem("scenario", &diags)))
    }
}

impl<'de> Deserialize<'de> for RequestSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        RequestSpec::from_json(&value.to_string())
            .map_err(|diags| serde::de::Error::custom(first_problem("request", &diags)))
    }
}

impl<'de> Deserialize<'de> for PolicySource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let text = value.to_string();
        let root = json::parse(&text).map_err(|e| serde::de::Error::custom(e.message))?;
        let mut r = Reader { diags: Vec::new() };
        let source = r.policy_source(&root, "policy");
        source.ok_or_else(|| serde::de::Error::custom(first_problem("policy", &r.diags)))
    }
}

impl<'de> Deserialize<'de> for ScenarioPolicies {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let text = value.to_string();
        let root = json::parse(&text).map_err(|e| serde::de::Error::custom(e.message))?;
        let mut r = Reader { diags: Vec::new() };
        let policies = r.policies(&root);
        if r.diags.iter().any(Diagnostic::is_error) {
            Err(serde::de::Error::custom(first_problem(
                "policies", &r.diags,
            )))
        } else {
            Ok(policies)
        }
    }
}

fn first_problem(what: &str, diags: &[Diagnostic]) -> String {
    match diags.iter().find(|d| d.is_error()) {
        Some(d) => format!("{what}: {}", d.message),
        None => format!("{what} cannot be read"),
    }
}

struct Reader {
    diags: Vec<Diagnostic>,
}

const SCENARIO_FIELDS: [&str; 5] = ["format", "name", "description", "policies", "requests"];
const POLICY_FIELDS: [&str; 7] = [
    "identity",
    "resource",
    "permissionsBoundary",
    "session",
    "scps",
    "rcps",
    "vpcEndpoint",
];
const REQUEST_FIELDS: [&str; 7] = [
    "name",
    "principal",
    "action",
    "resource",
    "resourceAccount",
    "context",
    "expect",
];

impl Reader {
    fn err(
        &mut self,
        span: crate::span::Span,
        code: C,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::error(code, span, message, hint));
    }

    /// Checks an object's keys against the known ones; reports unknown and duplicate keys.
    fn fields<'a>(
        &mut self,
        v: &'a JsonValue,
        known: &[&str],
        what: &str,
    ) -> Option<Vec<&'a JsonMember>> {
        let Some(members) = v.as_object() else {
            self.err(
                v.span,
                C::WrongType,
                format!("{what} must be an object, found {}", v.type_name()),
                format!("write {what} as {{ … }}"),
            );
            return None;
        };
        let mut out: Vec<&JsonMember> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for m in members {
            if !seen.insert(m.key.as_str()) {
                self.err(
                    m.key_span,
                    C::DuplicateKey,
                    format!("duplicate field \"{}\" in {what}", m.key),
                    "keep only one",
                );
                continue;
            }
            if !known.contains(&m.key.as_str()) {
                let hint = match did_you_mean(&m.key, known.iter().copied()) {
                    Some(s) => format!("did you mean \"{s}\"? Field names are camelCase"),
                    None => format!("{what} may hold only {}", known.join(", ")),
                };
                self.err(
                    m.key_span,
                    C::UnknownElement,
                    format!("unknown field \"{}\" in {what}", m.key),
                    hint,
                );
                continue;
            }
            out.push(m);
        }
        Some(out)
    }

    fn string(&mut self, m: &JsonMember) -> Option<String> {
        match m.value.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(
                    m.value.span,
                    C::WrongType,
                    format!(
                        "\"{}\" must be a string, found {}",
                        m.key,
                        m.value.type_name()
                    ),
                    "write the value in double quotes",
                );
                None
            }
        }
    }

    fn scenario(&mut self, root: &JsonValue) -> Option<Scenario> {
        let fields = self.fields(root, &SCENARIO_FIELDS, "a scenario")?;
        let mut s = Scenario::default();
        let mut saw_policies = false;
        for m in fields {
            match m.key.as_str() {
                "format" => match &m.value.kind {
                    JsonKind::Number(n) => match n.parse::<u64>() {
                        Ok(v) if (1..=FORMAT_VERSION).contains(&v) => s.format = Some(v),
                        _ => self.err(
                            m.value.span,
                            C::InvalidValue,
                            format!("format {n} is not supported: this version reads format {FORMAT_VERSION}"),
                            format!("write \"format\": {FORMAT_VERSION}, or update the playground"),
                        ),
                    },
                    _ => self.err(
                        m.value.span,
                        C::WrongType,
                        format!("format must be a number, found {}", m.value.type_name()),
                        format!("write \"format\": {FORMAT_VERSION}"),
                    ),
                },
                "name" => s.name = self.string(m),
                "description" => s.description = self.string(m),
                "policies" => {
                    saw_policies = true;
                    s.policies = self.policies(&m.value);
                }
                "requests" => match &m.value.kind {
                    JsonKind::Array(items) => {
                        s.requests = items.iter().enumerate().filter_map(|(i, it)| self.request(it, i)).collect();
                    }
                    _ => self.err(
                        m.value.span,
                        C::WrongType,
                        format!("requests must be an array, found {}", m.value.type_name()),
                        "write \"requests\": [ { \"principal\": …, \"action\": …, \"resource\": … } ]",
                    ),
                },
                _ => {}
            }
        }
        if !saw_policies {
            self.err(
                crate::span::Span::point(root.span.start),
                C::MissingElement,
                "the scenario has no \"policies\"",
                "add \"policies\": { \"identity\": [ … ] }",
            );
        }
        Some(s)
    }

    fn policy_source(&mut self, v: &JsonValue, what: &str) -> Option<PolicySource> {
        match &v.kind {
            JsonKind::String(s) => Some(PolicySource::Text(s.clone())),
            JsonKind::Object(members) if members.first().is_some_and(|m| m.key == "managed") => {
                self.managed_ref(v, members, what)
            }
            JsonKind::Object(_) => Some(PolicySource::Object(v.to_serde())),
            _ => {
                self.err(
                    v.span,
                    C::WrongType,
                    format!("{what} must be a policy object or a string holding the policy text, found {}", v.type_name()),
                    "write the policy document itself, its text as a JSON string, or {\"managed\": \"AWSImageBuilderFullAccess\"} for an AWS managed policy",
                );
                None
            }
        }
    }

    /// `{"managed": "NAME or ARN"}`: a reference to an AWS managed policy.
    fn managed_ref(
        &mut self,
        v: &JsonValue,
        members: &[JsonMember],
        what: &str,
    ) -> Option<PolicySource> {
        for extra in members.iter().skip(1) {
            self.err(
                extra.key_span,
                C::UnknownElement,
                format!(
                    "unknown field \"{}\" in a managed policy reference",
                    extra.key
                ),
                "a managed policy reference holds only \"managed\": the policy's name or ARN",
            );
        }
        let m = members.first()?;
        match m.value.as_str() {
            Some(name) if !name.trim().is_empty() => Some(PolicySource::Managed(ManagedRef {
                managed: name.to_string(),
                span: Some(m.value.span),
                resolved: None,
            })),
            _ => {
                self.err(
                    v.span,
                    C::WrongType,
                    format!("{what}: \"managed\" must name an AWS managed policy"),
                    "write {\"managed\": \"AWSImageBuilderFullAccess\"} or {\"managed\": \"arn:aws:iam::aws:policy/AWSImageBuilderFullAccess\"}",
                );
                None
            }
        }
    }

    fn policy_list(&mut self, v: &JsonValue, what: &str) -> Vec<PolicySource> {
        match &v.kind {
            JsonKind::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, it)| self.policy_source(it, &format!("{what}[{i}]")))
                .collect(),
            _ => {
                self.err(
                    v.span,
                    C::WrongType,
                    format!(
                        "{what} must be an array of policies, found {}",
                        v.type_name()
                    ),
                    format!("write \"{what}\": [ {{ … }} ]"),
                );
                Vec::new()
            }
        }
    }

    fn levels(&mut self, v: &JsonValue, what: &str) -> Vec<Vec<PolicySource>> {
        match &v.kind {
            JsonKind::Array(levels) => levels
                .iter()
                .enumerate()
                .map(|(l, lv)| {
                    if matches!(lv.kind, JsonKind::Object(_) | JsonKind::String(_)) {
                        self.err(
                            lv.span,
                            C::WrongType,
                            format!("{what}[{l}] must be an array: one array of policies per organization level"),
                            format!("write \"{what}\": [ [ {{ …root policy… }} ], [ {{ …OU policy… }} ] ]"),
                        );
                        Vec::new()
                    } else {
                        self.policy_list(lv, &format!("{what}[{l}]"))
                    }
                })
                .collect(),
            _ => {
                self.err(
                    v.span,
                    C::WrongType,
                    format!("{what} must be an array of levels, found {}", v.type_name()),
                    format!("write \"{what}\": [ [ {{ … }} ] ]"),
                );
                Vec::new()
            }
        }
    }

    fn optional_policy(&mut self, v: &JsonValue, what: &str) -> Option<PolicySource> {
        if v.kind == JsonKind::Null {
            None
        } else {
            self.policy_source(v, what)
        }
    }

    fn policies(&mut self, v: &JsonValue) -> ScenarioPolicies {
        let mut p = ScenarioPolicies::default();
        let Some(fields) = self.fields(v, &POLICY_FIELDS, "\"policies\"") else {
            return p;
        };
        for m in fields {
            match m.key.as_str() {
                "identity" => p.identity = self.policy_list(&m.value, "identity"),
                "resource" => p.resource = self.optional_policy(&m.value, "resource"),
                "permissionsBoundary" => {
                    p.permissions_boundary = self.optional_policy(&m.value, "permissionsBoundary")
                }
                "session" => p.session = self.optional_policy(&m.value, "session"),
                "scps" => p.scps = self.levels(&m.value, "scps"),
                "rcps" => p.rcps = self.levels(&m.value, "rcps"),
                "vpcEndpoint" => p.vpc_endpoint = self.policy_list(&m.value, "vpcEndpoint"),
                _ => {}
            }
        }
        p
    }

    fn request(&mut self, v: &JsonValue, index: usize) -> Option<RequestSpec> {
        let what = format!("request {index}");
        let fields = self.fields(v, &REQUEST_FIELDS, &what)?;
        let mut r = RequestSpec::default();
        let (mut has_p, mut has_a, mut has_r) = (false, false, false);
        for m in fields {
            match m.key.as_str() {
                "name" => r.name = self.string(m),
                "principal" => {
                    has_p = true;
                    if let Some(s) = self.string(m) {
                        if let Err(e) = Principal::parse(&s) {
                            self.err(m.value.span, C::InvalidPrincipal, e.message, e.hint);
                        }
                        r.principal = s;
                    }
                }
                "action" => {
                    has_a = true;
                    if let Some(s) = self.string(m) {
                        if !s.contains(':') {
                            self.err(
                                m.value.span,
                                C::MalformedAction,
                                format!("action \"{s}\" is not service:ActionName"),
                                "write the action as service:ActionName, for example imagebuilder:GetComponent",
                            );
                        }
                        r.action = s;
                    }
                }
                "resource" => {
                    has_r = true;
                    if let Some(s) = self.string(m) {
                        r.resource = s;
                    }
                }
                "resourceAccount" => {
                    if let Some(s) = self.string(m) {
                        if !is_account_id(&s) {
                            self.err(
                                m.value.span,
                                C::InvalidValue,
                                format!("resourceAccount \"{s}\" is not a 12-digit account ID"),
                                "write the account ID, for example \"111122223333\"",
                            );
                        }
                        r.resource_account = Some(s);
                    }
                }
                "context" => self.context(&m.value, &mut r),
                "expect" => match m.value.as_str().and_then(Decision::parse) {
                    Some(d) => r.expect = Some(d),
                    None => self.err(
                        m.value.span,
                        C::InvalidValue,
                        "expect must be \"allowed\", \"explicitDeny\" or \"implicitDeny\""
                            .to_string(),
                        "use one of the decision names of AWS's policy simulator",
                    ),
                },
                _ => {}
            }
        }
        for (has, field, example) in [
            (
                has_p,
                "principal",
                "\"arn:aws:iam::111122223333:user/alice\"",
            ),
            (has_a, "action", "\"imagebuilder:GetComponent\""),
            (has_r, "resource", "an ARN or \"*\""),
        ] {
            if !has {
                self.err(
                    crate::span::Span::point(v.span.start),
                    C::MissingElement,
                    format!("{what} has no \"{field}\""),
                    format!("add \"{field}\": {example}"),
                );
            }
        }
        Some(r)
    }

    fn context(&mut self, v: &JsonValue, r: &mut RequestSpec) {
        let Some(members) = v.as_object() else {
            self.err(
                v.span,
                C::WrongType,
                format!(
                    "context must be an object of keys and values, found {}",
                    v.type_name()
                ),
                "write \"context\": { \"aws:SourceIp\": \"203.0.113.5\" }",
            );
            return;
        };
        // lower-cased keys seen so far: key names are case-insensitive
        let mut seen: HashSet<String> = HashSet::with_capacity(members.len());
        for m in members {
            if !seen.insert(m.key.to_lowercase()) {
                self.err(
                    m.key_span,
                    C::DuplicateKey,
                    format!(
                        "context key \"{}\" is given twice (key names are case-insensitive)",
                        m.key
                    ),
                    "keep one; give several values as an array",
                );
                continue;
            }
            let ok = match &m.value.kind {
                JsonKind::Array(items) => items.iter().all(|i| {
                    matches!(
                        i.kind,
                        JsonKind::String(_) | JsonKind::Number(_) | JsonKind::Bool(_)
                    )
                }),
                JsonKind::Object(_) => false,
                _ => true,
            };
            if !ok {
                self.err(
                    m.value.span,
                    C::WrongType,
                    format!("context key \"{}\": values must be strings, numbers, booleans or an array of them", m.key),
                    "write \"key\": \"value\" or \"key\": [\"a\", \"b\"] for a multivalued key",
                );
                continue;
            }
            r.context.insert(m.key.clone(), m.value.to_serde());
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// Policy objects and context values reach serde_json through `JsonValue::to_serde`, whose
    /// numbers are read by `Number`'s `FromStr`: the same numbers as serde_json's deserializer
    /// (`from_str::<Number>`), at the edges of `u64`, `i64` and `f64` included (out of range:
    /// kept as text; `-0`: a float), and the same values as `from_str::<Value>` elsewhere.
    #[test]
    fn to_serde_reads_numbers_as_serde_json_does() {
        let reference = |n: &str| {
            serde_json::from_str::<serde_json::Number>(n).map_or_else(
                |_| serde_json::Value::String(n.to_string()),
                serde_json::Value::Number,
            )
        };
        let numbers = [
            "0",
            "-0",
            "0.0",
            "-0.0",
            "1",
            "-1",
            "42",
            "1.5",
            "-2.25",
            "0.1",
            "0.3",
            "1e2",
            "1E+2",
            "1e-2",
            "2.5E-3",
            "123456789012345678",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "9007199254740993",
            "1.7976931348623157e308",
            "1.7976931348623159e308",
            "1e308",
            "1e309",
            "1e400",
            "-1e400",
            "4.9e-324",
            "2e-324",
            "1e-400",
            "123456789012345678901234567890",
            "0.000000000000000000000000000001",
            "3.14159265358979323846264338327950288",
            "1.00000000000000011102230246251565",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "7.2057594037927933e16",
        ];
        let in_range: Vec<&str> = numbers
            .iter()
            .copied()
            .filter(|n| serde_json::from_str::<serde_json::Number>(n).is_ok())
            .collect();
        let list = in_range.join(", ");
        let text = format!(
            r#"{{"n": [{list}], "o": {{"a": 1, "b": [true, false, null, "x\u00e9"], "a": {{"c": []}}}}, "s": "é", "e": {{}}}}"#
        );
        let v = json::parse(&text).unwrap();
        assert_eq!(
            v.to_serde(),
            serde_json::from_str::<serde_json::Value>(&text).unwrap()
        );
        assert!(
            in_range.len() < numbers.len(),
            "some numbers are out of range"
        );
        for n in numbers {
            let (ours, theirs) = (json::parse(n).unwrap().to_serde(), reference(n));
            assert_eq!(ours, theirs, "{n}");
            // The same variant and bits, not only an equal value (`-0.0 == 0.0`).
            assert_eq!(ours.to_string(), theirs.to_string(), "{n}");
        }
    }
}
