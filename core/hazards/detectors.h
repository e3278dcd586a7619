// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One detector per hazard kind, each in the file named for it. Each reads the finished
// reconstruction and appends what it finds for the connections it is given (a block of
// Analysis::connections, with their segments decoded once for all detectors; it may look at any
// other connection, e.g. a next incarnation, through Analysis::segmentsOf);
// detectHazards() runs them block by block and orders the result.
#include "core/hazards/hazard_support.h"

namespace twlens::hazards {

void detectLostFinalAck(const Analysis& a, const ConnectionBlock& block, HazardList& out); // lost_final_ack.cpp
void detectTimeWaitAssassination(const Analysis& a, const ConnectionBlock& block, HazardList& out); // time_wait_assassination.cpp
void detectReuseWithinTimeWait(const Analysis& a, const ConnectionBlock& block, HazardList& out); // reuse_within_time_wait.cpp
void detectOldDuplicate(const Analysis& a, const ConnectionBlock& block, HazardList& out); // old_duplicate.cpp
void detectDesync(const Analysis& a, const ConnectionBlock& block, HazardList& out); // desync.cpp
void detectSynToLastAck(const Analysis& a, const ConnectionBlock& block, HazardList& out); // syn_to_last_ack.cpp
void detectPawsReject(const Analysis& a, const ConnectionBlock& block, HazardList& out); // paws_reject.cpp
void detectFinWait2Timeout(const Analysis& a, const ConnectionBlock& block, HazardList& out); // fin_wait2_timeout.cpp
void detectTimeWaitOverflow(const Analysis& a, const ConnectionBlock& block, HazardList& out); // time_wait_overflow.cpp
void detectHalfCloseDataAfterClose(const Analysis& a, const ConnectionBlock& block, HazardList& out); // half_close_data_after_close.cpp
// Last: an info for RST-closed connections that no other detector explained.
void detectRstClose(const Analysis& a, const std::vector<Hazard>& found, HazardList& out); // rst_close.cpp

} // namespace twlens::hazards
