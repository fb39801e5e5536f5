//! `diff(old, new, options)` (feature `diff`): what access changed between two versions of
//! a policy, per catalog action, with verified example requests (crates/iam-diff). Needs
//! the catalog of `loadCatalog`; the catalog is indexed once, on the first diff.

use super::catalog::catalog;
use super::Failure;
use iam_diff::{DiffKind, DiffOptions, Differ, PolicyDiff, Side};
use iam_policy::Diagnostic;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The loaded catalog's index for diffs, built on the first `diff`.
static DIFFER: OnceLock<Differ<'static>> = OnceLock::new();

/// The options of `diff`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffJsOptions {
    /// `identity` (the default) or `resource`.
    #[serde(default)]
    pub kind: Option<DiffKind>,
    /// Only this service prefix (case-insensitive).
    #[serde(default)]
    pub service: Option<String>,
    /// Search a verified example request for every change (default true).
    #[serde(default)]
    pub examples: Option<bool>,
}

/// The result of `diff`: `iam-policy diff --json`'s object with `ok`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffOutput {
    pub ok: bool,
    #[serde(flatten)]
    pub diff: PolicyDiff,
}

/// `diff`'s failure when a version cannot be compared: a [`Failure`] whose diagnostics
/// are split by version too.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffFailure {
    #[serde(flatten)]
    pub failure: Failure,
    /// The errors of the old version (positions in its text).
    pub old: Vec<Diagnostic>,
    /// The errors of the new version.
    pub new: Vec<Diagnostic>,
}

impl From<Failure> for DiffFailure {
    fn from(failure: Failure) -> Self {
        DiffFailure {
            failure,
            old: Vec::new(),
            new: Vec::new(),
        }
    }
}

/// Compares two versions of an identity- or resource-based policy across every catalog
/// action. A version AWS would refuse to store is a failure with every error and its
/// position, split into `old` and `new`.
pub fn diff(old: &str, new: &str, options: &DiffJsOptions) -> Result<DiffOutput, Box<DiffFailure>> {
    let cat = catalog().map_err(|f| Box::new(DiffFailure::from(f)))?;
    let differ = DIFFER.get_or_init(|| Differ::new(cat));
    let opts = DiffOptions {
        kind: options.kind.unwrap_or(DiffKind::Identity),
        service: options.service.clone().filter(|s| !s.trim().is_empty()),
        examples: options.examples.unwrap_or(true),
    };
    match differ.diff(old, new, &opts) {
        Ok(diff) => Ok(DiffOutput { ok: true, diff }),
        Err(e) => {
            let error = e.to_string();
            let (mut o, mut n) = (Vec::new(), Vec::new());
            for d in e.diagnostics {
                match d.side {
                    Side::Old => o.push(d.diagnostic),
                    Side::New => n.push(d.diagnostic),
                }
            }
            Err(Box::new(DiffFailure {
                failure: Failure {
                    error,
                    diagnostics: o.iter().chain(&n).cloned().collect(),
                    ..Failure::new("")
                },
                old: o,
                new: n,
            }))
        }
    }
}
