// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/model/connection.h"
#include "core/model/input_info.h"
#include "core/model/ip_address.h"
#include "core/model/tcp_state.h"
#include "core/model/time.h"

namespace twlens {

// One socket line of ss / netstat / /proc/net/tcp.
struct SocketRow {
    IpAddress localIp;
    IpAddress remoteIp;
    std::uint16_t localPort = 0;   // 0 = wildcard (*)
    std::uint16_t remotePort = 0;
    TcpState state = TcpState::None;
    std::int64_t timerMs = -1;     // remaining time of the socket's timer (ss -o, netstat -o, /proc tm->when), -1 unknown
    std::uint8_t timerKind = 0;    // 0 none/unknown, 1 on, 2 keepalive, 3 timewait, 4 persist, 5 delack
    std::uint32_t line = 0;        // source line, 1-based
};

// How many sockets of one snapshot were in TIME_WAIT toward one (remote ip, remote port): the
// JSON contract's snapshots[].time_wait_by_destination.
struct DestinationCount {
    IpAddress remoteIp;
    std::uint16_t remotePort = 0;
    std::int64_t count = 0;
};

// What one snapshot file (or one section of a collector bundle) showed at one moment.
struct SocketSnapshot {
    TimeNs ts = kNoTime;
    std::string timeSource;        // "first line", "bundle index", "file mtime" (warned)
    std::uint32_t input = 0;       // index into Analysis::inputs
    InputKind kind = InputKind::Unknown;
    std::vector<SocketRow> sockets;                 // ss -tan, netstat -ant, /proc/net/tcp
    std::array<std::int64_t, kTcpStateCount> stateCounts{}; // filled from sockets or from summaries; -1 unknown
    std::int64_t timeWaitTotal = -1;                // ss -s "timewait", sockstat "tw"
    std::map<std::string, std::int64_t, std::less<>> counters;   // TcpExt counters by name, sockstat fields
    std::vector<DestinationCount> timeWaitByDestination; // from TIME_WAIT rows, most first (core/snapshots)
};

// sysctl lines as read, with their source line, for findings that cite them.
struct SysctlValue {
    std::string value;
    std::uint32_t input = 0;
    std::uint32_t line = 0;
};
using SysctlTable = std::map<std::string, SysctlValue, std::less<>>;

} // namespace twlens
