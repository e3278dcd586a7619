// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/report/report_pdf.h"

#include <QFont>
#include <QImage>
#include <QMarginsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextDocument>
#include <QUrl>

namespace twlens {

namespace {

void addFigure(QTextDocument& doc, const ReportFigure& f) {
    if (f.png.isEmpty())
        return;
    // QTextDocument loads no data: URIs; the HTML names the image "<id>.png" instead.
    doc.addResource(QTextDocument::ImageResource, QUrl(f.id + QStringLiteral(".png")), QImage::fromData(f.png, "PNG"));
}

} // namespace

bool writeReportPdf(const Analysis& a, const ReportContent& c, QIODevice* out, QString* error) {
    QPdfWriter writer(out);
    writer.setTitle(QStringLiteral("twlens incident report"));
    writer.setCreator(QStringLiteral("twlens " TWLENS_VERSION));
    writer.setResolution(300);
    // QTextDocument::print adds its own 2 cm frame margin inside these.
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(5, 5, 5, 5), QPageLayout::Millimeter));

    QTextDocument doc;
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(9);
    doc.setDefaultFont(font);
    addFigure(doc, c.figures.timeline);
    addFigure(doc, c.figures.exhaustion);
    for (const ReportFigure& f : c.figures.ladders)
        addFigure(doc, f);
    doc.setHtml(reportHtml(a, c, ReportImages::ResourceName));
    // Any letter spacing turns ligatures off (QTextEngine shapes without "liga" then), so a
    // search for "fixes" finds it and pdftotext gives "fi", not U+FB01.
    QTextCursor all(&doc);
    all.select(QTextCursor::Document);
    QTextCharFormat noLigatures;
    noLigatures.setFontLetterSpacingType(QFont::AbsoluteSpacing);
    noLigatures.setFontLetterSpacing(0.1); // QFixed: anything under 1/64 rounds to none
    all.mergeCharFormat(noLigatures);
    doc.print(&writer);
    if (!out->isOpen()) {
        if (error)
            *error = out->errorString();
        return false;
    }
    return true; // write errors surface when the caller commits the file
}

} // namespace twlens
