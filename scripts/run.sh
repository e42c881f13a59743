#!/usr/bin/env bash
# Command 1: installs what is missing, builds the release site and serves it on
# http://127.0.0.1:3000, with its SQLite database in data/ (created and migrated at start).
# Settings come from Leptos.toml and the environment overrides listed in the README.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/prereqs.sh

ensure_run_prereqs
step "building the release site and serving it on http://127.0.0.1:3000 (Ctrl-C stops)"
exec cargo leptos serve --release --split
