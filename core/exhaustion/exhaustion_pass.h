// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/model/analysis.h"

namespace twlens {

// Fills Analysis::exhaustion: one entry for each destination (local IP, remote IP, remote port)
// seen from the connecting side, in the captures (every connection's client side,
// capture_ports.h) or in the socket listings (snapshot_ports.h for the rule). Reads
// a.settings, a.connections, a.snapshots; replaces a.exhaustion.
//
// From captures: the exact port sweep, the SYN rate peaks over 1 s and 10 s windows, the moment
// ports in use reached the usable ports. From snapshot series: the same counts at each listing,
// their linear trend over the last TIME_WAIT length, and as the new-connection rate the larger of
// that trend and TIME_WAIT / TIME_WAIT length (each TIME_WAIT socket stands for one close during
// the last TIME_WAIT length). A destination in both keeps the capture's series and rates and the
// larger peak and earlier exhaustion of the two. Then project() (what_if.h) with no change gives
// the usable ports, the sustainable rate and the projected exhaustion time.
//
// Entries are ordered most at risk first: exhausted (earliest first), then projected to run out
// (earliest first), then by peak ports in use relative to the usable ports.
void computeExhaustion(Analysis& a);

// The order above, for re-sorting projected entries the same way.
bool moreAtRisk(const Exhaustion& x, const Exhaustion& y);

} // namespace twlens
