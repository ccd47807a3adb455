#!/usr/bin/env bash
# Puts `parley` on the PATH: builds the release binary and copies it to PREFIX/bin (default: /usr/local
# when writable, else ~/.local). Usage: tools/install.sh [--prefix DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=""
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
        -h|--help) sed -n '2,3p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; exit 64 ;;
    esac
done
if [ -z "$prefix" ]; then
    if [ -w /usr/local/bin ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
fi

swift build -c release --product parley >/dev/null
mkdir -p "$prefix/bin"
install -m 755 "$(swift build -c release --show-bin-path)/parley" "$prefix/bin/parley"
echo "installed $prefix/bin/parley ($("$prefix/bin/parley" --version))"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "note: $prefix/bin is not on your PATH; add it, e.g. export PATH=\"$prefix/bin:\$PATH\"" >&2 ;;
esac
