// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>

#include "core/model/input_info.h"

namespace twlens {

struct ImportProgress {
    std::uint32_t input = 0;        // which input is being read
    std::uint32_t inputCount = 0;
    std::uint64_t bytesDone = 0;    // of this input, on disk (compressed bytes for .gz)
    std::uint64_t bytesTotal = 0;
    std::uint64_t packets = 0;      // so far, all inputs
    std::uint64_t connections = 0;  // so far, all inputs
};

// A front-end-neutral progress and warning sink (kcachegrind libcore/logger.h style): the core
// and the importers call it, the CLI prints, the GUI forwards to its thread with queued signals.
// Calls come from the analysis thread; implementations must be cheap (progress is throttled by
// the caller to a few calls per second).
class ImportObserver {
public:
    virtual ~ImportObserver() = default;
    virtual void progress(const ImportProgress&) {}
    virtual void warning(std::uint32_t /*input*/, const InputWarning&) {}
};

} // namespace twlens
