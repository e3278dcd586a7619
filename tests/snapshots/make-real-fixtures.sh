#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates tests/data/snapshots/real/*: the output of the real tools (ss, netstat, nstat,
# sysctl, /proc/net/*) inside a network namespace holding a known set of TCP sockets.
# Needs root (ip netns); traffic stays on the namespace's loopback (127.0.0.0/8 and ::1).
# The socket set (see real-scenario.py) and so the counts the tests assert:
#   LISTEN 4 (127.0.0.1:8080, 127.0.0.2:9090, [::1]:7070, [::]:6060)
#   TIME-WAIT 11: 6 client side toward 127.0.0.1:8080, 3 server side on 127.0.0.2:9090,
#                 2 client side toward [::1]:7070
#   ESTAB 6: two pairs on 8080 (one client with keepalive after 7 s), one pair on 6060 whose
#            server side is IPv4-mapped ([::ffff:127.0.0.1]:6060)
#   FIN-WAIT-2 1 and CLOSE-WAIT 1: a half-closed pair on 8080
# and collector-bundle.tar.gz, twlens-collect run over the same sockets (2 samples).
# Ephemeral ports come from net.ipv4.ip_local_port_range = 40000 40999 set in the namespace.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../data/snapshots/real"
ns="twlens-snap-fixtures"
mkdir -p "$out"
ip netns add "$ns"
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
ip -n "$ns" link set lo up
ip netns exec "$ns" sysctl -q -w net.ipv4.conf.all.route_localnet=1
ip netns exec "$ns" sysctl -q -w net.ipv4.ip_local_port_range="40000 40999"
ip netns exec "$ns" timeout 60 /usr/bin/python3 "$here/real-scenario.py" "$out"
