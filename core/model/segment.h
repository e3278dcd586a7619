// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <span>

#include "core/model/ip_address.h"
#include "core/model/time.h"

namespace twlens {

// One decoded TCP segment, as an importer hands it to the core. Importers fill it on the stack
// (no allocation) and pass batches; the core keeps only what it needs (see ControlSegment).
struct Segment {
    TimeNs ts = 0;
    IpAddress src;
    IpAddress dst;
    std::uint64_t vlanStack = 0;    // VLAN IDs, outermost first, 16 bits each as (id | 0x1000); 0 = untagged
    std::uint32_t frame = 0;        // 1-based frame number within its input file (ControlSegment keeps 32 bits too)
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint32_t payloadLen = 0;   // from the IP length, not the captured length (snaplen cuts)
    std::uint32_t tsVal = 0;        // TCP timestamp option (RFC 7323), valid when hasTimestamp
    std::uint32_t contentHash = 0;  // hash of the IP and TCP headers (which fix the payload): detects tap duplicates
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint16_t input = 0;        // index of the input file in Analysis::inputs
    std::uint8_t flags = 0;         // tcpflag bits
    bool hasTimestamp = false;
    bool optionsTruncated = false;  // header cut by snaplen: options not seen (flags/seq/ack still are)
    std::uint8_t ipVersion = 4;
};

// Receives decoded segments in capture order, in batches (importers/ pushes, core/ consumes).
class SegmentSink {
public:
    virtual ~SegmentSink() = default;
    virtual void segments(std::span<const Segment> batch) = 0;
};

} // namespace twlens
