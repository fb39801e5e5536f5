//! `cargo xtask fuzz`: the fuzz targets of `fuzz/` (cargo-fuzz, libFuzzer;
//! nightly Rust).
//!
//! - `cargo xtask fuzz [--seconds N] [--timeout S] [TARGET…]`: the long run,
//!   by default an hour per target.
//! - `cargo xtask test` runs every target for [`SHORT_RUN_SECONDS`] when a
//!   nightly toolchain and cargo-fuzz are installed, and skips the step
//!   (saying how to install them) otherwise.
//!
//! The seed corpus is generated from `tests/scenarios` by `fuzz/seed.mjs`
//! into `fuzz/corpus/<target>/`, where libFuzzer also keeps what it finds
//! (ignored by git). A failing input is saved in `fuzz/artifacts/<target>/`;
//! every crash or slow input becomes a regression test in its crate.

use std::path::Path;
use std::process::Command;

/// The fuzz targets (`fuzz/fuzz_targets/<name>.rs`).
pub const TARGETS: [&str; 4] = ["parse_policy", "scenario_check", "share_decode", "lint"];

/// Seconds per target in `cargo xtask test`.
pub const SHORT_RUN_SECONDS: u64 = 20;

/// Seconds per target of `cargo xtask fuzz` without `--seconds`.
const LONG_RUN_SECONDS: u64 = 3600;

/// An input slower than this is a failure (libFuzzer's `-timeout`): the
/// issue's budget is 200 ms for a megabyte, inputs here are up to 64 KiB.
const TIMEOUT_SECONDS: u64 = 2;

/// The tools are there, or why not.
pub fn available() -> Result<(), String> {
    let toolchains = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
        .unwrap_or_default();
    if !toolchains.lines().any(|l| l.starts_with("nightly")) {
        return Err(
            "no nightly toolchain (install it with `rustup toolchain install nightly`)".into(),
        );
    }
    let fuzz = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output();
    match fuzz {
        Ok(o) if o.status.success() => Ok(()),
        _ => Err("cargo-fuzz is not installed (`cargo +nightly install cargo-fuzz`)".into()),
    }
}

fn run_cmd(root: &Path, program: &str, args: &[String]) -> Result<(), String> {
    println!("    $ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} {} failed ({status})",
            args.first().cloned().unwrap_or_default()
        ))
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// Seeds the corpus, builds every target once, runs each for `seconds`.
pub fn run(root: &Path, seconds: u64, timeout: u64, targets: &[String]) -> Result<(), String> {
    available()?;
    run_cmd(root, "node", &strings(&["fuzz/seed.mjs", "fuzz/corpus"]))?;
    // No sanitizer: the code is safe Rust; what is looked for is panics,
    // hangs and memory blow-ups, and the build is much faster. Debug
    // assertions (overflow checks) stay on, cargo-fuzz's default.
    run_cmd(
        root,
        "cargo",
        &strings(&["+nightly", "fuzz", "build", "-s", "none"]),
    )?;
    for t in targets {
        let corpus = format!("fuzz/corpus/{t}");
        let mut args = strings(&["+nightly", "fuzz", "run", "-s", "none", t, &corpus, "--"]);
        args.extend([
            format!("-max_total_time={seconds}"),
            format!("-timeout={timeout}"),
            "-rss_limit_mb=2048".to_string(),
            "-max_len=65536".to_string(),
            "-dict=fuzz/iam.dict".to_string(),
            "-print_final_stats=1".to_string(),
        ]);
        run_cmd(root, "cargo", &args).map_err(|e| {
            format!(
                "{e}: the failing input is in fuzz/artifacts/{t}/; replay it with `cargo +nightly fuzz run -s none {t} fuzz/artifacts/{t}/<file>` and make it a regression test"
            )
        })?;
    }
    Ok(())
}

/// The short run of `cargo xtask test` (every target, [`SHORT_RUN_SECONDS`]).
/// Hangs count from 10 s there, so a busy machine does not fail the step.
pub fn short_run(root: &Path) -> Result<(), String> {
    let targets: Vec<String> = TARGETS.iter().map(|t| t.to_string()).collect();
    run(root, SHORT_RUN_SECONDS, 10, &targets)
}

/// `cargo xtask fuzz [--seconds N] [--timeout S] [TARGET…]`.
pub fn cmd(root: &Path, args: &[String]) -> Result<(), String> {
    let mut seconds = LONG_RUN_SECONDS;
    let mut timeout = TIMEOUT_SECONDS;
    let mut targets: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut number = |what: &str| -> Result<u64, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{what} takes a number of seconds"))
        };
        match a.as_str() {
            "--seconds" => seconds = number("--seconds")?,
            "--timeout" => timeout = number("--timeout")?,
            t if TARGETS.contains(&t) => targets.push(t.to_string()),
            other => {
                return Err(format!(
                    "unknown argument '{other}' (targets: {})",
                    TARGETS.join(", ")
                ))
            }
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| t.to_string()).collect();
    }
    run(root, seconds, timeout, &targets)
}
