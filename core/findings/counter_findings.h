// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// Findings from the TcpExt counters of /proc/net/netstat and nstat snapshots (cumulative since
// boot; the change between the first and the last snapshot is given when there are several):
//  - "time_wait_overflow" (warning): TcpExtTCPTimeWaitOverflow > 0. The TIME_WAIT table reached
//    net.ipv4.tcp_max_tw_buckets and sockets were destroyed without TIME_WAIT (facts §2;
//    tcp_time_wait counts it when inet_twsk_alloc refuses); a retransmitted FIN from the peer then gets a RST.
//  - "tw_reuse_happened" (info): TcpExtTWRecycled > 0. connect() reused TIME_WAIT ports (tcp_tw_reuse,
//    or a socket bound before connect(), which skips the sysctl; tcp_twsk_unique); despite its
//    name the counter has nothing to do with tcp_tw_recycle (facts §4).
// Each cites the snapshot file holding the latest value.
void addCounterFindings(const Analysis& a, std::vector<Finding>& out);

} // namespace twlens
