// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/analysis_run.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "core/findings/what_if_analysis.h"
#include "importers/analyze_files.h"

namespace twlens::cli {

void fail(const std::string& message) { std::fprintf(stderr, "twlens-cli: %s\n", message.c_str()); }

std::string forCommand(std::string message, std::string_view command) {
    constexpr std::string_view kAnalyze = "analyze";
    if (const auto at = message.find("analyze needs"); at != std::string::npos)
        message.replace(at, kAnalyze.size(), command);
    return message;
}

Result<SplitCommandLine> splitOwnOptions(std::span<const std::string_view> args,
                                         std::initializer_list<std::string_view> names) {
    SplitCommandLine split;
    bool onlyInputs = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        std::string_view name = arg;
        std::optional<std::string_view> value;
        if (const auto eq = arg.find('='); eq != std::string_view::npos && arg.starts_with("--")) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        }
        if (onlyInputs || std::find(names.begin(), names.end(), name) == names.end()) {
            onlyInputs = onlyInputs || arg == "--";
            split.rest.push_back(arg);
            continue;
        }
        if (!value) {
            if (i + 1 >= args.size())
                return Error{std::string(name) + " needs a value"};
            value = args[++i];
        }
        split.own.push_back({name, *value});
    }
    return split;
}

Result<AnalysisRun> runAnalysis(const AnalyzeOptions& options, ImportObserver* progress) {
    AnalyzeRequest request;
    request.paths = options.inputs;
    request.overrides = options.overrides;
    auto result = analyzeFiles(request, progress);
    if (!result)
        return result.error();
    AnalysisRun run;
    run.base = std::move(*result);
    if (options.reuseFactor > 1.0) {
        WhatIf w;
        w.reuseFactor = options.reuseFactor;
        run.whatIf.emplace(analysisWithWhatIf(*run.base, w));
    }
    return run;
}

void printInputWarnings(const Analysis& a) {
    for (const InputInfo& in : a.inputs)
        for (const InputWarning& w : in.warnings)
            fail(in.path + ": " + w.text());
}

std::optional<AnalysisRun> runAnalysisOrFail(const AnalyzeOptions& options) {
    auto run = runAnalysis(options);
    if (!run) {
        fail(run.error().message);
        return std::nullopt;
    }
    if (!options.quiet)
        printInputWarnings(run->analysis());
    return std::move(*run);
}

bool outputIsAnInput(const std::string& out, const std::vector<std::string>& inputs) {
    std::error_code ec;
    if (!std::filesystem::exists(out, ec))
        return false;
    for (const std::string& in : inputs)
        if (std::filesystem::equivalent(out, in, ec))
            return true;
    return false;
}

} // namespace twlens::cli
