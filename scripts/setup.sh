#!/usr/bin/env bash
# Installs what the playground and its tests need, skipping whatever is already present.
# Idempotent: safe to run any number of times. Usage: scripts/setup.sh [web|test|all]
set -euo pipefail
what="${1:-all}"
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

need_web=0; need_browser=0
case "$what" in
  web) need_web=1 ;;
  test|all) need_web=1; need_browser=1 ;;
  native) ;;
  *) echo "usage: scripts/setup.sh [web|test|all|native]" >&2; exit 2 ;;
esac

if [ "$need_web" = 1 ]; then
  # Node.js and npm: the editor bundle (esbuild), Trunk's build hooks, the end-to-end tests.
  if command -v node >/dev/null && command -v npm >/dev/null; then
    say "node $(node --version) and npm $(npm --version): present"
  else
    say "installing nodejs and npm from Debian"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm
  fi
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rust target wasm32-unknown-unknown: present"
  else
    say "adding rust target wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown
  fi
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q ' 0.2.130'; then
    say "wasm-bindgen-cli 0.2.130: present"
  else
    say "installing wasm-bindgen-cli 0.2.130 (must equal the wasm-bindgen crate version)"
    cargo install wasm-bindgen-cli@0.2.130 --force
  fi
  if command -v trunk >/dev/null && trunk --version | grep -q '0.21.14'; then
    say "trunk 0.21.14: present"
  else
    say "installing trunk 0.21.14 (a cold build takes about 7 minutes on 2 cores)"
    cargo install --locked trunk@0.21.14
  fi
  if command -v wasm-pack >/dev/null && wasm-pack --version | grep -q '0.15.1'; then
    say "wasm-pack 0.15.1: present"
  else
    say "installing wasm-pack 0.15.1"; cargo install wasm-pack@0.15.1
  fi
  # The widget's engine is built with its own standard library (xtask/src/widget.rs): nightly
  # and its rust-src (without them the widget is built anyway, about 16 KB gzip larger).
  if rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
    say "nightly toolchain with rust-src: present"
  elif rustup toolchain list | grep -q '^nightly'; then
    say "adding rust-src to the nightly toolchain"; rustup component add rust-src --toolchain nightly
  else
    say "installing the nightly toolchain with rust-src"
    rustup toolchain install nightly --profile minimal --component rust-src
  fi
  if command -v wasm-opt >/dev/null && wasm-opt --version | grep -q 'version 132'; then
    say "wasm-opt (binaryen 132): present"
  else
    say "installing binaryen 132 from npm (wasm-opt)"; npm install -g binaryen@132
  fi
fi

if [ "$need_browser" = 1 ]; then
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    say "chromium and chromedriver: present"
  else
    say "installing chromium and chromium-driver from Debian (headless browser tests)"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
  fi
fi
say "done"
