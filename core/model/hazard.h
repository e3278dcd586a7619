// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/connection.h"
#include "core/model/time.h"

namespace twlens {

enum class Severity : std::uint8_t { Info, Warning, Critical };
std::string_view severityName(Severity s); // "info" | "warning" | "critical"

// A teardown that went wrong, with the rule behind the verdict and the packets that prove it.
struct Hazard {
    std::string kind;                 // contract spelling: "lost_final_ack", "time_wait_assassination", ...
    std::uint32_t connection = kNoIndex;
    TimeNs ts = 0;
    Severity severity = Severity::Info;
    std::string reference;            // "RFC 1337 H2", "Linux tcp_timewait_state_process", ...
    std::string summary;              // one line a person can read
    std::vector<std::uint32_t> evidenceFrames; // frame numbers in the connection's input
};

} // namespace twlens
