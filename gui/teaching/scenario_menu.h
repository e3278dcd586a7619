// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QList>
#include <QMenu>
#include <QString>
#include <QStringList>

namespace twlens {

// One entry of the scenario library (resources/scenarios): a real capture made by
// tests/kernel/make-fixtures.sh, the sysctl lines of the namespace when they matter, and a short
// description (.md) whose first line is the title.
struct Scenario {
    QString id;          // file base name: "lost-final-ack"
    QString title;       // "Lost final ACK"
    QString description; // the .md text after the title
    QStringList inputs;  // the capture, then its .sysctl.txt if any (what analyzeFiles reads)
};

// Where the scenarios are: $TWLENS_SCENARIOS_DIR, then ../share/twlens/scenarios next to the
// executable, then the source tree's resources/scenarios. Empty when none is found.
QString scenariosDir();
// The scenarios of a directory in teaching order (client close first, SO_LINGER 0 last; any
// others after them by name).
QList<Scenario> loadScenarios(const QString& dir);

// Help > Scenarios: one action per scenario (its description as tool tip); triggering one emits
// scenarioChosen. Filled when the menu is created.
class ScenarioMenu : public QMenu {
    Q_OBJECT
public:
    explicit ScenarioMenu(QWidget* parent = nullptr, const QString& dir = scenariosDir());
    const QList<Scenario>& scenarios() const { return scenarios_; }

signals:
    void scenarioChosen(const twlens::Scenario& scenario);

private:
    QList<Scenario> scenarios_;
};

} // namespace twlens

Q_DECLARE_METATYPE(twlens::Scenario)
