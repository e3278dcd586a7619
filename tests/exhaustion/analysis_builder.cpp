// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis_builder.h"

#include <algorithm>

namespace twlens::test {

IpAddress ip(const char* text) {
    return IpAddress::parse(text).value_or(IpAddress{});
}

namespace {

std::uint32_t intern(Analysis& a, const IpAddress& addr) {
    const auto it = std::find(a.addresses.begin(), a.addresses.end(), addr);
    if (it != a.addresses.end())
        return static_cast<std::uint32_t>(it - a.addresses.begin());
    a.addresses.push_back(addr);
    return static_cast<std::uint32_t>(a.addresses.size() - 1);
}

} // namespace

Connection& addConnection(Analysis& a, const ConnectionSpec& spec) {
    Connection c;
    c.id = static_cast<std::uint32_t>(a.connections.size());
    c.clientAddr = intern(a, ip(spec.client));
    c.serverAddr = intern(a, ip(spec.server));
    c.clientPort = spec.clientPort;
    c.serverPort = spec.serverPort;
    c.start = at(spec.start);
    c.end = at(spec.end);
    c.closeKind = spec.closeKind;
    c.input = spec.input;
    c.set(Connection::SynSeen, spec.synSeen);
    c.set(Connection::MidStream, !spec.synSeen);
    c.set(Connection::TimestampsSeen, spec.timestamps);
    auto window = [&](Side side, double start) {
        TimeWaitWindow& w = c.timeWait[c.timeWaitCount++];
        w.side = side;
        w.start = at(start);
        w.end = at(start + spec.twSeconds);
    };
    if (spec.clientTimeWait)
        window(Side::Client, *spec.clientTimeWait);
    if (spec.serverTimeWait)
        window(Side::Server, *spec.serverTimeWait);

    std::vector<ControlSegment> kept;
    ControlSegment syn;
    syn.ts = c.start;
    syn.frame = 1;
    kept.push_back(syn);
    c.firstState = static_cast<std::uint32_t>(a.states.size());
    a.states.push_back({0, TcpState::SynSent, Side::Client});
    if (spec.clientClosed) {
        ControlSegment seg;
        seg.ts = at(*spec.clientClosed);
        seg.frame = 2;
        kept.push_back(seg);
        a.states.push_back({1, TcpState::Closed, Side::Client});
    }
    a.setSegments(c, kept);
    c.stateCount = static_cast<std::uint16_t>(a.states.size() - c.firstState);
    a.connections.push_back(c);
    return a.connections.back();
}

void addCaptureInput(Analysis& a, double first, double last, const std::string& path) {
    InputInfo in;
    in.path = path;
    in.kind = InputKind::Pcap;
    in.firstTs = at(first);
    in.lastTs = at(last);
    a.inputs.push_back(in);
}

SocketRow row(TcpState state, const char* local, std::uint16_t localPort, const char* remote, std::uint16_t remotePort,
              std::uint32_t line) {
    SocketRow r;
    r.state = state;
    r.localIp = ip(local);
    r.localPort = localPort;
    r.remoteIp = ip(remote);
    r.remotePort = remotePort;
    r.line = line;
    return r;
}

SocketSnapshot listing(double seconds, std::uint32_t input, std::vector<SocketRow> rows) {
    SocketSnapshot s;
    s.ts = at(seconds);
    s.input = input;
    s.kind = InputKind::Ss;
    s.sockets = std::move(rows);
    for (const SocketRow& r : s.sockets)
        ++s.stateCounts[static_cast<std::size_t>(r.state)];
    return s;
}

void addSysctl(Analysis& a, const std::string& key, const std::string& value, std::uint32_t input, std::uint32_t line) {
    a.sysctl[key] = SysctlValue{value, input, line};
}

} // namespace twlens::test
