// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/model/analysis.h"
#include "core/model/progress.h"
#include "core/model/result.h"
#include "core/model/settings.h"

namespace twlens {

struct AnalyzeRequest {
    std::vector<std::string> paths;  // any mix of captures, snapshots and bundles
    SettingsOverrides overrides;     // command line / GUI settings; win over sysctl inputs
};

// The one entry point both front ends use: detect each input by content, read the snapshots and
// sysctl lines first (they set the settings), then the captures in time order through the
// reconstructor, then the hazard, exhaustion and findings passes. An input that cannot be read at
// all is an Error naming the file and the reason; a damaged one is analysed as far as it goes
// with a warning in its InputInfo.
Result<std::shared_ptr<const Analysis>> analyzeFiles(const AnalyzeRequest& request, ImportObserver* observer = nullptr,
                                                     std::stop_token stop = {});

} // namespace twlens
