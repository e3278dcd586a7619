#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the twlens .deb with cpack into a temporary directory and checks it: every file the
# package promises (binaries, desktop entry, icon, metainfo, man pages, collector, sample,
# scenarios), its control fields and Depends line, then runs the packaged twlens-cli from an
# extracted copy on the packaged sample and compares its JSON with the build tree's twlens-cli.
# Usage: check_deb.sh BUILD_DIR VERSION [CPACK]
set -euo pipefail
build=$(cd "${1:?build dir}" && pwd)
version=${2:?version}
cpack=${3:-cpack}
src=$(cd "$(dirname "$0")/../.." && pwd)
fail() { printf 'check_deb: FAIL: %s\n' "$*" >&2; exit 1; }
ok() { printf 'check_deb: ok: %s\n' "$*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$cpack" -G DEB -B "$tmp/out" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB"; }
debs=("$tmp"/out/twlens_"$version"_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one twlens_${version}_*.deb, got: ${debs[*]}"
deb=${debs[0]}
ok "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# Contents: path and, for the programs, the executable bits.
dpkg-deb -c "$deb" >"$tmp/contents"
has() { # path [mode-regex]
    grep -Eq "^${2:-.}[^ ]* +[^ ]+ +[0-9]+ +[^ ]+ +[^ ]+ +\./$1\$" "$tmp/contents" || fail "package lacks $1"
}
for prog in twlens twlens-cli twlens-collect; do has "usr/bin/$prog" '-rwxr-xr-x'; done
has usr/share/applications/twlens.desktop '-rw-r--r--'
has usr/share/icons/hicolor/scalable/apps/twlens.svg
has usr/share/metainfo/io.github.twlens.metainfo.xml
has usr/share/man/man1/twlens.1.gz
has usr/share/man/man1/twlens-cli.1.gz
has usr/share/twlens/samples/sample.pcap
for f in "$src"/resources/scenarios/*; do has "usr/share/twlens/scenarios/$(basename "$f")"; done
ok "contents: 3 programs, desktop entry, icon, metainfo, 2 man pages, sample, $(ls "$src"/resources/scenarios | wc -l) scenario files"

# Control fields.
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = twlens ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), want $version"
[ "$(field Section)" = net ] || fail "Section: $(field Section)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
depends=$(field Depends)
for p in libqt6widgets6 libqt6svg6 libqcustomplot2.1-qt6 libpcap0.8 zlib1g libarchive13 libc6 libstdc++6 fonts-dejavu-core; do
    # No grep -q at the end of a pipe: under pipefail its early exit can SIGPIPE the writer.
    printf '%s\n' "$depends" | tr ',' '\n' | awk '{print $1}' | grep -Fx "$p" >/dev/null || fail "Depends lacks $p: $depends"
done
# Two lines: the summary, then the README's first sentence.
description=$(field Description)
[ "$(printf '%s\n' "$description" | wc -l)" -eq 2 ] || fail "Description is not two lines: $description"
[ "$(printf '%s\n' "$description" | head -n 1)" = "TCP teardown and TIME_WAIT analyzer" ] || fail "Description summary"
printf '%s\n' "$description" | sed -n 2p | grep >/dev/null '^ twlens shows how TCP connections close: ' || fail "Description body"
ok "control: twlens $version, section net, Depends: $depends"

# The files themselves, extracted.
root=$tmp/root
dpkg-deb -x "$deb" "$root"
grep -q "<release version=\"$version\"" "$root/usr/share/metainfo/io.github.twlens.metainfo.xml" ||
    fail "metainfo has no <release> for $version"
for line in 'Exec=twlens %F' 'Icon=twlens' 'Categories=Network;Development;Education;' \
    'MimeType=application/vnd.tcpdump.pcap;application/x-pcapng;'; do
    grep -qxF "$line" "$root/usr/share/applications/twlens.desktop" || fail "desktop entry lacks $line"
done
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$root/usr/share/metainfo/io.github.twlens.metainfo.xml" >"$tmp/as.log" 2>&1 ||
        { cat "$tmp/as.log" >&2; fail "appstreamcli validate"; }
    ok "metainfo validates"
fi
if command -v desktop-file-validate >/dev/null; then
    # Hints (three main categories, as asked for) are not errors.
    desktop-file-validate "$root/usr/share/applications/twlens.desktop" >"$tmp/dfv.log" 2>&1 || true
    ! grep -Eq ': (error|warning):' "$tmp/dfv.log" || { cat "$tmp/dfv.log" >&2; fail "desktop-file-validate"; }
    ok "desktop entry validates"
fi
if command -v groff >/dev/null; then
    for page in twlens twlens-cli; do
        w=$(gzip -dc "$root/usr/share/man/man1/$page.1.gz" | groff -man -Tutf8 -ww 2>&1 >/dev/null)
        [ -z "$w" ] || fail "groff warnings in $page.1: $w"
    done
    ok "man pages render without groff warnings"
fi

# The packaged CLI, with nothing from the build tree on its library path, on the packaged sample.
# Run from the sample's directory with a relative path so the JSON (which names its inputs) is
# comparable byte for byte with the build tree's twlens-cli on the same file.
cd "$root/usr/share/twlens/samples"
env -u LD_LIBRARY_PATH "$root/usr/bin/twlens-cli" analyze sample.pcap --json - --quiet >"$tmp/packaged.json" ||
    fail "packaged twlens-cli exited $?"
grep -q '"schema": *"twlens/1"' "$tmp/packaged.json" || fail "packaged twlens-cli: no twlens/1 JSON"
grep -Eq '"connections": *\[ *\{' "$tmp/packaged.json" || fail "packaged twlens-cli: no connections"
"$build/cli/twlens-cli" analyze sample.pcap --json - --quiet >"$tmp/built.json"
cmp -s "$tmp/packaged.json" "$tmp/built.json" || fail "packaged and built twlens-cli disagree on sample.pcap"
ok "packaged twlens-cli analyses the packaged sample ($(grep -Eo '"client": *\{' "$tmp/packaged.json" | wc -l) connections), same JSON as the build tree's"
