// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "importers/snapshot/text_snapshot_importer.h"

namespace twlens {

// /proc/net/tcp and /proc/net/tcp6 (net/ipv4/tcp_ipv4.c get_tcp4_sock, get_timewait4_sock):
//   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
//    0: 0100007F:1F90 0100007F:B3E2 06 00000000:00000000 03:00001770 00000000     0        0 0 3 ...
// An IPv4 address is the network-order 32-bit value printed with %08X as a host integer, so on a
// little-endian machine 192.0.2.10 reads 0A0200C0 (the first byte of the address is the low
// byte); IPv6 is four such words. The files are taken as written on a little-endian machine
// (x86-64, arm64, riscv64): on big-endian hosts the digits are in address order instead.
// Ports are host-order %04X. st is the kernel's state code (stateFromProcCode). tr names the
// timer (0 none, 1 retransmit, 2 keepalive, 3 TIME-WAIT, 4 zero-window probe) and tm->when its
// remaining time in clock ticks of 1/100 s (jiffies_delta_to_clock_t).
class ProcNetTcpImporter final : public TextSnapshotImporter {
public:
    std::string_view name() const override { return "/proc/net/tcp"; }
    InputKind kind() const override { return InputKind::ProcNetTcp; }
    int probe(std::span<const std::byte> head) const override;
    std::unique_ptr<LineParser> makeParser() const override;
};

} // namespace twlens
