// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "core/exhaustion/destination.h"
#include "core/exhaustion/port_sweep.h"
#include "core/model/analysis.h"

namespace twlens {

// What the captures say about the ports of one destination.
struct CapturePorts {
    std::vector<PortHold> holds;     // one per connection, client side
    std::vector<TimeNs> synTimes;    // sorted: connections whose SYN was seen
    std::uint32_t connections = 0;
    std::uint32_t withTimestamps = 0; // connections that carried TCP timestamps both ways
    TimeNs first = kNoTime, last = kNoTime;
    std::uint32_t firstInput = UINT32_MAX; // input of its first connection
};

// The client is the connecting side: it picked its port in connect(). Its port is held from the
// connection's first segment (the SYN) until the client side is CLOSED: the end of its TIME_WAIT
// window when it has one (the window's end, even past the end of the capture: the kernel keeps
// the port that long), else the client's CLOSED state (LAST_ACK -> CLOSED on the ACK of its FIN,
// or a RST), else the end of the capture when the connection was still open.
PortHold clientPortHold(const Analysis& a, const Connection& c, TimeNs captureEnd);

// The latest time any capture input covers (InputInfo::lastTs of pcap/pcapng inputs; the last
// connection's end when the inputs carry no times).
TimeNs captureEnd(const Analysis& a);

// Every connection of the analysis, grouped by (client IP, server IP, server port): calls visit
// once per destination, in the order of their first connections. The CapturePorts is one buffer
// reused for every destination: valid only during the call.
void forEachCaptureDestination(const Analysis& a, const std::function<void(const Destination&, const CapturePorts&)>& visit);

} // namespace twlens
