// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/report/report.h"

#include <QFileInfo>
#include <QSaveFile>

#include "gui/report/report_html.h"
#include "gui/report/report_pdf.h"

namespace twlens {

std::optional<ReportFormat> reportFormatForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("html") || suffix == QLatin1String("htm"))
        return ReportFormat::Html;
    if (suffix == QLatin1String("pdf"))
        return ReportFormat::Pdf;
    return std::nullopt;
}

bool writeReport(const Analysis& a, const QStringList& inputs, const QString& path, QString* error) {
    const auto fail = [&](const QString& why) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, why);
        return false;
    };
    const auto format = reportFormatForPath(path);
    if (!format)
        return fail(QStringLiteral("unknown report format (the name must end in .html, .htm or .pdf)"));
    // Written whole or not at all: a failed report never leaves half a file behind.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    const ReportContent content = gatherReport(a, inputs);
    if (*format == ReportFormat::Html) {
        if (file.write(reportHtml(a, content, ReportImages::DataUri).toUtf8()) < 0)
            return fail(file.errorString());
    } else {
        QString why;
        if (!writeReportPdf(a, content, &file, &why))
            return fail(why);
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

} // namespace twlens
