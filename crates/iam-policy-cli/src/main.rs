//! `iam-policy`: check scenario files and simulate requests against policies.

/// `println!` that stops quietly when standard output is closed (as in
/// `iam-policy check tests | head`) instead of panicking on a broken pipe.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

/// `print!` that stops quietly when standard output is closed.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if write!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

mod diff_cmd;
mod lint_cmd;
mod managed_cmd;

use clap::{Parser, Subcommand};
use iam_policy::context_from_json;
use iam_policy::explain;
use iam_policy::{
    Authorization, CheckResult, Decision, Diagnostic, Principal, Request, RequestSpec, Scenario,
    Severity,
};
use iam_policy::{CompiledPolicy, LayerMap, PolicyId, PolicySet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "iam-policy",
    version,
    about = "Simulate AWS IAM policy decisions and explain them"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run: the size of the biggest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Evaluate the requests of scenario files (or folders of them) and compare with their expectations.
    Check {
        /// Scenario files, or folders searched recursively for *.json (skipping
        /// *.policy.json fixtures, package manifests and node_modules).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON array of result objects.
        #[arg(long)]
        json: bool,
        /// After each request, explain its decision as `simulate` does
        /// (every layer, statement and condition).
        #[arg(long, conflicts_with = "json")]
        explain: bool,
    },
    /// Decide one request against policy files and explain the decision.
    Simulate {
        /// An identity-based policy file (repeat for several).
        #[arg(long = "policy", value_name = "FILE")]
        policies: Vec<PathBuf>,
        /// An AWS managed policy attached as an identity-based policy, by name
        /// or ARN (repeat for several), e.g. AWSImageBuilderFullAccess.
        #[arg(long = "managed", value_name = "NAME")]
        managed: Vec<String>,
        /// The resource-based policy (bucket policy, key policy, trust policy…).
        #[arg(long, value_name = "FILE")]
        resource_policy: Option<PathBuf>,
        /// The caller's permissions boundary.
        #[arg(long, value_name = "FILE")]
        permissions_boundary: Option<PathBuf>,
        /// The session policy of a role session.
        #[arg(long, value_name = "FILE")]
        session_policy: Option<PathBuf>,
        /// An SCP; repeat for each organization level, root first.
        #[arg(long = "scp", value_name = "FILE")]
        scps: Vec<PathBuf>,
        /// An RCP; repeat for each organization level, root first.
        #[arg(long = "rcp", value_name = "FILE")]
        rcps: Vec<PathBuf>,
        /// A VPC endpoint policy (repeat for several).
        #[arg(long = "vpc-endpoint-policy", value_name = "FILE")]
        vpc_endpoint: Vec<PathBuf>,
        /// The action, e.g. imagebuilder:GetComponent.
        #[arg(long)]
        action: String,
        /// The resource ARN, or *.
        #[arg(long)]
        resource: String,
        /// The caller: an IAM ARN, an assumed-role ARN, a service principal or "anonymous".
        /// Default: the user "simulated" in the resource's account (or 111122223333).
        #[arg(long)]
        principal: Option<String>,
        /// The account that owns the resource (default: the resource ARN's, else the caller's).
        #[arg(long, value_name = "ACCOUNT")]
        resource_account: Option<String>,
        /// A context key: key=value. Repeat a key for a multivalued key, or write key=["a","b"].
        #[arg(long = "context", value_name = "KEY=VALUE")]
        context: Vec<String>,
        /// Shorthand for --context aws:SourceIp=IP.
        #[arg(long, value_name = "IP")]
        source_ip: Option<String>,
        /// Print the whole evaluation as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Validate policies against the service catalog: errors, security warnings, warnings, suggestions.
    /// A FILE may be a policy or a scenario file (every policy of it is linted with its layer's kind).
    Lint {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
        /// The kind of plain policy files.
        #[arg(long, value_enum, default_value = "identity")]
        kind: lint_cmd::Kind,
    },
    /// List the actions an action pattern such as 's3:Get*' matches, with their access levels.
    Expand {
        pattern: String,
        #[arg(long)]
        json: bool,
    },
    /// Per service, the access levels a policy (or each policy of a scenario) grants, fully or in part.
    Summary {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        /// The kind of a plain policy file.
        #[arg(long, value_enum, default_value = "identity")]
        kind: lint_cmd::Kind,
    },
    /// AWS managed policies: show one by name or ARN, search them by name or service.
    #[command(subcommand)]
    Managed(managed_cmd::ManagedCommand),
    /// What access changed between two versions of a policy, per service and action, with an
    /// example request per change. Exit 1 when NEW grants anything OLD did not, 2 on bad input.
    Diff(diff_cmd::DiffArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            paths,
            json,
            explain,
        } => check(&paths, json, explain),
        Command::Lint { files, json, kind } => lint_cmd::lint(&files, json, kind),
        Command::Expand { pattern, json } => lint_cmd::expand(&pattern, json),
        Command::Summary { file, json, kind } => lint_cmd::summary(&file, json, kind),
        Command::Managed(command) => managed_cmd::run(command),
        Command::Diff(args) => diff_cmd::run(args),
        Command::Simulate {
            policies,
            managed,
            resource_policy,
            permissions_boundary,
            session_policy,
            scps,
            rcps,
            vpc_endpoint,
            action,
            resource,
            principal,
            resource_account,
            context,
            source_ip,
            json,
        } => {
            // one policy per SCP/RCP level, root first
            let file = |p: PathBuf| Input::File(p);
            let files = PolicyFiles {
                identity: policies
                    .into_iter()
                    .map(file)
                    .chain(managed.into_iter().map(Input::Managed))
                    .collect(),
                resource: resource_policy.map(file),
                permissions_boundary: permissions_boundary.map(file),
                session: session_policy.map(file),
                scps: scps.into_iter().map(|p| vec![file(p)]).collect(),
                rcps: rcps.into_iter().map(|p| vec![file(p)]).collect(),
                vpc_endpoint: vpc_endpoint.into_iter().map(file).collect(),
            };
            let mut context = context;
            if let Some(ip) = source_ip {
                context.push(format!("aws:SourceIp={ip}"));
            }
            simulate(
                &files,
                &action,
                &resource,
                principal,
                resource_account,
                &context,
                json,
            )
        }
    }
}

// ---------------------------------------------------------------- check

/// In a folder walk, JSON files that are not scenarios: policy fixtures
/// (`*.policy.json`) and tool manifests.
fn skipped_in_walk(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.starts_with('.')
        || name == "node_modules"
        || name.ends_with(".policy.json")
        || matches!(
            name,
            "package.json" | "package-lock.json" | "tsconfig.json" | "jsconfig.json"
        )
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if skipped_in_walk(&e) {
                continue;
            }
            if e.is_dir() || e.extension().is_some_and(|x| x == "json") {
                collect(&e, out)?;
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

/// One diagnostic as a compiler prints it: `file:line:column`, the class
/// ("would AWS store it?"), AWS's own error text and the fix.
fn diagnostic_text(file: &str, d: &Diagnostic) -> String {
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!(
        "{sev}: {file}:{}:{}: {}\n  {}",
        d.span.start.line,
        d.span.start.column,
        d.message,
        d.class.label()
    );
    if let Some(aws) = &d.aws_error {
        out.push_str(&format!(": {aws}"));
    }
    if let Some(h) = &d.hint {
        out.push_str(&format!("\n  fix: {h}"));
    }
    out
}

/// Resolves a scenario's AWS managed policy references from the bundled copy
/// (loaded only when a scenario has one).
pub(crate) fn resolve_managed(mut scenario: Scenario) -> Result<Scenario, Vec<Diagnostic>> {
    let any = scenario
        .policies
        .values()
        .any(|p| matches!(p, iam_policy::PolicySource::Managed(_)));
    if !any {
        return Ok(scenario);
    }
    let policies = iam_managed::ManagedPolicies::try_embedded().map_err(|e| {
        vec![Diagnostic::error(
            iam_policy::DiagnosticCode::UnknownManagedPolicy,
            iam_policy::Span::default(),
            format!("the bundled AWS managed policies do not load: {e}"),
            "rebuild the command line",
        )]
    })?;
    let diags = scenario.resolve_managed(policies);
    if diags.is_empty() {
        Ok(scenario)
    } else {
        Err(diags)
    }
}

fn print_diagnostic(file: &str, d: &Diagnostic) {
    eprintln!("{}", diagnostic_text(file, d));
}

fn check(paths: &[PathBuf], json: bool, explain: bool) -> ExitCode {
    let mut files = Vec::new();
    let mut unreadable = false;
    for p in paths {
        if let Err(e) = collect(p, &mut files) {
            eprintln!("error: {}: {e}", p.display());
            unreadable = true;
        }
    }
    let mut results: Vec<CheckResult> = Vec::new();
    let mut explanations: Vec<Option<String>> = Vec::new();
    for f in &files {
        let label = f.display().to_string();
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {label}: cannot read: {e}");
                unreadable = true;
                continue;
            }
        };
        let scenario = match Scenario::from_json(&text).and_then(resolve_managed) {
            Ok(s) => s,
            Err(diags) => {
                for d in &diags {
                    print_diagnostic(&label, d);
                }
                unreadable = true;
                continue;
            }
        };
        let set = scenario.compile();
        let detail = if explain {
            iam_policy::Detail::Full
        } else {
            iam_policy::Detail::Decision
        };
        for (r, spec) in iam_policy::check_with(&scenario, &set, &label, detail)
            .into_iter()
            .zip(&scenario.requests)
        {
            let text = r.authorization.as_ref().filter(|_| explain).map(|a| {
                let mut text = render(
                    a,
                    &|id: &PolicyId| format!("{id} ({})", id.label()),
                    spec.action.trim(),
                    spec.resource.trim(),
                );
                text.push_str(&render_what_if(&explain::what_would_change(&set, spec, a)));
                text
            });
            explanations.push(text);
            results.push(r);
        }
    }
    let failed_req = |r: &CheckResult| r.pass == Some(false) || r.error.is_some();
    let passed = results.iter().filter(|r| r.pass == Some(true)).count();
    let failed = results.iter().filter(|r| failed_req(r)).count();
    if json {
        match serde_json::to_string_pretty(&results) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("error: cannot print results: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        for (r, text) in results.iter().zip(&explanations) {
            outln!("{}", check_line(r));
            if let Some(text) = text {
                for line in text.lines() {
                    outln!("    {line}");
                }
                outln!();
            }
        }
        outln!("{passed} passed, {failed} failed");
    }
    if unreadable {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check_line(r: &CheckResult) -> String {
    let tag = match (r.pass, &r.error) {
        (_, Some(_)) => "ERROR",
        (Some(true), _) => "PASS ",
        (Some(false), _) => "FAIL ",
        (None, _) => "---- ",
    };
    let name = r
        .name
        .as_deref()
        .map(|n| format!(" \"{n}\""))
        .unwrap_or_default();
    let mut line = format!("{tag} {} #{}{name}: ", r.file, r.request);
    if let Some(e) = &r.error {
        line.push_str(e);
        // every reason AWS would refuse a policy, each at its position
        for p in &r.rejected_policies {
            for d in &p.diagnostics {
                line.push_str("\n  ");
                line.push_str(
                    &diagnostic_text(&format!("{} ({})", r.file, p.policy), d)
                        .replace('\n', "\n  "),
                );
            }
        }
        return line;
    }
    line.push_str(r.decision.map(Decision::as_str).unwrap_or("no decision"));
    if let Some(e) = r.expect {
        line.push_str(&format!(" (expected {e})"));
    }
    if let Some(s) = r.deciding_statements.first() {
        let sid = s
            .sid
            .as_deref()
            .map(|x| format!(" \"{x}\""))
            .unwrap_or_default();
        let managed = s
            .managed
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default();
        line.push_str(&format!(
            " by {}{managed} statement {}{sid} at {}:{}",
            s.policy, s.statement, s.line, s.column
        ));
        if r.deciding_statements.len() > 1 {
            line.push_str(&format!(" (+{} more)", r.deciding_statements.len() - 1));
        }
    } else if let Some(b) = &r.blocked_by {
        line.push_str(&format!(", blocked by {b}"));
    }
    if !r.missing_context.is_empty() {
        line.push_str(&format!(
            "; missing context: {}",
            r.missing_context.join(", ")
        ));
    }
    line
}

// ---------------------------------------------------------------- simulate

/// A policy given on the command line: a file, or an AWS managed policy.
enum Input {
    File(PathBuf),
    Managed(String),
}

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::File(p) => write!(f, "{}", p.display()),
            Input::Managed(name) => write!(f, "{name}, AWS managed"),
        }
    }
}

/// The policies given on the command line, by layer.
type PolicyFiles = LayerMap<Input>;

fn parse_context(items: &[String]) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let mut map = serde_json::Map::new();
    for item in items {
        let (k, v) = item.split_once('=').ok_or_else(|| {
            format!("--context {item}: write key=value, e.g. aws:SourceIp=203.0.113.5")
        })?;
        let k = k.trim().to_string();
        let value = if v.trim_start().starts_with('[') {
            serde_json::from_str::<serde_json::Value>(v)
                .map_err(|e| format!("--context {item}: the array is not valid JSON: {e}"))?
        } else {
            serde_json::Value::String(v.to_string())
        };
        let existing = map
            .iter()
            .find(|(ek, _)| ek.eq_ignore_ascii_case(&k))
            .map(|(ek, _)| ek.clone());
        match existing {
            // a repeated key becomes multivalued
            Some(ek) => {
                if let Some(slot) = map.get_mut(&ek) {
                    let mut items = match std::mem::take(slot) {
                        serde_json::Value::Array(a) => a,
                        other => vec![other],
                    };
                    match value {
                        serde_json::Value::Array(a) => items.extend(a),
                        other => items.push(other),
                    }
                    *slot = serde_json::Value::Array(items);
                }
            }
            None => {
                map.insert(k, value);
            }
        }
    }
    Ok(map)
}

/// A decision, the policies (each with its file) and the request.
type Simulated = (Authorization, PolicySet, RequestSpec);

fn simulate(
    files: &PolicyFiles,
    action: &str,
    resource: &str,
    principal: Option<String>,
    resource_account: Option<String>,
    context: &[String],
    json: bool,
) -> ExitCode {
    let run = || -> Result<Simulated, (String, u8)> {
        let e2 = |e: String| (e, 2u8);
        let mut set = PolicySet::default();
        for (id, input) in files.iter() {
            let compiled = match input {
                Input::File(path) => {
                    let text = std::fs::read_to_string(path)
                        .map_err(|e| e2(format!("{}: cannot read: {e}", path.display())))?;
                    CompiledPolicy::new(id, text)
                }
                Input::Managed(name) => {
                    let policies = iam_managed::ManagedPolicies::try_embedded().map_err(|e| {
                        e2(format!("the bundled AWS managed policies do not load: {e}"))
                    })?;
                    let p = policies
                        .lookup(name)
                        .map_err(|e| e2(format!("--managed: {} ({})", e.message, e.hint)))?;
                    CompiledPolicy {
                        managed: Some(p.name.clone()),
                        ..CompiledPolicy::new(id, p.document.to_string())
                    }
                }
            };
            set.put(id, compiled);
        }
        let mut invalid = false;
        for (id, p) in set.iter() {
            let label = files
                .get(id)
                .map_or_else(|| id.to_string(), |f| f.to_string());
            for d in &p.parsed.diagnostics {
                print_diagnostic(&label, d);
                invalid |= d.is_error();
            }
        }
        if invalid {
            return Err((
                "the policies above have errors; fix them to simulate".to_string(),
                2,
            ));
        }
        let principal_text = principal.clone().unwrap_or_else(|| {
            let account = iam_policy::Arn::parse(resource)
                .map(|a| a.account.to_string())
                .filter(|a| iam_policy::is_account_id(a))
                .or_else(|| resource_account.clone())
                .unwrap_or_else(|| "111122223333".to_string());
            format!("arn:aws:iam::{account}:user/simulated")
        });
        let principal = Principal::parse(&principal_text)
            .map_err(|e| (format!("--principal: {} ({})", e.message, e.hint), 2))?;
        let ctx_json = parse_context(context).map_err(e2)?;
        let ctx = context_from_json(&ctx_json).map_err(|e| (e, 2))?;
        let req = Request::new(principal, action, resource, ctx);
        let auth = iam_policy::authorize(&set, &req, resource_account.as_deref());
        let spec = RequestSpec {
            principal: principal_text,
            action: action.to_string(),
            resource: resource.to_string(),
            resource_account: resource_account.clone(),
            context: ctx_json,
            ..RequestSpec::default()
        };
        Ok((auth, set, spec))
    };
    match run() {
        Err((msg, code)) => {
            eprintln!("error: {msg}");
            ExitCode::from(code)
        }
        Ok((auth, set, spec)) => {
            if json {
                match serde_json::to_string_pretty(&auth) {
                    Ok(s) => outln!("{s}"),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(2);
                    }
                }
            } else {
                let label = |id: &PolicyId| {
                    files
                        .get(*id)
                        .map(|f| format!("{id} ({f})"))
                        .unwrap_or_else(|| id.to_string())
                };
                out!("{}", render(&auth, &label, action, resource));
                out!(
                    "{}",
                    render_what_if(&explain::what_would_change(&set, &spec, &auth))
                );
            }
            ExitCode::SUCCESS
        }
    }
}

/// The explanation of one decision, as `simulate` prints it; `label` names
/// a policy (its file, or its id and label).
fn render(
    a: &Authorization,
    label: &dyn Fn(&PolicyId) -> String,
    action: &str,
    resource: &str,
) -> String {
    let mut out = String::new();
    out.push_str(&format!("Decision: {}\n", a.decision));
    out.push_str(&format!("{}\n", explain::decision_sentence(a)));
    for s in &a.deciding_statements {
        let sid = s
            .sid
            .as_deref()
            .map(|x| format!(" \"{x}\""))
            .unwrap_or_default();
        out.push_str(&format!(
            "Decided by {} statement {}{sid} at line {}, column {}\n",
            label(&s.policy),
            s.statement,
            s.line,
            s.column
        ));
    }
    if let Some(b) = &a.blocked_by {
        out.push_str(&format!("Blocked by: {b}\n"));
    }
    if !a.missing_context.is_empty() {
        out.push_str(&format!(
            "Missing context: {} (a condition needed these keys; add them with --context)\n",
            a.missing_context.join(", ")
        ));
    }
    let tree = explain::explain_authorization(a, action, resource);
    for n in &tree.notes {
        out.push_str(&format!("Note: {n}\n"));
    }
    if a.cross_account {
        out.push_str(&format!(
            "Cross-account: caller in {}, resource in {}\n",
            a.caller_account.as_deref().unwrap_or("?"),
            a.resource_account.as_deref().unwrap_or("?")
        ));
    }
    let tick = |ok: bool| if ok { "✓" } else { "✗" };
    let at = |span: &Option<iam_policy::Span>| {
        span.map(|s| format!(" [line {}, column {}]", s.start.line, s.start.column))
            .unwrap_or_default()
    };
    for l in &tree.layers {
        out.push_str(&format!("\n{}\n", l.sentence));
        for p in &l.policies {
            out.push_str(&format!("  {}\n", label(&p.policy)));
            for s in &p.statements {
                let mark = if s.applies { "●" } else { "○" };
                out.push_str(&format!(
                    "    {mark} {} [line {}, column {}]\n",
                    s.summary, s.line, s.column
                ));
                let elements = s.principal.iter().chain([&s.action, &s.resource]);
                for e in elements {
                    out.push_str(&format!("        {} {}\n", tick(e.ok), e.sentence));
                }
                for c in &s.conditions {
                    out.push_str(&format!(
                        "        {} {}{}\n",
                        tick(c.ok),
                        c.sentence,
                        at(&c.span)
                    ));
                }
            }
        }
    }
    out
}

/// The changes that would flip the decision, one line each, with the
/// verified edit of the request in words ("try: set aws:SourceIp to
/// 54.240.143.189 → allowed") or the decision after a change of the policy.
fn render_what_if(suggestions: &[explain::Suggestion]) -> String {
    if suggestions.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nWhat would change it:\n");
    for s in suggestions {
        out.push_str(&format!("  - {}\n", s.sentence));
        match (&s.edit, s.decision_after) {
            (Some(e), Some(after)) => {
                out.push_str(&format!("      try: {} → {after}\n", e.sentence))
            }
            (None, Some(after)) => {
                out.push_str(&format!("      with the policy changed → {after}\n"))
            }
            _ => {}
        }
    }
    out
}
