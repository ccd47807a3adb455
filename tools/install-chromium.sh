#!/usr/bin/env bash
# Installs Debian's `chromium` package for the headless rendering test of `parley report`
# (Tests/ParleyReportTests/ReportChromiumTests.swift). Idempotent and quiet: does nothing when chromium is
# already on PATH, prints apt's output only when it fails. Needs root (or password-less sudo) and the
# distribution's package sources (Debian bookworm has it in bookworm-security).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        exec sudo -n "$0" "$@"
    fi
    echo "install-chromium.sh: needs root to run apt-get" >&2
    exit 1
fi
output=$(mktemp)
trap 'rm -f "$output"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } >"$output" 2>&1; then
    cat "$output" >&2
    echo "install-chromium.sh: apt-get failed" >&2
    exit 1
fi
command -v chromium >/dev/null
