#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Real-kernel fixtures for twlens: TCP teardowns made by this machine's kernel between two network
# namespaces, captured with tcpdump, with the kernel's own view (ss, /proc/net/*, counters) recorded
# at the moments that matter. Needs root, ip(8), tcpdump, nft, tshark, python3.
#
#   tests/kernel/make-fixtures.sh <scenario>|all     (writes tests/data/kernel/<scenario>/)
#   tests/kernel/make-fixtures.sh publish            (copies fixtures to resources/samples and
#                                                     resources/scenarios)
#
# Topology (per scenario, namespaces twl-<scenario>-$$-{c,s}, deleted on exit):
#   client netns: br0 127.1.0.1/24 -- port v-c  ==veth==  v-s 127.1.0.2/24 :server netns
# The client's address sits on a one-port bridge so that a drop in the bridge's output hook
# (nft table bridge twl) happens AFTER tcpdump on br0 saw the packet and BEFORE it reaches the
# wire: client.pcap (br0) is the client's vantage point, server.pcap (v-s) the server's.
# Only 127.0.0.0/8 addresses (route_localnet=1 inside the namespaces); the host is not touched.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA="$ROOT/tests/data/kernel"
SNAPLEN=128
PIDS=()
NETNSES=()

cleanup() {
  local p n
  for p in "${PIDS[@]}"; do
    kill -INT "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    timeout 5 tail --pid="$p" -f /dev/null 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
  done
  PIDS=()
  for n in "${NETNSES[@]}"; do
    ip netns pids "$n" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns del "$n" 2>/dev/null || true
  done
  NETNSES=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "make-fixtures: $*" >&2; exit 1; }

# setup NAME: two namespaces joined by veth, client address on a one-port bridge.
setup() {
  CNS="twl-$1-$$-c"
  SNS="twl-$1-$$-s"
  ip netns add "$CNS"; NETNSES+=("$CNS")
  ip netns add "$SNS"; NETNSES+=("$SNS")
  local n
  for n in "$CNS" "$SNS"; do
    ip netns exec "$n" sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.default.route_localnet=1 \
      net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
    ip -n "$n" link set lo up
  done
  ip -n "$CNS" link add v-c type veth peer name v-s netns "$SNS"
  ip -n "$CNS" link add br0 type bridge
  ip -n "$CNS" link set v-c master br0
  ip -n "$CNS" addr add 127.1.0.1/24 dev br0
  ip -n "$SNS" addr add 127.1.0.2/24 dev v-s
  ip -n "$CNS" link set v-c up
  ip -n "$CNS" link set br0 up
  ip -n "$SNS" link set v-s up
  # Bridge forwarding delay: br0 forwards at once (one port, no loops).
  ip -n "$CNS" link set br0 type bridge forward_delay 0 stp_state 0
  ip netns exec "$CNS" nft -f - <<'EOF'
add table bridge twl
add chain bridge twl out { type filter hook output priority 0; policy accept; }
EOF
  local i
  for i in $(seq 1 50); do
    if ip -n "$CNS" link show br0 | grep -q 'state UP' &&
       ip -n "$CNS" link show v-c | grep -q 'state UP'; then break; fi
    sleep 0.1
  done
}

csysctl() { ip netns exec "$CNS" sysctl -qw "$@"; }
ssysctl() { ip netns exec "$SNS" sysctl -qw "$@"; }

# capture NS DEV FILE: tcpdump in the background until stop_captures; waits until it listens.
# --immediate-mode: libpcap hands each packet to tcpdump as it arrives (TPACKET_V2) instead of
# in TPACKET_V3 ring blocks that the kernel retires only when full or after the block timeout, so
# nothing is left in the ring when tcpdump stops. -U: each packet is written to the file at once.
# (An earlier old_syn_into_time_wait/client.pcap ended after the second handshake, without the
# second connection's data and teardown; check_capture_complete now catches any such file.)
capture() {
  local ns=$1 dev=$2 file=$3 err i
  err="$file.stderr"
  ip netns exec "$ns" timeout 120 tcpdump -Z root -i "$dev" -s "$SNAPLEN" --immediate-mode -U -n -w "$file" tcp 2>"$err" &
  PIDS+=("$!")
  for i in $(seq 1 100); do
    grep -q 'listening on' "$err" 2>/dev/null && return 0
    sleep 0.05
  done
  die "tcpdump on $ns/$dev did not start: $(cat "$err")"
}

# stop_captures: SIGINT (timeout(1) passes it on to tcpdump), then wait for each to exit so that
# its file is complete and its statistics are on stderr.
stop_captures() {
  local p
  sleep 0.3
  for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}

# check_capture_stats FILE: tcpdump's own counts (FILE.stderr) against the file: nothing dropped
# by the kernel and every captured packet in the file.
check_capture_stats() {
  local file=$1 err="$1.stderr" captured dropped inFile
  [[ -f "$file" ]] || return 0
  captured=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' "$err")
  dropped=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$err")
  inFile=$(tshark -r "$file" 2>/dev/null | wc -l)
  [[ -n "$captured" && -n "$dropped" ]] || die "$file: no tcpdump statistics (did tcpdump exit cleanly?): $(cat "$err")"
  [[ "$dropped" == 0 ]] || die "$file: tcpdump: $dropped packets dropped by kernel"
  [[ "$captured" == "$inFile" ]] || die "$file: tcpdump captured $captured packets, the file holds $inFile"
}

# check_capture_complete DIR FILE: every connection of expected.json is in the capture from its
# SYN to its teardown (a FIN where a side closed with FIN, a RST where it ended by RST), and the
# capture does not end before the program's last close.
check_capture_complete() {
  python3 - "$1/expected.json" "$1/$2" <<'PYEOF' || die "$1/$2: capture incomplete"
import json, subprocess, sys
exp = json.load(open(sys.argv[1]))
out = subprocess.run(["tshark", "-r", sys.argv[2], "-T", "fields", "-e", "frame.time_epoch", "-e", "tcp.srcport",
                      "-e", "tcp.dstport", "-e", "tcp.flags.syn", "-e", "tcp.flags.ack", "-e", "tcp.flags.fin",
                      "-e", "tcp.flags.reset"], capture_output=True, text=True, check=True).stdout
rows = [l.split("\t") for l in out.splitlines() if l]
last = float(rows[-1][0]) if rows else 0.0
bad = []
conns = exp["connections"]
for i, c in enumerate(conns):
    # An incarnation's frames: its port, from its connect() until the next connect() from that port.
    nxt = [d["connect_ts"] for d in conns[i + 1:] if d["client_port"] == c["client_port"]]
    end = nxt[0] if nxt else float("inf")
    mine = [r for r in rows if c["client_port"] in (int(r[1]), int(r[2]))
            and c["connect_ts"] - 0.001 <= float(r[0]) < end]
    tag = "connection %d (port %d)" % (c["index"], c["client_port"])
    if not any(r[3] == "1" and r[4] == "0" for r in mine):
        bad.append(tag + ": no SYN")
    if c.get("active_closer") in ("client", "server", "both") and not any(r[5] == "1" for r in mine):
        bad.append(tag + ": no FIN")
    # The RST that ends an incarnation may come after the next connect() from its port (the
    # client in SYN_SENT resetting the old socket that answered its SYN): look until the next
    # incarnation's handshake completed.
    rst_end = min([d["connected_ts"] for d in conns[i + 1:] if d["client_port"] == c["client_port"]] or [float("inf")])
    late = [r for r in rows if c["client_port"] in (int(r[1]), int(r[2])) and end <= float(r[0]) < rst_end]
    if c.get("close_kind") == "rst" and not any(r[6] == "1" for r in mine + late):
        bad.append(tag + ": no RST")
    # closed_ts is taken after the program's close (simultaneous_close sleeps 0.1 s first).
    if c.get("closed_ts") and c["closed_ts"] > last + 0.2:
        bad.append(tag + ": closed %.3f s after the last frame" % (c["closed_ts"] - last))
for b in bad:
    print("   " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
}

# run SCENARIO: namespaces set up and tuned by the caller; captures, traffic, teardown.
run() {
  local name=$1 out="$DATA/$1"
  rm -rf "$out"; mkdir -p "$out"
  capture "$CNS" br0 "$out/client.pcap"
  capture "$SNS" v-s "$out/server.pcap"
  timeout 60 python3 "$HERE/tcpscenario.py" "$name" --client-ns "$CNS" --server-ns "$SNS" --out "$out"
  stop_captures
  check_capture_stats "$out/client.pcap"
  check_capture_stats "$out/server.pcap"
  rm -f "$out"/*.stderr
  cleanup
  check_capture_complete "$out" client.pcap
  [[ ! -f "$out/server.pcap" ]] || check_capture_complete "$out" server.pcap
  "check_$name" "$out"
  echo "== $name: ok ($(du -sh "$out" | cut -f1))"
}

# ---- capture checks with tshark --------------------------------------------------------------
# count FILE FILTER: number of packets matching a display filter.
count() { tshark -r "$1" -Y "$2" 2>/dev/null | wc -l; }
# flags FILE: one line per packet: time, direction (C> or S>), flags, relative seq/ack.
flags() {
  tshark -r "$1" -T fields -e frame.time_relative -e tcp.srcport -e tcp.flags.str -e tcp.seq -e tcp.ack \
    -e tcp.len 2>/dev/null | awk '{d = ($2 == 8080) ? "S>" : "C>"; printf "%s %s %s seq=%s ack=%s len=%s\n", $1, d, $3, $4, $5, $6}'
}
expect() { # expect DESCRIPTION ACTUAL WANTED
  [[ "$2" == "$3" ]] || die "$CHECKING: $1: got $2, want $3"
}
jq_py() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

check_client_close() {
  CHECKING=client_close; local f="$1/client.pcap"
  expect "first FIN from the client" "$(tshark -r "$f" -Y 'tcp.flags.fin==1' -T fields -e tcp.srcport 2>/dev/null | head -1)" "$(jq_py "$1/expected.json" 'd["connections"][0]["client_port"]')"
  expect "FINs" "$(count "$f" 'tcp.flags.fin==1')" 2
  expect "TIME_WAIT sides per ss" "$(jq_py "$1/expected.json" 'd["connections"][0]["time_wait_sides_ss"]')" "['client']"
  rm -f "$1/server.pcap"
}
check_server_close() {
  CHECKING=server_close; local f="$1/client.pcap"
  expect "first FIN from the server" "$(tshark -r "$f" -Y 'tcp.flags.fin==1' -T fields -e tcp.srcport 2>/dev/null | head -1)" 8080
  expect "TIME_WAIT sides per ss" "$(jq_py "$1/expected.json" 'd["connections"][0]["time_wait_sides_ss"]')" "['server']"
  rm -f "$1/server.pcap"
}
check_simultaneous_close() {
  CHECKING=simultaneous_close; local f="$1/client.pcap"
  # Both FINs appear before any segment ACKs either of them: from the first FIN on, the next
  # teardown segment is the peer's FIN.
  local seq
  seq=$(tshark -r "$f" -T fields -e tcp.flags.fin -e tcp.len 2>/dev/null |
        awk '$1 == 1 {go = 1} go && ($1 == 1 || $2 == 0) {printf "%s", $1}' | head -c 2)
  expect "first two teardown segments are both FINs" "$seq" "11"
  expect "TIME_WAIT sides per ss" "$(jq_py "$1/expected.json" 'd["connections"][0]["time_wait_sides_ss"]')" "['client', 'server']"
  rm -f "$1/server.pcap"
}
check_lost_final_ack() {
  CHECKING=lost_final_ack
  expect "server FINs seen by the client" "$(count "$1/client.pcap" 'tcp.srcport==8080 and tcp.flags.fin==1')" 2
  expect "server FINs seen by the server" "$(count "$1/server.pcap" 'tcp.srcport==8080 and tcp.flags.fin==1')" 2
  # Before the drop (client.pcap) the final ACK is there twice; after it (server.pcap) once.
  expect "client final ACKs before the drop" "$(count "$1/client.pcap" 'tcp.dstport==8080 and tcp.flags==0x010 and tcp.seq_raw>0 and frame.number>7')" 2
  expect "client final ACKs after the drop" "$(count "$1/server.pcap" 'tcp.dstport==8080 and tcp.flags==0x010 and frame.number>7')" 1
  expect "nft drops" "$(jq_py "$1/expected.json" 'd["connections"][0]["final_ack_drops"]')" 1
}
check_so_linger0() {
  CHECKING=so_linger0; local f="$1/client.pcap"
  expect "RST from the client" "$(count "$f" 'tcp.flags.reset==1 and tcp.dstport==8080')" 1
  expect "no FIN" "$(count "$f" 'tcp.flags.fin==1')" 0
  expect "TIME_WAIT sides per ss" "$(jq_py "$1/expected.json" 'd["connections"][0]["time_wait_sides_ss"]')" "[]"
  rm -f "$1/server.pcap"
}
check_half_close() {
  CHECKING=half_close; local f="$1/client.pcap"
  local fin1
  fin1=$(tshark -r "$f" -Y 'tcp.flags.fin==1' -T fields -e frame.number 2>/dev/null | head -1)
  local after
  after=$(count "$f" "frame.number>$fin1 and tcp.srcport==8080 and tcp.len>0")
  [[ $after -ge 5 ]] || die "half_close: server data after the client FIN: $after"
  rm -f "$1/server.pcap"
}
check_tw_reuse() {
  CHECKING=tw_reuse; local f="$1/client.pcap"
  local ports
  ports=$(tshark -r "$f" -Y 'tcp.flags.syn==1 and tcp.flags.ack==0' -T fields -e tcp.srcport 2>/dev/null | sort | uniq -c | wc -l)
  expect "distinct client ports" "$ports" 2
  [[ $(count "$f" 'tcp.flags.syn==1 and tcp.flags.ack==0') -ge 4 ]] || die "tw_reuse: fewer than 4 SYNs"
  [[ $(jq_py "$1/expected.json" 'd["facts"]["TWRecycled"]') -ge 2 ]] || die "tw_reuse: TWRecycled < 2"
  rm -f "$1/server.pcap"
}
check_rst_in_time_wait_rfc1337_0() {
  CHECKING=rst_in_time_wait_rfc1337_0
  expect "RST into the TIME_WAIT" "$(count "$1/client.pcap" 'tcp.flags.reset==1 and tcp.srcport==8080')" 1
  expect "TIME_WAIT survived" "$(jq_py "$1/expected.json" 'd["connections"][0]["time_wait_survived_rst"]')" False
  rm -f "$1/server.pcap"
}
check_rst_in_time_wait_rfc1337_1() {
  CHECKING=rst_in_time_wait_rfc1337_1
  expect "RST into the TIME_WAIT" "$(count "$1/client.pcap" 'tcp.flags.reset==1 and tcp.srcport==8080')" 1
  expect "TIME_WAIT survived" "$(jq_py "$1/expected.json" 'd["connections"][0]["time_wait_survived_rst"]')" True
  rm -f "$1/server.pcap"
}
check_old_syn_into_time_wait() {
  CHECKING=old_syn_into_time_wait; local f="$1/client.pcap"
  expect "server TIME_WAIT before reconnect" "$(jq_py "$1/expected.json" 'd["connections"][0]["server_time_wait_before_reconnect"]')" True
  # From the second SYN on: the Linux pattern SYN, ACK, RST, SYN (retransmitted), SYN-ACK, or the
  # SYN accepted at once (SYN, SYN-ACK). Record which one the kernel did.
  local pat
  pat=$(tshark -r "$f" -T fields -e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.reset 2>/dev/null |
        awk '{ k = ($1 && !$2) ? "SYN" : ($1 ? "SYN-ACK" : ($3 ? "RST" : "ACK")) }
             k == "SYN" { n++ } n >= 2 { printf "%s ", k; if (++m == 5) exit }')
  echo "   old_syn_into_time_wait: from the second SYN: $pat"
  expect "segments from the second SYN" "$pat" "SYN ACK RST SYN SYN-ACK "
  rm -f "$1/server.pcap"
}
check_lost_final_ack_tw_gone() {
  CHECKING=lost_final_ack_tw_gone
  expect "RST answering the retransmitted FIN" "$(count "$1/server.pcap" 'tcp.flags.reset==1 and tcp.dstport==8080')" 1
  expect "server FINs" "$(count "$1/server.pcap" 'tcp.srcport==8080 and tcp.flags.fin==1')" 2
  expect "final ACK missing after the drop" "$(count "$1/server.pcap" 'tcp.dstport==8080 and tcp.flags==0x010 and frame.number>7')" 0
  expect "TIME_WAIT overflow" "$(jq_py "$1/expected.json" 'd["connections"][0]["TCPTimeWaitOverflow_delta"]')" 1
}
check_fin_wait2_timeout() {
  CHECKING=fin_wait2_timeout; local f="$1/client.pcap"
  expect "server FIN" "$(count "$f" 'tcp.srcport==8080 and tcp.flags.fin==1')" 1
  expect "RST from the client after the server FIN" "$(count "$f" 'tcp.dstport==8080 and tcp.flags.reset==1')" 1
  rm -f "$1/server.pcap"
}
check_port_exhaustion() {
  CHECKING=port_exhaustion
  expect "connect failure" "$(jq_py "$1/expected.json" 'd["facts"]["first_failure"]["errno"]')" EADDRNOTAVAIL
  expect "connections" "$(jq_py "$1/expected.json" 'd["facts"]["connections_made"]')" 20
  expect "SYNs" "$(count "$1/client.pcap" 'tcp.flags.syn==1 and tcp.flags.ack==0')" 20
  rm -f "$1/server.pcap"
}
check_sample() {
  CHECKING=sample
  expect "connect failure" "$(jq_py "$1/expected.json" 'd["facts"]["first_failure"]["errno"]')" EADDRNOTAVAIL
  expect "connections (16 ports + 1 freed by the assassination)" "$(jq_py "$1/expected.json" 'd["facts"]["connections_made"]')" 17
  expect "injected RST" "$(count "$1/client.pcap" 'tcp.flags.reset==1 and tcp.srcport==8080')" 1
  expect "FIN retransmission" "$(count "$1/client.pcap" 'tcp.srcport==8080 and tcp.flags.fin==1')" 18
  rm -f "$1/server.pcap"
}

check_syn_to_last_ack() {
  CHECKING=syn_to_last_ack; local f="$1/client.pcap"
  expect "server in LAST_ACK before the reconnect" "$(jq_py "$1/expected.json" 'd["connections"][0]["server_last_ack_before_reconnect"]')" True
  expect "final ACK drops" "$(jq_py "$1/expected.json" 'd["connections"][0]["final_ack_drops"]')" 1
  expect "TIME_WAIT overflow" "$(jq_py "$1/expected.json" 'd["connections"][0]["TCPTimeWaitOverflow_delta"]')" 1
  expect "server FINs of the first connection (no retransmission)" "$(count "$f" 'tcp.srcport==8080 and tcp.flags.fin==1')" 2
  # From the second SYN on: SYN, challenge ACK (LAST_ACK), RST (client, SYN_SENT), SYN again, SYN-ACK.
  local pat
  pat=$(tshark -r "$f" -T fields -e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.reset 2>/dev/null |
        awk '{ k = ($1 && !$2) ? "SYN" : ($1 ? "SYN-ACK" : ($3 ? "RST" : "ACK")) }
             k == "SYN" { n++ } n >= 2 { printf "%s ", k; if (++m == 5) exit }')
  echo "   syn_to_last_ack: from the second SYN: $pat"
  expect "segments from the second SYN" "$pat" "SYN ACK RST SYN SYN-ACK "
  # server.pcap kept: the server's vantage point has no final ACK (dropped before the wire).
  expect "client final ACKs the server saw in the first connection" "$(count "$1/server.pcap" 'tcp.dstport==8080 and tcp.flags==0x010 and frame.number>7 and frame.number<12')" 0
}

check_old_duplicate() {
  CHECKING=old_duplicate; local f="$1/client.pcap"
  expect "server TIME_WAIT before reconnect" "$(jq_py "$1/expected.json" 'd["connections"][0]["server_time_wait_before_reconnect"]')" True
  expect "SYNs (one a connection)" "$(count "$f" 'tcp.flags.syn==1 and tcp.flags.ack==0')" 2
  expect "injected segment (no timestamp option)" "$(count "$f" 'tcp.srcport==8080 and tcp.len==23 and !tcp.options.timestamp.tsval')" 1
  expect "client read nothing of it" "$(jq_py "$1/expected.json" 'd["connections"][1]["client_read_after_injection"]')" 0
  [[ $(jq_py "$1/expected.json" 'd["connections"][1]["client_dupacks_after_injection"]') -ge 1 ]] || die "old_duplicate: no duplicate ACK"
  rm -f "$1/server.pcap"
}

check_desync() {
  CHECKING=desync; local f="$1/client.pcap"
  expect "injected ACKs of unsent data" "$(count "$f" 'tcp.srcport==8080 and tcp.flags==0x010 and !tcp.options.timestamp.tsval')" 5
  rm -f "$1/server.pcap"
}

check_paws_reject() {
  CHECKING=paws_reject; local f="$1/client.pcap"
  expect "server TIME_WAIT before the SYNs" "$(jq_py "$1/expected.json" 'd["connections"][0]["server_time_wait_before_syn"]')" True
  expect "SYNs" "$(count "$f" 'tcp.flags.syn==1 and tcp.flags.ack==0')" 4
  expect "SYN-ACKs" "$(count "$f" 'tcp.flags.syn==1 and tcp.flags.ack==1')" 1
  rm -f "$1/server.pcap"
}

# ---- scenarios ---------------------------------------------------------------------------------
# tcp_tw_reuse is set to 0 unless a scenario is about it: 127.0.0.0/8 counts as loopback for the
# default value 2, which would otherwise let connect() reuse TIME_WAIT ports.
base() { setup "$1"; csysctl net.ipv4.tcp_tw_reuse=0; ssysctl net.ipv4.tcp_tw_reuse=0; }

client_close()        { base client_close; run client_close; }
server_close()        { base server_close; run server_close; }
simultaneous_close()  { base simultaneous_close; run simultaneous_close; }
lost_final_ack()      { base lost_final_ack; run lost_final_ack; }
so_linger0()          { base so_linger0; run so_linger0; }
half_close()          { base half_close; run half_close; }
tw_reuse() {
  base tw_reuse
  csysctl net.ipv4.tcp_tw_reuse=1 "net.ipv4.ip_local_port_range=40000 40001"
  run tw_reuse
}
rst_in_time_wait_rfc1337_0() { base rst_in_time_wait_rfc1337_0; csysctl net.ipv4.tcp_rfc1337=0; run rst_in_time_wait_rfc1337_0; }
rst_in_time_wait_rfc1337_1() { base rst_in_time_wait_rfc1337_1; csysctl net.ipv4.tcp_rfc1337=1; run rst_in_time_wait_rfc1337_1; }
old_syn_into_time_wait() {
  base old_syn_into_time_wait
  csysctl net.ipv4.tcp_timestamps=0
  ssysctl net.ipv4.tcp_rfc1337=0
  run old_syn_into_time_wait
}
lost_final_ack_tw_gone() { base lost_final_ack_tw_gone; csysctl net.ipv4.tcp_max_tw_buckets=0; run lost_final_ack_tw_gone; }
fin_wait2_timeout()      { base fin_wait2_timeout; csysctl net.ipv4.tcp_fin_timeout=2; run fin_wait2_timeout; }
syn_to_last_ack() {
  base syn_to_last_ack
  csysctl net.ipv4.tcp_max_tw_buckets=0
  # The server's FIN is retransmitted no sooner than 1 s (route rto_min), so the reconnect meets
  # the LAST_ACK socket rather than the RST answering a retransmitted FIN.
  ip -n "$SNS" route replace 127.1.0.0/24 dev v-s proto kernel scope link src 127.1.0.2 rto_min 1000ms
  run syn_to_last_ack
}
old_duplicate() { base old_duplicate; run old_duplicate; }
desync() { base desync; run desync; }
paws_reject() { base paws_reject; ssysctl net.ipv4.tcp_rfc1337=1; run paws_reject; }
port_exhaustion() {
  base port_exhaustion
  csysctl "net.ipv4.ip_local_port_range=41000 41019"
  run port_exhaustion
}
sample() {
  base sample
  csysctl "net.ipv4.ip_local_port_range=41000 41015" net.ipv4.tcp_rfc1337=0
  run sample
}

SCENARIOS=(client_close server_close simultaneous_close lost_final_ack so_linger0 half_close tw_reuse
           rst_in_time_wait_rfc1337_0 rst_in_time_wait_rfc1337_1 old_syn_into_time_wait
           lost_final_ack_tw_gone fin_wait2_timeout port_exhaustion sample syn_to_last_ack old_duplicate desync paws_reject)

# publish: the bundled sample (resources/samples) and the scenario library (resources/scenarios).
publish() {
  local res="$ROOT/resources"
  mkdir -p "$res/samples" "$res/scenarios"
  rm -f "$res/samples/"*.txt "$res/samples/sample.pcap"
  cp "$DATA/sample/client.pcap" "$res/samples/sample.pcap"
  local f
  for f in "$DATA/sample/"*.client.ss-tano.txt "$DATA/sample/"*.client.ss-s.txt "$DATA/sample/"*.client.sockstat.txt; do
    cp "$f" "$res/samples/sample-$(basename "$f" | sed 's/\.client\./-/')"
  done
  cp "$DATA/sample/01-sysctl.client.sysctl.txt" "$res/samples/sample-sysctl.txt"
  cp "$DATA/sample/01-sysctl.client.netstat.txt" "$res/samples/sample-netstat-start.txt"
  local pair name src
  for pair in client-close:client_close server-close:server_close simultaneous-close:simultaneous_close \
              half-close:half_close lost-final-ack:lost_final_ack rst-in-time-wait-rfc1337-0:rst_in_time_wait_rfc1337_0 \
              rst-in-time-wait-rfc1337-1:rst_in_time_wait_rfc1337_1 tw-reuse:tw_reuse port-exhaustion:port_exhaustion \
              so-linger-0:so_linger0; do
    name=${pair%%:*}; src=${pair##*:}
    cp "$DATA/$src/client.pcap" "$res/scenarios/$name.pcap"
    # The client's sysctls, where they change the verdict (tcp_rfc1337, tcp_tw_reuse, port range).
    case "$src" in
      rst_in_time_wait_*|tw_reuse|port_exhaustion) cp "$DATA/$src/01-sysctl.client.sysctl.txt" "$res/scenarios/$name.sysctl.txt" ;;
    esac
  done
  echo "== published to $res/samples and $res/scenarios"
}

[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces, tcpdump, nft)"
[[ $# -ge 1 ]] || die "usage: $0 <scenario>|all|publish   scenarios: ${SCENARIOS[*]}"
for arg in "$@"; do
  case "$arg" in
    all) for s in "${SCENARIOS[@]}"; do "$s"; done ;;
    publish) publish ;;
    *) [[ " ${SCENARIOS[*]} " == *" $arg "* ]] || die "unknown scenario '$arg'"; "$arg" ;;
  esac
done
