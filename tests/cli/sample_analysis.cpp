// SPDX-License-Identifier: GPL-3.0-or-later
#include "sample_analysis.h"

#include "core/model/tcp_flags.h"

namespace twlens::test {

namespace {

constexpr TimeNs ms(std::int64_t n) { return n * kNsPerMs; }

std::uint32_t intern(Analysis& a, const char* ip) {
    a.addresses.push_back(*IpAddress::parse(ip));
    return static_cast<std::uint32_t>(a.addresses.size() - 1);
}

void seg(std::vector<ControlSegment>& segs, TimeNs ts, Side from, std::uint8_t flags, std::uint32_t frame, std::uint8_t meta = 0) {
    ControlSegment s;
    s.ts = ts;
    s.flags = flags;
    s.frame = frame;
    s.meta = static_cast<std::uint8_t>(meta | (from == Side::Server ? ControlSegment::FromServer : 0));
    segs.push_back(s);
}

void state(Analysis& a, std::uint16_t segment, Side side, TcpState st) {
    a.states.push_back({segment, st, side});
}

// The client-closed connection #0 and its copies: SYN, SYN-ACK, ACK, FIN(c), ACK(s), FIN(s),
// ACK(c); TIME_WAIT on the client from the last ACK.
Connection clientClosed(Analysis& a, std::uint32_t id, TimeNs t0, std::uint32_t clientAddr, std::uint32_t serverAddr,
                        std::uint16_t clientPort) {
    Connection c;
    c.id = id;
    c.clientAddr = clientAddr;
    c.serverAddr = serverAddr;
    c.clientPort = clientPort;
    c.serverPort = 80;
    c.set(Connection::SynSeen);
    c.set(Connection::TimestampsSeen);
    c.start = t0;
    c.end = t0 + ms(400);
    std::vector<ControlSegment> kept;
    seg(kept, t0, Side::Client, tcpflag::SYN, 1);
    seg(kept, t0 + ms(100), Side::Server, tcpflag::SYN | tcpflag::ACK, 2);
    seg(kept, t0 + ms(200), Side::Client, tcpflag::ACK, 3);
    seg(kept, t0 + ms(300), Side::Client, tcpflag::FIN | tcpflag::ACK, 10);
    seg(kept, t0 + ms(350), Side::Server, tcpflag::ACK, 11);
    seg(kept, t0 + ms(390), Side::Server, tcpflag::FIN | tcpflag::ACK, 12);
    seg(kept, t0 + ms(400), Side::Client, tcpflag::ACK, 13);
    a.setSegments(c, kept);
    c.firstState = static_cast<std::uint32_t>(a.states.size());
    state(a, 0, Side::Client, TcpState::SynSent);
    state(a, 0, Side::Server, TcpState::SynRecv);
    state(a, 1, Side::Client, TcpState::Established);
    state(a, 2, Side::Server, TcpState::Established);
    state(a, 3, Side::Client, TcpState::FinWait1);
    state(a, 3, Side::Server, TcpState::CloseWait);
    state(a, 4, Side::Client, TcpState::FinWait2);
    state(a, 5, Side::Server, TcpState::LastAck);
    state(a, 6, Side::Client, TcpState::TimeWait);
    state(a, 6, Side::Server, TcpState::Closed);
    state(a, StateChange::kTimerSegment, Side::Client, TcpState::Closed);
    c.stateCount = 11;
    c.packets = {5, 4};
    c.payloadBytes = {120, 5000};
    c.activeCloser = Closer::Client;
    c.closeKind = CloseKind::Fin;
    c.timeWaitCount = 1;
    c.timeWait[0] = {t0 + ms(400), t0 + ms(400) + a.settings.twLength(), Side::Client, TimeWaitEnd::Expired};
    return c;
}

} // namespace

Analysis sampleAnalysis() {
    Analysis a;
    a.settings.portLow = {20000, "sysctl.txt:3"};
    a.settings.portHigh = {20999, "sysctl.txt:3"};
    a.settings.rfc1337 = {1, "command line"};
    a.settings.maxTwBuckets = {262144, "sysctl.txt:7"};

    InputInfo cap;
    cap.path = "captures/edge.pcap";
    cap.kind = InputKind::Pcap;
    cap.sizeBytes = 5696;
    cap.packets = 25;
    cap.tcpPackets = 23;
    cap.nonTcpPackets = 2;
    cap.firstTs = kT0;
    cap.lastTs = kT0 + 3 * kNsPerSecond + 1;
    cap.linkType = 1;
    cap.warnings.push_back({5696, InputWarning::kNone, "invalid packet capture length 4325376"});
    a.inputs.push_back(cap);
    InputInfo ss;
    ss.path = "snap\xff/ss-tan.txt"; // not UTF-8: the JSON writer must repair it
    ss.kind = InputKind::Ss;
    ss.warnings.push_back({InputWarning::kNone, 12, "unknown state 'FOO'"});
    a.inputs.push_back(ss);

    const std::uint32_t c4 = intern(a, "10.0.0.1");
    const std::uint32_t s4 = intern(a, "10.0.0.2");
    const std::uint32_t c6 = intern(a, "2001:db8::1");
    const std::uint32_t s6 = intern(a, "2001:db8::2");
    a.vlanStacks.push_back((std::uint64_t{200 | 0x1000} << 16) | (100 | 0x1000));

    // #0: cut short at #1's SYN (4-tuple reused 0.5 s after the close).
    Connection c0 = clientClosed(a, 0, kT0, c4, s4, 40312);
    const TimeNs reopen = c0.end + ms(500);
    c0.timeWait[0].end = reopen;
    c0.timeWait[0].reason = TimeWaitEnd::Reused;
    c0.nextIncarnation = 1;
    a.connections.push_back(c0);

    // #1: server closes; its FIN is sent three times (the client's final ACK was lost twice).
    Connection c1;
    c1.id = 1;
    c1.clientAddr = c4;
    c1.serverAddr = s4;
    c1.clientPort = 40312;
    c1.serverPort = 80;
    c1.set(Connection::SynSeen);
    c1.set(Connection::LostFinalAck);
    c1.start = reopen;
    c1.end = reopen + ms(2000);
    c1.previousIncarnation = 0;
    c1.reuseGap = ms(500);
    std::vector<ControlSegment> kept1;
    seg(kept1, reopen, Side::Client, tcpflag::SYN, 20);
    seg(kept1, reopen + ms(1), Side::Server, tcpflag::SYN | tcpflag::ACK, 21);
    seg(kept1, reopen + ms(2), Side::Client, tcpflag::ACK, 22);
    seg(kept1, reopen + ms(10), Side::Server, tcpflag::FIN | tcpflag::ACK, 23);
    seg(kept1, reopen + ms(11), Side::Client, tcpflag::FIN | tcpflag::ACK, 24);
    seg(kept1, reopen + ms(12), Side::Server, tcpflag::ACK, 25);
    seg(kept1, reopen + ms(1000), Side::Client, tcpflag::FIN | tcpflag::ACK, 26, ControlSegment::Retransmission);
    seg(kept1, reopen + ms(2000), Side::Client, tcpflag::FIN | tcpflag::ACK, 27, ControlSegment::Retransmission);
    a.setSegments(c1, kept1);
    c1.firstState = static_cast<std::uint32_t>(a.states.size());
    a.states.push_back({0, TcpState::SynSent, Side::Client});
    a.states.push_back({0, TcpState::SynRecv, Side::Server});
    a.states.push_back({1, TcpState::Established, Side::Client});
    a.states.push_back({2, TcpState::Established, Side::Server});
    a.states.push_back({3, TcpState::FinWait1, Side::Server});
    a.states.push_back({3, TcpState::CloseWait, Side::Client});
    a.states.push_back({4, TcpState::LastAck, Side::Client});
    a.states.push_back({5, TcpState::TimeWait, Side::Server});
    a.states.push_back({StateChange::kTimerSegment, TcpState::Closed, Side::Server});
    c1.stateCount = 9;
    c1.finRetransmissions = 2;
    c1.packets = {5, 3};
    c1.activeCloser = Closer::Server;
    c1.closeKind = CloseKind::Fin;
    c1.timeWaitCount = 1;
    c1.timeWait[0] = {reopen + ms(12), reopen + ms(12) + a.settings.twLength(), Side::Server, TimeWaitEnd::Expired};
    c1.firstHazard = 0;
    c1.hazardCount = 2;
    a.connections.push_back(c1);

    // #2: IPv6 in two VLANs, mid-stream, reset by the server.
    Connection c2;
    c2.id = 2;
    c2.clientAddr = c6;
    c2.serverAddr = s6;
    c2.clientPort = 5555;
    c2.serverPort = 443;
    c2.vlan = 1;
    c2.input = 0;
    c2.set(Connection::RolesInferred);
    c2.set(Connection::MidStream);
    c2.start = kT0 + 3 * kNsPerSecond;
    c2.end = kT0 + 3 * kNsPerSecond + 1;
    std::vector<ControlSegment> kept2;
    seg(kept2, c2.start, Side::Client, tcpflag::ACK | tcpflag::PSH, 30);
    seg(kept2, c2.end, Side::Server, tcpflag::RST, 31);
    a.setSegments(c2, kept2);
    c2.firstState = static_cast<std::uint32_t>(a.states.size());
    a.states.push_back({0, TcpState::None, Side::Server});
    a.states.push_back({0, TcpState::Established, Side::Client});
    a.states.push_back({1, TcpState::Closed, Side::Server});
    a.states.push_back({1, TcpState::Closed, Side::Client});
    c2.stateCount = 4;
    c2.packets = {1, 1};
    c2.payloadBytes = {517, 0};
    c2.closeKind = CloseKind::Rst;
    c2.firstHazard = 2;
    c2.hazardCount = 0;
    a.connections.push_back(c2);

    a.hazards.push_back({"reuse_within_time_wait", 1, reopen, Severity::Critical, "RFC 1337",
                         "SYN reopened 10.0.0.1:40312 -> 10.0.0.2:80 0.5 s into TIME_WAIT", {13, 20}});
    a.hazards.push_back({"lost_final_ack", 1, reopen + ms(1000), Severity::Warning, "RFC 9293 3.10.7.4",
                         "the client's FIN was sent 3 times: the server's final ACK did not arrive", {25, 26, 27}});
    a.hazards.push_back({"odd, \"quoted\" kind", kNoIndex, kT0 + 5 * kNsPerSecond, Severity::Info, "",
                         "a hazard not tied to one connection", {}});

    Exhaustion e;
    e.localIp = *IpAddress::parse("10.0.0.1");
    e.remoteIp = *IpAddress::parse("10.0.0.2");
    e.remotePort = 80;
    e.portLow = 20000;
    e.portHigh = 20999;
    e.usablePorts = 1000;
    e.peakPortsInUse = 1000;
    e.peakTime = kT0 + 2 * kNsPerSecond;
    e.peakTimeWait = 990;
    e.newConnectionsPerSecondPeak = 25.5;
    e.maxSustainableRatePerSecond = 1000.0 / 60.0;
    e.projectedExhaustionAt = kT0 + 2 * kNsPerSecond;
    e.exhaustedAt = kT0 + 2 * kNsPerSecond;
    e.series = {{kT0, 10, 5}, {kT0 + 2 * kNsPerSecond, 1000, 990}};
    a.exhaustion.push_back(e);
    Exhaustion calm = e;
    calm.remoteIp = *IpAddress::parse("10.0.0.3");
    calm.remotePort = 443;
    calm.peakPortsInUse = 12;
    calm.peakTimeWait = 3;
    calm.newConnectionsPerSecondPeak = 0.5;
    calm.projectedExhaustionAt = kNoTime;
    calm.exhaustedAt = kNoTime;
    calm.series.clear();
    a.exhaustion.push_back(calm);

    SocketSnapshot snap;
    snap.ts = kT0 + kNsPerSecond;
    snap.timeSource = "first line";
    snap.input = 1;
    snap.kind = InputKind::Ss;
    auto row = [](const char* remote, std::uint16_t port, TcpState st) {
        SocketRow r;
        r.localIp = *IpAddress::parse("10.0.0.1");
        r.localPort = 40000;
        r.remoteIp = *IpAddress::parse(remote);
        r.remotePort = port;
        r.state = st;
        return r;
    };
    snap.sockets = {row("10.0.0.3", 443, TcpState::TimeWait), row("10.0.0.2", 80, TcpState::TimeWait),
                    row("10.0.0.2", 80, TcpState::TimeWait), row("10.0.0.2", 80, TcpState::Established)};
    snap.timeWaitByDestination = {{*IpAddress::parse("10.0.0.2"), 80, 2}, {*IpAddress::parse("10.0.0.3"), 443, 1}};
    snap.stateCounts.fill(0);
    snap.stateCounts[static_cast<std::size_t>(TcpState::None)] = -1;
    snap.stateCounts[static_cast<std::size_t>(TcpState::TimeWait)] = 3;
    snap.stateCounts[static_cast<std::size_t>(TcpState::Established)] = 1;
    a.snapshots.push_back(snap);
    SocketSnapshot summary;
    summary.ts = kT0 + 2 * kNsPerSecond;
    summary.timeSource = "file mtime";
    summary.input = 1;
    summary.kind = InputKind::Ss;
    summary.stateCounts.fill(-1);
    summary.timeWaitTotal = 1234;
    summary.counters = {{"TcpExtTW", 99}};
    a.snapshots.push_back(summary);

    a.findings.push_back({"tw_reuse_loopback_only", Severity::Warning,
                          "tcp_tw_reuse = 2 reuses TIME_WAIT ports for loopback connections only",
                          "sysctl.txt:5: net.ipv4.tcp_tw_reuse = 2"});
    return a;
}

Analysis manyConnections(std::uint32_t n) {
    Analysis a;
    const std::uint32_t c = intern(a, "192.0.2.1");
    const std::uint32_t s = intern(a, "198.51.100.7");
    for (std::uint32_t i = 0; i < n; ++i)
        a.connections.push_back(clientClosed(a, i, kT0 + static_cast<TimeNs>(i) * kNsPerMs, c, s,
                                             static_cast<std::uint16_t>(32768 + i % 28232)));
    return a;
}

} // namespace twlens::test
