// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/analysis.h"

namespace twlens {

// The hazard pass: runs every detector (one file each, named for the hazard kind) over the
// finished reconstruction (connections, kept segments, incarnation links) with the analysis's
// settings, fills Analysis::hazards sorted by connection then time, and sets each connection's
// firstHazard/hazardCount. Replaces any hazards already there, so it may run again after the
// settings change. The rules are shared/reference/tcp-teardown-facts.md §3 and §4.
void detectHazards(Analysis& analysis);

} // namespace twlens
