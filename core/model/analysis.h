// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/model/connection.h"
#include "core/model/exhaustion.h"
#include "core/model/finding.h"
#include "core/model/hazard.h"
#include "core/model/input_info.h"
#include "core/model/ip_address.h"
#include "core/model/segment_store.h"
#include "core/model/settings.h"
#include "core/model/snapshot.h"
#include "core/support/block_pool.h"

namespace twlens {

// The one immutable result every front end presents (shared as shared_ptr<const Analysis>).
// Everything a view or report says is computed into it once, by core/.
struct Analysis {
    Settings settings;
    std::vector<InputInfo> inputs;

    std::vector<IpAddress> addresses;        // interned; Connection::clientAddr etc. index here
    std::vector<std::uint64_t> vlanStacks{0}; // interned Segment::vlanStack values; [0] = untagged

    // The three biggest arrays are BlockVectors, so that the Finaliser can write them in the
    // memory the reconstruction frees (BlockPool).
    BlockVector<Connection> connections;     // ordered by start time; Connection::id == index
    SegmentStore segments;                   // each connection's kept segments, coded (segmentsOf decodes)
    BlockVector<StateChange> states;         // each connection's state timelines, contiguous

    std::vector<Hazard> hazards;             // sorted by connection, then time
    std::vector<Exhaustion> exhaustion;
    std::vector<SocketSnapshot> snapshots;   // sorted by time
    SysctlTable sysctl;
    std::vector<Finding> findings;

    SegmentList segmentsOf(const Connection& c) const { return segments.decode(c.firstSegment, c.segmentCount); }
    // Stores c's kept segments (c.firstSegment, c.segmentCount): for code building an Analysis
    // by hand (the Finaliser codes whole batches).
    void setSegments(Connection& c, std::span<const ControlSegment> kept) {
        c.firstSegment = segments.append(kept);
        c.segmentCount = static_cast<std::uint32_t>(kept.size());
    }
    std::span<const StateChange> statesOf(const Connection& c) const {
        return {states.data() + c.firstState, c.stateCount};
    }
    std::span<const Hazard> hazardsOf(const Connection& c) const {
        return {hazards.data() + c.firstHazard, c.hazardCount};
    }
    const IpAddress& clientIp(const Connection& c) const { return addresses[c.clientAddr]; }
    const IpAddress& serverIp(const Connection& c) const { return addresses[c.serverAddr]; }
    // Entry time of a state change (a timer expiry takes the TIME_WAIT window's end). Given the
    // connection's decoded segments, it does not decode them again.
    TimeNs stateTime(const Connection& c, const StateChange& s) const;
    TimeNs stateTime(const Connection& c, const StateChange& s, std::span<const ControlSegment> segs) const;
};

} // namespace twlens
