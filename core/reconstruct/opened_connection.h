// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <cstdint>

#include "core/model/connection.h"
#include "core/model/time.h"

namespace twlens::recon {

// A connection as the SegmentTracker keeps it while the input is read: only the Connection fields
// known by then (the Finaliser and TeardownReplay fill in the rest). 72 bytes instead of
// Connection's 168: on 500k connections, 48 MB less at the end of reading, which is when the
// analysis peaks in memory, and half the pages the reconstructor's thread faults in.
struct OpenedConnection {
    TimeNs start = 0;
    TimeNs end = 0;
    std::array<std::uint64_t, 2> payloadBytes{}; // per Side (sender)
    std::uint32_t clientAddr = 0;
    std::uint32_t serverAddr = 0;
    std::uint32_t vlan = 0;
    std::uint32_t firstSegment = 0; // the head of its chain in the kept-segment log
    std::uint32_t segmentCount = 0;
    std::array<std::uint32_t, 2> packets{}; // per Side (sender)
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
        c.payloadBytes = payloadBytes;
        return c;
    }
};
static_assert(sizeof(OpenedConnection) == 72);

} // namespace twlens::recon
