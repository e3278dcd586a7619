// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/model/connection.h"
#include "core/model/settings.h"

namespace twlens::recon {

// What the replay of one connection tells the Finaliser beyond the Connection fields it fills.
struct ReplayOutcome {
    TimeNs closeTime = kNoTime;   // last teardown segment (final ACK or RST); kNoTime if never closed
    TimeNs firstSynTs = kNoTime;  // the client's first SYN (what a reuse gap is measured to)
};

// Replays one connection's kept segments through two RFC 9293 state machines, one per side, as
// seen at the capture point, and classifies its teardown: states (StateChange timeline), active
// closer, close kind, TIME_WAIT windows (start, restarts, RST end), FIN retransmissions, lost final
// ACK, FIN_WAIT_2 timeout, ISNs. Runs once per connection at the end (teardown_replay.cpp holds
// the rules and the kernel functions behind them). Marks Retransmission in the segments' meta.
class TeardownReplay {
public:
    explicit TeardownReplay(const Settings& settings);

    ReplayOutcome run(Connection& c, std::span<ControlSegment> segments, std::vector<StateChange>& states);

private:
    struct SideTrack;
    struct Scan;
    Scan prescan(std::span<const ControlSegment> segments) const;

    TimeNs twLength_;
    bool rfc1337_;
    std::vector<StateChange> scratch_; // this connection's states before compaction (reused)
};

} // namespace twlens::recon
