// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <span>
#include <string_view>

namespace twlens::cli {

// Exit statuses of the contract (shared/contract/cli-json.md).
enum ExitCode : int { kExitOk = 0, kExitInternal = 1, kExitUsage = 2 };

// `twlens-cli analyze ...`: runs the one shared analysis (analyzeFiles) and writes the outputs.
// `args` are the words after "analyze".
int runAnalyze(std::span<const std::string_view> args);

} // namespace twlens::cli
