// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The one fuzz step for the snapshot text importers, shared by the libFuzzer target and the
// CTest that replays fixtures and mutations without libFuzzer: the same bytes go through every
// text importer's probe and its parsing core (readLines over a MemoryLineSource), the time-line
// parser and the bundle index parser. Returns what a caller can check for sanity.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "importers/snapshot/collector_bundle.h"
#include "importers/snapshot/line_source.h"
#include "importers/snapshot/netstat_importer.h"
#include "importers/snapshot/proc_net_tcp_importer.h"
#include "importers/snapshot/sockstat_importer.h"
#include "importers/snapshot/ss_sockets_importer.h"
#include "importers/snapshot/ss_summary_importer.h"
#include "importers/snapshot/sysctl_importer.h"
#include "importers/snapshot/tcp_counters_importer.h"
#include "importers/snapshot/time_line.h"

namespace twlens::fuzz {

struct SnapshotFuzzResult {
    std::uint32_t lines = 0;            // lines in the input
    std::uint64_t maxWarningLine = 0;   // highest line a warning named
    std::uint32_t maxRowLine = 0;       // highest line a socket row came from
    std::size_t snapshots = 0;
    std::size_t rows = 0;
    bool countsMatchRows = true;        // every snapshot's known state counts add up to its rows
};

inline const std::vector<std::unique_ptr<TextSnapshotImporter>>& textImporters() {
    static const auto all = [] {
        std::vector<std::unique_ptr<TextSnapshotImporter>> v;
        v.push_back(std::make_unique<SsSocketsImporter>());
        v.push_back(std::make_unique<SsSummaryImporter>());
        v.push_back(std::make_unique<NetstatImporter>());
        v.push_back(std::make_unique<ProcNetTcpImporter>());
        v.push_back(std::make_unique<SockstatImporter>());
        v.push_back(std::make_unique<TcpCountersImporter>());
        v.push_back(std::make_unique<SysctlImporter>());
        return v;
    }();
    return all;
}

inline SnapshotFuzzResult runSnapshotFuzzStep(const std::uint8_t* data, std::size_t size) {
    SnapshotFuzzResult r;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    {
        MemoryLineSource count(text);
        std::string_view l;
        while (count.next(l))
            (void)parseTimeLine(l);
        r.lines = count.lineNumber();
    }
    const auto head = std::as_bytes(std::span(data, std::min<std::size_t>(size, 4096)));
    for (const auto& imp : textImporters()) {
        (void)imp->probe(head);
        InputInfo info;
        std::vector<SocketSnapshot> snaps;
        SysctlTable sysctl;
        ImportContext ctx;
        ctx.info = &info;
        ctx.snapshots = &snaps;
        ctx.sysctl = &sysctl;
        MemoryLineSource lines(text);
        FallbackTimes times;
        times.fileMtime = 1'000'000'000 * kNsPerSecond;
        (void)imp->readLines(lines, ctx, times);
        for (const InputWarning& w : info.warnings)
            if (w.line != InputWarning::kNone && w.line > r.maxWarningLine)
                r.maxWarningLine = w.line;
        for (const SocketSnapshot& s : snaps) {
            ++r.snapshots;
            r.rows += s.sockets.size();
            std::int64_t known = 0;
            bool allKnown = true;
            for (std::int64_t c : s.stateCounts) {
                if (c < 0)
                    allKnown = false;
                else
                    known += c;
            }
            if (!s.sockets.empty() && allKnown && known != static_cast<std::int64_t>(s.sockets.size()))
                r.countsMatchRows = false;
            for (const SocketRow& row : s.sockets)
                r.maxRowLine = std::max(r.maxRowLine, row.line);
        }
    }
    std::vector<std::string> notes;
    (void)parseBundleIndex(text, notes);
    return r;
}

} // namespace twlens::fuzz
