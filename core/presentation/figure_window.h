// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>

#include "core/model/analysis.h"

namespace twlens {

// The time span a figure shows, in absolute ns.
struct FigureWindow {
    TimeNs from = 0;
    TimeNs to = 0;
};

// Whether the analysis has packet times (a capture, or connections).
bool hasCaptureTimes(const Analysis& a);

// Where a figure's relative seconds count from: the first packet of the capture inputs, or the
// first connection, or the first timed snapshot when there is no capture. `from` says which, so
// a text that counts from the same point (the incident report) can name it.
struct FigureOrigin {
    enum class From { FirstPacket, FirstConnection, FirstSnapshot, Nothing };
    TimeNs at = 0; // 0 when nothing in the analysis carries a time
    From from = From::Nothing;
};
FigureOrigin figureOriginOf(const Analysis& a);
TimeNs figureOrigin(const Analysis& a); // figureOriginOf(a).at

// The whole analysis: from its earliest input (snapshots may come before the first packet) to the
// latest of the capture's end, the last TIME_WAIT window's end and the last snapshot, so windows
// that outlive the capture are drawn whole. Never empty (at least one second).
FigureWindow fullWindow(const Analysis& a);
// The timed snapshots' span, a little padded (fullWindow when there are none).
FigureWindow snapshotsWindow(const Analysis& a);

// A requested window with its kNoTime ends filled from fullWindow (snapshotsWindow for a
// snapshots figure).
FigureWindow resolveWindow(const Analysis& a, TimeNs from, TimeNs to, bool snapshots = false);

// Whether anything of the connection (segments or TIME_WAIT) falls in the window.
bool overlaps(const Connection& c, const FigureWindow& w);

// The connection a one-connection figure (ladder, states) shows when none is named: among those
// overlapping the window, the one with the most severe hazard (the earliest hazard of that
// severity); failing that the first with a lost final ACK, then the first whose TIME_WAIT was cut
// short (4-tuple reused or RST), then the first with a TIME_WAIT, then the first. kNoIndex when
// no connection overlaps the window.
std::uint32_t exampleConnection(const Analysis& a, const FigureWindow& w);

} // namespace twlens
