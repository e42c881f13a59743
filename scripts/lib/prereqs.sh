# Installs what building and serving the site needs, skipping whatever is already present.
# Sourced by scripts/run.sh and scripts/test.sh from the project root.

# Pinned tool versions. wasm-bindgen is not listed: its CLI must match the crate in Cargo.lock.
CARGO_LEPTOS_VERSION="0.3.10"
BINARYEN_VERSION="132"
TOOLS_DIR="$PWD/.tools"

step() { printf '==> %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root (CI), else through sudo.
as_root() {
    if [ "$(id -u)" = "0" ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null || fail "$* is missing and apt-get is not available; install $* by hand"
    if [ "$APT_UPDATED" = 0 ]; then
        step "apt-get update"
        as_root apt-get update -qq
        APT_UPDATED=1
    fi
    step "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" </dev/null
}

# The wasm-bindgen version locked in Cargo.lock.
locked_wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_rust() {
    export PATH="${CARGO_HOME:-${HOME:-/root}/.cargo}/bin:$PATH"
    command -v cargo >/dev/null || fail "cargo is missing; install Rust with rustup (https://rustup.rs)"
    if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
        step "rustup target add wasm32-unknown-unknown"
        rustup target add wasm32-unknown-unknown
    fi
}

ensure_cargo_leptos() {
    if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
        step "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (takes about 12 minutes)"
        # no_downloads: cargo-leptos uses the wasm-bindgen and wasm-opt found on PATH.
        cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
    fi
}

ensure_wasm_bindgen() {
    local version
    version="$(locked_wasm_bindgen_version)"
    [ -n "$version" ] || fail "Cargo.lock names no wasm-bindgen version"
    if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
        step "cargo install wasm-bindgen-cli $version (the version in Cargo.lock)"
        cargo install wasm-bindgen-cli --version "$version"
    fi
}

ensure_node() {
    if ! command -v npm >/dev/null; then
        apt_install nodejs npm
    fi
}

# Binaryen's wasm-opt from npm into .tools (the Debian package is too old for this WASM).
ensure_wasm_opt() {
    ensure_node
    local wasm_opt="$TOOLS_DIR/node_modules/.bin/wasm-opt"
    if ! "$wasm_opt" --version 2>/dev/null | grep -q "version_$BINARYEN_VERSION)"; then
        step "npm install binaryen@$BINARYEN_VERSION into .tools"
        mkdir -p "$TOOLS_DIR"
        npm install --prefix "$TOOLS_DIR" --save-exact --no-audit --no-fund "binaryen@$BINARYEN_VERSION"
    fi
    export PATH="$TOOLS_DIR/node_modules/.bin:$PATH"
}

# Everything `cargo leptos build --release` needs.
ensure_run_prereqs() {
    step "checking build tools (Rust wasm32 target, cargo-leptos, wasm-bindgen, wasm-opt)"
    ensure_rust
    ensure_cargo_leptos
    ensure_wasm_bindgen
    ensure_wasm_opt
}
