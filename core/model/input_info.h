// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/time.h"

namespace twlens {

enum class InputKind : std::uint8_t {
    Unknown,
    Pcap,
    Pcapng,
    Ss,              // ss -tan[oi], ss -s
    Netstat,         // netstat -ant[o]
    Sockstat,        // /proc/net/sockstat, sockstat6
    ProcNetTcp,      // /proc/net/tcp, tcp6
    NetstatCounters, // /proc/net/netstat, nstat
    Sysctl,          // sysctl -a lines
    Bundle,          // twlens-collect .tar.gz or directory
};
// The JSON contract's spelling: "pcap", "pcapng", "ss", ..., "bundle".
std::string_view inputKindName(InputKind k);

// A problem found while reading an input. Where it is: a byte offset (binary formats) or a
// 1-based line (text formats); one of them is set.
struct InputWarning {
    static constexpr std::uint64_t kNone = UINT64_MAX;
    std::uint64_t offset = kNone;
    std::uint64_t line = kNone;
    std::string message;
    // "byte 5696: truncated dump file" / "line 12: unknown state 'FOO'" / the message alone
    std::string text() const;
};

struct InputInfo {
    std::string path;
    InputKind kind = InputKind::Unknown;
    bool compressed = false;          // read through gzip
    std::uint64_t sizeBytes = 0;      // on disk
    std::uint64_t packets = 0;        // all frames read
    std::uint64_t tcpPackets = 0;     // frames with a decodable TCP header
    std::uint64_t nonTcpPackets = 0;  // counted, not analysed
    std::uint64_t ipFragments = 0;    // non-first and first fragments: counted, not analysed
    std::uint64_t undecodable = 0;    // link/IP headers we could not parse
    TimeNs firstTs = kNoTime;
    TimeNs lastTs = kNoTime;
    int linkType = -1;                // libpcap DLT of the (first) interface, captures only
    std::vector<InputWarning> warnings;
};

} // namespace twlens
