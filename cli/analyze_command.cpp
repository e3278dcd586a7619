// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/analyze_command.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include <unistd.h>

#include "cli/analysis_run.h"
#include "cli/arguments.h"
#include "cli/output_file.h"
#include "cli/progress_printer.h"
#include "core/output/csv_writer.h"
#include "core/output/json_writer.h"
#include "core/output/text_summary.h"

namespace twlens::cli {

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
        // An output that names one of the inputs would destroy it (inputs are never modified).
        if (**path != "-" && outputIsAnInput(**path, opt.inputs)) {
            fail(**path + ": is also an input; refusing to overwrite it");
            return kExitUsage;
        }
        auto file = OutputFile::open(**path);
        if (!file) {
            fail(file.error().message);
            return kExitUsage;
        }
        *slot = std::move(*file);
    }

    std::optional<ProgressPrinter> progress;
    if (!opt.quiet && ::isatty(STDERR_FILENO))
        progress.emplace(opt.inputs);
    const auto run = runAnalysis(opt, progress ? &*progress : nullptr);
    if (progress)
        progress->clear();
    if (!run) {
        fail(run.error().message);
        return kExitUsage;
    }
    const Analysis& analysis = run->analysis();

    const bool summary = !json && !csv;
    if (!summary && !opt.quiet) {
        // With the summary off the warnings would otherwise only be inside the JSON.
        printInputWarnings(analysis);
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
