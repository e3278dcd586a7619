#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Traffic driver for the twlens real-kernel fixtures (run by make-fixtures.sh, as root).

One process drives both ends: it enters the client and the server network namespaces with
setns(2) (ctypes, Python 3.11 has no os.setns) and creates each socket in its namespace, so
every scenario is one deterministic sequential program. It records socket snapshots at the
meaningful moments (each file's first line is "# " followed by `date +%s.%N`, epoch seconds
with nine fractional digits), adds the one-shot nftables drop rules a scenario needs, injects
hand-built RST segments through a raw socket, and writes expected.json: what the kernel showed
(ss rows and timers, connect() results, counters), for tests to assert against.

Only addresses in 127.0.0.0/8 are used; nothing leaves the two namespaces.
Usage: tcpscenario.py SCENARIO --client-ns NS --server-ns NS --out DIR
"""
import argparse
import ctypes
import errno
import json
import os
import re
import socket
import struct
import subprocess
import threading
import time

CLIENT_IP = "127.1.0.1"
SERVER_IP = "127.1.0.2"
PORT = 8080
CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)

SS_KINDS = {
    "ss-tano": "ss -tano",
    "ss-tani": "ss -tani",
    "ss-s": "ss -s",
    "sockstat": "cat /proc/net/sockstat",
    "proc-net-tcp": "cat /proc/net/tcp",
    "netstat": "cat /proc/net/netstat",
    "sysctl": "sysctl -a 2>/dev/null | grep -E 'net.ipv4.(tcp_|ip_local)'",
}
MOMENT_KINDS = ("ss-tano", "ss-tani", "ss-s", "sockstat", "proc-net-tcp")
SS_STATES = {"ESTAB": "ESTABLISHED", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV",
             "FIN-WAIT-1": "FIN_WAIT_1", "FIN-WAIT-2": "FIN_WAIT_2", "TIME-WAIT": "TIME_WAIT",
             "CLOSE-WAIT": "CLOSE_WAIT", "LAST-ACK": "LAST_ACK", "LISTEN": "LISTEN",
             "CLOSING": "CLOSING"}


def enter_ns(name):
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, f"setns {name}: {os.strerror(e)}")
    finally:
        os.close(fd)


def ss_time_ms(text):
    """ss's timer text (iproute2 print_ms_timer): '59sec', '5.200ms' (5.2 s), '200ms', '1min5sec', ''."""
    m = re.fullmatch(r"(?:(\d+)min)?(?:(\d+)(sec|\.))?(?:(\d+)ms)?", text)
    if not m:
        return None
    mins, secs, _, ms = m.groups()
    return int(mins or 0) * 60000 + int(secs or 0) * 1000 + int(ms or 0)


def parse_ss_tano(path):
    rows = []
    with open(path) as f:
        lines = f.read().splitlines()
    ts = float(lines[0][2:])
    for line in lines[1:]:
        parts = line.split()
        if len(parts) < 5 or parts[0] not in SS_STATES:
            continue
        lip, lport = parts[3].rsplit(":", 1)
        rip, rport = parts[4].rsplit(":", 1)
        row = {"state": SS_STATES[parts[0]], "local": [lip, int(lport) if lport != "*" else 0],
               "remote": [rip, int(rport) if rport != "*" else 0]}
        m = re.search(r"timer:\((\w+),([^,]*),(\d+)\)", line)
        if m:
            row["timer"] = m.group(1)
            row["timer_text"] = m.group(2)
            row["timer_ms"] = ss_time_ms(m.group(2))
        rows.append(row)
    return ts, rows


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Sniffer:
    """AF_PACKET reader on the server's veth: learns sequence numbers (e.g. the client's RCV.NXT)."""

    def __init__(self, ns, dev):
        enter_ns(ns)
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
        self.sock.bind((dev, 0))
        self.sock.settimeout(0.05)
        self.packets = []
        self.lock = threading.Lock()
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        deadline = time.time() + 60
        while not self.stop and time.time() < deadline:
            try:
                frame = self.sock.recv(256)
            except socket.timeout:
                continue
            if len(frame) < 54 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
                continue
            ihl = (frame[14] & 0x0F) * 4
            total = struct.unpack("!H", frame[16:18])[0]
            t = 14 + ihl
            sport, dport, seq, ack, off, flags = struct.unpack("!HHIIBB", frame[t:t + 14])
            pkt = {"ts": time.time(), "src": socket.inet_ntoa(frame[26:30]), "sport": sport,
                   "dst": socket.inet_ntoa(frame[30:34]), "dport": dport, "seq": seq, "ack": ack,
                   "flags": flags, "len": total - ihl - (off >> 4) * 4}
            opts = frame[t + 20:t + (off >> 4) * 4]
            i = 0
            while i < len(opts) and opts[i] != 0:  # TCP options: the timestamp (kind 8)
                if opts[i] == 1:
                    i += 1
                    continue
                if i + 1 >= len(opts) or opts[i + 1] < 2:
                    break
                if opts[i] == 8 and opts[i + 1] == 10 and i + 10 <= len(opts):
                    pkt["tsval"], pkt["tsecr"] = struct.unpack("!II", opts[i + 2:i + 10])
                i += opts[i + 1]
            with self.lock:
                self.packets.append(pkt)

    def rcv_nxt_of_client(self, client_port, wait=2.0):
        """The client's RCV.NXT once the server's FIN is out: FIN seq + payload + 1."""
        deadline = time.time() + wait
        while time.time() < deadline:
            with self.lock:
                fins = [p for p in self.packets if p["sport"] == PORT and p["dport"] == client_port
                        and p["flags"] & 0x01]
            if fins:
                p = fins[-1]
                return (p["seq"] + p["len"] + 1) & 0xFFFFFFFF
            time.sleep(0.02)
        raise RuntimeError(f"no server FIN seen toward port {client_port}")

    def close(self):
        self.stop = True
        self.thread.join(2)
        self.sock.close()


class Lab:
    def __init__(self, args):
        self.cns, self.sns, self.out = args.client_ns, args.server_ns, args.out
        self.scenario = args.scenario
        self.snapshots = []
        self.events = []
        self.connections = []
        self.facts = {}
        self.snap_no = 0
        self.sniffer = None
        self.t0 = time.time()
        os.makedirs(self.out, exist_ok=True)

    # ---- namespaces and sockets
    def ns(self, side):
        return self.cns if side == "client" else self.sns

    def listen(self, port=PORT):
        enter_ns(self.sns)
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((SERVER_IP, port))
        s.listen(256)
        s.settimeout(5)
        return s

    def connect(self, port=PORT, bind_port=None):
        """Returns (socket, connect start time, connect end time) or raises OSError."""
        enter_ns(self.cns)
        c = socket.socket()
        c.settimeout(5)
        if bind_port is not None:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            c.bind((CLIENT_IP, bind_port))
        t = time.time()
        try:
            c.connect((SERVER_IP, port))
        except OSError:
            c.close()
            raise
        return c, t, time.time()

    def pair(self, listener, bind_port=None, note=""):
        c, t, t_done = self.connect(bind_port=bind_port)
        s, _ = listener.accept()
        s.settimeout(5)
        conn = {"index": len(self.connections), "client_ip": CLIENT_IP, "client_port": c.getsockname()[1],
                "server_ip": SERVER_IP, "server_port": PORT, "connect_ts": t, "connected_ts": t_done}
        if note:
            conn["note"] = note
        self.connections.append(conn)
        self.event("connect", port=conn["client_port"], ok=True, connection=conn["index"])
        return c, s, conn

    @staticmethod
    def exchange(c, s, reply=b"HTTP/1.0 200 OK\r\n\r\nhello\n"):
        c.sendall(b"GET / HTTP/1.0\r\n\r\n")
        s.recv(4096)
        s.sendall(reply)
        got = b""
        while len(got) < len(reply):
            chunk = c.recv(4096)
            if not chunk:
                break
            got += chunk

    @staticmethod
    def drain_to_eof(sock):
        total = 0
        while True:
            chunk = sock.recv(1 << 16)
            if not chunk:
                return total
            total += len(chunk)

    def event(self, what, **kw):
        e = {"ts": time.time(), "what": what}
        e.update(kw)
        self.events.append(e)
        return e

    # ---- snapshots
    def snapshot(self, label, sides=("client", "server"), kinds=MOMENT_KINDS):
        self.snap_no += 1
        name = f"{self.snap_no:02d}-{label}"
        entry = {"label": name, "files": {}}
        for side in sides:
            script = []
            for kind in kinds:
                fname = f"{name}.{side}.{kind}.txt"
                entry["files"].setdefault(side, {})[kind] = fname
                script.append(f"{{ printf '# '; date +%s.%N; {SS_KINDS[kind]}; }} > '{self.out}/{fname}'")
            subprocess.run(["ip", "netns", "exec", self.ns(side), "sh", "-c", "\n".join(script)],
                           check=True, timeout=20)
            if "ss-tano" in kinds:
                ts, rows = parse_ss_tano(os.path.join(self.out, entry["files"][side]["ss-tano"]))
                entry.setdefault("ts", {})[side] = ts
                entry.setdefault("sockets", {})[side] = [r for r in rows if r["state"] != "LISTEN"]
                entry.setdefault("time_wait_count", {})[side] = sum(r["state"] == "TIME_WAIT" for r in rows)
        self.snapshots.append(entry)
        return entry

    def counters(self, side):
        out = subprocess.run(["ip", "netns", "exec", self.ns(side), "cat", "/proc/net/netstat"],
                             capture_output=True, text=True, check=True, timeout=10).stdout.splitlines()
        vals = {}
        for names, values in zip(out[0::2], out[1::2]):
            prefix = names.split(":")[0]
            for n, v in zip(names.split()[1:], values.split()[1:]):
                vals[prefix + n] = int(v)
        return vals

    # ---- nftables: one-shot drops (limit rate 1/hour burst 1 matches the first packet only)
    def nft(self, side, script):
        subprocess.run(["ip", "netns", "exec", self.ns(side), "nft", "-f", "-"], input=script, text=True,
                       check=True, timeout=10)

    def drop_first_final_ack(self, client_port):
        # In the client namespace, on the bridge's local-output hook: after tcpdump on br0 has
        # seen the ACK (the client's own vantage point) and before it reaches the veth.
        self.nft("client", "add rule bridge twl out ip saddr %s tcp sport %d tcp dport %d tcp flags == ack "
                           "limit rate 1/hour burst 1 packets counter drop\n" % (CLIENT_IP, client_port, PORT))

    def nft_counter_packets(self, side, family, table):
        out = subprocess.run(["ip", "netns", "exec", self.ns(side), "nft", "list", "table", family, table],
                             capture_output=True, text=True, check=True, timeout=10).stdout
        return sum(int(n) for n in re.findall(r"counter packets (\d+)", out))

    # ---- raw RST from the server namespace
    def inject_rst(self, client_port, seq):
        enter_ns(self.sns)
        r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
        r.bind((SERVER_IP, 0))
        hdr = struct.pack("!HHIIBBHHH", PORT, client_port, seq, 0, 5 << 4, 0x04, 0, 0, 0)
        pseudo = struct.pack("!4s4sBBH", socket.inet_aton(SERVER_IP), socket.inet_aton(CLIENT_IP), 0, 6, len(hdr))
        hdr = hdr[:16] + struct.pack("!H", checksum(pseudo + hdr)) + hdr[18:]
        ts = time.time()
        r.sendto(hdr, (CLIENT_IP, 0))
        r.close()
        return self.event("inject_rst", port=client_port, seq=seq, flags="R", sent_ts=ts)

    def inject_from_server(self, client_port, seq, ack, flags, payload=b"", what="inject"):
        """A hand-built segment from the server's address and port (raw socket in the server
        namespace; the kernel adds the IP header): segments a real stack would not send."""
        enter_ns(self.sns)
        r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
        r.bind((SERVER_IP, 0))
        hdr = struct.pack("!HHIIBBHHH", PORT, client_port, seq, ack, 5 << 4, flags, 1024, 0, 0)
        seg = hdr + payload
        pseudo = struct.pack("!4s4sBBH", socket.inet_aton(SERVER_IP), socket.inet_aton(CLIENT_IP), 0, 6, len(seg))
        seg = seg[:16] + struct.pack("!H", checksum(pseudo + seg)) + seg[18:]
        ts = time.time()
        r.sendto(seg, (CLIENT_IP, 0))
        r.close()
        names = "".join(n for b, n in ((0x02, "S"), (0x10, "A"), (0x08, "P"), (0x01, "F"), (0x04, "R")) if flags & b)
        return self.event(what, port=client_port, seq=seq, ack=ack, flags=names, len=len(payload), sent_ts=ts)

    # ---- expected.json
    def time_wait_facts(self):
        """Every TIME_WAIT row ss showed, with the expiry interval its timer implies.

        ss prints the kernel's remaining time (inet_diag idiag_expires, jiffies at HZ=250) in whole
        seconds when it is 10 s or more (iproute2 print_ms_timer truncates), else in ms. The file's
        time line is taken just before ss runs, hence the small upper slack."""
        facts = []
        for snap in self.snapshots:
            for side, rows in snap.get("sockets", {}).items():
                for r in rows:
                    if r["state"] != "TIME_WAIT" or r.get("timer_ms") is None:
                        continue
                    ts = snap["ts"][side]
                    left = r["timer_ms"] / 1000.0
                    res = 1.0 if left >= 10 else 0.001
                    if side == "client":
                        cport = r["local"][1]
                    else:
                        cport = r["remote"][1]
                    fact = {"snapshot": snap["label"], "side": side, "client_port": cport,
                            "snapshot_ts": ts, "ss_timer": r["timer_text"], "remaining_s": left,
                            "expires_min": round(ts + left - 0.008, 6),
                            "expires_max": round(ts + left + res + 0.2, 6)}
                    fact.update(self.proc_timer(snap, side, r))
                    facts.append(fact)
        return facts

    def proc_timer(self, snap, side, row):
        """The same socket's timer in /proc/net/tcp of the same moment: tm->when in USER_HZ (10 ms)
        ticks (get_timewait4_sock, jiffies_delta_to_clock_t). Tighter than ss's whole seconds."""
        fname = snap.get("files", {}).get(side, {}).get("proc-net-tcp")
        if not fname:
            return {}
        def hexaddr(ip, port):
            return "%08X:%04X" % (struct.unpack("<I", socket.inet_aton(ip))[0], port)
        want = (hexaddr(*row["local"]), hexaddr(*row["remote"]))
        with open(os.path.join(self.out, fname)) as f:
            lines = f.read().splitlines()
        ts = float(lines[0][2:])
        for line in lines[2:]:
            p = line.split()
            if (p[1], p[2]) == want and p[3] == "06":
                tr, when = p[5].split(":")
                left = int(when, 16) / 100.0
                return {"proc_snapshot_ts": ts, "proc_remaining_s": left,
                        "proc_expires_min": round(ts + left - 0.008, 6),
                        "proc_expires_max": round(ts + left + 0.010 + 0.1, 6)}
        return {}

    def write(self):
        facts = self.time_wait_facts()
        for f in facts:
            # The incarnation a TIME_WAIT row belongs to: the latest connection on that client
            # port that had started before the snapshot.
            owners = [c for c in self.connections
                      if c["client_port"] == f["client_port"] and c["connect_ts"] <= f["snapshot_ts"]]
            f["connection"] = owners[-1]["index"] if owners else None
        for conn in self.connections:
            sides = {f["side"] for f in facts if f["connection"] == conn["index"]}
            conn.setdefault("time_wait_sides_ss", sorted(sides))
        doc = {
            "scenario": self.scenario,
            "kernel": os.uname().release,
            "made_at": self.t0,
            "snapshot_time_line": "first line '# ' + `date +%s.%N` (epoch seconds, 9 fractional digits)",
            "client": {"ip": CLIENT_IP, "netns_role": "client", "capture": "client.pcap (tcpdump -i br0, client namespace)"},
            "server": {"ip": SERVER_IP, "port": PORT, "capture": "server.pcap (tcpdump -i v-s, server namespace)"},
            "sysctl": self.facts.pop("sysctl", {}),
            "facts": self.facts,
            "connections": self.connections,
            "time_wait_seen": facts,
            "events": self.events,
            "snapshots": [{k: v for k, v in s.items()} for s in self.snapshots],
        }
        with open(os.path.join(self.out, "expected.json"), "w") as f:
            json.dump(doc, f, indent=1, sort_keys=False)
            f.write("\n")

    def record_sysctl(self):
        keys = ["net.ipv4.tcp_tw_reuse", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_rfc1337",
                "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_max_tw_buckets", "net.ipv4.tcp_timestamps",
                "net.ipv4.tcp_tw_reuse_delay"]
        res = {}
        for side in ("client", "server"):
            out = subprocess.run(["ip", "netns", "exec", self.ns(side), "sysctl"] + keys,
                                 capture_output=True, text=True, timeout=10).stdout
            res[side] = {k.strip(): v.strip().replace("\t", " ") for k, v in
                         (line.split("=", 1) for line in out.splitlines() if "=" in line)}
        self.facts["sysctl"] = res
        self.snapshot("sysctl", kinds=("sysctl", "netstat"))


# ---------------------------------------------------------------------------------------------
# Scenarios. Each leaves its facts in lab.connections / lab.facts / snapshots.

def close_by(lab, closer):
    L = lab.listen()
    c, s, conn = lab.pair(L)
    lab.exchange(c, s)
    lab.snapshot("established")
    first, second = (c, s) if closer == "client" else (s, c)
    conn["fin_first_ts"] = time.time()
    first.close()
    lab.drain_to_eof(second)
    second.close()
    conn.update(active_closer=closer, close_kind="fin", closed_ts=time.time())
    time.sleep(0.2)
    lab.snapshot("after_close")
    time.sleep(1.0)
    lab.snapshot("after_close_1s", kinds=("ss-tano", "proc-net-tcp"))
    L.close()


def sc_client_close(lab):
    close_by(lab, "client")


def sc_server_close(lab):
    close_by(lab, "server")


def sc_simultaneous_close(lab):
    # veth delivers in the sender's softirq, so two shutdown() calls never cross on their own, and
    # this kernel has no netem. The server's input hook drops the client's first FIN once (after
    # tcpdump saw it on the wire); the server's own FIN then leaves 20 ms later: both FINs are on
    # the wire before either is ACKed. The client retransmits its FIN after its RTO (~200 ms).
    lab.nft("server", "add table inet twl\n"
                      "add chain inet twl in { type filter hook input priority 0; policy accept; }\n"
                      "add rule inet twl in ip saddr %s tcp dport %d tcp flags & fin == fin "
                      "limit rate 1/hour burst 1 packets counter drop\n" % (CLIENT_IP, PORT))
    L = lab.listen()
    c, s, conn = lab.pair(L)
    lab.exchange(c, s)
    lab.snapshot("established")
    conn["fin_first_ts"] = time.time()
    c.shutdown(socket.SHUT_WR)
    time.sleep(0.02)
    s.shutdown(socket.SHUT_WR)
    lab.snapshot("fins_crossed", kinds=("ss-tano",))
    lab.drain_to_eof(c)
    lab.drain_to_eof(s)
    time.sleep(0.1)
    c.close()
    s.close()
    conn.update(active_closer="both", close_kind="simultaneous", closed_ts=time.time())
    lab.facts["server_fin_drops"] = lab.nft_counter_packets("server", "inet", "twl")
    lab.snapshot("after_close")
    L.close()


def sc_lost_final_ack(lab):
    L = lab.listen()
    c, s, conn = lab.pair(L)
    lab.exchange(c, s)
    lab.snapshot("established")
    c.close()
    lab.drain_to_eof(s)
    lab.drop_first_final_ack(conn["client_port"])
    s.close()
    conn.update(active_closer="client", close_kind="fin", lost_final_ack=True, closed_ts=time.time())
    lab.snapshot("final_ack_dropped", sides=("server", "client"), kinds=("ss-tano", "proc-net-tcp"))
    time.sleep(1.5)
    conn["final_ack_drops"] = lab.nft_counter_packets("client", "bridge", "twl")
    lab.snapshot("after_fin_retransmit")
    L.close()


def sc_so_linger0(lab):
    L = lab.listen()
    c, s, conn = lab.pair(L)
    lab.exchange(c, s)
    lab.snapshot("established")
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    try:
        s.recv(100)
        conn["server_saw"] = "eof"
    except ConnectionResetError:
        conn["server_saw"] = "ECONNRESET"
    s.close()
    # active_closer in the contract's sense is who sent the first FIN: nobody did; the client
    # aborted the connection with a RST.
    conn.update(active_closer="none", aborted_by="client", close_kind="rst", closed_ts=time.time())
    time.sleep(0.2)
    lab.snapshot("after_close")
    L.close()


def sc_half_close(lab):
    L = lab.listen()
    c, s, conn = lab.pair(L)
    c.sendall(b"GET / HTTP/1.0\r\n\r\n")
    c.shutdown(socket.SHUT_WR)
    conn["fin_first_ts"] = time.time()
    lab.drain_to_eof(s)
    lab.snapshot("client_half_closed", kinds=("ss-tano",))
    for i in range(5):
        s.sendall(b"chunk %d of the answer after the client's FIN\n" % i)
        time.sleep(0.1)
    s.close()
    got = lab.drain_to_eof(c)
    c.close()
    # close_kind in the contract's sense: FINs both ways ("half_closed" means only one FIN).
    conn.update(active_closer="client", close_kind="fin", data_after_first_fin=True, bytes_after_fin=got,
                closed_ts=time.time())
    time.sleep(0.2)
    lab.snapshot("after_close")
    L.close()


def sc_tw_reuse(lab):
    # tcp_tw_reuse = 1, ports 40000-40001: the third connect() must wait until a TIME_WAIT is
    # tcp_tw_reuse_delay (1 s) old, then reuses its port (tcp_twsk_unique).
    L = lab.listen()
    deadline = time.time() + 12
    while len(lab.connections) < 5 and time.time() < deadline:
        failures = 0
        while time.time() < deadline:
            try:
                c, s, conn = lab.pair(L)
                break
            except OSError as e:
                if e.errno != errno.EADDRNOTAVAIL:
                    raise
                failures += 1
                time.sleep(0.02)
        else:
            break
        conn["eaddrnotavail_before"] = failures
        lab.exchange(c, s)
        c.close()
        lab.drain_to_eof(s)
        s.close()
        conn.update(active_closer="client", close_kind="fin", closed_ts=time.time())
        prev = [p for p in lab.connections[:-1] if p["client_port"] == conn["client_port"]]
        if prev:
            conn["reuses_connection"] = prev[-1]["index"]
            conn["reuse_gap_tool_s"] = round(conn["connect_ts"] - prev[-1]["closed_ts"], 6)
        lab.snapshot("after_close_%d" % conn["index"], sides=("client",), kinds=("ss-tano",))
    lab.facts["TWRecycled"] = lab.counters("client").get("TcpExtTWRecycled")
    L.close()


def tw_with_sniffer(lab, conn_note=""):
    lab.sniffer = Sniffer(lab.sns, "v-s")
    L = lab.listen()
    c, s, conn = lab.pair(L, note=conn_note)
    lab.exchange(c, s)
    c.close()
    lab.drain_to_eof(s)
    s.close()
    conn.update(active_closer="client", close_kind="fin", closed_ts=time.time())
    return L, conn


def sc_rst_in_time_wait(lab):
    L, conn = tw_with_sniffer(lab)
    rcv_nxt = lab.sniffer.rcv_nxt_of_client(conn["client_port"])
    time.sleep(0.2)
    lab.snapshot("time_wait", sides=("client",))
    ev = lab.inject_rst(conn["client_port"], rcv_nxt)
    conn["rst_injected"] = {"ts": ev["sent_ts"], "seq": rcv_nxt, "seq_equals_rcv_nxt": True}
    time.sleep(0.2)
    snap = lab.snapshot("after_rst")
    alive = any(r["state"] == "TIME_WAIT" and r["local"][1] == conn["client_port"]
                for r in snap["sockets"]["client"])
    conn["time_wait_survived_rst"] = alive
    L.close()


def sc_old_syn_into_time_wait(lab):
    # The server closes first, so it holds the TIME_WAIT. The client (tcp_timestamps = 0 in its
    # namespace) sent 8 MB, so its next ISN from the same port (the ISN clock runs at 1 per 64 ns)
    # is below the server's old RCV.NXT: tcp_timewait_state_process rejects the SYN with an ACK,
    # the client's RST at that ACK's value kills the TIME_WAIT (rfc1337 = 0), and the SYN
    # retransmitted ~1 s later is accepted.
    L = lab.listen()
    c, s, conn = lab.pair(L)
    blob = b"x" * (1 << 20)
    sent = 0
    reader = threading.Thread(target=lambda: conn.__setitem__("server_read", drain_until(s, 8 << 20)))
    reader.start()
    for _ in range(8):
        c.sendall(blob)
        sent += len(blob)
    reader.join(10)
    conn["client_bytes"] = sent
    s.close()
    lab.drain_to_eof(c)
    c.close()
    conn.update(active_closer="server", close_kind="fin", closed_ts=time.time())
    snap = lab.snapshot("server_time_wait", sides=("server",), kinds=("ss-tano",))
    conn["server_time_wait_before_reconnect"] = any(
        r["state"] == "TIME_WAIT" and r["remote"][1] == conn["client_port"] for r in snap["sockets"]["server"])
    c2, t, t_done = lab.connect(bind_port=conn["client_port"])
    s2, _ = L.accept()
    new = {"index": 1, "client_ip": CLIENT_IP, "client_port": c2.getsockname()[1], "server_ip": SERVER_IP,
           "server_port": PORT, "connect_ts": t, "connected_ts": t_done,
           "connect_duration_s": round(t_done - t, 6), "bound_before_connect": True}
    lab.connections.append(new)
    lab.snapshot("after_reconnect")
    lab.exchange(c2, s2)
    c2.close()
    lab.drain_to_eof(s2)
    s2.close()
    new.update(active_closer="client", close_kind="fin", closed_ts=time.time())
    time.sleep(0.2)
    lab.snapshot("after_second_close")
    L.close()


def drain_until(sock, limit):
    total = 0
    while total < limit:
        chunk = sock.recv(1 << 16)
        if not chunk:
            break
        total += len(chunk)
    return total


def sc_lost_final_ack_tw_gone(lab):
    # tcp_max_tw_buckets = 0 in the client namespace: entering TIME_WAIT overflows
    # (TcpExtTCPTimeWaitOverflow) and the socket is destroyed right after its final ACK, which
    # nftables drops. The server's retransmitted FIN then meets no socket and gets a RST.
    # The client uses shutdown(SHUT_WR): an orphaned FIN_WAIT_2 would itself need a timewait
    # socket and vanish before the server's FIN.
    L = lab.listen()
    c, s, conn = lab.pair(L)
    lab.exchange(c, s)
    before = lab.counters("client").get("TcpExtTCPTimeWaitOverflow", 0)
    c.shutdown(socket.SHUT_WR)
    lab.drain_to_eof(s)
    lab.drop_first_final_ack(conn["client_port"])
    s.close()
    # The client's FIN, then the connection torn down by the client's RST: no TIME_WAIT anywhere.
    conn.update(active_closer="client", close_kind="rst", fin_then_rst=True, lost_final_ack=True,
                closed_ts=time.time())
    lab.snapshot("final_ack_dropped", sides=("server", "client"), kinds=("ss-tano", "proc-net-tcp"))
    time.sleep(1.5)
    lab.snapshot("after_fin_retransmit")
    c.close()
    conn["final_ack_drops"] = lab.nft_counter_packets("client", "bridge", "twl")
    conn["TCPTimeWaitOverflow_delta"] = lab.counters("client").get("TcpExtTCPTimeWaitOverflow", 0) - before
    L.close()


def sc_syn_to_last_ack(lab):
    # The client closes first and its final ACK is dropped (nft, after br0's capture); with
    # tcp_max_tw_buckets = 0 in the client namespace its TIME_WAIT overflows at once, so the
    # server stays in LAST_ACK (its FIN unacknowledged; rto_min 1 s on the server's route keeps the
    # FIN retransmission away). The client reconnects at once from the same port (SO_REUSEADDR +
    # bind): the SYN meets the LAST_ACK socket, which answers with a challenge ACK
    # (tcp_validate_incoming, RFC 5961 §4); the client in SYN_SENT answers that with a RST
    # (seq = its ack), which closes the LAST_ACK socket, and the SYN retransmitted after
    # TCP_TIMEOUT_MIN reaches the listener.
    L = lab.listen()
    c, s, conn = lab.pair(L)
    lab.exchange(c, s)
    before_c = lab.counters("client")
    before_s = lab.counters("server")
    c.shutdown(socket.SHUT_WR)
    lab.drain_to_eof(s)
    lab.drop_first_final_ack(conn["client_port"])
    s.close()
    lab.drain_to_eof(c)
    c.close()
    conn.update(active_closer="client", close_kind="rst", fin_then_rst=True, lost_final_ack=True,
                closed_ts=time.time())
    snap = lab.snapshot("server_last_ack", sides=("server", "client"), kinds=("ss-tano",))
    conn["server_last_ack_before_reconnect"] = any(
        r["state"] == "LAST_ACK" and r["remote"][1] == conn["client_port"] for r in snap["sockets"]["server"])
    conn["client_socket_before_reconnect"] = any(
        r["local"][1] == conn["client_port"] for r in snap["sockets"]["client"])
    mid_c = lab.counters("client")
    conn["TCPTimeWaitOverflow_delta"] = mid_c.get("TcpExtTCPTimeWaitOverflow", 0) - before_c.get("TcpExtTCPTimeWaitOverflow", 0)
    c2, t, t_done = lab.connect(bind_port=conn["client_port"])
    s2, _ = L.accept()
    s2.settimeout(5)
    new = {"index": 1, "client_ip": CLIENT_IP, "client_port": c2.getsockname()[1], "server_ip": SERVER_IP,
           "server_port": PORT, "connect_ts": t, "connected_ts": t_done,
           "connect_duration_s": round(t_done - t, 6), "bound_before_connect": True,
           "reuses_connection": 0, "reuse_gap_tool_s": round(t - conn["closed_ts"], 6)}
    lab.connections.append(new)
    lab.event("connect", port=new["client_port"], ok=True, connection=1)
    lab.exchange(c2, s2)
    c2.close()
    lab.drain_to_eof(s2)
    s2.close()
    new.update(active_closer="client", close_kind="fin", closed_ts=time.time())
    time.sleep(0.2)
    conn["final_ack_drops"] = lab.nft_counter_packets("client", "bridge", "twl")
    after_c = lab.counters("client")
    after_s = lab.counters("server")
    new["TCPTimeWaitOverflow_delta"] = after_c.get("TcpExtTCPTimeWaitOverflow", 0) - mid_c.get("TcpExtTCPTimeWaitOverflow", 0)
    lab.facts["server_TCPChallengeACK_delta"] = after_s.get("TcpExtTCPChallengeACK", 0) - before_s.get("TcpExtTCPChallengeACK", 0)
    lab.facts["server_TCPSYNChallenge_delta"] = after_s.get("TcpExtTCPSYNChallenge", 0) - before_s.get("TcpExtTCPSYNChallenge", 0)
    lab.snapshot("after_second_close")
    L.close()


def reopen_after_server_close(lab):
    """Connection 0 closed by the server first (server TIME_WAIT), then connection 1 from the same
    client port (SO_REUSEADDR + bind). With timestamps the TIME_WAIT takes the SYN (newer TSval,
    tcp_timewait_state_process): a normal handshake on the reused 4-tuple."""
    lab.sniffer = Sniffer(lab.sns, "v-s")
    L = lab.listen()
    c, s, conn = lab.pair(L)
    lab.exchange(c, s)
    s.close()
    lab.drain_to_eof(c)
    c.close()
    conn.update(active_closer="server", close_kind="fin", closed_ts=time.time())
    time.sleep(0.1)
    snap = lab.snapshot("server_time_wait", sides=("server",), kinds=("ss-tano",))
    conn["server_time_wait_before_reconnect"] = any(
        r["state"] == "TIME_WAIT" and r["remote"][1] == conn["client_port"] for r in snap["sockets"]["server"])
    c2, t, t_done = lab.connect(bind_port=conn["client_port"])
    s2, _ = L.accept()
    s2.settimeout(5)
    new = {"index": 1, "client_ip": CLIENT_IP, "client_port": c2.getsockname()[1], "server_ip": SERVER_IP,
           "server_port": PORT, "connect_ts": t, "connected_ts": t_done,
           "connect_duration_s": round(t_done - t, 6), "bound_before_connect": True,
           "reuses_connection": 0, "reuse_gap_tool_s": round(t - conn["closed_ts"], 6)}
    lab.connections.append(new)
    lab.event("connect", port=new["client_port"], ok=True, connection=1)
    lab.exchange(c2, s2)
    time.sleep(0.05)
    return L, conn, new, c2, s2


def server_isns(lab, client_port):
    """The server's ISNs toward client_port, in order (its SYN-ACKs on v-s)."""
    with lab.sniffer.lock:
        return [p["seq"] for p in lab.sniffer.packets
                if p["sport"] == PORT and p["dport"] == client_port and p["flags"] & 0x12 == 0x12]


def client_snd_nxt(lab, client_port):
    with lab.sniffer.lock:
        pk = [p for p in lab.sniffer.packets if p["dport"] == PORT and p["sport"] == client_port]
    p = pk[-1]
    return (p["seq"] + p["len"] + (1 if p["flags"] & 0x03 else 0)) & 0xFFFFFFFF


def client_acks_after(lab, client_port, ts):
    with lab.sniffer.lock:
        return [p for p in lab.sniffer.packets if p["dport"] == PORT and p["sport"] == client_port
                and p["ts"] >= ts and p["flags"] & 0x17 == 0x10 and p["len"] == 0]


def sc_old_duplicate(lab):
    # RFC 1337 H1: after the 4-tuple was reopened, a data segment of the previous incarnation
    # arrives: hand-built from the server's address, seq = connection 0's server ISN + 1 (where its
    # reply was), far behind connection 1's window. The client's kernel drops it and answers with a
    # duplicate ACK (tcp_validate_incoming -> tcp_send_dupack); the application reads nothing.
    L, conn, new, c2, s2 = reopen_after_server_close(lab)
    isns = server_isns(lab, conn["client_port"])
    ack = client_snd_nxt(lab, conn["client_port"])
    ev = lab.inject_from_server(conn["client_port"], (isns[0] + 1) & 0xFFFFFFFF, ack, 0x18,
                                b"HTTP/1.0 200 OK (old)\r\n", what="inject_old_duplicate")
    ev.update(old_server_isn=isns[0], new_server_isn=isns[1])
    time.sleep(0.1)
    dup = client_acks_after(lab, conn["client_port"], ev["sent_ts"])
    new["old_duplicate_injected"] = True
    new["client_dupacks_after_injection"] = len(dup)
    c2.setblocking(False)
    try:
        got = c2.recv(4096)
        new["client_read_after_injection"] = len(got)
    except BlockingIOError:
        new["client_read_after_injection"] = 0
    c2.setblocking(True)
    c2.settimeout(5)
    c2.close()
    lab.drain_to_eof(s2)
    s2.close()
    new.update(active_closer="client", close_kind="fin", closed_ts=time.time())
    time.sleep(0.2)
    lab.snapshot("after_second_close")
    L.close()


def server_snd_nxt(lab, client_port):
    with lab.sniffer.lock:
        pk = [p for p in lab.sniffer.packets if p["sport"] == PORT and p["dport"] == client_port]
    p = pk[-1]
    return (p["seq"] + p["len"] + (1 if p["flags"] & 0x03 else 0)) & 0xFFFFFFFF


def sc_desync(lab):
    # RFC 1337 H2's signature: ACKs from the server's side acknowledging data the client never
    # sent, hand-built (raw socket in the server namespace, seq = the server's SND.NXT, ack = the
    # client's SND.NXT + 1000), five of them 0.6 s apart (past tcp_invalid_ratelimit, 500 ms).
    # What the client's kernel answers each with is what the capture records.
    lab.sniffer = Sniffer(lab.sns, "v-s")
    L = lab.listen()
    c, s, conn = lab.pair(L)
    lab.exchange(c, s)
    time.sleep(0.05)
    seq = server_snd_nxt(lab, conn["client_port"])
    cnxt = client_snd_nxt(lab, conn["client_port"])
    before = lab.counters("client")
    answers = []
    for i in range(5):
        ev = lab.inject_from_server(conn["client_port"], seq, (cnxt + 1000) & 0xFFFFFFFF, 0x10, what="inject_ack_unsent")
        ev["client_snd_nxt"] = cnxt
        time.sleep(0.6)
        answers.append(len(client_acks_after(lab, conn["client_port"], ev["sent_ts"])))
    after = lab.counters("client")
    conn["ack_unsent_injected"] = 5
    conn["client_acks_after_each_injection"] = answers
    conn["client_TCPACKSkippedSeq_delta"] = after.get("TcpExtTCPACKSkippedSeq", 0) - before.get("TcpExtTCPACKSkippedSeq", 0)
    lab.snapshot("after_injection", kinds=("ss-tano", "ss-tani"))
    c.close()
    lab.drain_to_eof(s)
    s.close()
    conn.update(active_closer="client", close_kind="fin", closed_ts=time.time())
    time.sleep(0.2)
    lab.snapshot("after_close", kinds=("ss-tano",))
    L.close()


def inject_syn_from_client(lab, client_port, seq, tsval):
    """A SYN hand-built from the client's address and port with a TCP timestamp option (raw socket
    in the client namespace): as a second host behind the same address (NAT) would send it, with
    its own, older timestamp clock."""
    enter_ns(lab.cns)
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    r.bind((CLIENT_IP, 0))
    opts = struct.pack("!BBHBBBBII", 2, 4, 1460, 1, 1, 8, 10, tsval, 0)  # MSS, NOP, NOP, TS
    hdr = struct.pack("!HHIIBBHHH", client_port, PORT, seq, 0, ((20 + len(opts)) // 4) << 4, 0x02, 64240, 0, 0) + opts
    pseudo = struct.pack("!4s4sBBH", socket.inet_aton(CLIENT_IP), socket.inet_aton(SERVER_IP), 0, 6, len(hdr))
    hdr = hdr[:16] + struct.pack("!H", checksum(pseudo + hdr)) + hdr[18:]
    ts = time.time()
    r.sendto(hdr, (SERVER_IP, 0))
    r.close()
    return lab.event("inject_syn", port=client_port, seq=seq, tsval=tsval, flags="S", sent_ts=ts)


def sc_paws_reject(lab):
    # PAWS in the server's TIME_WAIT (RFC 7323 §5, tcp_timewait_state_process): connection 0
    # (timestamps on) is closed by the server first. Then SYNs from the same client address and
    # port, hand-built with a TSval 100000 below the last one connection 0's client sent (a second
    # host behind one NAT address, with its own clock) and an ISN above the old RCV.NXT, so that
    # only the timestamp rejects them: the TIME_WAIT answers each with an ACK
    # (TcpExtPAWSTimewait... counter, see facts), the client's kernel, which has no socket there,
    # answers that ACK with a RST, and tcp_rfc1337 = 1 on the server keeps the TIME_WAIT.
    # Three SYNs 1 s apart, as a SYN_SENT socket would retransmit; none gets a SYN-ACK.
    lab.sniffer = Sniffer(lab.sns, "v-s")
    L = lab.listen()
    c, s, conn = lab.pair(L)
    lab.exchange(c, s)
    s.close()
    lab.drain_to_eof(c)
    c.close()
    conn.update(active_closer="server", close_kind="fin", closed_ts=time.time())
    time.sleep(0.1)
    snap = lab.snapshot("server_time_wait", sides=("server",), kinds=("ss-tano",))
    conn["server_time_wait_before_syn"] = any(
        r["state"] == "TIME_WAIT" and r["remote"][1] == conn["client_port"] for r in snap["sockets"]["server"])
    with lab.sniffer.lock:
        mine = [p for p in lab.sniffer.packets if p["sport"] == conn["client_port"] and p["dport"] == PORT]
    last_ts = [p["tsval"] for p in mine if "tsval" in p][-1]
    seq = (client_snd_nxt(lab, conn["client_port"]) + 100000) & 0xFFFFFFFF
    conn["client_last_tsval"] = last_ts
    before = lab.counters("server")
    answers = []
    for i in range(3):
        ev = inject_syn_from_client(lab, conn["client_port"], seq, (last_ts - 100000) & 0xFFFFFFFF)
        time.sleep(1.0)
        with lab.sniffer.lock:
            answers.append(sorted({"SA" if p["flags"] & 0x12 == 0x12 else "A" if p["flags"] & 0x17 == 0x10 else "R" if p["flags"] & 0x04 else str(p["flags"])
                                   for p in lab.sniffer.packets if p["ts"] >= ev["sent_ts"]
                                   and conn["client_port"] in (p["sport"], p["dport"]) and not p["flags"] & 0x02 or
                                   (p["ts"] >= ev["sent_ts"] and p["flags"] & 0x12 == 0x12 and p["dport"] == conn["client_port"])}))
    after = lab.counters("server")
    lab.facts["server_paws_counter_deltas"] = {k: after[k] - before.get(k, 0) for k in after
                                               if "PAWS" in k and after[k] != before.get(k, 0)}
    lab.facts["syn_injected"] = 3
    lab.facts["segments_after_each_syn"] = answers
    snap = lab.snapshot("after_syns", sides=("server",), kinds=("ss-tano",))
    lab.facts["server_time_wait_after_syns"] = any(
        r["state"] == "TIME_WAIT" and r["remote"][1] == conn["client_port"] for r in snap["sockets"]["server"])
    L.close()


def sc_fin_wait2_timeout(lab):
    L = lab.listen()
    c, s, conn = lab.pair(L)
    lab.exchange(c, s)
    c.close()
    lab.drain_to_eof(s)
    conn["client_close_ts"] = time.time()
    time.sleep(0.3)
    lab.snapshot("fin_wait2")
    time.sleep(2.7)
    lab.snapshot("after_fin_timeout")
    conn["server_close_ts"] = time.time()
    s.close()
    # FIN_WAIT_2 timed out silently; the server's late FIN meets a RST: ended by RST, no TIME_WAIT.
    conn.update(active_closer="client", close_kind="rst", fin_then_rst=True, fin_wait2_timeout=True,
                closed_ts=time.time())
    time.sleep(0.3)
    lab.snapshot("after_server_fin")
    L.close()


def exhaust(lab, limit_s, pace_s, lost_ack_at=None, assassinate_at=None, server_every=4):
    L = lab.listen()
    if assassinate_at is not None:
        lab.sniffer = Sniffer(lab.sns, "v-s")
    start = time.time()
    deadline = start + limit_s
    next_snap = start
    attempts = 0
    pending_rst = None
    failure = None
    snap_count = 0
    while attempts < 200 and time.time() < deadline:
        now = time.time()
        if now >= next_snap:
            sides = ("client", "server") if snap_count % server_every == 0 else ("client",)
            lab.snapshot("during", sides=sides, kinds=("ss-tano", "ss-s", "sockstat"))
            snap_count += 1
            next_snap += 0.5
        if pending_rst and time.time() >= pending_rst[0]:
            conn = pending_rst[1]
            seq = lab.sniffer.rcv_nxt_of_client(conn["client_port"])
            ev = lab.inject_rst(conn["client_port"], seq)
            conn["rst_injected"] = {"ts": ev["sent_ts"], "seq": seq, "seq_equals_rcv_nxt": True}
            pending_rst = None
        attempts += 1
        try:
            c, s, conn = lab.pair(L)
        except OSError as e:
            if e.errno != errno.EADDRNOTAVAIL:
                raise
            failure = lab.event("connect", ok=False, errno="EADDRNOTAVAIL", attempt=attempts)
            break
        lab.exchange(c, s)
        if conn["index"] == lost_ack_at:
            c.close()
            lab.drain_to_eof(s)
            lab.drop_first_final_ack(conn["client_port"])
            conn["lost_final_ack"] = True
        else:
            c.close()
            lab.drain_to_eof(s)
        s.close()
        conn.update(active_closer="client", close_kind="fin", closed_ts=time.time())
        if conn["index"] == assassinate_at:
            pending_rst = (time.time() + 0.3, conn)
        time.sleep(pace_s)
    lab.facts["connect_attempts"] = attempts
    lab.facts["connections_made"] = len(lab.connections)
    lab.facts["first_failure"] = failure
    snap = lab.snapshot("at_exhaustion")
    lab.facts["time_wait_at_exhaustion"] = snap["time_wait_count"]["client"]
    if lost_ack_at is not None:
        lab.facts["final_ack_drops"] = lab.nft_counter_packets("client", "bridge", "twl")
    time.sleep(0.5)
    lab.snapshot("after_exhaustion", sides=("client",))
    L.close()


def sc_port_exhaustion(lab):
    exhaust(lab, limit_s=15, pace_s=0.1)


def sc_sample(lab):
    exhaust(lab, limit_s=15, pace_s=0.15, lost_ack_at=2, assassinate_at=5)


SCENARIOS = {
    "client_close": sc_client_close,
    "server_close": sc_server_close,
    "simultaneous_close": sc_simultaneous_close,
    "lost_final_ack": sc_lost_final_ack,
    "so_linger0": sc_so_linger0,
    "tw_reuse": sc_tw_reuse,
    "half_close": sc_half_close,
    "rst_in_time_wait_rfc1337_0": sc_rst_in_time_wait,
    "rst_in_time_wait_rfc1337_1": sc_rst_in_time_wait,
    "old_syn_into_time_wait": sc_old_syn_into_time_wait,
    "lost_final_ack_tw_gone": sc_lost_final_ack_tw_gone,
    "fin_wait2_timeout": sc_fin_wait2_timeout,
    "syn_to_last_ack": sc_syn_to_last_ack,
    "old_duplicate": sc_old_duplicate,
    "desync": sc_desync,
    "paws_reject": sc_paws_reject,
    "port_exhaustion": sc_port_exhaustion,
    "sample": sc_sample,
}


def recompute(args):
    lab = Lab(args)
    with open(os.path.join(args.out, "expected.json")) as f:
        doc = json.load(f)
    lab.t0 = doc["made_at"]
    lab.snapshots = doc["snapshots"]
    lab.events = doc["events"]
    lab.facts = dict(doc["facts"], sysctl=doc["sysctl"])
    lab.connections = [{k: v for k, v in c.items() if k != "time_wait_sides_ss"} for c in doc["connections"]]
    lab.write()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    ap.add_argument("--client-ns", required=True)
    ap.add_argument("--server-ns", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--recompute", action="store_true",
                    help="re-derive the ss/proc facts of an existing DIR/expected.json from its snapshot files")
    args = ap.parse_args()
    if args.recompute:
        recompute(args)
        return
    lab = Lab(args)
    lab.record_sysctl()
    try:
        SCENARIOS[args.scenario](lab)
    finally:
        if lab.sniffer:
            lab.sniffer.close()
    lab.snapshot("end", kinds=("ss-tano", "netstat"))
    lab.write()


if __name__ == "__main__":
    main()
