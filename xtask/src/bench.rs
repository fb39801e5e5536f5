//! `cargo xtask bench`: the engine's performance figures in one table, against the targets of
//! issue 15, with the peer's figures when the pinned peer is installed.
//!
//! 1. runs the criterion benches of `iam-policy` (`compile`, `decisions`, `cases`) with a short
//!    measurement time and reads their medians from `target/criterion/**/new/estimates.json`;
//! 2. when `tests/bench-peer/node_modules` holds `@cloud-copilot/iam-simulate` (a dev-only
//!    `npm ci` there; never shipped), times the peer on the same cases
//!    (`node tests/bench-peer/run.mjs --json`);
//! 3. prints one table: workload, this engine, peer, ratio, target, pass/fail; and the machine
//!    (CPU, cores, load average), since medians on a shared machine vary with its load.
//!
//! `cargo xtask bench [--measurement-time SECONDS] [--cases DIR] [--no-run]`: `--cases` names
//! another folder of scenario files for the peer comparison (default `tests/scenarios`);
//! `--no-run` prints the table from the last run's results.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str =
    "usage: cargo xtask bench [--measurement-time SECONDS] [--cases DIR] [--no-run]";

/// One criterion result: median time of one iteration, and how many elements it processed.
struct Measured {
    median_ns: f64,
    elements: Option<f64>,
}

/// The peer's figures, per case.
struct Peer {
    once_ns: f64,
    each_ns: f64,
    cases: f64,
    agree: f64,
    expected: f64,
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// The number after `"key":` in a JSON text (enough for criterion's and the peer script's flat
/// numeric fields; xtask has no JSON parser).
fn json_number(text: &str, key: &str) -> Option<f64> {
    let at = text.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = text.get(at..)?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(rest.len());
    rest.get(..end)?.parse().ok()
}

/// A JSON string field (no escapes expected: criterion's ids as this file names them).
fn json_string(text: &str, key: &str) -> Option<String> {
    let at = text.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let rest = text.get(at..)?;
    Some(rest.get(..rest.find('"')?)?.to_string())
}

/// Reads `full_id` → result for every benchmark under `target/criterion`.
fn read_criterion(dir: &Path, out: &mut Vec<(String, Measured)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.file_name().is_some_and(|n| n == "new") {
            let bench = fs::read_to_string(p.join("benchmark.json")).unwrap_or_default();
            let est = fs::read_to_string(p.join("estimates.json")).unwrap_or_default();
            let median = est
                .find("\"median\":")
                .and_then(|i| est.get(i..))
                .and_then(|m| json_number(m, "point_estimate"));
            if let (Some(id), Some(median_ns)) = (json_string(&bench, "full_id"), median) {
                out.push((
                    id,
                    Measured {
                        median_ns,
                        elements: json_number(&bench, "Elements"),
                    },
                ));
            }
        } else if p.is_dir() {
            read_criterion(&p, out);
        }
    }
}

fn fmt_time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_string());
    format!("{cpu}, {cores} cores available, load average {load}")
}

fn run_benches(root: &Path, seconds: &str, cases: Option<&str>) -> bool {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root).args([
        "bench",
        "-p",
        "iam-policy",
        "--bench",
        "compile",
        "--bench",
        "decisions",
        "--bench",
        "cases",
        "--",
        "--warm-up-time",
        "1",
        "--measurement-time",
        seconds,
        "--noplot",
    ]);
    if let Some(dir) = cases {
        cmd.env("IAM_BENCH_CASES", dir);
    }
    eprintln!(
        "\x1b[1m==> cargo bench -p iam-policy (measurement time {seconds} s per bench)\x1b[0m"
    );
    match cmd.status() {
        Ok(s) if s.success() => true,
        Ok(s) => {
            eprintln!("xtask bench: cargo bench failed ({s})");
            false
        }
        Err(e) => {
            eprintln!("xtask bench: could not start cargo: {e}");
            false
        }
    }
}

fn run_peer(root: &Path, seconds: &str, cases: Option<&str>) -> Result<Peer, String> {
    let dir = root.join("tests").join("bench-peer");
    if !dir
        .join("node_modules")
        .join("@cloud-copilot")
        .join("iam-simulate")
        .exists()
    {
        return Err(
            "peer not installed: run `npm ci` in tests/bench-peer (dev-only) to compare"
                .to_string(),
        );
    }
    eprintln!("\x1b[1m==> node tests/bench-peer/run.mjs (the peer on the same cases)\x1b[0m");
    let mut cmd = Command::new("node");
    cmd.current_dir(root)
        .args(["tests/bench-peer/run.mjs", "--json", "--seconds", seconds]);
    if let Some(d) = cases {
        cmd.args(["--cases", d]);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("could not start node: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "the peer script failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let num = |k: &str| json_number(&text, k).ok_or_else(|| format!("no {k} in: {text}"));
    Ok(Peer {
        once_ns: num("onceNsPerCase")?,
        each_ns: num("eachNsPerCase")?,
        cases: num("cases")?,
        agree: num("agree")?,
        expected: num("expected")?,
    })
}

struct Row {
    workload: String,
    ours: String,
    peer: String,
    ratio: String,
    target: String,
    pass: Option<bool>,
}

fn print_table(rows: &[Row]) {
    let head = [
        "workload",
        "this engine",
        "peer",
        "ratio",
        "target",
        "pass/fail",
    ];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.workload.clone(),
                r.ours.clone(),
                r.peer.clone(),
                r.ratio.clone(),
                r.target.clone(),
                match r.pass {
                    Some(true) => "pass".to_string(),
                    Some(false) => "FAIL".to_string(),
                    None => "—".to_string(),
                },
            ]
        })
        .collect();
    let mut width = head.map(|h| h.chars().count());
    for c in &cells {
        for (w, s) in width.iter_mut().zip(c) {
            *w = (*w).max(s.chars().count());
        }
    }
    let line = |c: &[String]| {
        let parts: Vec<String> = c
            .iter()
            .zip(&width)
            .map(|(s, w)| format!("{s}{}", " ".repeat(w - s.chars().count())))
            .collect();
        format!("| {} |", parts.join(" | "))
    };
    println!("{}", line(&head.map(String::from)));
    let rule: Vec<String> = width.iter().map(|w| "-".repeat(*w)).collect();
    println!("|-{}-|", rule.join("-|-"));
    for c in &cells {
        println!("{}", line(c));
    }
}

/// `cargo xtask bench`.
pub fn cmd(args: &[String]) -> bool {
    let mut seconds = "3".to_string();
    let mut cases: Option<String> = None;
    let mut run = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--measurement-time" => match it.next() {
                Some(v) if v.parse::<f64>().is_ok_and(|x| x > 0.0) => seconds = v.clone(),
                _ => {
                    eprintln!("xtask bench: --measurement-time needs a number of seconds\n{USAGE}");
                    return false;
                }
            },
            "--cases" => match it.next() {
                Some(v) => cases = Some(v.clone()),
                None => {
                    eprintln!("xtask bench: --cases needs a folder\n{USAGE}");
                    return false;
                }
            },
            "--no-run" => run = false,
            other => {
                eprintln!("xtask bench: unknown argument '{other}'\n{USAGE}");
                return false;
            }
        }
    }
    let root = crate::root();
    let cases_abs = cases.as_deref().map(|c| {
        let p = PathBuf::from(c);
        if p.is_absolute() {
            p
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        }
        .display()
        .to_string()
    });
    let load_before = machine();
    if run && !run_benches(&root, &seconds, cases_abs.as_deref()) {
        return false;
    }
    let peer = run_peer(&root, &seconds, cases_abs.as_deref());
    let mut results = Vec::new();
    read_criterion(&target_dir(&root).join("criterion"), &mut results);
    let find = |id: &str| results.iter().find(|(k, _)| k == id).map(|(_, m)| m);

    let mut rows = Vec::new();
    let mut missing = Vec::new();
    let mut get = |id: &str| {
        let m = find(id);
        if m.is_none() {
            missing.push(id.to_string());
        }
        m
    };
    // 1. compile
    if let Some(m) = get("compile/a realistic 10-statement policy") {
        rows.push(Row {
            workload: "compile a 10-statement policy (parse + validate + matchers)".into(),
            ours: fmt_time(m.median_ns),
            peer: "—".into(),
            ratio: "—".into(),
            target: "≤ 10 µs".into(),
            pass: Some(m.median_ns <= 10_000.0),
        });
    }
    // 2. the case set against the peer
    for (id, what, peer_ns, min) in [
        (
            "case set/decide every case (policies compiled for each case)",
            "case set, compiling the policies for every case (per case)",
            peer.as_ref().ok().map(|p| p.each_ns),
            10.0,
        ),
        (
            "case set/decide every case (policies compiled once)",
            "case set, policies compiled once (per case)",
            peer.as_ref().ok().map(|p| p.once_ns),
            50.0,
        ),
    ] {
        if let Some(m) = get(id) {
            let per_case = m.median_ns / m.elements.unwrap_or(1.0).max(1.0);
            let ratio = peer_ns.map(|p| p / per_case);
            rows.push(Row {
                workload: format!(
                    "{what}, {} cases",
                    m.elements.map_or("?".into(), |n| format!("{n:.0}"))
                ),
                ours: fmt_time(per_case),
                peer: peer_ns.map_or("not run".into(), fmt_time),
                ratio: ratio.map_or("—".into(), |r| format!("{r:.1}× faster")),
                target: format!("≥ {min:.0}× the peer"),
                pass: ratio.map(|r| r >= min),
            });
        }
    }
    // 3. full traces against the bare decision
    // The target is on the trace recorded (every verdict of every layer, statement and
    // condition, compactly for the two larger workloads); expanding every request's trace into
    // the text people read (what `check --explain` prints for each) is shown without a target:
    // the playground expands only the request on screen.
    for (full, bare, what, judged) in [
        (
            "seed scenarios/decide all 31 seed requests (full traces)",
            "seed scenarios/decide all 31 seed requests (decision only)",
            "full traces / decision: the 31 seed requests",
            true,
        ),
        (
            "100-statement policy/decide 100 requests (full traces)",
            "100-statement policy/decide 100 requests (decision only)",
            "full traces expanded into text / decision: 100 requests, 100-statement policy",
            false,
        ),
        (
            "playground/decide 100 requests against 5 policies (full traces)",
            "playground/decide 100 requests against 5 policies (decision only)",
            "full traces expanded into text / decision: the playground, 5 policies × 100 requests",
            false,
        ),
        // Traces recorded compactly (every verdict, expanded into the trace people read on
        // demand: iam_policy::Traced::expand), the way the playground can trace every row.
        (
            "100-statement policy/decide 100 requests (full traces, compact)",
            "100-statement policy/decide 100 requests (decision only)",
            "compact full traces / decision: 100 requests, 100-statement policy",
            true,
        ),
        (
            "playground/decide 100 requests against 5 policies (full traces, compact)",
            "playground/decide 100 requests against 5 policies (decision only)",
            "compact full traces / decision: the playground, 5 policies × 100 requests",
            true,
        ),
    ] {
        if let (Some(f), Some(b)) = (get(full), get(bare)) {
            let r = f.median_ns / b.median_ns;
            rows.push(Row {
                workload: what.into(),
                ours: format!("{} / {}", fmt_time(f.median_ns), fmt_time(b.median_ns)),
                peer: "—".into(),
                ratio: format!("{r:.1}×"),
                target: if judged {
                    "≤ 5×"
                } else {
                    "— (the recorded rows below)"
                }
                .into(),
                pass: judged.then_some(r <= 5.0),
            });
        }
    }
    // 4. the playground's edit with every trace
    if let Some(m) = get("playground edit/parse 5 policies + decide 100 requests (full traces)") {
        rows.push(Row {
            workload: "playground edit: parse 5 policies + 100 full traces (native)".into(),
            ours: fmt_time(m.median_ns),
            peer: "—".into(),
            ratio: "—".into(),
            target: "< 16 ms (in headless Chromium)".into(),
            pass: Some(m.median_ns < 16e6),
        });
    }
    if let Some(m) = get("playground edit/parse 5 policies + decide 100 requests (decision only)") {
        rows.push(Row {
            workload: "playground edit: parse 5 policies + 100 decisions (native)".into(),
            ours: fmt_time(m.median_ns),
            peer: "—".into(),
            ratio: "—".into(),
            target: "—".into(),
            pass: None,
        });
    }
    println!();
    print_table(&rows);
    println!();
    match &peer {
        Ok(p) => println!(
            "peer: @cloud-copilot/iam-simulate 0.1.173 (tests/bench-peer), {:.0} cases, {:.0} of {:.0} decided as the files expect",
            p.cases, p.agree, p.expected
        ),
        Err(e) => println!("peer: {e}"),
    }
    println!("machine: {load_before} (before); {} (after)", machine());
    if !missing.is_empty() {
        eprintln!(
            "xtask bench: no result for {} (run without --no-run)",
            missing.join(", ")
        );
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_numbers_and_strings() {
        let est = r#"{"mean":{"point_estimate":5.0},"median":{"confidence_interval":{"lower_bound":1.0},"point_estimate":3207518.25,"standard_error":1.0}}"#;
        let median = est
            .find("\"median\":")
            .and_then(|i| est.get(i..))
            .and_then(|m| json_number(m, "point_estimate"));
        assert_eq!(median, Some(3207518.25));
        let bench = r#"{"group_id":"g","throughput":{"Elements":100},"full_id":"g/f (x)"}"#;
        assert_eq!(json_number(bench, "Elements"), Some(100.0));
        assert_eq!(json_string(bench, "full_id").as_deref(), Some("g/f (x)"));
        assert_eq!(fmt_time(1234.0), "1.2 µs");
        assert_eq!(fmt_time(16_500_000.0), "16.50 ms");
    }
}
