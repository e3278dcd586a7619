#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages twlens builds and tests with. Idempotent: skips apt when
# everything is already there.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-svg-dev libgl-dev
  libqcustomplot-dev libpcap-dev zlib1g-dev rapidjson-dev libarchive-dev
  clang libclang-rt-14-dev
  tcpdump iproute2 nftables
  time                      # /usr/bin/time: peak RSS in tests/benchmarks/run_capture_benchmark.sh
  xvfb xauth poppler-utils
  fonts-dejavu-core         # figures: the offscreen platform draws text with fontconfig's fonts
  file appstream desktop-file-utils   # the .deb: CPack dpkg-shlibdeps, metainfo and desktop checks
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
