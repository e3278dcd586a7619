// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>

#include "core/model/connection.h"
#include "core/model/time.h"

namespace twlens::recon {

// A byte count in 48 bits that saturates at 2^48 - 1 (256 TiB) instead of wrapping: exact below
// that, and above it the largest count it can hold rather than a small wrong one. 6 bytes at
// 2-byte alignment: two take 12 bytes where two 64-bit counters took 16.
class ByteCount48 {
public:
    static constexpr std::uint64_t kMax = (std::uint64_t{1} << 48) - 1;

    std::uint64_t value() const {
        return std::uint64_t{w_[0]} | std::uint64_t{w_[1]} << 16 | std::uint64_t{w_[2]} << 32;
    }
    void set(std::uint64_t v) {
        v = std::min(v, kMax);
        w_[0] = static_cast<std::uint16_t>(v);
        w_[1] = static_cast<std::uint16_t>(v >> 16);
        w_[2] = static_cast<std::uint16_t>(v >> 32);
    }
    // value() <= kMax, so the sum cannot wrap 64 bits before set() saturates it.
    void add(std::uint64_t n) { set(value() + std::min(n, kMax)); }

private:
    std::uint16_t w_[3] = {0, 0, 0};
};
static_assert(sizeof(ByteCount48) == 6 && alignof(ByteCount48) == 2);

// A connection as the SegmentTracker keeps it while the input is read: only the Connection fields
// known by then (the Finaliser and TeardownReplay fill in the rest). 64 bytes instead of
// Connection's 168: on 500k connections, 52 MB less at the end of reading, which is when the
// analysis peaks in memory, and fewer than half the pages the reconstructor's thread faults in.
// The payload counts take 48 bits each (Connection's take 64): reaching the limit takes 256 TiB
// of TCP payload one way in one capture, more than 2^32 segments at the largest 16-bit IP length
// (only a header claiming length 0, as segmentation offload writes, counts the frame's original
// length instead, up to 4 GiB: a crafted capture could claim the limit with fewer).
struct OpenedConnection {
    TimeNs start = 0;
    TimeNs end = 0;
    std::uint32_t clientAddr = 0;
    std::uint32_t serverAddr = 0;
    std::uint32_t vlan = 0;
    std::uint32_t firstSegment = 0; // the head of its chain in the kept-segment log
    std::uint32_t segmentCount = 0;
    std::array<std::uint32_t, 2> packets{}; // per Side (sender)
    std::array<ByteCount48, 2> payloadBytes{}; // per Side (sender)
    std::uint16_t clientPort = 0;
    std::uint16_t serverPort = 0;
    std::uint16_t input = 0;
    std::uint16_t flags = 0; // Connection::Flag bits

    void set(Connection::Flag f, bool on) {
        flags = static_cast<std::uint16_t>(on ? (flags | f) : (flags & ~f));
    }

    Connection toConnection(std::uint32_t id) const {
        Connection c;
        c.id = id;
        c.clientAddr = clientAddr;
        c.serverAddr = serverAddr;
        c.vlan = vlan;
        c.clientPort = clientPort;
        c.serverPort = serverPort;
        c.input = input;
        c.flags = flags;
        c.start = start;
        c.end = end;
        c.firstSegment = firstSegment;
        c.segmentCount = segmentCount;
        c.packets = packets;
        c.payloadBytes = {payloadBytes[0].value(), payloadBytes[1].value()};
        return c;
    }
};
static_assert(sizeof(OpenedConnection) == 64);

} // namespace twlens::recon
