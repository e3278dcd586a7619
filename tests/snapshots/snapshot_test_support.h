// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QtTest>

#include <algorithm>
#include <string>
#include <vector>

#include "core/model/snapshot.h"
#include "core/model/tcp_state.h"
#include "importers/registry.h"

namespace twlens::test {

inline std::string realFixture(const char* name) {
    return std::string(TWLENS_TEST_DATA) + "/snapshots/real/" + name;
}
inline std::string handmadeFixture(const char* name) {
    return std::string(TWLENS_TEST_DATA) + "/snapshots/handmade/" + name;
}

// One file through the built-in registry, as the analysis reads it: detection by content,
// then the chosen importer's streaming read.
struct ParsedFile {
    const Importer* importer = nullptr;
    std::string whyNot;
    ImportOutcome outcome;
    InputInfo info;
    std::vector<SocketSnapshot> snapshots;
    SysctlTable sysctl;

    std::int64_t count(TcpState s, std::size_t snapshot = 0) const {
        return snapshots.at(snapshot).stateCounts[static_cast<std::size_t>(s)];
    }
    bool hasWarning(std::uint64_t line, const std::string& fragment) const {
        return std::any_of(info.warnings.begin(), info.warnings.end(), [&](const InputWarning& w) {
            return w.line == line && w.message.find(fragment) != std::string::npos;
        });
    }
    std::string warningsText() const {
        std::string all;
        for (const auto& w : info.warnings)
            all += w.text() + "\n";
        return all;
    }
};

inline ParsedFile parseFile(const std::string& path, std::uint16_t inputIndex = 0) {
    ParsedFile p;
    p.info.path = path;
    p.importer = ImporterRegistry::builtin().detect(path, &p.whyNot);
    if (!p.importer)
        return p;
    ImportContext ctx;
    ctx.inputIndex = inputIndex;
    ctx.info = &p.info;
    ctx.snapshots = &p.snapshots;
    ctx.sysctl = &p.sysctl;
    p.outcome = p.importer->read(path, ctx);
    return p;
}

inline std::string str(const IpAddress& a) { return a.toString(); }

} // namespace twlens::test
