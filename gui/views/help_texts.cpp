// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/help_texts.h"

#include <QFile>
#include <QHash>

namespace twlens {

namespace {

// resources/help/tooltips.ini: "key = text" lines, '#' comments, "\n" for a line break.
const QHash<QString, QString>& tooltips() {
    static const QHash<QString, QString> table = [] {
        QHash<QString, QString> t;
        QFile f(QStringLiteral(":/help/tooltips.ini"));
        if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
            return t;
        const QString all = QString::fromUtf8(f.readAll());
        for (const QString& raw : all.split(QLatin1Char('\n'))) {
            const QString line = raw.trimmed();
            if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
                continue;
            const int eq = line.indexOf(QLatin1Char('='));
            if (eq <= 0)
                continue;
            QString value = line.mid(eq + 1).trimmed();
            value.replace(QStringLiteral("\\n"), QStringLiteral("\n"));
            t.insert(line.left(eq).trimmed(), value);
        }
        return t;
    }();
    return table;
}

} // namespace

QString HelpTexts::tooltip(const QString& key) { return tooltips().value(key); }

QString HelpTexts::page(const QString& name) {
    QFile f(QStringLiteral(":/help/%1.html").arg(name));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(f.readAll());
}

QString HelpTexts::hazardExplanation(const QString& kind) {
    const QString text = page(kind);
    return text.isEmpty() ? page(QStringLiteral("hazard_generic")) : text;
}

} // namespace twlens
