// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>

#include "core/model/ip_address.h"
#include "core/model/time.h"

namespace twlens {

// Whether connect() may take a port that is still in TIME_WAIT toward this destination
// (facts §4, tcp_twsk_unique): net.ipv4.tcp_tw_reuse 0 = never, 1 = every destination,
// 2 = loopback only, where "loopback" means the TIME_WAIT socket's destination or its local
// address is loopback (127.0.0.0/8, ::1, or their IPv4-mapped forms). In every case the old
// connection must have carried TCP timestamps (the check on tw_ts_recent_stamp), so without them
// reuse never happens. It concerns connect() only: a server's accepted sockets never gain.
bool twReuseApplies(int twReuse, const IpAddress& local, const IpAddress& remote, bool timestampsSeen);

// How long a port stays unavailable after its connection closed: the TIME_WAIT length
// (TCP_TIMEWAIT_LEN, 60 s), or with reuse the delay before tcp_twsk_unique accepts the
// TIME_WAIT socket (net.ipv4.tcp_tw_reuse_delay, 1000 ms by default).
double portHoldSeconds(bool reuseActive, double twSeconds, int reuseDelayMs);

// New connections per second one destination can sustain: usable ports / hold time
// (facts §5: 28,232 / 60 s = about 470/s with the defaults). 0 when nothing is usable. Holds
// below 1 ms count as 1 ms, the smallest tcp_tw_reuse_delay the kernel accepts, so the rate
// stays finite (JSON has no infinity).
double maxSustainableRate(std::uint32_t usablePorts, double holdSeconds);

} // namespace twlens
