// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/report/report_action.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QObject>

#include "gui/report/report.h"

namespace twlens {

void createReportDialog(QWidget* parent, const Analysis& a, const QStringList& inputs) {
    const QString html = QObject::tr("Web page, figures included (*.html *.htm)");
    const QString pdf = QObject::tr("PDF (*.pdf)");
    QString filter = html;
    QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Create report"), QStringLiteral("twlens-report.html"),
                                                html + QStringLiteral(";;") + pdf, &filter);
    if (path.isEmpty())
        return;
    // A name typed without an extension takes the one of the chosen filter.
    if (!reportFormatForPath(path))
        path += filter == pdf ? QStringLiteral(".pdf") : QStringLiteral(".html");
    QApplication::setOverrideCursor(Qt::WaitCursor);
    QString error;
    const bool ok = writeReport(a, inputs, path, &error);
    QApplication::restoreOverrideCursor();
    if (!ok)
        QMessageBox::warning(parent, QObject::tr("Create report"), QObject::tr("The report could not be written.\n\n%1").arg(error));
}

} // namespace twlens
