#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One command for each of the README's two set-ups on a fresh Debian 12 machine:
#   installer/build.sh run    install dependencies, build, start twlens on the bundled sample
#   installer/build.sh test   install dependencies, build, run every test (CTest)
#   installer/build.sh deps   only install the Debian packages
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
what=${1:-}
case "$what" in run|test|deps) ;; *) echo "usage: $0 run|test|deps" >&2; exit 2 ;; esac

"$here/install-deps.sh"
[ "$what" = deps ] && exit 0

preset=release
cd "$top"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"

if [ "$what" = run ]; then
    exec "$top/build/$preset/gui/twlens" --sample
fi
# Tests that open windows draw offscreen; no display is needed.
export QT_QPA_PLATFORM=offscreen
ctest --preset "$preset" -j "$(nproc)"
