//! `iam-policy lint`, `expand` and `summary`: the validation and least
//! privilege views of iam-lint on the command line.

use iam_catalog::{AccessLevel, Catalog, Coverage};
use iam_lint::{Category, ExpandedAction, LintOptions, LintReport, ServiceSummary};
use iam_policy::{parse_policy_as, Diagnostic, PolicyKind, Scenario};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `--kind`: which kind of policy a plain policy file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Identity,
    Resource,
    Boundary,
    Session,
    Scp,
    Rcp,
    VpcEndpoint,
}

impl Kind {
    fn policy_kind(self) -> PolicyKind {
        match self {
            Kind::Identity => PolicyKind::Identity,
            Kind::Resource => PolicyKind::Resource,
            Kind::Boundary => PolicyKind::PermissionsBoundary,
            Kind::Session => PolicyKind::Session,
            Kind::Scp => PolicyKind::Scp,
            Kind::Rcp => PolicyKind::Rcp,
            Kind::VpcEndpoint => PolicyKind::VpcEndpoint,
        }
    }
}

fn catalog() -> Result<&'static Catalog, ExitCode> {
    Catalog::try_embedded().map_err(|e| {
        eprintln!("error: the embedded service catalog does not load: {e}");
        ExitCode::from(2)
    })
}

/// One policy to look at: a plain policy file, or one policy of a scenario.
struct Item {
    file: String,
    /// `identity/0`, `resource`, … for a policy of a scenario.
    policy: Option<String>,
    kind: PolicyKind,
    text: String,
    parsed: iam_policy::ParsedPolicy,
}

/// Reads a file as a scenario (a JSON object with "policies") or as one policy.
fn load(path: &Path, kind: Kind) -> Result<Vec<Item>, String> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{file}: cannot read: {e}"))?;
    let is_scenario = iam_policy::syntax::json::parse(&text)
        .ok()
        .and_then(|v| v.as_object().map(|m| m.iter().any(|m| m.key == "policies")))
        .unwrap_or(false);
    if !is_scenario {
        let kind = kind.policy_kind();
        let parsed = parse_policy_as(&text, kind);
        return Ok(vec![Item {
            file,
            policy: None,
            kind,
            text,
            parsed,
        }]);
    }
    let scenario = Scenario::from_json(&text)
        .and_then(crate::resolve_managed)
        .map_err(|diags| {
            let lines: Vec<String> = diags.iter().map(|d| diagnostic_line(&file, d)).collect();
            format!("{file}: not a valid scenario file:\n{}", lines.join("\n"))
        })?;
    Ok(scenario
        .compile()
        .values()
        .map(|p| Item {
            file: file.clone(),
            policy: Some(p.id.to_string()),
            kind: p.id.kind(),
            text: p.text.clone(),
            parsed: p.parsed.clone(),
        })
        .collect())
}

fn diagnostic_line(file: &str, d: &Diagnostic) -> String {
    format!(
        "  {file}:{}:{}: {}",
        d.span.start.line, d.span.start.column, d.message
    )
}

fn location(item: &Item, line: u32, column: u32) -> String {
    match &item.policy {
        Some(id) => format!("{} [{id}] {line}:{column}", item.file),
        None => format!("{}:{line}:{column}", item.file),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LintOutput<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
    kind: PolicyKind,
    #[serde(flatten)]
    report: &'a LintReport,
}

fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("{n} {word}"),
        (_, "policy") => format!("{n} policies"),
        _ => format!("{n} {word}s"),
    }
}

/// `iam-policy lint FILE…`: exit 1 when any finding is an error, 2 when a
/// file cannot be read.
pub fn lint(files: &[PathBuf], json: bool, kind: Kind) -> ExitCode {
    let cat = match catalog() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut items = Vec::new();
    let mut unreadable = false;
    for f in files {
        match load(f, kind) {
            Ok(v) => items.extend(v),
            Err(e) => {
                eprintln!("error: {e}");
                unreadable = true;
            }
        }
    }
    let reports: Vec<LintReport> = items
        .iter()
        .map(|it| {
            iam_lint::lint_parsed(&it.text, &it.parsed, it.kind, cat, &LintOptions::default())
        })
        .collect();
    if json {
        let out: Vec<LintOutput<'_>> = items
            .iter()
            .zip(&reports)
            .map(|(it, r)| LintOutput {
                file: &it.file,
                policy: it.policy.as_deref(),
                kind: it.kind,
                report: r,
            })
            .collect();
        match serde_json::to_string_pretty(&out) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("error: cannot print the findings: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        for (it, r) in items.iter().zip(&reports) {
            for f in &r.findings {
                let fix = f
                    .hint
                    .as_deref()
                    .map(|h| format!(" (fix: {h})"))
                    .unwrap_or_default();
                outln!(
                    "{}: {}: {}{fix} [{}]",
                    location(it, f.span.start.line, f.span.start.column),
                    f.category,
                    f.message,
                    f.code
                );
            }
        }
        let count = |c: Category| reports.iter().map(|r| r.count(c)).sum::<usize>();
        outln!(
            "{} in {}: {}, {}, {}, {}",
            plural(items.len(), "policy"),
            plural(files.len(), "file"),
            plural(count(Category::Error), "error"),
            plural(count(Category::SecurityWarning), "security warning"),
            plural(count(Category::Warning), "warning"),
            plural(count(Category::Suggestion), "suggestion"),
        );
    }
    if unreadable {
        ExitCode::from(2)
    } else if reports.iter().any(LintReport::has_errors) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `iam-policy expand PATTERN`: exit 1 when nothing matches.
pub fn expand(pattern: &str, json: bool) -> ExitCode {
    let cat = match catalog() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let actions: Vec<ExpandedAction> = iam_lint::expand(pattern, cat)
        .into_iter()
        .map(ExpandedAction::from)
        .collect();
    if json {
        match serde_json::to_string_pretty(&actions) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        let width = actions.iter().map(|a| a.action.len()).max().unwrap_or(0);
        let levels: Vec<String> = actions
            .iter()
            .map(|a| a.access_levels.to_string())
            .collect();
        let lwidth = levels.iter().map(String::len).max().unwrap_or(0);
        for (a, l) in actions.iter().zip(&levels) {
            let rts = if a.resource_types.is_empty() {
                "Resource: *".to_string()
            } else {
                a.resource_types.join(", ")
            };
            outln!("{:<width$}  {l:<lwidth$}  {rts}", a.action);
        }
        let verb = if actions.len() == 1 {
            "matches"
        } else {
            "match"
        };
        outln!("{} {verb} {pattern}", plural(actions.len(), "action"));
    }
    if actions.is_empty() {
        if !pattern.contains(':') && pattern != "*" {
            eprintln!("hint: an action pattern is service:Name, for example 's3:Get*'");
        }
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SummaryOutput<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
    services: Vec<ServiceSummary>,
}

fn cell(s: &ServiceSummary, level: AccessLevel) -> String {
    match s.level(level) {
        None => "-".to_string(),
        Some(l) => {
            let cov = match l.coverage {
                Coverage::Full => "Full",
                Coverage::Partial => "Partial",
            };
            let mut marks = String::new();
            if l.conditional {
                marks.push('c');
            }
            if l.resource_scoped {
                marks.push('r');
            }
            if marks.is_empty() {
                format!("{cov} {}/{}", l.granted, l.total)
            } else {
                format!("{cov} {}/{} ({marks})", l.granted, l.total)
            }
        }
    }
}

/// Renders the per-service table of one policy.
pub fn summary_table(services: &[ServiceSummary]) -> String {
    let headers = [
        "Service",
        "Actions",
        "List",
        "Read",
        "Write",
        "Permissions",
        "Tagging",
    ];
    let mut rows: Vec<Vec<String>> = vec![headers.iter().map(|h| h.to_string()).collect()];
    for s in services {
        let mut row = vec![
            s.prefix.clone(),
            format!("{}/{}", s.granted_actions, s.total_actions),
        ];
        row.extend(AccessLevel::ALL.iter().map(|l| cell(s, *l)));
        rows.push(row);
    }
    let mut widths = vec![0usize; headers.len()];
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// `iam-policy summary FILE`: per service, the access levels the policy
/// grants, fully or in part.
pub fn summary(file: &Path, json: bool, kind: Kind) -> ExitCode {
    let cat = match catalog() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let items = match load(file, kind) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut invalid = false;
    let mut outputs = Vec::new();
    for it in &items {
        let Some(policy) = &it.parsed.policy else {
            for d in it.parsed.errors() {
                let loc = location(it, d.span.start.line, d.span.start.column);
                eprintln!("error: {loc}: {}", d.message);
            }
            invalid = true;
            continue;
        };
        outputs.push(SummaryOutput {
            file: &it.file,
            policy: it.policy.as_deref(),
            services: iam_lint::summary(policy, cat),
        });
    }
    if json {
        match serde_json::to_string_pretty(&outputs) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        for (i, o) in outputs.iter().enumerate() {
            if i > 0 {
                outln!();
            }
            match o.policy {
                Some(id) => outln!("{} [{id}]", o.file),
                None => outln!("{}", o.file),
            }
            if o.services.is_empty() {
                outln!("grants nothing");
            } else {
                out!("{}", summary_table(&o.services));
            }
        }
        if outputs.iter().any(|o| {
            o.services
                .iter()
                .any(|s| s.conditional || s.resource_scoped)
        }) {
            outln!("(c) only under the policy's conditions (or unless a conditional Deny applies); (r) only on specific resources");
        }
    }
    if invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
