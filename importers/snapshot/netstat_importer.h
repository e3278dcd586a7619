// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "importers/snapshot/text_snapshot_importer.h"

namespace twlens {

// `netstat -ant` and `netstat -anto` (net-tools):
//   Active Internet connections (servers and established)
//   Proto Recv-Q Send-Q Local Address           Foreign Address         State       Timer
//   tcp        0      0 127.0.0.1:8080          127.0.0.1:45678         TIME_WAIT   timewait (52.00/0/0)
//   tcp6       0      0 :::22                   :::*                    LISTEN      off (0.00/0/0)
// -p adds a "PID/Program name" column before the timer. UDP, raw and UNIX rows are skipped.
class NetstatImporter final : public TextSnapshotImporter {
public:
    std::string_view name() const override { return "netstat socket listing"; }
    InputKind kind() const override { return InputKind::Netstat; }
    int probe(std::span<const std::byte> head) const override;
    std::unique_ptr<LineParser> makeParser() const override;
};

} // namespace twlens
