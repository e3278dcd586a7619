// SPDX-License-Identifier: GPL-3.0-or-later
// `twlens-cli render`: the GUI's figures without a display. The render options are taken here;
// the inputs and the settings options go through the analyze parser so both commands accept and
// check them the same way.
#include "cli/render_command.h"

#include <QApplication>
#include <QString>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "cli/analysis_run.h"
#include "cli/analyze_command.h"
#include "cli/arguments.h"
#include "cli/offscreen_app.h"
#include "core/presentation/figure_window.h"
#include "gui/figures/figure.h"

namespace twlens::cli {

namespace {

struct RenderOptions {
    std::optional<FigureView> view; // required: no default view
    FigureRequest request;          // --connection, --size, --scale; its defaults otherwise
    std::optional<double> from;     // seconds after the first packet (the request's times are absolute)
    std::optional<double> to;
    std::string output;
};

// The render options, checked, from the words splitOwnOptions took out. Returns an error
// message, or nothing.
std::optional<std::string> readRenderOptions(const std::vector<OwnOption>& own, RenderOptions& o) {
    for (const auto& [name, v] : own) {
        if (name == "--view") {
            o.view = parseFigureView(v);
            if (!o.view)
                return "--view: expected timeline, ladder, exhaustion, snapshots or states, got " + quoted(v);
        } else if (name == "--connection") {
            std::uint32_t id = 0;
            if (!parseWhole(v.starts_with('#') ? v.substr(1) : v, id))
                return "--connection: expected a connection number (as in the analyze output, #7 or 7), got " + quoted(v);
            o.request.connection = id;
        } else if (name == "--from" || name == "--to") {
            double s = 0;
            if (!parseWhole(v.starts_with('+') ? v.substr(1) : v, s) || !std::isfinite(s) || std::abs(s) > 1e9)
                return std::string(name) + ": expected seconds after the first packet (e.g. 12.5), got " + quoted(v);
            (name == "--from" ? o.from : o.to) = s;
        } else if (name == "--scale") {
            double s = 0;
            if (!parseWhole(v, s) || !(s > 0 && s <= kFigureMaxScale))
                return "--scale: expected a factor above 0 and at most 16 (PNG pixels per figure unit), got " + quoted(v);
            o.request.scale = s;
        } else if (name == "--size") {
            const auto x = v.find_first_of("xX");
            double w = 0, h = 0;
            if (x == std::string_view::npos || !parseWhole(v.substr(0, x), w) || !parseWhole(v.substr(x + 1), h) ||
                !(w >= kFigureMinSide && w <= kFigureMaxSide && h >= kFigureMinSide && h <= kFigureMaxSide))
                return "--size: expected WIDTHxHEIGHT, each 200 to 20000 (e.g. 1200x750), got " + quoted(v);
            o.request.size = QSizeF(w, h);
        } else { // -o, --output
            if (v.empty())
                return "-o needs a file name ending in .png, .svg or .pdf";
            o.output = std::string(v);
        }
    }
    if (o.from && o.to && *o.from >= *o.to) {
        char text[96];
        std::snprintf(text, sizeof text, "--from (%g s) must be before --to (%g s)", *o.from, *o.to);
        return std::string(text);
    }
    return std::nullopt;
}

} // namespace

int runRender(std::span<const std::string_view> args) {
    const auto split = splitOwnOptions(args, {"--view", "--connection", "--from", "--to", "--scale", "--size", "-o", "--output"});
    if (!split) {
        fail(split.error().message + " (see twlens-cli --help)");
        return kExitUsage;
    }
    RenderOptions o;
    if (auto bad = readRenderOptions(split->own, o)) {
        fail(*bad + " (see twlens-cli --help)");
        return kExitUsage;
    }
    auto parsed = parseAnalyzeArguments(split->rest);
    if (parsed && parsed->help) {
        std::fputs(usageText().data(), stdout);
        return kExitOk;
    }
    if (!parsed) {
        fail(forCommand(parsed.error().message, "render"));
        return kExitUsage;
    }
    if (parsed->jsonOut || parsed->csvOut) {
        fail(std::string(parsed->jsonOut ? "--json" : "--csv") + " is an analyze option; render writes one figure with -o (see twlens-cli --help)");
        return kExitUsage;
    }
    if (!o.view) {
        fail("render needs --view timeline, ladder, exhaustion, snapshots or states (see twlens-cli --help)");
        return kExitUsage;
    }
    if (o.output.empty()) {
        fail("render needs -o FILE.png, FILE.svg or FILE.pdf (see twlens-cli --help)");
        return kExitUsage;
    }
    const QString output = QString::fromStdString(o.output);
    if (!figureFormatForPath(output)) {
        fail(o.output + ": unknown figure format; the name must end in .png, .svg or .pdf");
        return kExitUsage;
    }
    if (outputIsAnInput(o.output, parsed->inputs)) {
        fail(o.output + ": is also an input; refusing to overwrite it");
        return kExitUsage;
    }

    const auto app = makeOffscreenApplication();
    const auto run = runAnalysisOrFail(*parsed);
    if (!run)
        return kExitUsage;
    const Analysis& analysis = run->analysis();

    FigureRequest r = o.request;
    r.view = *o.view;
    const TimeNs origin = figureOrigin(analysis);
    if (o.from)
        r.from = origin + fromSeconds(*o.from);
    if (o.to)
        r.to = origin + fromSeconds(*o.to);
    QString error;
    if (!exportFigure(analysis, r, output, &error)) {
        fail(error.toStdString());
        return kExitUsage;
    }
    return kExitOk;
}

} // namespace twlens::cli
