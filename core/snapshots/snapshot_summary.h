// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <span>
#include <vector>

#include "core/model/snapshot.h"
#include "core/model/tcp_state.h"

namespace twlens {

// Which states a socket listing cannot show. `ss -tn` without -a hides LISTEN, SYN-RECV,
// TIME-WAIT and CLOSE (iproute2 ss.c: the default filter is SS_CONN); a state-filtered listing
// (`ss -tan state time-wait`) shows only its one state.
struct StateVisibility {
    std::array<bool, kTcpStateCount> hidden{};
    static StateVisibility all() { return {}; }
    static StateVisibility only(TcpState s);
    static StateVisibility ssWithoutAll();
};

// Per-state counts from a snapshot's socket rows: states the listing could show get their count
// (0 included), hidden ones -1 (unknown). Also fills timeWaitByDestination. A snapshot without
// rows (ss -s, sockstat, counters) keeps what its importer set.
void summarizeSocketRows(SocketSnapshot& snapshot, const StateVisibility& visible = StateVisibility::all());

// TIME_WAIT rows grouped by (remote ip, remote port), largest count first, then by address and
// port so the order is stable.
std::vector<DestinationCount> countTimeWaitByDestination(std::span<const SocketRow> rows);

// An array of -1 (every state unknown) for snapshots that only carry summaries.
std::array<std::int64_t, kTcpStateCount> unknownStateCounts();

// Analysis::snapshots order: by time, then input, then the order they were read (stable);
// snapshots without a time go last.
void sortSnapshotSeries(std::vector<SocketSnapshot>& snapshots);

} // namespace twlens
