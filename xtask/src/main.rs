//! Project automation (the cargo xtask pattern; `.cargo/config.toml` aliases `cargo xtask`).
//!
//! - `cargo xtask serve`: install what is missing, build the playground and serve it at
//!   http://127.0.0.1:8080 (rebuilds on change).
//! - `cargo xtask build`: build the playground into dist/ (release, offline).
//! - `cargo xtask test`: every test of the project, in order, failing fast; `.ci/run` runs it.
//! - `cargo xtask e2e`: only the end-to-end tests, on an existing dist/.
//! - `cargo xtask widget` / `widget-test`: the npm package and the docs widget (widget.rs).
//! - `cargo xtask bench`: performance figures against their targets, with the peer (bench.rs).
//! - `cargo xtask fuzz`: the fuzz targets (fuzz.rs); a short run is a step of `test`.
//!
//! Standard library only, so it builds in seconds on a clean machine.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant, SystemTime};

mod bench;
mod differential;
mod fuzz;
mod widget;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve   install what is missing, build the playground, serve it at http://127.0.0.1:8080
  build   build the playground into dist/ (release, offline)
  test    run every test of the project (what .ci/run runs)
  e2e     run only the end-to-end tests against the existing dist/
  widget  build the npm packages (target/npm/) and the docs widget (web/widget/dist/)
  widget-test  test the npm package (Node) and the widget (headless Chromium)
  differential [--cases N] [--seed S]  compare the engine with @cloud-copilot/iam-simulate (tests/differential)
  bench [--measurement-time S] [--cases DIR] [--no-run]  performance figures against the targets, with the peer (tests/bench-peer)
  fuzz [--seconds N] [--timeout S] [TARGET...]
          fuzz the parser, scenario check, share links and linter (nightly, cargo-fuzz;
          default an hour per target)
";

/// What a clean `cargo xtask test` leaves in target/ and node_modules/ (measured on a clean clone:
/// target/debug 1.6 GB after the native test build, the wasm32 test build, the release wasm,
/// the npm package), with room to spare.
const DISK_NEEDED: &str = "a clean `cargo xtask test` needs about 4 GB";
/// Below this much free space the runner warns before it starts and after a failed step.
const LOW_DISK_BYTES: u64 = 6 * 1024 * 1024 * 1024;

/// Free bytes on the file system holding `dir`, as `df -Pk` reports them (None if df is missing
/// or prints something unexpected: the check is advice, never a failure of its own).
fn free_disk_bytes(dir: &Path) -> Option<u64> {
    let out = Command::new("df").arg("-Pk").arg(dir).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    // POSIX format: a header line, then "fs blocks used available capacity mount".
    let line = text.lines().nth(1)?;
    let kib: u64 = line.split_whitespace().nth(3)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

fn fmt_bytes(n: u64) -> String {
    format!("{:.1} GB", n as f64 / 1e9)
}

/// The free bytes of the disk holding the repository, when they are below [`LOW_DISK_BYTES`].
fn low_disk() -> Option<u64> {
    free_disk_bytes(&root()).filter(|&free| free < LOW_DISK_BYTES)
}

/// Warns (does not stop) when the disk is nearly full, before a long run starts.
fn warn_low_disk() {
    if let Some(free) = low_disk() {
        eprintln!(
            "\x1b[1mxtask: warning:\x1b[0m only {} free on the disk holding the repository; \
             {}. Free some space (old target/ directories, /tmp) if a step fails.",
            fmt_bytes(free),
            DISK_NEEDED
        );
    }
}

fn root() -> PathBuf {
    // xtask/ is a direct child of the workspace root.
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// PATH with ~/.cargo/bin first (where scripts/setup.sh installs trunk and wasm-bindgen).
fn path_env() -> OsString {
    let mut paths: Vec<PathBuf> = Vec::new();
    if let Some(home) = env::var_os("HOME") {
        paths.push(PathBuf::from(home).join(".cargo").join("bin"));
    }
    if let Some(p) = env::var_os("PATH") {
        paths.extend(env::split_paths(&p));
    }
    env::join_paths(paths).unwrap_or_default()
}

/// A step done in-process (widget.rs), taking the repository root.
type Func = fn(&Path) -> Result<(), String>;

struct Step {
    name: String,
    cmd: Vec<String>,
    func: Option<(Func, &'static str)>,
    dir: PathBuf,
    envs: Vec<(String, String)>,
    /// Not run, and why.
    skip: Option<String>,
}

impl Step {
    fn new(name: &str, cmd: &[&str]) -> Step {
        Step {
            name: name.to_string(),
            cmd: cmd.iter().map(|s| s.to_string()).collect(),
            func: None,
            dir: root(),
            envs: Vec::new(),
            skip: None,
        }
    }

    /// A step run in-process; `rerun` is the command that does it alone.
    fn func(name: &str, f: Func, rerun: &'static str) -> Step {
        Step {
            name: name.to_string(),
            cmd: Vec::new(),
            func: Some((f, rerun)),
            dir: root(),
            envs: Vec::new(),
            skip: None,
        }
    }

    fn env(mut self, k: &str, v: &str) -> Step {
        self.envs.push((k.to_string(), v.to_string()));
        self
    }

    fn shell_line(&self) -> String {
        if let Some((_, rerun)) = self.func {
            return rerun.to_string();
        }
        let envs: Vec<String> = self.envs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut parts = envs;
        parts.extend(self.cmd.iter().cloned());
        parts.join(" ")
    }
}

struct Outcome {
    name: String,
    took: Duration,
    ok: bool,
    note: String,
}

struct Runner {
    total: usize,
    done: Vec<Outcome>,
    started: Instant,
}

impl Runner {
    fn new(total: usize) -> Runner {
        Runner {
            total,
            done: Vec::new(),
            started: Instant::now(),
        }
    }

    fn header(&self, name: &str) {
        println!(
            "\n\x1b[1m==> [{}/{}] {name}\x1b[0m",
            self.done.len() + 1,
            self.total
        );
    }

    /// Runs a step; on failure prints how to re-run it and returns false.
    fn run(&mut self, step: Step) -> bool {
        if let Some(why) = &step.skip {
            self.skip(&step.name, why);
            return true;
        }
        self.header(&step.name);
        println!("    $ {}", step.shell_line());
        let t0 = Instant::now();
        let (ok, note) = if let Some((f, _)) = step.func {
            match f(&step.dir) {
                Ok(()) => (true, String::new()),
                Err(e) => (false, e),
            }
        } else {
            let Some((program, args)) = step.cmd.split_first() else {
                return false;
            };
            let status = Command::new(program)
                .args(args)
                .current_dir(&step.dir)
                .envs(step.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .status();
            match status {
                Ok(s) if s.success() => (true, String::new()),
                Ok(s) => (false, format!("exit status {}", s.code().unwrap_or(-1))),
                Err(e) => (false, format!("could not start {program}: {e}")),
            }
        };
        let took = t0.elapsed();
        println!(
            "    {} {} in {}",
            if ok {
                "\x1b[32mok\x1b[0m"
            } else {
                "\x1b[31mFAILED\x1b[0m"
            },
            step.name,
            fmt_duration(took)
        );
        if !ok {
            eprintln!(
                "\nxtask: step '{}' failed ({note}).\n       re-run it alone with: {}",
                step.name,
                step.shell_line()
            );
            if let Some(free) = low_disk() {
                eprintln!(
                    "       the disk holding the repository has only {} free: a build that \
                     runs out of space fails with errors like this one ({})",
                    fmt_bytes(free),
                    DISK_NEEDED
                );
            }
        }
        self.done.push(Outcome {
            name: step.name,
            took,
            ok,
            note,
        });
        ok
    }

    /// Records a step that was skipped, with why.
    fn skip(&mut self, name: &str, why: &str) {
        self.header(name);
        println!("    skipped: {why}");
        self.done.push(Outcome {
            name: name.to_string(),
            took: Duration::ZERO,
            ok: true,
            note: format!("skipped: {why}"),
        });
    }

    fn summary(&self) -> bool {
        let failed = self.done.iter().filter(|o| !o.ok).count();
        println!("\n\x1b[1mxtask summary\x1b[0m");
        for o in &self.done {
            let mark = if o.ok { "ok  " } else { "FAIL" };
            let note = if o.note.is_empty() {
                String::new()
            } else {
                format!("  ({})", o.note)
            };
            println!("  {mark} {:>8}  {}{note}", fmt_duration(o.took), o.name);
        }
        let not_run = self.total.saturating_sub(self.done.len());
        if not_run > 0 {
            println!("  ({not_run} later step(s) not run)");
        }
        println!("  total {}", fmt_duration(self.started.elapsed()));
        println!(
            "steps: {} passed, {} failed",
            self.done.len() - failed,
            failed
        );
        failed == 0 && not_run == 0
    }
}

fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 60.0 {
        format!("{}m{:02}s", (s / 60.0) as u64, (s % 60.0) as u64)
    } else {
        format!("{s:.1}s")
    }
}

fn mtime(p: &Path) -> Option<SystemTime> {
    fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// `npm ci` in a folder when node_modules is missing or older than package-lock.json.
fn npm_ci_step(dir: &str) -> Option<Step> {
    let d = root().join(dir);
    let lock = mtime(&d.join("package-lock.json"));
    let installed = mtime(&d.join("node_modules").join(".package-lock.json"));
    let fresh = matches!((lock, installed), (Some(l), Some(i)) if i >= l);
    if fresh {
        return None;
    }
    let mut s = Step::new(
        &format!("npm ci ({dir})"),
        &["npm", "ci", "--no-audit", "--no-fund"],
    );
    s.dir = d;
    Some(s)
}

fn setup(what: &str) -> Step {
    Step::new(
        &format!("setup: install what is missing ({what})"),
        &["bash", "scripts/setup.sh", what],
    )
}

fn editor_bundle() -> Step {
    Step::new(
        "bundle the CodeMirror editor (esbuild)",
        &["node", "web/editor/build.mjs"],
    )
}

/// The npm package and the docs widget, before Trunk copies web/widget/dist to dist/widget/.
fn widget_build() -> Step {
    Step::func(
        "build the npm package and the docs widget (wasm-pack)",
        widget::build,
        "cargo xtask widget",
    )
}

fn widget_test() -> Step {
    Step::func(
        "npm package and docs widget tests (Node, headless Chromium)",
        widget::test,
        "cargo xtask widget-test",
    )
}

fn trunk_build() -> Step {
    Step::new(
        "build the playground into dist/ (trunk, release)",
        &["trunk", "build", "--release", "--offline"],
    )
}

fn e2e_files() -> Vec<String> {
    let dir = root().join("tests").join("e2e");
    let mut files: Vec<String> = fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.ends_with(".test.mjs"))
                .map(|n| format!("tests/e2e/{n}"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn e2e_step() -> Step {
    let mut cmd = vec!["node".to_string(), "--test".to_string()];
    cmd.push("--test-concurrency=1".to_string());
    cmd.extend(e2e_files());
    Step {
        name: "end-to-end tests on dist/ (headless Chromium)".into(),
        cmd,
        func: None,
        dir: root(),
        envs: Vec::new(),
        skip: None,
    }
}

/// The short fuzz run, skipped when nightly or cargo-fuzz is missing.
fn fuzz_step() -> Step {
    let mut s = Step::func(
        "fuzz targets, 20 s each (cargo-fuzz, nightly)",
        fuzz::short_run,
        "cargo xtask fuzz --seconds 20 --timeout 10",
    );
    s.skip = fuzz::available().err();
    s
}

fn wasm_test_step() -> Step {
    let webdriver = root().join("web").join("webdriver.json");
    Step::new(
        "component tests in headless Chromium (wasm-bindgen-test)",
        &[
            "cargo",
            "test",
            "-p",
            "iam-playground",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "components",
        ],
    )
    .env(
        "CHROMEDRIVER",
        &env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
    )
    .env(
        "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
        &webdriver.to_string_lossy(),
    )
    .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
}

fn cmd_test() -> bool {
    warn_low_disk();
    let mut steps: Vec<Step> = vec![setup("test")];
    // The editor bundle first: the playground's component tests include it
    // (include_str!), so clippy and the tests need it on a clean clone.
    steps.extend(npm_ci_step("web/editor"));
    steps.push(editor_bundle());
    steps.extend([
        Step::new("rustfmt", &["cargo", "fmt", "--all", "--", "--check"]),
        Step::new(
            "clippy (native)",
            &[
                "cargo",
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        Step::new(
            "clippy (playground, wasm32)",
            &[
                "cargo",
                "clippy",
                "-p",
                "iam-playground",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        Step::new(
            "unit and integration tests (native)",
            &["cargo", "test", "--workspace"],
        ),
        Step::new(
            "scenario corpus (iam-policy check tests/scenarios)",
            &[
                "cargo",
                "run",
                "--quiet",
                "-p",
                "iam-policy-cli",
                "--",
                "check",
                "tests/scenarios",
            ],
        ),
    ]);
    steps.extend(differential::test_steps());
    steps.push(wasm_test_step());
    steps.push(widget_build());
    steps.push(trunk_build());
    if let Some(s) = npm_ci_step("tests/e2e") {
        steps.push(s);
    }
    steps.push(e2e_step());
    steps.push(widget_test());
    steps.push(fuzz_step());

    let mut r = Runner::new(steps.len());
    for step in steps {
        if !r.run(step) {
            break;
        }
    }
    r.summary()
}

fn cmd_build() -> bool {
    warn_low_disk();
    let mut steps = vec![setup("web")];
    steps.extend(npm_ci_step("web/editor"));
    steps.push(editor_bundle());
    steps.push(widget_build());
    steps.push(trunk_build());
    let mut r = Runner::new(steps.len());
    for step in steps {
        if !r.run(step) {
            break;
        }
    }
    let ok = r.summary();
    if ok {
        print_sizes();
    }
    ok
}

fn cmd_e2e() -> bool {
    let mut steps: Vec<Step> = Vec::new();
    steps.extend(npm_ci_step("tests/e2e"));
    steps.push(e2e_step());
    let mut r = Runner::new(steps.len());
    if !root().join("dist").join("index.html").exists() {
        r.skip(
            "end-to-end tests",
            "dist/ is not built: run cargo xtask build first",
        );
        r.summary();
        return false;
    }
    for step in steps {
        if !r.run(step) {
            break;
        }
    }
    r.summary()
}

fn cmd_serve() -> bool {
    let mut steps = vec![setup("web")];
    steps.extend(npm_ci_step("web/editor"));
    steps.push(editor_bundle());
    steps.push(widget_build());
    let mut r = Runner::new(steps.len() + 1);
    for step in steps {
        if !r.run(step) {
            r.summary();
            return false;
        }
    }
    println!(
        "\n\x1b[1m==> serving the playground at http://127.0.0.1:8080 (Ctrl+C stops; edits rebuild)\x1b[0m"
    );
    r.run(Step::new(
        "trunk serve",
        &[
            "trunk",
            "serve",
            "--release",
            "--offline",
            "--address",
            "127.0.0.1",
            "--port",
            "8080",
        ],
    ))
}

/// Sizes of dist/ (raw and gzip are measured by the end-to-end tests; here raw only).
fn print_sizes() {
    let dist = root().join("dist");
    let Ok(rd) = fs::read_dir(&dist) else { return };
    let mut files: Vec<(String, u64)> = rd
        .flatten()
        .filter_map(|e| {
            let len = e.metadata().ok()?.len();
            Some((e.file_name().to_string_lossy().to_string(), len))
        })
        .collect();
    files.sort();
    println!("\ndist/:");
    for (name, len) in files {
        println!("  {len:>9}  {name}");
    }
}

fn run_one(step: Step) -> bool {
    let mut r = Runner::new(1);
    r.run(step);
    r.summary()
}

fn main() -> ExitCode {
    // Every tool xtask starts (also from widget.rs) sees ~/.cargo/bin.
    env::set_var("PATH", path_env());
    let args: Vec<String> = env::args().skip(1).collect();
    let ok = match args.first().map(String::as_str) {
        Some("test") => cmd_test(),
        Some("build") => cmd_build(),
        Some("serve") => cmd_serve(),
        Some("e2e") => cmd_e2e(),
        Some("widget") => run_one(widget_build()),
        Some("widget-test") => run_one(widget_test()),
        Some("differential") => differential::cmd(args.get(1..).unwrap_or_default()),
        Some("bench") => bench::cmd(args.get(1..).unwrap_or_default()),
        Some("fuzz") => match fuzz::cmd(&root(), args.get(1..).unwrap_or_default()) {
            Ok(()) => true,
            Err(e) => {
                eprintln!("xtask fuzz: {e}");
                false
            }
        },
        Some("help") | Some("--help") | Some("-h") => {
            print!("{USAGE}");
            true
        }
        other => {
            if let Some(o) = other {
                eprintln!("xtask: unknown command '{o}'\n");
            }
            eprint!("{USAGE}");
            false
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_disk_space_is_read_from_df() {
        // df -Pk on the repository's own disk: a positive byte count, in kibibytes times 1024.
        let free = free_disk_bytes(&root());
        assert!(
            matches!(free, Some(n) if n > 0 && n % 1024 == 0),
            "{free:?}"
        );
        assert_eq!(free_disk_bytes(Path::new("/no/such/dir/at/all")), None);
        assert_eq!(fmt_bytes(4_800_000_000), "4.8 GB");
    }
}
