// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// How the TIME_WAIT sockets one snapshot shows compare with the TIME_WAIT windows the captures
// predict for that moment, socket by socket (4-tuple from the snapshot host's side).
struct TimeWaitAgreement {
    std::uint32_t snapshot = 0;     // index into Analysis::snapshots
    TimeNs ts = kNoTime;
    std::uint32_t matched = 0;       // TIME_WAIT rows with a predicted window
    std::uint32_t onlyPredicted = 0; // windows surely open at ts with no row
    std::uint32_t onlySnapshot = 0;  // rows no window explains
    std::uint32_t beforeCapture = 0; // unexplained rows whose timer says TIME_WAIT began before the capture
};

// Compares every socket listing that shows TIME_WAIT and was taken within the captures' span.
// The snapshot host is known by the local addresses of its rows: only windows of a side whose IP
// is among them are predictions for it. A snapshot's time is read just before the tool lists the
// sockets, so a window counts as matching when it is open anywhere within `tolerance` of the
// snapshot time, and as missing from the snapshot only when it is open from tolerance before to
// tolerance after. A row no window explains whose ss/netstat timer shows its TIME_WAIT began
// more than 1 s (the timer's print resolution) before the first captured packet cannot be
// predicted and is counted apart.
std::vector<TimeWaitAgreement> compareTimeWait(const Analysis& a, TimeNs tolerance = 250 * kNsPerMs);

// One "time_wait_agreement" finding summing the comparisons: info when every snapshot agrees,
// warning otherwise (naming the first snapshot that does not). Nothing when no snapshot falls
// within a capture.
void addTimeWaitAgreement(const Analysis& a, std::vector<Finding>& out);

} // namespace twlens
