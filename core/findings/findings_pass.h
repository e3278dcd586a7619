// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/model/analysis.h"

namespace twlens {

// Appends to Analysis::findings, in this order: the exhaustion verdicts and fixes
// (exhaustion_verdicts.h), the sysctl advice (sysctl_advice.h), the counter findings
// (counter_findings.h) and the TIME_WAIT agreement of captures and snapshots
// (time_wait_agreement.h). Needs Analysis::exhaustion computed first.
void computeFindings(Analysis& a);

// The one entry point of the later passes for the pipeline (importers/analyze_files.cpp):
// computeExhaustion (core/exhaustion/exhaustion_pass.h) then computeFindings. Needs settings,
// connections and snapshots in place.
void computeExhaustionAndFindings(Analysis& a);

} // namespace twlens
