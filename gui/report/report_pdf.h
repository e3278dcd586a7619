// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QIODevice>
#include <QString>

#include "core/model/analysis.h"
#include "gui/report/report_html.h"

namespace twlens {

// Prints the report's HTML (ReportImages::ResourceName) through QTextDocument onto A4 pages of a
// QPdfWriter: text stays text, the figures are the same PNGs as in the HTML.
bool writeReportPdf(const Analysis& a, const ReportContent& c, QIODevice* out, QString* error);

} // namespace twlens
