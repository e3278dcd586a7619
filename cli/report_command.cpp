// SPDX-License-Identifier: GPL-3.0-or-later
// `twlens-cli report INPUT... -o REPORT.html|REPORT.pdf [analyze options]`: the same analysis as
// `analyze` (its options and its what-if), written as the incident report of gui/report. Qt runs
// on the offscreen platform, so no display is needed.
#include "cli/report_command.h"

#include <QApplication>
#include <QSaveFile>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cli/analysis_run.h"
#include "cli/analyze_command.h"
#include "cli/arguments.h"
#include "cli/offscreen_app.h"
#include "gui/report/report.h"

namespace twlens::cli {

int runReport(std::span<const std::string_view> args) {
    const auto split = splitOwnOptions(args, {"-o", "--output"});
    if (!split) {
        fail(split.error().message + " (see twlens-cli --help)");
        return kExitUsage;
    }
    if (split->own.size() > 1) {
        fail("-o given twice (see twlens-cli --help)");
        return kExitUsage;
    }
    auto parsed = parseAnalyzeArguments(split->rest);
    if (!parsed) {
        fail(forCommand(parsed.error().message, "report"));
        return kExitUsage;
    }
    const AnalyzeOptions& opt = *parsed;
    if (opt.help) {
        std::fputs(usageText().data(), stdout);
        return kExitOk;
    }
    if (opt.jsonOut || opt.csvOut) {
        fail("report writes one file given with -o; use analyze for --json and --csv (see twlens-cli --help)");
        return kExitUsage;
    }
    if (split->own.empty() || split->own.front().value.empty()) {
        fail("report needs -o FILE ending in .html or .pdf (see twlens-cli --help)");
        return kExitUsage;
    }
    const std::string out(split->own.front().value);
    const QString outPath = QString::fromStdString(out);
    if (!reportFormatForPath(outPath)) {
        fail(out + ": unknown report format (the name must end in .html, .htm or .pdf)");
        return kExitUsage;
    }
    if (outputIsAnInput(out, opt.inputs)) {
        fail(out + ": is also an input; refusing to overwrite it");
        return kExitUsage;
    }
    {
        // Say so before a long analysis when the report could not be written anyway.
        QSaveFile probe(outPath);
        if (!probe.open(QIODevice::WriteOnly)) {
            fail(out + ": " + probe.errorString().toStdString());
            return kExitUsage;
        }
        probe.cancelWriting();
    }

    // The figures are drawn with Qt's widgets and fonts, offscreen.
    const auto app = makeOffscreenApplication();
    const auto run = runAnalysisOrFail(opt);
    if (!run)
        return kExitUsage;
    const Analysis& analysis = run->analysis();

    QStringList inputs;
    for (const std::string& in : opt.inputs)
        inputs << QString::fromStdString(in);
    QString error;
    if (!writeReport(analysis, inputs, outPath, &error)) {
        fail(error.toStdString());
        return kExitUsage;
    }
    return kExitOk;
}

} // namespace twlens::cli
