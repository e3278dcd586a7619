// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/registry.h"

#include "importers/input_stream.h"

namespace twlens {

namespace {
// Enough for every magic number and for the text heuristics' first lines.
constexpr std::size_t kProbeBytes = 4096;
} // namespace

void ImporterRegistry::add(std::unique_ptr<Importer> importer) { importers_.push_back(std::move(importer)); }

const Importer* ImporterRegistry::detect(const std::string& path, std::string* whyNot) const {
    std::string error;
    const std::vector<std::byte> head = readHead(path, kProbeBytes, &error);
    if (!error.empty()) {
        if (whyNot)
            *whyNot = error;
        return nullptr;
    }
    // Highest confidence wins; on a tie the importer registered first (magic numbers are
    // registered before text heuristics).
    const Importer* best = nullptr;
    int bestScore = 0;
    for (const auto& imp : importers_) {
        const int score = imp->probe(head);
        if (score > bestScore) {
            best = imp.get();
            bestScore = score;
        }
    }
    if (!best && whyNot)
        *whyNot = "not a capture or a snapshot I know";
    return best;
}

const ImporterRegistry& ImporterRegistry::builtin() {
    static const ImporterRegistry registry = [] {
        ImporterRegistry r;
        registerCaptureImporters(r);
        registerSnapshotImporters(r);
        return r;
    }();
    return registry;
}

} // namespace twlens
