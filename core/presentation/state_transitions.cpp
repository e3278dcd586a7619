// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/state_transitions.h"

#include <algorithm>
#include <array>
#include <limits>

namespace twlens {

namespace {

// The state a side was in before its first recorded one, when the capture shows how it began.
TcpState before(TcpState first) {
    switch (first) {
    case TcpState::SynSent:
        return TcpState::Closed; // RFC 9293 figure 5: CLOSED --active OPEN, snd SYN--> SYN-SENT
    case TcpState::SynRecv:
        return TcpState::Listen; // LISTEN --rcv SYN, snd SYN,ACK--> SYN-RECEIVED
    default:
        return TcpState::None;   // seen mid-stream: how it got there is unknown
    }
}

// Adds one connection's transitions entered in [from, to]; true when it added any.
bool addConnection(const Analysis& a, const Connection& c, TimeNs from, TimeNs to, StateTransitions& out) {
    bool any = false;
    std::array<TcpState, 2> now{TcpState::None, TcpState::None};
    std::array<bool, 2> started{false, false};
    const auto segs = a.segmentsOf(c);
    for (const StateChange& s : a.statesOf(c)) {
        const auto side = static_cast<std::size_t>(s.side);
        const TcpState prev = started[side] ? now[side] : before(s.state);
        started[side] = true;
        now[side] = s.state;
        const TimeNs t = a.stateTime(c, s, segs);
        if (prev == TcpState::None || prev == s.state || t < from || t > to)
            continue;
        ++out.taken[{prev, s.state}];
        any = true;
    }
    for (std::uint8_t w = 0; w < c.timeWaitCount; ++w)
        if (c.timeWait[w].end >= from && c.timeWait[w].end <= to)
            ++out.timeWaitEnds[static_cast<std::size_t>(c.timeWait[w].reason)];
    out.lastClient = now[0];
    out.lastServer = now[1];
    return any;
}

} // namespace

StateTransitions stateTransitions(const Analysis& a, const FigureWindow& w) {
    StateTransitions t;
    for (const Connection& c : a.connections)
        if (overlaps(c, w) && addConnection(a, c, w.from, w.to, t))
            ++t.connections;
    return t;
}

StateTransitions connectionTransitions(const Analysis& a, std::uint32_t connection) {
    StateTransitions t;
    if (connection < a.connections.size() &&
        addConnection(a, a.connections[connection], std::numeric_limits<TimeNs>::min(), std::numeric_limits<TimeNs>::max(), t))
        t.connections = 1;
    return t;
}

std::array<std::vector<TcpState>, 2> statePaths(const Analysis& a, std::uint32_t connection) {
    std::array<std::vector<TcpState>, 2> paths;
    if (connection >= a.connections.size())
        return paths;
    for (const StateChange& s : a.statesOf(a.connections[connection])) {
        auto& path = paths[static_cast<std::size_t>(s.side)];
        if (path.empty() && before(s.state) != TcpState::None)
            path.push_back(before(s.state));
        if (path.empty() || path.back() != s.state)
            path.push_back(s.state);
    }
    return paths;
}

std::vector<std::pair<std::pair<TcpState, TcpState>, std::uint64_t>> byCount(const StateTransitions& t) {
    std::vector<std::pair<std::pair<TcpState, TcpState>, std::uint64_t>> v(t.taken.begin(), t.taken.end());
    std::stable_sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
    return v;
}

} // namespace twlens
