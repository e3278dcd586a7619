// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>

#include "core/model/hazard.h"

namespace twlens {

// A conclusion not tied to one connection: sysctl advice, exhaustion verdicts, snapshot trends.
struct Finding {
    std::string kind;
    Severity severity = Severity::Info;
    std::string summary;
    std::string evidence;  // where it comes from: "sysctl.txt:14: net.ipv4.tcp_tw_recycle = 1"
};

} // namespace twlens
