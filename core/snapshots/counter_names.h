// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string_view>

// Keys of SocketSnapshot::counters as the snapshot importers write them, so later passes
// (exhaustion, findings) look them up by a name, not a string literal.
//   /proc/net/netstat, /proc/net/snmp and nstat: the nstat spelling, prefix + field ("TcpExtTW").
//   /proc/net/sockstat(6): "<PROTOCOL>.<field>" ("TCP.tw", "TCP6.inuse", "sockets.used").
//   ss -s: "ss.<field>" ("ss.timewait", "ss.estab"), the transport table as "ss.TCP.IPv6".
namespace twlens::counters {

inline constexpr std::string_view kTimeWaitArmed = "TcpExtTW";          // timers armed > 4 s (facts §6.7)
inline constexpr std::string_view kTimeWaitKilled = "TcpExtTWKilled";   // armed <= 4 s
inline constexpr std::string_view kTimeWaitRecycled = "TcpExtTWRecycled"; // tcp_tw_reuse successes (facts §4)
inline constexpr std::string_view kTimeWaitOverflow = "TcpExtTCPTimeWaitOverflow"; // past tcp_max_tw_buckets
inline constexpr std::string_view kAbortOnData = "TcpExtTCPAbortOnData";
inline constexpr std::string_view kAbortOnClose = "TcpExtTCPAbortOnClose";

inline constexpr std::string_view kSockstatTcpInUse = "TCP.inuse";
inline constexpr std::string_view kSockstatTcpOrphan = "TCP.orphan";
inline constexpr std::string_view kSockstatTcpTimeWait = "TCP.tw";
inline constexpr std::string_view kSockstatTcpAlloc = "TCP.alloc";
inline constexpr std::string_view kSockstatTcp6InUse = "TCP6.inuse";

inline constexpr std::string_view kSsTcpTotal = "ss.total";
inline constexpr std::string_view kSsEstab = "ss.estab";       // ESTABLISHED and CLOSE-WAIT together
inline constexpr std::string_view kSsClosed = "ss.closed";     // includes TIME-WAIT
inline constexpr std::string_view kSsOrphaned = "ss.orphaned";
inline constexpr std::string_view kSsTimeWait = "ss.timewait";
inline constexpr std::string_view kSsPorts = "ss.ports";       // iproute2 before 4.17 only

} // namespace twlens::counters
