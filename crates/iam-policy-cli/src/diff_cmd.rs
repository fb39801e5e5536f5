//! `iam-policy diff OLD NEW`: what access changed between two versions of a
//! policy, per service and catalog action (iam-diff), with a verified
//! example request per change. Exit 1 when NEW grants (or may grant)
//! anything OLD did not: a CI gate.

use iam_catalog::Catalog;
use iam_diff::{ActionChange, ChangeKind, DiffKind, DiffOptions, Evidence, PolicyDiff, Side};
use iam_policy::{PolicySource, Scenario};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `--kind` of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Identity,
    Resource,
}

/// The arguments of `iam-policy diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old version: a policy file, or a scenario file holding one policy of the kind.
    pub old: PathBuf,
    /// The new version.
    pub new: PathBuf,
    /// The kind of both policies.
    #[arg(long, value_enum, default_value = "identity")]
    pub kind: Kind,
    /// Print the diff as JSON.
    #[arg(long)]
    pub json: bool,
    /// Only this service prefix, e.g. imagebuilder.
    #[arg(long, value_name = "PREFIX")]
    pub service: Option<String>,
    /// Skip the example requests (faster for changes touching thousands of actions).
    #[arg(long)]
    pub no_examples: bool,
}

/// A version's text, and where its positions point.
struct Loaded {
    file: String,
    text: String,
    /// For a policy taken from a scenario: which one.
    from_scenario: Option<String>,
}

fn load(path: &Path, kind: Kind) -> Result<Loaded, String> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{file}: cannot read: {e}"))?;
    let is_scenario = iam_policy::syntax::json::parse(&text)
        .ok()
        .and_then(|v| v.as_object().map(|m| m.iter().any(|m| m.key == "policies")))
        .unwrap_or(false);
    if !is_scenario {
        return Ok(Loaded {
            file,
            text,
            from_scenario: None,
        });
    }
    let scenario = Scenario::from_json(&text).map_err(|diags| {
        let lines: Vec<String> = diags
            .iter()
            .map(|d| {
                format!(
                    "  {file}:{}:{}: {}",
                    d.span.start.line, d.span.start.column, d.message
                )
            })
            .collect();
        format!("{file}: not a valid scenario file:\n{}", lines.join("\n"))
    })?;
    let (slot, source): (&str, Option<&PolicySource>) = match kind {
        Kind::Identity => {
            let n = scenario.policies.identity.len();
            if n > 1 {
                return Err(format!(
                    "{file}: the scenario holds {n} identity policies; save the one to compare as a policy file"
                ));
            }
            ("identity/0", scenario.policies.identity.first())
        }
        Kind::Resource => ("resource", scenario.policies.resource.as_ref()),
    };
    let source = source.ok_or_else(|| {
        format!(
            "{file}: the scenario has no {} policy (use --kind)",
            match kind {
                Kind::Identity => "identity",
                Kind::Resource => "resource",
            }
        )
    })?;
    Ok(Loaded {
        file,
        text: source.text(),
        from_scenario: Some(slot.to_string()),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonOut<'a> {
    old: &'a str,
    new: &'a str,
    #[serde(flatten)]
    diff: &'a PolicyDiff,
}

/// Runs `iam-policy diff`.
pub fn run(args: DiffArgs) -> ExitCode {
    let catalog = match Catalog::try_embedded() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: the embedded service catalog does not load: {e}");
            return ExitCode::from(2);
        }
    };
    let mut loaded = Vec::new();
    let mut failed = false;
    for p in [&args.old, &args.new] {
        match load(p, args.kind) {
            Ok(l) => loaded.push(l),
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    let (Some(old), Some(new), false) = (loaded.first(), loaded.get(1), failed) else {
        return ExitCode::from(2);
    };
    if let Some(svc) = &args.service {
        if catalog.service(svc).is_none() {
            eprintln!(
                "note: the service catalog has no service \"{svc}\"; only actions the policies name literally are compared"
            );
        }
    }
    let options = DiffOptions {
        kind: match args.kind {
            Kind::Identity => DiffKind::Identity,
            Kind::Resource => DiffKind::Resource,
        },
        service: args.service.clone(),
        examples: !args.no_examples,
    };
    let diff = match iam_diff::diff(&old.text, &new.text, &options, catalog) {
        Ok(d) => d,
        Err(e) => {
            for d in &e.diagnostics {
                let l = match d.side {
                    Side::Old => old,
                    Side::New => new,
                };
                let within = l
                    .from_scenario
                    .as_deref()
                    .map(|s| format!(" [{s}]"))
                    .unwrap_or_default();
                let hint = d
                    .diagnostic
                    .hint
                    .as_deref()
                    .map(|h| format!(" (fix: {h})"))
                    .unwrap_or_default();
                eprintln!(
                    "error: {}{within}:{}:{}: {}{hint}",
                    l.file,
                    d.diagnostic.span.start.line,
                    d.diagnostic.span.start.column,
                    d.diagnostic.message
                );
            }
            eprintln!(
                "error: {} error{}: AWS would refuse to store the polic{}, so they are not compared",
                e.diagnostics.len(),
                if e.diagnostics.len() == 1 { "" } else { "s" },
                if e.diagnostics.iter().all(|d| d.side == e.diagnostics.first().map_or(Side::Old, |f| f.side)) { "y" } else { "ies" }
            );
            return ExitCode::from(2);
        }
    };
    if args.json {
        let out = JsonOut {
            old: &old.file,
            new: &new.file,
            diff: &diff,
        };
        match serde_json::to_string_pretty(&out) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("error: cannot print the diff: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        out!("{}", render(&diff, old, new));
    }
    if diff.summary.new_access {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn statements_line(c: &ActionChange) -> String {
    let side = |v: &[iam_diff::StatementPos]| -> String {
        if v.is_empty() {
            return "none".to_string();
        }
        let parts: Vec<String> = v
            .iter()
            .map(|s| {
                let sid = s
                    .sid
                    .as_deref()
                    .map(|x| format!(" \"{x}\""))
                    .unwrap_or_default();
                let effect = match s.effect {
                    iam_policy::Effect::Allow => "Allow",
                    iam_policy::Effect::Deny => "Deny",
                };
                format!("{}{sid} {effect} at {}:{}", s.statement, s.line, s.column)
            })
            .collect();
        parts.join(", ")
    };
    format!(
        "statements: OLD {}; NEW {}",
        side(&c.old_statements),
        side(&c.new_statements)
    )
}

fn render(d: &PolicyDiff, old: &Loaded, new: &Loaded) -> String {
    let mut out = String::new();
    let label = |l: &Loaded| match &l.from_scenario {
        Some(s) => format!("{} [{s}]", l.file),
        None => l.file.clone(),
    };
    out.push_str(&format!(
        "OLD {}\nNEW {}\n{} policies, {} actions compared\n",
        label(old),
        label(new),
        d.kind.name(),
        d.summary.actions_compared
    ));
    for s in &d.services {
        let mut counts: Vec<(ChangeKind, usize)> = Vec::new();
        for c in &s.changes {
            match counts.iter_mut().find(|(k, _)| *k == c.kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((c.kind, 1)),
            }
        }
        let counts: Vec<String> = counts
            .iter()
            .map(|(k, n)| format!("{n} {}", k.label()))
            .collect();
        let name = if s.name.is_empty() {
            String::new()
        } else {
            format!(" ({})", s.name)
        };
        out.push_str(&format!("\n{}{name}: {}\n", s.prefix, counts.join(", ")));
        // consecutive actions changed the same way share their explanation
        let mut i = 0;
        while let Some(first) = s.changes.get(i) {
            let shared = |c: &ActionChange| {
                (
                    c.kind,
                    c.sentence.replace(&c.action, "\u{1}"),
                    statements_line(c),
                    c.reasons.clone(),
                )
            };
            let key = shared(first);
            let run: Vec<&ActionChange> = s
                .changes
                .iter()
                .skip(i)
                .take_while(|c| shared(c) == key)
                .collect();
            i += run.len();
            let sentence = if run.len() == 1 {
                first.sentence.clone()
            } else {
                first.sentence.replace(&first.action, "these actions")
            };
            out.push_str(&format!("  {sentence}\n  {}\n", key.2));
            for r in &first.reasons {
                out.push_str(&format!("  ? {r}\n"));
            }
            for c in run {
                let note = if c.in_catalog {
                    ""
                } else {
                    " (not in the service catalog)"
                };
                out.push_str(&format!(
                    "    {} {}  {}{note}\n",
                    c.kind.mark(),
                    c.action,
                    c.kind.label()
                ));
                for e in &c.examples {
                    let fits = if e.resource_type.is_none() && e.request.resource != "*" {
                        " (the resource fits no ARN format of the action)"
                    } else {
                        ""
                    };
                    out.push_str(&format!("        example: {}{fits}\n", e.summary));
                }
            }
        }
    }
    let s = &d.summary;
    let changed = s.resources_changed + s.conditions_changed + s.principals_changed;
    let gate = if !s.new_access {
        "NEW grants nothing OLD did not.".to_string()
    } else if s.new_access_shown > 0 {
        format!(
            "NEW grants access OLD did not ({} shown by an example).",
            plural(s.new_access_shown, "change")
        )
    } else {
        "NEW may grant access OLD did not (not ruled out).".to_string()
    };
    let unknown = d
        .services
        .iter()
        .flat_map(|s| s.changes.iter())
        .filter(|c| c.new_access == Evidence::Unknown)
        .count();
    let unknown = if unknown > 0 {
        format!(
            " {} where new access is neither shown nor ruled out.",
            plural(unknown, "change")
        )
    } else {
        String::new()
    };
    out.push_str(&format!(
        "\n{} granted, {} revoked, {changed} changed, {} may differ: {gate}{unknown}\n",
        s.granted, s.revoked, s.may_differ
    ));
    out
}
