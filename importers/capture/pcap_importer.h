// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <optional>
#include <string>

#include "core/model/result.h"
#include "core/model/time.h"
#include "importers/importer.h"

namespace twlens {

// pcap (microsecond and nanosecond, either byte order) and pcapng through libpcap, plain or
// gzip-compressed. One instance per format so each knows its InputKind; both read alike.
class PcapImporter final : public Importer {
public:
    explicit PcapImporter(InputKind kind) : kind_(kind) {}
    std::string_view name() const override { return kind_ == InputKind::Pcapng ? "pcapng" : "pcap"; }
    InputKind kind() const override { return kind_; }
    int probe(std::span<const std::byte> head) const override;
    ImportOutcome read(const std::string& path, ImportContext& ctx) const override;

private:
    InputKind kind_;
};

// The capture format named by the first four bytes, or Unknown.
InputKind captureKindFromMagic(std::span<const std::byte> head);

// The timestamp of a capture's first packet, to read several captures in time order: nullopt
// when it has none; an Error with libpcap's reason when it cannot be opened at all.
Result<std::optional<TimeNs>> firstPacketTime(const std::string& path);

} // namespace twlens
