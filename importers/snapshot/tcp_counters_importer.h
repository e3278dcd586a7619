// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "importers/snapshot/text_snapshot_importer.h"

namespace twlens {

// Kernel SNMP/MIB counters in two shapes, both stored under the nstat spelling
// ("TcpExtTW", "TcpExtTCPTimeWaitOverflow", "TcpActiveOpens"):
// - /proc/net/netstat and /proc/net/snmp: pairs of lines, "TcpExt: TW TWRecycled ..." then
//   "TcpExt: 12 0 ...". Values are matched to names by position within each pair; the set of
//   names changes between kernels, so nothing assumes a column.
// - `nstat` / `nstat -a` output: "#kernel", then one "NAME VALUE RATE" per line. Without -a
//   nstat prints changes since its previous run, with -a totals since boot; the file does not
//   say which.
class TcpCountersImporter final : public TextSnapshotImporter {
public:
    std::string_view name() const override { return "TCP counters (/proc/net/netstat, nstat)"; }
    InputKind kind() const override { return InputKind::NetstatCounters; }
    int probe(std::span<const std::byte> head) const override;
    std::unique_ptr<LineParser> makeParser() const override;
};

} // namespace twlens
