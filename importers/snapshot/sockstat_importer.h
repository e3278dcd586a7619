// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "importers/snapshot/text_snapshot_importer.h"

namespace twlens {

// /proc/net/sockstat and /proc/net/sockstat6:
//   sockets: used 16
//   TCP: inuse 1 orphan 0 tw 0 alloc 1 mem 255
//   UDP: inuse 0 mem 0
// and for sockstat6 "TCP6: inuse 2" (no tw field: sockstat's tw already counts the TIME-WAIT
// sockets of both families in the namespace, facts §7; net/ipv4/proc.c sockstat_seq_show).
// Every field becomes a counter "<PROTO>.<field>"; tw also sets timeWaitTotal and the TIME_WAIT
// state count.
class SockstatImporter final : public TextSnapshotImporter {
public:
    std::string_view name() const override { return "/proc/net/sockstat"; }
    InputKind kind() const override { return InputKind::Sockstat; }
    int probe(std::span<const std::byte> head) const override;
    std::unique_ptr<LineParser> makeParser() const override;
};

} // namespace twlens
