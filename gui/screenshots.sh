#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Saves a PNG of the whole twlens window and of each docked view, opened on the bundled sample,
# to docs/screenshots/ (the README's pictures). Builds nothing: run it after a build.
#   gui/screenshots.sh [BUILD_DIR] [OUT_DIR]    (defaults: build/release, docs/screenshots)
#   QT_SCALE_FACTOR=2 gui/screenshots.sh ...     the same at twice the pixels (a high-DPI check)
# Needs xvfb-run (Debian package xvfb). Uses the app's own grab (hidden --screenshot-dir option),
# in a throw-away HOME so no saved window layout or recent files change the pictures.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/release}
out=${2:-$top/docs/screenshots}
app=$build/gui/twlens
[ -x "$app" ] || { echo "screenshots.sh: $app not found; build first (cmake --build --preset release)" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "screenshots.sh: xvfb-run missing (apt-get install xvfb)" >&2; exit 2; }
mkdir -p "$out"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME=$home XDG_RUNTIME_DIR=$home QT_SCALE_FACTOR=${QT_SCALE_FACTOR:-1} \
    timeout 180 xvfb-run -a -s "-screen 0 1920x1200x24" "$app" --sample --screenshot-dir "$out"
echo "screenshots in $out:"
ls -1 "$out"
