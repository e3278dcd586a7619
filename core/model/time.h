// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cmath>
#include <cstdint>

namespace twlens {

// Every time in the model is nanoseconds since the Unix epoch: pcap and pcapng can carry
// nanosecond precision and we keep it (libpcap PCAP_TSTAMP_PRECISION_NANO).
using TimeNs = std::int64_t;
inline constexpr TimeNs kNsPerSecond = 1'000'000'000;
inline constexpr TimeNs kNsPerMs = 1'000'000;
inline constexpr TimeNs kNsPerUs = 1'000;
inline constexpr TimeNs kNoTime = INT64_MIN;

constexpr double toSeconds(TimeNs t) { return static_cast<double>(t) / 1e9; }
inline TimeNs fromSeconds(double s) { return static_cast<TimeNs>(std::llround(s * 1e9)); }

} // namespace twlens
