#!/usr/bin/env bash
# Benchmarks: builds the release site, starts it on SQLite at 127.0.0.1:3900 with
# bench/bench-config.toml, drives it with wrk on the same machine and prints the figures.
#
#   bench/run.sh            # full run, about 2 minutes after the build
#   DURATION=5s bench/run.sh
#
# Needs: wrk, curl, gzip, brotli (installed with apt-get when missing), and the tools
# scripts/run.sh installs (cargo-leptos, wasm-bindgen, wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10s}"
ADDR="127.0.0.1:3900"
BASE="http://$ADDR"
DATA="target/bench-data"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk || ! need brotli; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk brotli >/dev/null
fi
if [ -d .tools/node_modules/.bin ]; then export PATH="$PWD/.tools/node_modules/.bin:$PATH"; fi

echo "== building the release site"
cargo leptos build --release --split 2>&1 | tail -n 3

rm -rf "$DATA"
APP_CONFIG=bench/bench-config.toml APP_SECRET="bench-secret-bench-secret-bench-secret-0123" \
  LEPTOS_SITE_ROOT=target/site ./target/release/server > target/bench-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

peak_rss_mb() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER/status"; }
# The server's CPU time so far (user + system), in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))
# Server CPU microseconds per request of a wrk run: steadier than requests/s on a shared machine.
# usage: cpu_per_request TICKS_BEFORE TICKS_AFTER WRK_OUTPUT
cpu_per_request() {
  local requests
  requests="$(awk '/requests in/ { print $1 }' <<<"$3")"
  if [ -n "$requests" ] && [ "$requests" -gt 0 ]; then
    echo "$(( ($2 - $1) * TICK_US / requests )) us CPU/request"
  fi
}

# wrk prints "Requests/sec: N" and, with --latency, a "99%" line.
rps() { awk '/Requests\/sec/ { printf "%.0f", $2 }'; }
pct() { awk -v p="$1" '$1 == p { print $2 }'; }
errors() { awk '/Non-2xx|Socket errors/ { print }'; }

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== preparing a user, a session, a JWT and 100 tasks"
EMAIL="bench-$(date +%s)@example.com"
curl -fs -c target/bench-cookies -H 'Content-Type: application/json' -H "Origin: $BASE" \
  -d "{\"name\":\"Bench\",\"email\":\"$EMAIL\",\"password\":\"a long bench password\"}" \
  "$BASE/api/auth/sign-up/email" >/dev/null
COOKIE="$(awk '$6 ~ /session_token/ { print $6 "=" $7 }' target/bench-cookies)"
TOKEN="$(curl -fs -H "Cookie: $COOKIE" "$BASE/api/auth/token" | sed -E 's/.*"token":"([^"]+)".*/\1/')"
for i in $(seq 1 100); do
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"title\":\"Task number $i\"}" "$BASE/api/tasks"
done

run_wrk() { wrk -t2 "$@" --latency -d "$DURATION" 2>&1; }

echo "== get-session, 64 connections"
T0="$(cpu_ticks)"
OUT="$(run_wrk -c64 -H "Cookie: $COOKIE" "$BASE/api/auth/get-session")"
GS_CPU="$(cpu_per_request "$T0" "$(cpu_ticks)" "$OUT")"
GS_RPS="$(rps <<<"$OUT")"; GS_P99="$(pct 99% <<<"$OUT")"; GS_ERR="$(errors <<<"$OUT")"

echo "== get-session, 16 connections, while 16 clients sign in continuously"
BODY="{\"email\":\"$EMAIL\",\"password\":\"a long bench password\"}" ORIGIN="$BASE" \
  wrk -t1 -c16 -d "$DURATION" -s bench/post-json.lua "$BASE/api/auth/sign-in/email" > target/bench-flood.txt 2>&1 &
FLOOD=$!
sleep 1
OUT="$(run_wrk -c16 -H "Cookie: $COOKIE" "$BASE/api/auth/get-session")"
wait $FLOOD || true
FL_P99="$(pct 99% <<<"$OUT")"; FL_ERR="$(errors <<<"$OUT")"
SIGNIN_RPS="$(rps < target/bench-flood.txt)"; SIGNIN_ERR="$(errors < target/bench-flood.txt)"

echo "== /api/auth/token, 64 connections"
T0="$(cpu_ticks)"
OUT="$(run_wrk -c64 -H "Cookie: $COOKIE" "$BASE/api/auth/token")"
TK_CPU="$(cpu_per_request "$T0" "$(cpu_ticks)" "$OUT")"
TK_RPS="$(rps <<<"$OUT")"; TK_P99="$(pct 99% <<<"$OUT")"; TK_ERR="$(errors <<<"$OUT")"

echo "== task list (100 tasks), 64 connections"
T0="$(cpu_ticks)"
OUT="$(run_wrk -c64 -H "Authorization: Bearer $TOKEN" "$BASE/api/tasks")"
TL_CPU="$(cpu_per_request "$T0" "$(cpu_ticks)" "$OUT")"
TL_RPS="$(rps <<<"$OUT")"; TL_P99="$(pct 99% <<<"$OUT")"; TL_ERR="$(errors <<<"$OUT")"

echo "== server-side rendering of the 100-task page, 1 connection"
OUT="$(wrk -t1 -c1 --latency -d "$DURATION" -H "Cookie: $COOKIE" "$BASE/tasks" 2>&1)"
SSR_P50="$(pct 50% <<<"$OUT")"; SSR_ERR="$(errors <<<"$OUT")"
grep -q "Task number 100" <(curl -fs -H "Cookie: $COOKIE" "$BASE/tasks") \
  && SSR_CHECK="page contains the tasks" || SSR_CHECK="PAGE DOES NOT CONTAIN THE TASKS"

RSS="$(peak_rss_mb)"

# The main module (every page loads it) and the chunks of the lazily loaded pages.
WASM="target/site/pkg/tasks.wasm"
RAW=$(stat -c %s "$WASM")
GZ=$(gzip -9 -c "$WASM" | wc -c)
BR=$(brotli -q 11 -c "$WASM" | wc -c)
CHUNKS=0
CHUNKS_BR=0
for chunk in target/site/pkg/*.wasm; do
  [ "$chunk" = "$WASM" ] && continue
  CHUNKS=$((CHUNKS + 1))
  CHUNKS_BR=$((CHUNKS_BR + $(brotli -q 11 -c "$chunk" | wc -c)))
done

cat <<REPORT

Benchmark ($(nproc) cores, release build, SQLite, wrk on the same machine, $DURATION per run;
load average before the runs: $LOAD_BEFORE)
  get-session, 64 conns:            ${GS_RPS} req/s, p99 ${GS_P99}, ${GS_CPU}   ${GS_ERR}
  get-session p99 during sign-ins:  ${FL_P99} (sign-ins: ${SIGNIN_RPS} req/s)   ${FL_ERR} ${SIGNIN_ERR}
  /api/auth/token, 64 conns:        ${TK_RPS} req/s, p99 ${TK_P99}, ${TK_CPU}   ${TK_ERR}
  GET /api/tasks, 64 conns:         ${TL_RPS} req/s, p99 ${TL_P99}, ${TL_CPU}   ${TL_ERR}
  SSR /tasks (100 tasks), median:   ${SSR_P50} (${SSR_CHECK})   ${SSR_ERR}
  server peak RSS:                  ${RSS} MB
  WASM main module:                 raw ${RAW} B, gzip ${GZ} B, brotli ${BR} B ($((BR / 1024)) KiB)
  WASM lazily loaded chunks:        ${CHUNKS} files, brotli ${CHUNKS_BR} B in all
REPORT
