//! The policy model: every element keeps its span. Types only; the parser
//! that builds them is `crate::parse::policy`.

use crate::ast::operator::Operator;
use crate::pattern::{ArnPattern, Glob, Template};
use crate::span::{Position, Span, Spanned};
use crate::syntax::text::Text;
use crate::values::Number;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PolicyVersion {
    #[serde(rename = "2012-10-17")]
    V2012,
    #[serde(rename = "2008-10-17")]
    V2008,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// A parsed policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub version: Option<Spanned<PolicyVersion>>,
    pub id: Option<Spanned<String>>,
    pub statements: Vec<Statement>,
    pub span: Span,
}

impl Policy {
    /// Policy variables are only substituted under version 2012-10-17.
    pub fn variables_enabled(&self) -> bool {
        matches!(
            self.version,
            Some(Spanned {
                value: PolicyVersion::V2012,
                ..
            })
        )
    }
}

#[derive(Debug, Clone)]
pub struct Statement {
    /// Index within the policy's statements.
    pub index: usize,
    pub sid: Option<Spanned<Text>>,
    /// `None` when missing or invalid (an error was reported).
    pub effect: Option<Spanned<Effect>>,
    pub principal: Option<PrincipalElement>,
    pub action: Option<ActionElement>,
    pub resource: Option<ResourceElement>,
    pub conditions: Vec<Condition>,
    /// The whole statement object.
    pub span: Span,
    /// Where the statement's first element starts (its `"Sid"` when that
    /// comes first): the position reported for the statement.
    pub anchor: Position,
}

#[derive(Debug, Clone)]
pub struct ActionElement {
    /// `NotAction`.
    pub negated: bool,
    pub key_span: Span,
    pub patterns: Vec<ActionPattern>,
}

#[derive(Debug, Clone)]
pub struct ActionPattern {
    pub text: Text,
    pub span: Span,
    /// AWS stores the entry but it names no action (empty or malformed
    /// name): it matches no request, and so excludes nothing in NotAction.
    pub inert: bool,
    /// Matches ignoring ASCII case: action names are ASCII and
    /// case-insensitive.
    pub(crate) glob: Glob,
}

#[derive(Debug, Clone)]
pub struct ResourceElement {
    /// `NotResource`.
    pub negated: bool,
    pub key_span: Span,
    pub patterns: Vec<ResourcePattern>,
}

#[derive(Debug, Clone)]
pub struct ResourcePattern {
    pub text: Text,
    pub span: Span,
    pub(crate) matcher: ResourceMatcher,
    /// `${…}` is a policy variable here (policy version 2012-10-17).
    pub(crate) variables: bool,
}

impl ResourcePattern {
    /// The entry as a template read as text, not as an ARN (see
    /// [`Template::parse_resource`]), for what-if suggestions.
    pub(crate) fn template(&self) -> Template {
        Template::parse_resource(&self.text, self.variables)
    }
}

/// How a Resource entry is matched.
#[derive(Debug, Clone)]
pub(crate) enum ResourceMatcher {
    /// No variable: compiled once, in the `Resource` reading. `shown`: the
    /// pattern as a trace shows it, when that is not the written text
    /// (`${*}` read as `*`, `**` as `*`).
    Fixed {
        pattern: ArnPattern,
        shown: Option<Text>,
    },
    /// Variables, substituted per request.
    Vars(ResourceVars),
}

/// A Resource entry that holds variables.
#[derive(Debug, Clone)]
pub(crate) struct ResourceVars {
    pub template: Template,
    /// The literal text every matching resource starts with (up to the
    /// first wildcard or variable): most requests are told apart by it
    /// without substituting anything.
    pub prefix: String,
    /// The part before the fifth colon is already in the `Resource`
    /// reading (see [`crate::pattern::arn::resource_reading`]): the
    /// substituted tokens need no rewriting.
    pub read: bool,
}

#[derive(Debug, Clone)]
pub struct PrincipalElement {
    /// `NotPrincipal`.
    pub negated: bool,
    pub key_span: Span,
    pub entries: Vec<PrincipalEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PrincipalType {
    /// `"Principal": "*"`.
    #[serde(rename = "*")]
    Everyone,
    #[serde(rename = "AWS")]
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

#[derive(Debug, Clone)]
pub struct PrincipalEntry {
    pub kind: PrincipalType,
    pub text: Text,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Condition {
    pub operator: Operator,
    /// The operator as written.
    pub operator_text: Text,
    pub operator_span: Span,
    /// The key as written.
    pub key: Text,
    pub key_span: Span,
    pub values: Vec<ConditionValue>,
    /// The key lower-cased (context keys are case-insensitive), for lookups
    /// without folding it per request.
    pub(crate) key_lower: Text,
}

#[derive(Debug, Clone)]
pub struct ConditionValue {
    /// The value as text (`true`, `3` and `"3"` all become text).
    pub text: Text,
    pub span: Span,
    pub(crate) template: Template,
    /// The value parsed for its operator, once, at compile time.
    pub(crate) typed: Typed,
    /// As a trace shows it once compiled (`${*}` as `*`), when it holds no
    /// variable.
    pub(crate) shown: Option<Text>,
}

/// A condition value parsed for its operator's family.
#[derive(Debug, Clone)]
pub(crate) enum Typed {
    /// Strings, and ARN patterns holding variables.
    Text,
    /// Not a value of the operator's type (a warning was reported): it
    /// satisfies neither the operator nor its negation.
    Invalid,
    Number(Number),
    Date(i128),
    Bool(bool),
    Cidr(ipnet::IpNet),
    Bytes(Vec<u8>),
    /// A fixed ARN pattern.
    Arn(Box<ArnPattern>),
}
