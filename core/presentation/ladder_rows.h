// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// One row of a connection's ladder (sequence) diagram, top to bottom in time.
struct LadderRow {
    enum class Kind : std::uint8_t {
        Segment,     // a kept ControlSegment: an arrow
        DataPhase,   // "N data segments" the core counted but did not keep (ControlSegment::dataBefore)
        TimerExpiry, // a TIME_WAIT timer fired: no packet, the end went to CLOSED
    };
    Kind kind = Kind::Segment;
    TimeNs ts = 0;                   // DataPhase: the time of the segment that follows it
    std::uint32_t segment = 0;       // index within the connection's segments (DataPhase: the next one)
    Side from = Side::Client;
    std::uint8_t flags = 0;
    std::uint8_t meta = 0;           // ControlSegment::Meta bits (retransmission, tap duplicate, ...)
    std::uint32_t relSeq = 0;        // relative to the sender's ISN (or first seq seen)
    std::uint32_t relAck = 0;        // relative to the receiver's ISN (or first seq seen)
    std::uint16_t payload = 0;
    std::uint32_t frame = 0;
    std::uint32_t dataSegments = 0;  // DataPhase only
    std::array<TcpState, 2> enters{TcpState::None, TcpState::None}; // state each end entered here
    std::vector<std::uint32_t> hazards; // indices into Analysis::hazards annotated at this row
};

struct LadderTimeWait {
    Side side = Side::Client;
    TimeNs start = 0;
    TimeNs end = 0;
    TimeWaitEnd reason = TimeWaitEnd::Expired;
    bool pastCaptureEnd = false;     // the capture stopped before the window ended
    std::size_t firstRow = 0;        // the row that put the side into TIME_WAIT
    std::size_t lastRow = 0;         // the row where it left (the timer row, or the last row)
};

struct Ladder {
    std::uint32_t connection = kNoIndex;
    std::string client;              // "10.0.0.1:40312"
    std::string server;
    std::array<bool, 2> isnSeen{false, false};
    std::vector<LadderRow> rows;
    std::vector<LadderTimeWait> timeWaits;
};

// Everything a ladder view draws for one connection: kept segments with relative seq/ack, the
// collapsed data phases, state entries per end (Analysis::statesOf), TIME_WAIT brackets and where
// each hazard belongs (the last row at or before Hazard::ts).
Ladder buildLadder(const Analysis& a, std::uint32_t connection);

// "FIN,ACK seq=1 ack=1" (plus " len=N" when payload) -- the text on a ladder arrow.
std::string describeRow(const LadderRow& r);

} // namespace twlens
