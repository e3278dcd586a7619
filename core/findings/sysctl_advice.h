// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// Advice on the TIME_WAIT-related sysctls, with the facts right (facts §2, §4, §5, §6). Each
// finding cites the sysctl line it is about. Linux defaults give none of them.
//  - "tcp_tw_recycle_present": the key is in a sysctl input. Removed in Linux 4.12; remove it from
//    sysctl.conf. Warning when on (it dropped SYNs from clients behind NAT), info when 0.
//  - "tcp_tw_reuse_loopback_only": tcp_tw_reuse = 2 while a destination at risk is not loopback:
//    2 only covers loopback, 1 covers every outgoing connection (facts §6.1).
//  - "tcp_tw_reuse_server_side": tcp_tw_reuse = 1 set while every TIME_WAIT in the captures is on
//    the server side: it only affects connect() (facts §6.2).
//  - "tcp_fin_timeout_not_time_wait": tcp_fin_timeout set below its default 60: it bounds an
//    orphaned FIN_WAIT_2, not TIME_WAIT, which stays a fixed 60 s (facts §2, §6.4).
//  - "narrow_port_range": fewer usable ports than the default 32768-60999 (28,232).
//  - "reserved_ports_unreadable": parts of ip_local_reserved_ports that could not be read.
void addSysctlAdvice(const Analysis& a, std::vector<Finding>& out);

// Default ip_local_port_range size (32768-60999), the yardstick of "narrow".
inline constexpr std::uint32_t kDefaultPortCount = 28232;

} // namespace twlens
