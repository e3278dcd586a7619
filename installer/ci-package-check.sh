#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CI, after the tests: build the .deb from a built tree, install it with apt on this machine,
# run the installed twlens-cli on the installed sample, then remove the package again.
# Needs root (CI runs as root). Usage: installer/ci-package-check.sh [BUILD_DIR]
# (default build/release, the tree `installer/build.sh test` builds).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build/release}" && pwd)
fail() { printf 'ci-package-check: FAIL: %s\n' "$*" >&2; exit 1; }
say() { printf 'ci-package-check: %s\n' "$*"; }
[ "$(id -u)" -eq 0 ] || fail "must run as root (it installs the package with apt-get)"
if dpkg-query -W -f='${Status}' twlens 2>/dev/null | grep -q 'install ok installed'; then
    fail "a twlens package is already installed; this check would replace and then remove it"
fi

out=$(mktemp -d)
installed=0
cleanup() {
    if [ "$installed" -eq 1 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq twlens >/dev/null || true
    fi
    rm -rf "$out"
}
trap cleanup EXIT

(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log" >&2; fail "cpack"; }
debs=("$out"/twlens_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one twlens_*.deb in $out"
deb=${debs[0]}
say "built $(basename "$deb"), $(stat -c %s "$deb") bytes; Depends: $(dpkg-deb -f "$deb" Depends)"

# apt resolves the Depends line from the Debian archive, as a user's `apt-get install ./twlens_*.deb`.
# _apt cannot read a file under root's private temporary directory, so it reads a world-readable copy.
chmod 755 "$out" && chmod 644 "$deb"
installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$out/apt.log" 2>&1 ||
    { cat "$out/apt.log" >&2; fail "apt-get install $deb"; }
dpkg-query -W -f='${Status} ${Version}\n' twlens | grep -q '^install ok installed' || fail "twlens not installed"
say "installed: $(dpkg-query -W -f='${Package} ${Version}' twlens)"

[ "$(command -v twlens-cli)" = /usr/bin/twlens-cli ] || fail "twlens-cli on PATH is $(command -v twlens-cli)"
cd /
summary=$(env -u LD_LIBRARY_PATH /usr/bin/twlens-cli analyze /usr/share/twlens/samples/sample.pcap 2>"$out/stderr") ||
    { cat "$out/stderr" >&2; fail "installed twlens-cli exited $?"; }
[ -n "$summary" ] || fail "installed twlens-cli printed no summary"
json=$(env -u LD_LIBRARY_PATH /usr/bin/twlens-cli analyze /usr/share/twlens/samples/sample.pcap --json - --quiet) ||
    fail "installed twlens-cli --json exited $?"
grep -q '"schema": *"twlens/1"' <<<"$json" || fail "no twlens/1 JSON"
grep -Eq '"connections": *\[ *\{' <<<"$json" || fail "JSON without connections"
say "installed twlens-cli analysed the installed sample: $(grep -Eo '"client": *\{' <<<"$json" | wc -l) connections"
printf '%s\n' "$summary" | head -n 5 | sed 's/^/    /'

# render and report need Qt's offscreen platform and a font, not a display.
env -u LD_LIBRARY_PATH -u DISPLAY -u WAYLAND_DISPLAY /usr/bin/twlens-cli render /usr/share/twlens/samples/sample.pcap \
    --view ladder -o "$out/ladder.svg" 2>"$out/stderr" || { cat "$out/stderr" >&2; fail "installed twlens-cli render exited $?"; }
grep -q '<text' "$out/ladder.svg" || fail "rendered SVG has no text"
env -u LD_LIBRARY_PATH -u DISPLAY -u WAYLAND_DISPLAY /usr/bin/twlens-cli report /usr/share/twlens/samples/sample.pcap \
    -o "$out/report.pdf" 2>"$out/stderr" || { cat "$out/stderr" >&2; fail "installed twlens-cli report exited $?"; }
head -c 5 "$out/report.pdf" | grep -q '%PDF-' || fail "report is not a PDF"
say "installed twlens-cli rendered a ladder SVG ($(grep -c '<text' "$out/ladder.svg") text lines) and a PDF report ($(wc -c <"$out/report.pdf") bytes)"

env -u LD_LIBRARY_PATH /usr/bin/twlens-collect -h >/dev/null || fail "installed twlens-collect -h"
man -w twlens-cli >/dev/null 2>&1 || [ -f /usr/share/man/man1/twlens-cli.1.gz ] || fail "man page twlens-cli(1)"

DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq twlens >/dev/null || fail "apt-get remove twlens"
installed=0
! dpkg-query -W -f='${Status}' twlens 2>/dev/null | grep -q 'install ok installed' || fail "twlens still installed"
[ ! -e /usr/bin/twlens-cli ] || fail "/usr/bin/twlens-cli left behind"
say "removed again; ok"
