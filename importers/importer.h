// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/model/input_info.h"
#include "core/model/progress.h"
#include "core/model/segment.h"
#include "core/model/snapshot.h"

namespace twlens {

// Where an importer puts what it read. Captures push segments; snapshot importers push
// snapshots and sysctl lines. One context per input file.
struct ImportContext {
    std::uint16_t inputIndex = 0;
    std::uint32_t inputCount = 1;
    InputInfo* info = nullptr;            // fill counts, times, warnings here
    SegmentSink* segments = nullptr;
    ImportObserver* observer = nullptr;   // progress (throttled) and warnings as they happen
    std::stop_token stop;                 // cancellation: check it every few thousand records
    std::vector<SocketSnapshot>* snapshots = nullptr;
    SysctlTable* sysctl = nullptr;
    std::uint64_t* packetsSoFar = nullptr;     // all inputs, for progress
    const std::uint64_t* connectionsSoFar = nullptr;
    // A collector bundle member's time from the bundle index: snapshot importers date a file
    // by it when the file's first line holds no time (kNoTime: not a bundle member).
    TimeNs indexTime = kNoTime;

    void warn(InputWarning w) const;      // appends to info->warnings and tells the observer
};

enum class ImportStatus { Ok, Cancelled, Failed };

struct ImportOutcome {
    ImportStatus status = ImportStatus::Ok;
    std::string error;  // when Failed: why nothing could be read ("archaic pcap savefile format")
};

// One input format (Wireshark wiretap open_info / kcachegrind Loader style): a cheap probe on the
// first bytes, then a streaming read.
class Importer {
public:
    virtual ~Importer() = default;
    virtual std::string_view name() const = 0;
    virtual InputKind kind() const = 0;
    // Confidence 0..100 that `head` (the first bytes, already gunzipped if the file is gzip)
    // is this format. Magic numbers answer 100; text heuristics answer less.
    virtual int probe(std::span<const std::byte> head) const = 0;
    virtual ImportOutcome read(const std::string& path, ImportContext& ctx) const = 0;
};

} // namespace twlens
