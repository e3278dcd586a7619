// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <vector>

#include "core/model/analysis.h"
#include "core/presentation/overview_summary.h"
#include "gui/report/report_figures.h"
#include "gui/report/report_inputs.h"

namespace twlens {

// How the HTML refers to its figures: inline data: URIs (the stand-alone .html file), or the
// figure's id + ".png" as a resource name (QTextDocument does not load data: URIs; the PDF writer
// adds the images with QTextDocument::addResource under those names).
enum class ReportImages { DataUri, ResourceName };

// Everything the report shows, gathered once so the HTML and the PDF say the same.
struct ReportContent {
    OverviewSummary summary; // the counts, hazard groups and headroom (core/presentation)
    std::vector<ReportInput> inputs;
    ReportFigures figures;
    QDateTime created;
};

ReportContent gatherReport(const Analysis& a, const QStringList& inputs);

// The section headings, in order (the tests look for each in the HTML and the PDF's text).
QStringList reportSectionTitles();

// The whole report as one HTML document. Everything that comes from the inputs is escaped.
QString reportHtml(const Analysis& a, const ReportContent& c, ReportImages images);

} // namespace twlens
