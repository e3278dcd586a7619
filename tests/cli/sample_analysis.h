// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/model/analysis.h"

namespace twlens::test {

// Epoch time of the sample's first packet: 2009-11-18 16:38:21.123456789 UTC.
inline constexpr TimeNs kT0 = 1258562301'123456789LL;

// A hand-built Analysis that exercises every part of the twlens/1 document:
//  #0 10.0.0.1:40312 -> 10.0.0.2:80, client closes, client TIME_WAIT cut short by reuse (#1)
//  #1 same 4-tuple 0.5 s after #0's close: server closes first, FIN retransmitted twice (lost
//     final ACK), server TIME_WAIT expires; hazards lost_final_ack and reuse_within_time_wait
//  #2 [2001:db8::1]:5555 -> [2001:db8::2]:443 in VLANs 100 (outer) and 200, seen mid-stream,
//     roles guessed, reset by the server: no TIME_WAIT
// plus a hazard without a connection, two exhaustion records, two snapshots and a finding.
Analysis sampleAnalysis();

// `n` copies of a plain client-closed connection, for output larger than the writers' buffers.
Analysis manyConnections(std::uint32_t n);

} // namespace twlens::test
