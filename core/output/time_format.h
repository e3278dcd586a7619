// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/model/time.h"

namespace twlens {

// Exact decimal text of a nanosecond time or duration in seconds: "1258600000.123456789",
// trailing zeros dropped but one fractional digit kept ("1258600000.5", "60.0"). A double cannot
// hold nanoseconds at epoch scale (its step near 1.7e9 s is about 240 ns), so the JSON and CSV
// writers print this text instead of converting to double. A plain value (the characters and
// their count), so copies need no care.
struct SecondsText {
    std::array<char, 32> buf{};
    std::uint8_t size = 0;
    std::string_view text() const { return {buf.data(), size}; }
};
SecondsText secondsText(TimeNs t);
// The same text written at p, which has room for kSecondsTextMax characters; returns its end.
// For writers that format into their own buffer (the JSON writer) without the copy.
inline constexpr std::size_t kSecondsTextMax = 21; // '-', ten digits, '.', nine digits
char* writeSeconds(char* p, TimeNs t);

// "2009-11-18 16:38:21.123456 UTC": microseconds, or nanoseconds when the time has them.
std::string utcText(TimeNs t);
// A duration for people: "60 s", "1.5 s", "0.000532 s" (exact to the nanosecond, zeros trimmed).
std::string durationText(TimeNs d);

} // namespace twlens
