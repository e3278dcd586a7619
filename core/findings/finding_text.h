// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/model/analysis.h"

namespace twlens::findings {

// Small text helpers shared by the finding rules.
std::string fixed(double v, int decimals);        // "12.50"
std::string rateText(double perSecond);           // "8.3/s", "0.33/s", "470.5/s"
std::string percentText(double fraction);         // "75%", "0.4%"
std::string destinationText(const Exhaustion& e); // "10.0.0.1 -> 10.0.0.2:80", "[::1]:443" for IPv6

// Where a setting came from, for Finding::evidence: "sysctl.txt:14: net.ipv4.tcp_tw_reuse = 2"
// when a sysctl input set it (the line as read); otherwise the Settings source ("command line",
// "default") with the value in use.
std::string sysctlEvidence(const Analysis& a, std::string_view key, std::string_view settingSource,
                           std::string_view valueInUse);
// True when the key was read from a sysctl input (not a default or a command-line value).
bool fromSysctl(const Analysis& a, std::string_view key);

std::string inputPath(const Analysis& a, std::uint32_t input); // "" when out of range

} // namespace twlens::findings
