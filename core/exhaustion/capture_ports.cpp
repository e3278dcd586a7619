// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exhaustion/capture_ports.h"

#include <algorithm>

namespace twlens {

PortHold clientPortHold(const Analysis& a, const Connection& c, TimeNs end) {
    PortHold h;
    h.start = c.start;
    const TimeWaitWindow* tw = nullptr;
    for (std::uint8_t i = 0; i < c.timeWaitCount && i < c.timeWait.size(); ++i)
        if (c.timeWait[i].side == Side::Client)
            tw = &c.timeWait[i];
    if (tw) {
        h.timeWaitStart = tw->start;
        h.end = tw->end;
    } else {
        TimeNs closed = kNoTime;
        for (const StateChange& s : a.statesOf(c))
            if (s.side == Side::Client && s.state == TcpState::Closed)
                closed = a.stateTime(c, s);
        if (closed != kNoTime)
            h.end = closed;
        else if (c.closeKind == CloseKind::Open || c.closeKind == CloseKind::HalfClosed)
            h.end = std::max(end, c.end);
        else
            h.end = c.end; // closed, but no CLOSED state for the client recorded: its last segment
    }
    h.end = std::max(h.end, h.start);
    return h;
}

TimeNs captureEnd(const Analysis& a) {
    TimeNs end = kNoTime;
    for (const InputInfo& in : a.inputs)
        if ((in.kind == InputKind::Pcap || in.kind == InputKind::Pcapng) && in.lastTs != kNoTime)
            end = std::max(end, in.lastTs);
    for (const Connection& c : a.connections)
        end = std::max(end, c.end);
    return end;
}

DestinationMap<CapturePorts> capturePortsByDestination(const Analysis& a) {
    // Count first and reserve each destination's arrays exactly: growing them by doubling would
    // hold up to three times the holds at once (500k connections: 36 MB instead of 12).
    DestinationMap<CapturePorts> out;
    for (const Connection& c : a.connections)
        ++out[Destination{a.clientIp(c), a.serverIp(c), c.serverPort}].connections;
    for (auto& [dest, d] : out) {
        d.holds.reserve(d.connections);
        d.synTimes.reserve(d.connections);
        d.connections = 0;
    }
    const TimeNs end = captureEnd(a);
    for (const Connection& c : a.connections) {
        CapturePorts& d = out.find(Destination{a.clientIp(c), a.serverIp(c), c.serverPort})->second;
        const PortHold h = clientPortHold(a, c, end);
        d.holds.push_back(h);
        if (d.connections++ == 0)
            d.firstInput = c.input;
        if (c.has(Connection::TimestampsSeen))
            ++d.withTimestamps;
        if (c.has(Connection::SynSeen) && !c.has(Connection::RolesInferred))
            d.synTimes.push_back(c.start);
        d.first = d.first == kNoTime ? h.start : std::min(d.first, h.start);
        d.last = std::max(d.last, std::max(h.end, c.end));
    }
    for (auto& [dest, d] : out)
        std::sort(d.synTimes.begin(), d.synTimes.end());
    return out;
}

} // namespace twlens
