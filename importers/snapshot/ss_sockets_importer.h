// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "importers/snapshot/text_snapshot_importer.h"

namespace twlens {

// `ss -tan`, `ss -tano`, `ss -tani`, `ss -tanp`, `ss -an` (Netid column; non-TCP rows are
// skipped) and state-filtered listings (`ss -tan state time-wait`), which have no State column.
//
// How the state of a state-filtered listing is known, in this order:
//  1. a command line before the header ("$ ss -tan state time-wait", as pasted from a terminal,
//     or "# ss ..." as a comment) naming exactly one state;
//  2. a socket's own timer: `timer:(timewait,...)` is armed only in TIME-WAIT
//     (inet_twsk_schedule), so such a row is a TIME-WAIT socket;
//  3. otherwise the state is unknown: the row is kept with state None and one warning says how
//     to fix it. Listings without a State column are recognised by the header shape (the first
//     column is Recv-Q) or, without a header, by rows whose first field is a number.
// The same command line tells when a listing hides states: `ss -tn` without -a or a state filter
// shows no LISTEN, SYN-RECV or TIME-WAIT sockets (iproute2 ss.c, default filter SS_CONN), so
// their counts are unknown (-1), not 0.
class SsSocketsImporter final : public TextSnapshotImporter {
public:
    std::string_view name() const override { return "ss socket listing"; }
    InputKind kind() const override { return InputKind::Ss; }
    int probe(std::span<const std::byte> head) const override;
    std::unique_ptr<LineParser> makeParser() const override;
};

} // namespace twlens
