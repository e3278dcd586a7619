// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <iosfwd>

#include "core/model/analysis.h"

namespace twlens {

// The human summary twlens-cli prints: the verdict first (exhaustion, who closes first, the
// TIME_WAIT peak, hazards), then the figures behind it per section, short lines, exact numbers.
// Everything comes from the model and teardownStats(); nothing is re-derived here.
void writeTextSummary(const Analysis& analysis, std::ostream& out);

} // namespace twlens
