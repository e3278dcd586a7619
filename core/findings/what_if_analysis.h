// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/exhaustion/what_if.h"
#include "core/model/analysis.h"

namespace twlens {

// A whole analysis seen under a what-if (twlens-cli --reuse-factor, a report of the GUI's
// sliders): a copy of `measured` whose settings carry the what-if values (source "what-if"),
// whose exhaustion entries are project()ed (what_if.h) and re-sorted, and whose findings of this
// module are computed again from them. Other passes' findings are kept as they were.
//
// In that hypothetical world nothing was measured: exhaustedAt is cleared, so verdicts speak of
// the projection only; the peaks and series are first-order estimates of the ports connect()
// cannot take (TIME_WAIT ports scaled by the new TIME_WAIT length, and with tcp_tw_reuse active by
// delay / TIME_WAIT length; every count divided by the reuse factor; capped at the usable ports);
// and a "what_if" info finding says which values were changed. A neutral what-if returns the
// analysis unchanged.
Analysis analysisWithWhatIf(const Analysis& measured, const WhatIf& whatIf);

} // namespace twlens
