// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>
#include <string_view>

#include "core/model/time.h"

namespace twlens {

// A line that says when a snapshot was taken. The collector writes `date +%s.%N` output as the
// first line of every file; people pasting by hand more often run `date` first. Accepted:
//   1763788800.123456789        epoch seconds (9-10 digits, optional fraction), optionally "# "
//   Sun Nov 22 04:16:15 UTC 2026           `date` in the C locale
//   Sun 22 Nov 2026 04:16:15 AM UTC        `date` in en_US and similar locales
//   Sun, 22 Nov 2026 04:16:15 +0000        `date -R`
//   2026-11-22T04:16:15+00:00 / 2026-11-22 04:16:15.123456789+00:00   `date -Is`, --rfc-3339
// A date in a named zone other than UTC/GMT cannot be converted without the zone database of
// the machine that printed it: it is recognised but not used, and `problem` says why.
struct TimeLine {
    enum class Kind { NotTime, Time, Unconvertible };
    Kind kind = Kind::NotTime;
    TimeNs ts = kNoTime;
    std::string problem;
};

TimeLine parseTimeLine(std::string_view line);

} // namespace twlens
