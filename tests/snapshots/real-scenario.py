# SPDX-License-Identifier: GPL-3.0-or-later
# Run by make-real-fixtures.sh inside its network namespace: opens the sockets described there,
# then records what the tools print. Every file starts with `date +%s.%N`, except where a test
# needs a file without a time line (the *-notime files).
import os
import socket
import subprocess
import sys
import time

out = sys.argv[1]


def listener(family, addr, port):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6 and addr == "::":
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind((addr, port))
    s.listen(16)
    return s


def pair(lst, family, addr, port):
    c = socket.socket(family, socket.SOCK_STREAM)
    c.connect((addr, port))
    s, _ = lst.accept()
    return c, s


def close_first(first, second):
    first.close()
    assert second.recv(10) == b""
    second.close()


l8080 = listener(socket.AF_INET, "127.0.0.1", 8080)
l9090 = listener(socket.AF_INET, "127.0.0.2", 9090)
l7070 = listener(socket.AF_INET6, "::1", 7070)
l6060 = listener(socket.AF_INET6, "::", 6060)
keep = []
for _ in range(6):  # client closes first: client TIME-WAIT toward 127.0.0.1:8080
    c, s = pair(l8080, socket.AF_INET, "127.0.0.1", 8080)
    close_first(c, s)
for _ in range(3):  # server closes first: server TIME-WAIT on 127.0.0.2:9090
    c, s = pair(l9090, socket.AF_INET, "127.0.0.2", 9090)
    close_first(s, c)
for _ in range(2):  # IPv6 client TIME-WAIT toward [::1]:7070
    c, s = pair(l7070, socket.AF_INET6, "::1", 7070)
    close_first(c, s)
c, s = pair(l8080, socket.AF_INET, "127.0.0.1", 8080)
c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 7)
keep += [c, s]
keep += list(pair(l8080, socket.AF_INET, "127.0.0.1", 8080))
keep += list(pair(l6060, socket.AF_INET, "127.0.0.1", 6060))
c, s = pair(l8080, socket.AF_INET, "127.0.0.1", 8080)
c.shutdown(socket.SHUT_WR)  # client FIN-WAIT-2, server CLOSE-WAIT
keep += [c, s]
time.sleep(1.5)


def record(name, argv, stamp=True):
    with open(os.path.join(out, name), "w") as f:
        if stamp:
            f.write(subprocess.run(["date", "+%s.%N"], capture_output=True, text=True).stdout)
        f.write(subprocess.run(argv, capture_output=True, text=True).stdout)


record("ss-tan.txt", ["ss", "-tan"])
record("ss-tano.txt", ["ss", "-tano"])
record("ss-tani.txt", ["ss", "-tani"])
record("ss-tanp.txt", ["ss", "-tanp"])
record("ss-an-netid.txt", ["ss", "-an"])
record("ss-tano-state-time-wait-notime.txt", ["ss", "-tano", "state", "time-wait"], stamp=False)
record("ss-s.txt", ["ss", "-s"])
record("netstat-ant.txt", ["netstat", "-ant"])
record("netstat-anto.txt", ["netstat", "-anto"])
record("proc-net-tcp.txt", ["cat", "/proc/net/tcp"])
record("proc-net-tcp6.txt", ["cat", "/proc/net/tcp6"])
record("sockstat.txt", ["cat", "/proc/net/sockstat"])
record("sockstat6.txt", ["cat", "/proc/net/sockstat6"])
record("proc-net-netstat.txt", ["cat", "/proc/net/netstat"])
record("nstat-a.txt", ["nstat", "-as"])
record("sysctl.txt", ["sysctl", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_tw_reuse",
                      "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_rfc1337", "net.ipv4.tcp_max_tw_buckets",
                      "net.ipv4.tcp_timestamps", "net.ipv4.tcp_tw_reuse_delay",
                      "net.ipv4.ip_local_reserved_ports"])
record("ss-tan-notime.txt", ["ss", "-tan"], stamp=False)
# The collector over the same sockets: two samples one second apart (TIME-WAIT lasts 60 s, so
# both show all 11).
bundle = os.path.join(out, "collector-bundle.tar.gz")
if os.path.exists(bundle):
    os.remove(bundle)
collector = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "installer", "twlens-collect")
subprocess.run(["dash", collector, "-i", "1", "-d", "2", "-o", bundle], check=True, stdout=subprocess.DEVNULL)
for s in keep:
    s.close()
