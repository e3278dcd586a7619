// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/app/recent_files.h"

#include <QFileInfo>
#include <QObject>
#include <QSettings>

namespace twlens {

namespace {
const QString kKey = QStringLiteral("recentFiles");
}

QList<QStringList> RecentFiles::load() {
    QList<QStringList> out;
    const QStringList entries = QSettings().value(kKey).toStringList();
    for (const QString& e : entries)
        out << e.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return out;
}

void RecentFiles::add(const QStringList& files) {
    if (files.isEmpty())
        return;
    QStringList absolute;
    for (const QString& f : files)
        absolute << QFileInfo(f).absoluteFilePath();
    const QString entry = absolute.join(QLatin1Char('\n'));
    QStringList entries = QSettings().value(kKey).toStringList();
    entries.removeAll(entry);
    entries.prepend(entry);
    while (entries.size() > kMax)
        entries.removeLast();
    QSettings().setValue(kKey, entries);
}

void RecentFiles::clear() { QSettings().remove(kKey); }

QString RecentFiles::label(const QStringList& files) {
    if (files.isEmpty())
        return {};
    const QString first = QFileInfo(files.front()).fileName();
    return files.size() == 1 ? first : QObject::tr("%1 (+%2 more)").arg(first).arg(files.size() - 1);
}

} // namespace twlens
