#!/usr/bin/env bash
# Command 2: installs what is missing, runs the server tests (SQLite and PostgreSQL), builds the
# release site, serves it on a free loopback port with a fresh data directory and runs the
# browser tests against it. Ends with one line `summary: N passed, N failed` (cargo and
# Playwright tests together; a step that fails before reporting any test counts as one failure)
# and exits non-zero on any failure, including a `[DANGER]` warning from the build.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/prereqs.sh

LOG_DIR="$PWD/target/test-logs"
rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR"

passed=0
failed=0
server_pid=""
data_dir=""

# A failed step: `problem "what" [failures]` adds `failures` (default 1) to the failed count.
problem() {
    printf 'FAILED: %s\n' "$1"
    failed=$((failed + ${2:-1}))
}

now() { date +%s; }
took() { printf '    (%ss)\n' "$(($(now) - $1))"; }

stop_server() {
    [ -n "$server_pid" ] || return 0
    local pid="$server_pid" waited=0
    server_pid=""
    kill -TERM "$pid" 2>/dev/null || return 0
    # The server gives in-flight requests up to shutdown_grace_secs (10) to finish.
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 150 ]; do
        sleep 0.1
        waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        problem "the server did not stop within 15s of SIGTERM"
        return
    fi
    wait "$pid"
    local code=$?
    [ "$code" = 0 ] || problem "the server exited with status $code on SIGTERM (log: $LOG_DIR/server.log)"
}

finish() {
    local code=$?
    trap - EXIT
    stop_server
    [ -z "$data_dir" ] || rm -rf "$data_dir"
    if grep -F -l '[DANGER]' "$LOG_DIR"/*.log 2>/dev/null; then
        problem "the output above contains a [DANGER] warning (see the files listed)"
    fi
    if [ "$code" != 0 ] && [ "$failed" = 0 ]; then
        problem "a set-up step failed (exit status $code)"
    fi
    echo "logs: $LOG_DIR"
    echo "summary: $passed passed, $failed failed"
    [ "$failed" = 0 ] || exit 1
    exit 0
}
trap finish EXIT

# --- prerequisites ---------------------------------------------------------------------------
ensure_run_prereqs
if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
fi
if [ ! end2end/node_modules/.package-lock.json -nt end2end/package-lock.json ]; then
    step "npm ci (end2end)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) ||
        fail "npm ci in end2end failed"
fi

# --- server tests ----------------------------------------------------------------------------
# CI builds once from a clean clone, so incremental-compilation caches (2.5 GB) only cost disk.
if [ "${CI:-}" = true ]; then
    export CARGO_INCREMENTAL=0
fi
step "cargo test -p server -p app (SQLite and PostgreSQL; PostgreSQL tests skip when it is unreachable)"
start=$(now)
cargo test -p server -p app 2>&1 | tee "$LOG_DIR/cargo-test.log"
cargo_status=${PIPESTATUS[0]}
took "$start"
read -r cargo_passed cargo_failed < <(
    awk '/^test result: / {
            for (i = 1; i <= NF; i++) {
                if ($(i + 1) ~ /^passed;?$/) p += $i
                if ($(i + 1) ~ /^failed;?$/) f += $i
            }
         }
         END { print p + 0, f + 0 }' "$LOG_DIR/cargo-test.log"
)
passed=$((passed + cargo_passed))
failed=$((failed + cargo_failed))
if [ "$cargo_status" != 0 ] && [ "$cargo_failed" = 0 ]; then
    problem "cargo test failed before reporting a failing test (build error?)"
fi

# --- release build ---------------------------------------------------------------------------
step "cargo leptos build --release --split"
start=$(now)
cargo leptos build --release --split 2>&1 | tee "$LOG_DIR/build.log"
build_status=${PIPESTATUS[0]}
took "$start"
if [ "$build_status" != 0 ]; then
    problem "cargo leptos build --release --split failed; the browser tests did not run"
    exit 1
fi

# --- browser tests ---------------------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=3100
while port_in_use "$port"; do
    port=$((port + 1))
    [ "$port" -lt 3200 ] || fail "no free port in 127.0.0.1:3100-3199"
done
base_url="http://127.0.0.1:$port"
data_dir="$(mktemp -d "${TMPDIR:-/tmp}/tasks-e2e.XXXXXX")"

step "starting target/release/server on $base_url (data in $data_dir)"
env -u DATABASE_URL -u APP_MODE -u APP_SECRET -u APP_BASE_URL -u APP_TRUSTED_ORIGINS \
    -u APP_TRUSTED_PROXIES -u APP_MAIL_TRANSPORT -u APP_LOG -u LEPTOS_WATCH \
    APP_CONFIG=end2end/e2e-config.toml \
    APP_ADDRESS="127.0.0.1:$port" \
    APP_DATA_DIR="$data_dir" \
    LEPTOS_OUTPUT_NAME=tasks LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
    target/release/server >"$LOG_DIR/server.log" 2>&1 </dev/null &
server_pid=$!

deadline=$(($(now) + 60))
until curl -fsS --max-time 2 "$base_url/healthz" >/dev/null 2>&1; do
    if ! kill -0 "$server_pid" 2>/dev/null || [ "$(now)" -ge "$deadline" ]; then
        echo "--- server log ---"
        cat "$LOG_DIR/server.log"
        echo "------------------"
        problem "the server did not answer $base_url/healthz within 60s; the browser tests did not run"
        exit 1
    fi
    sleep 0.2
done

step "npx playwright test (BASE_URL=$base_url)"
start=$(now)
results="end2end/test-results/results.json"
rm -f "$results"
(cd end2end && BASE_URL="$base_url" E2E_DATA_DIR="$data_dir" npx playwright test) 2>&1 |
    tee "$LOG_DIR/playwright.log"
playwright_status=${PIPESTATUS[0]}
took "$start"
if [ -f "$results" ]; then
    read -r e2e_passed e2e_failed < <(node -e '
        const { stats } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        console.log(stats.expected + stats.flaky, stats.unexpected);
    ' "$results")
    passed=$((passed + e2e_passed))
    failed=$((failed + e2e_failed))
    if [ "$playwright_status" != 0 ] && [ "$e2e_failed" = 0 ]; then
        problem "playwright exited with status $playwright_status"
    fi
else
    problem "playwright wrote no results (exit status $playwright_status)"
fi

stop_server
