// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "importers/snapshot/text_snapshot_importer.h"

namespace twlens {

// `ss -s`. Current iproute2:
//   Total: 178
//   TCP:   5 (estab 1, closed 0, orphaned 0, timewait 0)
//   Transport Total     IP        IPv6
//   TCP       5         3         2
// Before iproute2 4.17: "Total: 1234 (kernel 1456)" and
//   TCP:   4000 (estab 100, closed 3800, orphaned 0, synrecv 0, timewait 3800/0), ports 0
// "estab" counts ESTABLISHED and CLOSE-WAIT together and "closed" includes TIME-WAIT (facts §7),
// so only the TIME_WAIT state count is set; the rest go to the counters ("ss.estab", ...).
class SsSummaryImporter final : public TextSnapshotImporter {
public:
    std::string_view name() const override { return "ss -s summary"; }
    InputKind kind() const override { return InputKind::Ss; }
    int probe(std::span<const std::byte> head) const override;
    std::unique_ptr<LineParser> makeParser() const override;
};

} // namespace twlens
