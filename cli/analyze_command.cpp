// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/analyze_command.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include <unistd.h>

#include "cli/arguments.h"
#include "cli/output_file.h"
#include "cli/progress_printer.h"
#include "core/findings/what_if_analysis.h"
#include "core/output/csv_writer.h"
#include "core/output/json_writer.h"
#include "core/output/text_summary.h"
#include "importers/analyze_files.h"

namespace twlens::cli {

namespace {

void fail(const std::string& message) { std::fprintf(stderr, "twlens-cli: %s\n", message.c_str()); }

// An output that names one of the inputs would destroy it (inputs are never modified).
std::optional<std::string> clobbersInput(const std::string& out, const std::vector<std::string>& inputs) {
    std::error_code ec;
    if (out == "-" || !std::filesystem::exists(out, ec))
        return std::nullopt;
    for (const std::string& in : inputs)
        if (std::filesystem::equivalent(out, in, ec))
            return out + ": is also an input; refusing to overwrite it";
    return std::nullopt;
}

} // namespace

int runAnalyze(std::span<const std::string_view> args) {
    auto parsed = parseAnalyzeArguments(args);
    if (!parsed) {
        fail(parsed.error().message);
        return kExitUsage;
    }
    const AnalyzeOptions& opt = *parsed;
    if (opt.help) {
        std::fputs(usageText().data(), stdout);
        return kExitOk;
    }

    std::unique_ptr<OutputFile> json, csv;
    for (auto [path, slot] : {std::pair{&opt.jsonOut, &json}, std::pair{&opt.csvOut, &csv}}) {
        if (!*path)
            continue;
        if (auto clash = clobbersInput(**path, opt.inputs)) {
            fail(*clash);
            return kExitUsage;
        }
        auto file = OutputFile::open(**path);
        if (!file) {
            fail(file.error().message);
            return kExitUsage;
        }
        *slot = std::move(*file);
    }

    AnalyzeRequest request;
    request.paths = opt.inputs;
    request.overrides = opt.overrides;
    std::optional<ProgressPrinter> progress;
    if (!opt.quiet && ::isatty(STDERR_FILENO))
        progress.emplace(opt.inputs);
    auto result = analyzeFiles(request, progress ? &*progress : nullptr);
    if (progress)
        progress->clear();
    if (!result) {
        fail(result.error().message);
        return kExitUsage;
    }
    std::optional<Analysis> whatIf; // --reuse-factor: the analysis under the what-if (core computes it)
    if (opt.reuseFactor > 1.0) {
        WhatIf w;
        w.reuseFactor = opt.reuseFactor;
        whatIf.emplace(analysisWithWhatIf(**result, w));
    }
    const Analysis& analysis = whatIf ? *whatIf : **result;

    const bool summary = !json && !csv;
    if (!summary && !opt.quiet) {
        // With the summary off the warnings would otherwise only be inside the JSON.
        for (const InputInfo& in : analysis.inputs)
            for (const InputWarning& w : in.warnings)
                fail(in.path + ": " + w.text());
    }
    if (json) {
        writeJson(analysis, json->stream());
        if (auto done = json->commit(); !done) {
            fail(done.error().message);
            return kExitInternal;
        }
    }
    if (csv) {
        writeCsv(analysis, csv->stream());
        if (auto done = csv->commit(); !done) {
            fail(done.error().message);
            return kExitInternal;
        }
    }
    if (summary && !opt.quiet) {
        writeTextSummary(analysis, std::cout);
        std::cout.flush();
        if (!std::cout) {
            fail("stdout: write failed");
            return kExitInternal;
        }
    }
    return kExitOk;
}

} // namespace twlens::cli
