// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "importers/snapshot/text_snapshot_importer.h"

namespace twlens {

// `sysctl -a` / `sysctl KEY...` output, "net.ipv4.ip_local_port_range = 32768<TAB>60999": each
// line goes to Analysis::sysctl with its input and line, and resolveSettings
// (core/snapshots/settings_resolution.h) turns the ones that matter into Settings. The value is
// kept as printed, inner whitespace normalised to one space ("32768 60999"). `sysctl -a` run as
// a normal user also prints "sysctl: permission denied on key ..." lines: skipped silently.
// Produces no snapshot.
class SysctlImporter final : public TextSnapshotImporter {
public:
    std::string_view name() const override { return "sysctl"; }
    InputKind kind() const override { return InputKind::Sysctl; }
    int probe(std::span<const std::byte> head) const override;
    std::unique_ptr<LineParser> makeParser() const override;
};

} // namespace twlens
