// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>
#include <optional>

#include "core/model/analysis.h"

namespace twlens {

enum class ReportFormat { Html, Pdf };
// By the path's extension (.html/.htm, .pdf, any case); nothing for anything else.
std::optional<ReportFormat> reportFormatForPath(const QString& path);

// The incident report (`twlens-cli report`, GUI File > Create report): self-contained HTML with
// the figures embedded, or PDF, chosen by the path's extension (.html/.htm, .pdf). `inputs` are
// the files analysed (their sizes and SHA-256 go in the report). Needs a QApplication. The file
// is written whole or not at all; on failure *error names the path and the reason.
bool writeReport(const Analysis& a, const QStringList& inputs, const QString& path, QString* error);

} // namespace twlens
