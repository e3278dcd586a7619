// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis_builder.h"

#include <algorithm>

#include "core/model/tcp_flags.h"

namespace twlens::testing {

TimeNs at(double seconds) { return AnalysisBuilder::kOrigin + fromSeconds(seconds); }

std::uint32_t AnalysisBuilder::address(const std::string& text) {
    const IpAddress ip = *IpAddress::parse(text);
    for (std::uint32_t i = 0; i < a_.addresses.size(); ++i)
        if (a_.addresses[i] == ip)
            return i;
    a_.addresses.push_back(ip);
    return std::uint32_t(a_.addresses.size() - 1);
}

std::uint32_t AnalysisBuilder::connection(const std::string& client, std::uint16_t clientPort, const std::string& server,
                                          std::uint16_t serverPort, double start) {
    Pending p;
    p.c.id = std::uint32_t(conns_.size());
    p.c.clientAddr = address(client);
    p.c.serverAddr = address(server);
    p.c.clientPort = clientPort;
    p.c.serverPort = serverPort;
    p.c.start = p.c.end = at(start);
    conns_.push_back(std::move(p));
    return conns_.back().c.id;
}

std::uint16_t AnalysisBuilder::segment(std::uint32_t conn, double t, Side from, std::uint8_t flags, std::uint32_t seq,
                                       std::uint32_t ack, std::uint16_t payload, std::uint16_t dataBefore, std::uint8_t meta) {
    Pending& p = conns_[conn];
    ControlSegment s;
    s.ts = at(t);
    s.seq = seq;
    s.ack = ack;
    s.flags = flags;
    s.payload = payload;
    s.dataBefore = dataBefore;
    s.meta = std::uint8_t(meta | (from == Side::Server ? ControlSegment::FromServer : 0));
    s.frame = std::uint32_t(p.segments.size() + 1);
    p.segments.push_back(s);
    p.c.end = std::max(p.c.end, s.ts);
    ++p.c.packets[std::size_t(from)];
    if ((flags & tcpflag::SYN) && !(flags & tcpflag::ACK))
        p.c.isn[0] = seq;
    if ((flags & tcpflag::SYN) && (flags & tcpflag::ACK))
        p.c.isn[1] = seq;
    return std::uint16_t(p.segments.size() - 1);
}

void AnalysisBuilder::state(std::uint32_t conn, std::uint16_t seg, Side side, TcpState s) {
    conns_[conn].states.push_back({seg, s, side});
}

void AnalysisBuilder::timerState(std::uint32_t conn, Side side, TcpState s) {
    conns_[conn].states.push_back({StateChange::kTimerSegment, s, side});
}

void AnalysisBuilder::timeWait(std::uint32_t conn, Side side, double start, double end, TimeWaitEnd reason) {
    Connection& c = conns_[conn].c;
    c.timeWait[c.timeWaitCount++] = {at(start), at(end), side, reason};
}

void AnalysisBuilder::hazard(std::uint32_t conn, const std::string& kind, double t, Severity sev,
                             const std::string& reference, const std::string& summary) {
    Hazard h;
    h.kind = kind;
    h.connection = conn;
    h.ts = at(t);
    h.severity = sev;
    h.reference = reference;
    h.summary = summary;
    conns_[conn].hazards.push_back(h);
}

void AnalysisBuilder::link(std::uint32_t previous, std::uint32_t next) {
    conns_[previous].c.nextIncarnation = next;
    conns_[next].c.previousIncarnation = previous;
    conns_[next].c.reuseGap = conns_[next].c.start - conns_[previous].c.end;
}

void AnalysisBuilder::input(const std::string& path, double first, double last, std::uint64_t packets) {
    InputInfo in;
    in.path = path;
    in.kind = InputKind::Pcap;
    in.firstTs = at(first);
    in.lastTs = at(last);
    in.packets = packets;
    in.tcpPackets = packets;
    a_.inputs.push_back(in);
}

std::shared_ptr<const Analysis> AnalysisBuilder::finish() {
    for (Pending& p : conns_) {
        a_.setSegments(p.c, p.segments);
        p.c.firstState = std::uint32_t(a_.states.size());
        p.c.stateCount = std::uint16_t(p.states.size());
        a_.states.insert(a_.states.end(), p.states.begin(), p.states.end());
        p.c.firstHazard = std::uint32_t(a_.hazards.size());
        p.c.hazardCount = std::uint32_t(p.hazards.size());
        a_.hazards.insert(a_.hazards.end(), p.hazards.begin(), p.hazards.end());
        a_.connections.push_back(p.c);
    }
    conns_.clear();
    return std::make_shared<const Analysis>(std::move(a_));
}

// The story, times in seconds after the origin; capture 0..100 s:
//  #0 10.0.0.1:40000 -> 10.0.0.2:80 at 1 s: handshake, 7 data segments, client FIN at 2 s,
//     server FIN at 2.1 s, client final ACK lost: server retransmits its FIN at 2.3 s, client
//     ACKs again; client TIME_WAIT 2.3 .. 62.3 s. Hazard lost_final_ack at 2.3 s.
//  #1 10.0.0.3:50000 -> 10.0.0.2:80 at 5 s: handshake then RST from the server at 6 s.
//  #2 10.0.0.1:40000 -> 10.0.0.2:80 at 30 s: reopens #0's 4-tuple during its TIME_WAIT (#0's
//     window ends 'reused' at 30 s); server closes first at 31 s; server TIME_WAIT 31.2 .. 91.2 s.
//     Hazard reuse_within_time_wait at 30 s.
//  #3 10.0.0.4:41000 -> 10.0.0.2:443 at 70 s: client closes at 80 s; TIME_WAIT 80.2 .. 140.2 s,
//     past the capture's end (100 s).
std::shared_ptr<const Analysis> teardownScenario() {
    using namespace tcpflag;
    AnalysisBuilder b;
    b.input("scenario.pcap", 0.0, 100.0, 64);
    const Side C = Side::Client, S = Side::Server;

    const auto c0 = b.connection("10.0.0.1", 40000, "10.0.0.2", 80, 1.0);
    auto s = b.segment(c0, 1.000, C, SYN, 1000, 0);
    b.state(c0, s, C, TcpState::SynSent);
    s = b.segment(c0, 1.001, S, SYN | ACK, 5000, 1001);
    b.state(c0, s, S, TcpState::SynRecv);
    s = b.segment(c0, 1.002, C, ACK, 1001, 5001);
    b.state(c0, s, C, TcpState::Established);
    b.state(c0, s, S, TcpState::Established);
    s = b.segment(c0, 2.000, C, FIN | ACK, 1101, 5801, 0, 7);
    b.state(c0, s, C, TcpState::FinWait1);
    b.state(c0, s, S, TcpState::CloseWait);
    s = b.segment(c0, 2.0005, S, ACK, 5801, 1102);
    b.state(c0, s, C, TcpState::FinWait2);
    s = b.segment(c0, 2.100, S, FIN | ACK, 5801, 1102);
    b.state(c0, s, S, TcpState::LastAck);
    s = b.segment(c0, 2.1005, C, ACK, 1102, 5802);
    b.state(c0, s, C, TcpState::TimeWait);
    s = b.segment(c0, 2.300, S, FIN | ACK, 5801, 1102, 0, 0, ControlSegment::Retransmission);
    s = b.segment(c0, 2.3005, C, ACK, 1102, 5802);
    b.state(c0, s, C, TcpState::TimeWait);
    b.state(c0, s, S, TcpState::Closed);
    b.timeWait(c0, C, 2.3005, 30.0, TimeWaitEnd::Reused);
    b.edit(c0).activeCloser = Closer::Client;
    b.edit(c0).closeKind = CloseKind::Fin;
    b.edit(c0).finRetransmissions = 1;
    b.edit(c0).set(Connection::LostFinalAck);
    b.edit(c0).set(Connection::SynSeen);
    b.hazard(c0, "lost_final_ack", 2.300, Severity::Warning, "RFC 9293",
             "The server retransmitted its FIN: the client's final ACK was lost");

    const auto c1 = b.connection("10.0.0.3", 50000, "10.0.0.2", 80, 5.0);
    s = b.segment(c1, 5.000, C, SYN, 7000, 0);
    b.state(c1, s, C, TcpState::SynSent);
    s = b.segment(c1, 5.001, S, SYN | ACK, 9000, 7001);
    b.state(c1, s, S, TcpState::SynRecv);
    s = b.segment(c1, 5.002, C, ACK, 7001, 9001);
    b.state(c1, s, C, TcpState::Established);
    b.state(c1, s, S, TcpState::Established);
    s = b.segment(c1, 6.000, S, RST | ACK, 9001, 7001, 0, 3);
    b.state(c1, s, C, TcpState::Closed);
    b.state(c1, s, S, TcpState::Closed);
    b.edit(c1).closeKind = CloseKind::Rst;
    b.edit(c1).set(Connection::SynSeen);

    const auto c2 = b.connection("10.0.0.1", 40000, "10.0.0.2", 80, 30.0);
    s = b.segment(c2, 30.000, C, SYN, 2000, 0);
    b.state(c2, s, C, TcpState::SynSent);
    s = b.segment(c2, 30.001, S, SYN | ACK, 6000, 2001);
    b.state(c2, s, S, TcpState::SynRecv);
    s = b.segment(c2, 30.002, C, ACK, 2001, 6001);
    b.state(c2, s, C, TcpState::Established);
    b.state(c2, s, S, TcpState::Established);
    s = b.segment(c2, 31.000, S, FIN | ACK, 6101, 2001);
    b.state(c2, s, S, TcpState::FinWait1);
    b.state(c2, s, C, TcpState::CloseWait);
    s = b.segment(c2, 31.100, C, FIN | ACK, 2001, 6102);
    b.state(c2, s, C, TcpState::LastAck);
    b.state(c2, s, S, TcpState::TimeWait);
    s = b.segment(c2, 31.200, S, ACK, 6102, 2002);
    b.state(c2, s, C, TcpState::Closed);
    b.timeWait(c2, S, 31.2, 91.2, TimeWaitEnd::Expired);
    b.timerState(c2, S, TcpState::Closed);
    b.edit(c2).activeCloser = Closer::Server;
    b.edit(c2).closeKind = CloseKind::Fin;
    b.edit(c2).set(Connection::SynSeen);
    b.hazard(c2, "reuse_within_time_wait", 30.0, Severity::Critical, "RFC 6191; Linux tcp_timewait_state_process",
             "The 4-tuple was reopened 27.7 s into the client's 60 s TIME_WAIT");
    b.link(c0, c2);

    const auto c3 = b.connection("10.0.0.4", 41000, "10.0.0.2", 443, 70.0);
    s = b.segment(c3, 70.000, C, SYN, 100, 0);
    b.state(c3, s, C, TcpState::SynSent);
    s = b.segment(c3, 70.001, S, SYN | ACK, 300, 101);
    b.state(c3, s, S, TcpState::SynRecv);
    s = b.segment(c3, 70.002, C, ACK, 101, 301);
    b.state(c3, s, C, TcpState::Established);
    b.state(c3, s, S, TcpState::Established);
    s = b.segment(c3, 80.000, C, FIN | ACK, 101, 301);
    b.state(c3, s, C, TcpState::FinWait1);
    b.state(c3, s, S, TcpState::CloseWait);
    s = b.segment(c3, 80.100, S, FIN | ACK, 301, 102);
    b.state(c3, s, C, TcpState::TimeWait);
    b.state(c3, s, S, TcpState::LastAck);
    s = b.segment(c3, 80.200, C, ACK, 102, 302);
    b.state(c3, s, S, TcpState::Closed);
    b.timeWait(c3, C, 80.2, 140.2, TimeWaitEnd::Expired);
    b.edit(c3).activeCloser = Closer::Client;
    b.edit(c3).closeKind = CloseKind::Fin;
    b.edit(c3).set(Connection::SynSeen);

    Exhaustion e;
    e.localIp = *IpAddress::parse("10.0.0.1");
    e.remoteIp = *IpAddress::parse("10.0.0.2");
    e.remotePort = 80;
    e.usablePorts = 28232;
    e.peakPortsInUse = 2;
    e.peakTime = at(30.0);
    e.peakTimeWait = 1;
    e.maxSustainableRatePerSecond = 28232.0 / 60.0;
    e.series = {{at(1.0), 1, 0}, {at(2.3), 1, 1}, {at(30.0), 2, 1}, {at(31.2), 1, 1}, {at(91.2), 0, 0}};
    b.raw().exhaustion.push_back(e);
    return b.finish();
}

std::shared_ptr<const Analysis> syntheticAnalysis(std::size_t n) {
    using namespace tcpflag;
    AnalysisBuilder b;
    // 500 new connections per second toward one server, each lives 50 ms and the client holds a
    // 60 s TIME_WAIT; one in a thousand carries a hazard marker.
    const double rate = 500.0;
    b.input("synthetic.pcap", 0.0, double(n) / rate + 1.0, n * 6);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) / rate;
        const std::uint16_t port = std::uint16_t(32768 + (i % 28000));
        const std::string client = "10.1." + std::to_string((i / 28000) % 250) + ".1";
        const auto c = b.connection(client, port, "10.0.0.2", 80, t);
        auto s = b.segment(c, t, Side::Client, SYN, 1, 0);
        b.state(c, s, Side::Client, TcpState::SynSent);
        s = b.segment(c, t + 0.001, Side::Server, SYN | ACK, 1, 2);
        b.state(c, s, Side::Server, TcpState::SynRecv);
        s = b.segment(c, t + 0.002, Side::Client, ACK, 2, 2);
        b.state(c, s, Side::Client, TcpState::Established);
        b.state(c, s, Side::Server, TcpState::Established);
        s = b.segment(c, t + 0.040, Side::Client, FIN | ACK, 100, 900, 0, 6);
        b.state(c, s, Side::Client, TcpState::FinWait1);
        b.state(c, s, Side::Server, TcpState::CloseWait);
        s = b.segment(c, t + 0.045, Side::Server, FIN | ACK, 900, 101);
        b.state(c, s, Side::Client, TcpState::TimeWait);
        b.state(c, s, Side::Server, TcpState::LastAck);
        s = b.segment(c, t + 0.050, Side::Client, ACK, 101, 901);
        b.state(c, s, Side::Server, TcpState::Closed);
        b.timeWait(c, Side::Client, t + 0.050, t + 60.050);
        b.edit(c).activeCloser = Closer::Client;
        b.edit(c).closeKind = CloseKind::Fin;
        if (i % 1000 == 0)
            b.hazard(c, "lost_final_ack", t + 0.05, Severity::Warning, "RFC 9293", "synthetic");
    }
    return b.finish();
}

} // namespace twlens::testing
