// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <memory>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/arguments.h"
#include "core/model/analysis.h"
#include "core/model/progress.h"
#include "core/model/result.h"

namespace twlens::cli {

// One line on stderr, "twlens-cli: MESSAGE" (every command's diagnostics look alike).
void fail(const std::string& message);

// An analyze parser message worded for `command` ("render", "report"): those commands take
// analyze's inputs and options, so its "analyze needs ..." would name the wrong command.
std::string forCommand(std::string message, std::string_view command);

// render's and report's own options, each taking a value ("-o FILE", "--view=states"), taken
// out of the command line in order; the rest (inputs, analyze's options, everything after "--")
// is left for the analyze parser. An Error "NAME needs a value" when the last word lacks one.
struct OwnOption {
    std::string_view name;
    std::string_view value;
};
struct SplitCommandLine {
    std::vector<OwnOption> own;
    std::vector<std::string_view> rest;
};
Result<SplitCommandLine> splitOwnOptions(std::span<const std::string_view> args,
                                         std::initializer_list<std::string_view> names);

// The shared analysis of analyze, render and report: analyzeFiles over the inputs with the
// settings options, then the --reuse-factor what-if when one was asked for (core computes it).
struct AnalysisRun {
    std::shared_ptr<const Analysis> base;
    std::optional<Analysis> whatIf;
    const Analysis& analysis() const { return whatIf ? *whatIf : *base; }
};
// An Error (naming the file and why) when no input could be read at all.
Result<AnalysisRun> runAnalysis(const AnalyzeOptions& options, ImportObserver* progress = nullptr);

// Prints each input's warnings (a capture damaged part-way, a line skipped) with fail().
void printInputWarnings(const Analysis& a);

// render's and report's run: runAnalysis, then its error with fail() (nullopt: exit kExitUsage),
// or the input warnings unless --quiet.
std::optional<AnalysisRun> runAnalysisOrFail(const AnalyzeOptions& options);

// True when `out` names an existing file that is also one of the inputs (never overwrite one).
bool outputIsAnInput(const std::string& out, const std::vector<std::string>& inputs);

} // namespace twlens::cli
