// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "importers/importer.h"

namespace twlens {

// The importers tried in order, magic numbers before heuristics (Wireshark wiretap/file_access.c).
class ImporterRegistry {
public:
    void add(std::unique_ptr<Importer> importer);
    // The importer with the highest probe() confidence for this file's first bytes (gunzipped
    // when the file is gzip), or nullptr when none claims it.
    const Importer* detect(const std::string& path, std::string* whyNot = nullptr) const;
    const std::vector<std::unique_ptr<Importer>>& importers() const { return importers_; }

    // All built-in importers (captures and snapshots); see builtin_importers.cpp.
    static const ImporterRegistry& builtin();

private:
    std::vector<std::unique_ptr<Importer>> importers_;
};

// Registers the built-in importers; each family adds its own in its own file.
void registerCaptureImporters(ImporterRegistry& r);
void registerSnapshotImporters(ImporterRegistry& r);

} // namespace twlens
