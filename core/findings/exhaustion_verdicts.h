// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// A destination worth advice: its range was exhausted, is projected to run out at the peak rate,
// or its peak used at least half of the usable ports.
bool atRisk(const Exhaustion& e);

// One "exhaustion_verdict" finding for each destination at risk (at most kMaxVerdicts, most at
// risk first; when none is, for the busiest one alone), and one summary line for the rest:
//  - critical, "exhausted at T": ports in use reached the usable ports, so connect() failed with
//    EADDRNOTAVAIL from then on (facts §5);
//  - warning, projected: the peak rate exceeds usable ports / hold time; says when, and how long
//    the range lasts from empty at that rate;
//  - info (warning from half full): the headroom, peak / usable, and the ports the peak rate would
//    hold if sustained (rate x hold time).
// Each cites the input that showed the destination and where the port range came from.
inline constexpr std::size_t kMaxVerdicts = 10;
void addExhaustionVerdicts(const Analysis& a, std::vector<Finding>& out);

// When any destination is at risk, one "exhaustion_fixes" warning listing the fixes best first
// (facts §5): reuse connections (keep-alive, pools), let the side that can afford TIME_WAIT close
// first, more 4-tuples, tcp_tw_reuse = 1 for outgoing connections, never tcp_tw_recycle; with
// the what-if figures (what_if.h) for the destination most at risk.
void addExhaustionFixes(const Analysis& a, std::vector<Finding>& out);

} // namespace twlens
