// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "core/model/analysis.h"
#include "core/presentation/figure_window.h"

namespace twlens {

// How often each RFC 9293 state transition (§3.3.2, figure 5) was taken, counting both ends.
// A side's first state comes from CLOSED (SYN-SENT: active open) or LISTEN (SYN-RECEIVED: passive
// open); a side first seen mid-stream has no known previous state and its first entry is not a
// transition. Transitions the RFC diagram lacks (a RST from ESTABLISHED to CLOSED, ...) are kept:
// they are what the capture shows.
struct StateTransitions {
    std::map<std::pair<TcpState, TcpState>, std::uint64_t> taken;
    std::uint32_t connections = 0; // connections that contributed at least one transition
    // TIME_WAIT windows that ended inside the window, by how (TimeWaitEnd: the timer, the 4-tuple
    // reused, a RST): the diagram has one TIME-WAIT -> CLOSED arrow for all three.
    std::array<std::uint64_t, 3> timeWaitEnds{};
    // The end states of the last connection counted (one-connection paths: where each end stopped).
    TcpState lastClient = TcpState::None;
    TcpState lastServer = TcpState::None;
};

// Transitions entered inside the window, over every connection overlapping it.
StateTransitions stateTransitions(const Analysis& a, const FigureWindow& w);
// One connection's path, both ends, whole.
StateTransitions connectionTransitions(const Analysis& a, std::uint32_t connection);

// Each end's states in order, starting from CLOSED or LISTEN when the capture shows how it began
// (see above): [0] the client's, [1] the server's.
std::array<std::vector<TcpState>, 2> statePaths(const Analysis& a, std::uint32_t connection);

// The taken transitions, most taken first (ties in state order): the figure's table.
std::vector<std::pair<std::pair<TcpState, TcpState>, std::uint64_t>> byCount(const StateTransitions& t);

} // namespace twlens
