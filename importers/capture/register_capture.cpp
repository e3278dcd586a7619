// SPDX-License-Identifier: GPL-3.0-or-later
#include <memory>

#include "importers/capture/pcap_importer.h"
#include "importers/registry.h"

namespace twlens {

void registerCaptureImporters(ImporterRegistry& r) {
    r.add(std::make_unique<PcapImporter>(InputKind::Pcap));
    r.add(std::make_unique<PcapImporter>(InputKind::Pcapng));
}

} // namespace twlens
