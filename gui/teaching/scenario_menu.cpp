// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/teaching/scenario_menu.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <algorithm>

namespace twlens {

namespace {

// The order the issue lists them in: from the plain teardowns to the hazards.
const QStringList& teachingOrder() {
    static const QStringList order{
        QStringLiteral("client-close"),      QStringLiteral("server-close"),
        QStringLiteral("simultaneous-close"), QStringLiteral("half-close"),
        QStringLiteral("lost-final-ack"),    QStringLiteral("rst-in-time-wait-rfc1337-0"),
        QStringLiteral("rst-in-time-wait-rfc1337-1"), QStringLiteral("tw-reuse"),
        QStringLiteral("port-exhaustion"),   QStringLiteral("so-linger-0")};
    return order;
}

QString stripMarkdown(QString text) {
    text.remove(QStringLiteral("**"));
    text.remove(QLatin1Char('`'));
    return text.simplified();
}

} // namespace

QString scenariosDir() {
    QStringList dirs;
    const QString env = qEnvironmentVariable("TWLENS_SCENARIOS_DIR");
    if (!env.isEmpty())
        dirs << env;
    // Beside the samples, installed and in the source tree (gui/CMakeLists.txt defines both).
    dirs << QDir(QCoreApplication::applicationDirPath())
                .filePath(QStringLiteral("../") + QStringLiteral(TWLENS_INSTALL_SAMPLES_DIR) + QStringLiteral("/../scenarios"));
    dirs << QStringLiteral(TWLENS_BUILD_SAMPLES_DIR) + QStringLiteral("/../scenarios");
    for (const QString& d : dirs) {
        QDir dir(d);
        if (dir.exists() && !dir.entryList({QStringLiteral("*.pcap")}, QDir::Files).isEmpty())
            return dir.absolutePath();
    }
    return {};
}

QList<Scenario> loadScenarios(const QString& dirPath) {
    QList<Scenario> out;
    if (dirPath.isEmpty())
        return out;
    const QDir dir(dirPath);
    const auto captures = dir.entryInfoList({QStringLiteral("*.pcap"), QStringLiteral("*.pcapng")}, QDir::Files, QDir::Name);
    for (const QFileInfo& fi : captures) {
        Scenario s;
        s.id = fi.completeBaseName();
        s.inputs << fi.absoluteFilePath();
        const QString sysctl = dir.filePath(s.id + QStringLiteral(".sysctl.txt"));
        if (QFile::exists(sysctl))
            s.inputs << sysctl;
        s.title = s.id;
        QFile md(dir.filePath(s.id + QStringLiteral(".md")));
        if (md.open(QIODevice::ReadOnly | QIODevice::Text)) {
            const QString text = QString::fromUtf8(md.readAll());
            const qsizetype nl = text.indexOf(QLatin1Char('\n'));
            const QString first = text.left(nl < 0 ? text.size() : nl);
            if (first.startsWith(QLatin1String("# ")))
                s.title = first.mid(2).trimmed();
            s.description = stripMarkdown(nl < 0 ? QString() : text.mid(nl + 1));
        }
        out << s;
    }
    const QStringList& order = teachingOrder();
    std::stable_sort(out.begin(), out.end(), [&](const Scenario& a, const Scenario& b) {
        const auto rank = [&](const Scenario& s) {
            const qsizetype i = order.indexOf(s.id);
            return i < 0 ? order.size() : i;
        };
        return rank(a) < rank(b);
    });
    return out;
}

ScenarioMenu::ScenarioMenu(QWidget* parent, const QString& dir) : QMenu(tr("&Scenarios"), parent), scenarios_(loadScenarios(dir)) {
    setToolTipsVisible(true);
    if (scenarios_.isEmpty()) {
        QAction* none = addAction(tr("No scenarios found"));
        none->setEnabled(false);
        return;
    }
    for (const Scenario& s : scenarios_) {
        QAction* act = addAction(s.title);
        act->setToolTip(s.description);
        act->setData(s.id);
        connect(act, &QAction::triggered, this, [this, s] { emit scenarioChosen(s); });
    }
}

} // namespace twlens
