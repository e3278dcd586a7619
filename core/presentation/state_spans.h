// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// One stretch of time one end of a connection spent in one state.
struct StateSpan {
    TimeNs from = 0;
    TimeNs to = 0;
    TcpState state = TcpState::None;
    bool pastCaptureEnd = false; // part of a TIME_WAIT window the capture did not see the end of
};

// The spans of one side's state timeline (Analysis::statesOf), in time order. A state lasts until
// the next one; TIME_WAIT lasts its full window (TimeWaitWindow, even past the capture's end, split
// off as a pastCaptureEnd span); the last other state lasts until `captureEnd` (the connection was
// still in it when the capture stopped); CLOSED has no span. `out` is cleared and reused so a
// painter calling this per connection allocates nothing in the steady state.
void stateSpans(const Analysis& a, const Connection& c, Side side, TimeNs captureEnd, std::vector<StateSpan>& out);

// The end of the last packet of any capture input (the right edge of what was seen), or the
// latest connection end when the inputs carry no times.
TimeNs captureEndOf(const Analysis& a);
TimeNs captureStartOf(const Analysis& a);

// The latest time anything of this connection is drawn: its last segment or TIME_WAIT end.
TimeNs visibleEndOf(const Connection& c);

} // namespace twlens
