// SPDX-License-Identifier: GPL-3.0-or-later
// Contract spellings of the small model enums, and the few model helpers that are not inline.
#include <array>

#include "core/model/analysis.h"
#include "core/model/hazard.h"
#include "core/model/input_info.h"

namespace twlens {

std::string_view inputKindName(InputKind k) {
    static constexpr std::array<std::string_view, 10> kNames{
        "unknown", "pcap", "pcapng", "ss", "netstat", "sockstat", "proc_net_tcp", "netstat_counters", "sysctl", "bundle"};
    return kNames[static_cast<std::size_t>(k)];
}

std::string_view severityName(Severity s) {
    static constexpr std::array<std::string_view, 3> kNames{"info", "warning", "critical"};
    return kNames[static_cast<std::size_t>(s)];
}

std::string InputWarning::text() const {
    if (offset != kNone)
        return "byte " + std::to_string(offset) + ": " + message;
    if (line != kNone)
        return "line " + std::to_string(line) + ": " + message;
    return message;
}

namespace {
TimeNs timerTime(const Connection& c, const StateChange& s) {
    for (std::uint8_t i = 0; i < c.timeWaitCount; ++i)
        if (c.timeWait[i].side == s.side)
            return c.timeWait[i].end;
    return c.end;
}
} // namespace

TimeNs Analysis::stateTime(const Connection& c, const StateChange& s) const {
    if (s.segment != StateChange::kTimerSegment)
        return segments.timeOf(c.firstSegment, s.segment);
    return timerTime(c, s);
}

TimeNs Analysis::stateTime(const Connection& c, const StateChange& s, std::span<const ControlSegment> segs) const {
    if (s.segment != StateChange::kTimerSegment)
        return segs[s.segment].ts;
    return timerTime(c, s);
}

} // namespace twlens
