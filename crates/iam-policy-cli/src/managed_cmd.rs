//! `iam-policy managed show|search`: the AWS managed policies of iam-managed.

use iam_managed::{ManagedPolicies, ManagedPolicy, SearchQuery};
use std::io::Write;
use std::process::ExitCode;

/// `iam-policy managed …`
#[derive(clap::Subcommand)]
pub enum ManagedCommand {
    /// Print an AWS managed policy (default version): name, ARN, version, last update,
    /// services and the document. Exit 2 for an unknown name, with "did you mean".
    Show {
        /// A name (AWSImageBuilderFullAccess) or an ARN
        /// (arn:aws:iam::aws:policy/service-role/AWSLambdaRole).
        name: String,
        /// Print the policy, document included, as JSON.
        #[arg(long, conflicts_with = "document")]
        json: bool,
        /// Print only the document, e.g. to save it as a policy file.
        #[arg(long)]
        document: bool,
    },
    /// Find AWS managed policies by name (every word, case-insensitive; "sns:" means the
    /// service) or by a service their actions name. Exit 1 when none matches.
    Search {
        /// Words of the name; empty lists every policy (of --service).
        query: Option<String>,
        /// Only policies whose actions name this service prefix, e.g. imagebuilder.
        #[arg(long, value_name = "PREFIX")]
        service: Option<String>,
        /// Print at most N policies.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Print a JSON array of the policies, without their documents.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `iam-policy managed …`.
pub fn run(command: ManagedCommand) -> ExitCode {
    let data = match ManagedPolicies::try_embedded() {
        Ok(data) => data,
        Err(e) => {
            eprintln!("error: the embedded AWS managed policies do not load: {e}");
            return ExitCode::from(2);
        }
    };
    match command {
        ManagedCommand::Show {
            name,
            json,
            document,
        } => show(data, &name, json, document),
        ManagedCommand::Search {
            query,
            service,
            limit,
            json,
        } => search(data, query.unwrap_or_default(), service, limit, json),
    }
}

fn show(data: &ManagedPolicies, name: &str, json: bool, document: bool) -> ExitCode {
    let p = match data.lookup(name) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let text = if json {
        match to_json(p) {
            Ok(text) => text,
            Err(code) => return code,
        }
    } else if document {
        format!("{}\n", p.document)
    } else {
        let source = data.source();
        format!(
            "{}\nARN:       {}\nVersion:   {} (default version)\nUpdated:   {}\n\
             Services:  {}\nSource:    {} {}\n\n{}\n",
            p.name,
            p.arn,
            p.version_id,
            p.update_date,
            p.services.join(", "),
            source.package,
            source.version,
            p.document
        )
    };
    emit(&text, ExitCode::SUCCESS)
}

fn search(
    data: &ManagedPolicies,
    text: String,
    service: Option<String>,
    limit: Option<usize>,
    json: bool,
) -> ExitCode {
    let query = SearchQuery {
        text,
        service,
        limit: None,
    };
    let all = data.search(&query);
    let total = all.len();
    let shown: Vec<&ManagedPolicy> = all.into_iter().take(limit.unwrap_or(usize::MAX)).collect();
    let code = if total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    if json {
        let infos: Vec<_> = shown.iter().map(|p| p.info()).collect();
        return match to_json(&infos) {
            Ok(text) => emit(&text, code),
            Err(code) => code,
        };
    }
    let width = shown.iter().map(|p| p.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for p in &shown {
        let date = p.update_date.get(..10).unwrap_or(&p.update_date);
        out += &format!(
            "{:<width$}  {:<4}  {date}  {}\n",
            p.name, p.version_id, p.arn
        );
    }
    out += &if shown.len() < total {
        format!("showing {} of {total} matching policies\n", shown.len())
    } else if total == 1 {
        "1 matching policy\n".to_owned()
    } else {
        format!("{total} matching policies\n")
    };
    emit(&out, code)
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, ExitCode> {
    serde_json::to_string_pretty(value)
        .map(|text| text + "\n")
        .map_err(|e| {
            eprintln!("error: cannot write JSON: {e}");
            ExitCode::from(2)
        })
}

/// Writes `text` to stdout and returns `code`; a closed pipe (`| head`) is
/// not an error, any other write failure exits 2.
fn emit(text: &str, code: ExitCode) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            ExitCode::from(2)
        }
    }
}
