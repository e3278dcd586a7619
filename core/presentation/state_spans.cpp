// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/state_spans.h"

#include <algorithm>

namespace twlens {

void stateSpans(const Analysis& a, const Connection& c, Side side, TimeNs captureEnd, std::vector<StateSpan>& out) {
    out.clear();
    const auto states = a.statesOf(c);
    const auto segs = a.segmentsOf(c);
    const StateChange* prev = nullptr;
    TimeNs prevTime = 0;
    auto close = [&](TimeNs until) {
        if (!prev || prev->state == TcpState::Closed)
            return;
        if (prev->state == TcpState::TimeWait) {
            // The window is the model's TIME_WAIT window for this side, not the next state change.
            for (std::uint8_t i = 0; i < c.timeWaitCount; ++i) {
                const TimeWaitWindow& w = c.timeWait[i];
                if (w.side != side)
                    continue;
                const TimeNs from = std::min(prevTime, w.start);
                if (w.end > captureEnd && captureEnd > from) {
                    out.push_back({from, captureEnd, TcpState::TimeWait, false});
                    out.push_back({captureEnd, w.end, TcpState::TimeWait, true});
                } else {
                    out.push_back({from, w.end, TcpState::TimeWait, w.end > captureEnd});
                }
                return;
            }
        }
        if (until > prevTime)
            out.push_back({prevTime, until, prev->state, false});
        else
            out.push_back({prevTime, prevTime, prev->state, false});
    };
    for (const StateChange& s : states) {
        if (s.side != side)
            continue;
        const TimeNs t = a.stateTime(c, s, segs);
        close(t);
        prev = &s;
        prevTime = t;
    }
    close(std::max(captureEnd, prevTime));
}

TimeNs captureEndOf(const Analysis& a) {
    TimeNs end = kNoTime;
    for (const InputInfo& in : a.inputs)
        if (in.lastTs != kNoTime)
            end = std::max(end, in.lastTs);
    if (end == kNoTime)
        for (const Connection& c : a.connections)
            end = std::max(end, c.end);
    return end == kNoTime ? 0 : end;
}

TimeNs captureStartOf(const Analysis& a) {
    TimeNs start = kNoTime;
    for (const InputInfo& in : a.inputs)
        if (in.firstTs != kNoTime && (start == kNoTime || in.firstTs < start))
            start = in.firstTs;
    if (start == kNoTime && !a.connections.empty())
        start = a.connections.front().start;
    return start == kNoTime ? 0 : start;
}

TimeNs visibleEndOf(const Connection& c) {
    TimeNs end = c.end;
    for (std::uint8_t i = 0; i < c.timeWaitCount; ++i)
        end = std::max(end, c.timeWait[i].end);
    return end;
}

} // namespace twlens
