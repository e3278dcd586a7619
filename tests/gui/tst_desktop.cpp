// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop side of the workspace in the real MainWindow on the bundled sample: the settings
// dialog (a change re-runs the analysis with the override), drag and drop, recent files and the
// window layout kept in QSettings (test mode, own organisation: the user's settings are never
// touched), the dark palette, cancelling an import, and the connections proxy under
// QAbstractItemModelTester while it follows the shared filter.
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QTableView>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <qcustomplot.h>

#include "analysis_builder.h"
#include "core/presentation/state_spans.h"
#include "gui/app/main_window.h"
#include "gui/app/recent_files.h"
#include "gui/dialogs/settings_dialog.h"
#include "gui/import/import_job.h"
#include "gui/import/progress_panel.h"
#include "gui/models/connection_proxy_model.h"
#include "gui/models/connection_table_model.h"
#include "gui/models/hazard_tree_model.h"
#include "gui/state/selection_state.h"
#include "core/presentation/teaching_steps.h"
#include "gui/teaching/scenario_menu.h"
#include "gui/teaching/teaching_view.h"
#include "gui/views/connections_view.h"
#include "gui/views/exhaustion_view.h"
#include "gui/views/hazards_view.h"
#include "gui/views/overview_view.h"
#include "gui/views/state_colors.h"
#include "gui/views/timeline_widget.h"
#include "gui/views/ladder_widget.h"
#include "gui/views/snapshot_view.h"
#include "support/private_settings.h"

using namespace twlens;

namespace {
const QString kSamplePcap = QStringLiteral(TWLENS_SOURCE_DIR "/resources/samples/sample.pcap");
const QString kClientClose = QStringLiteral(TWLENS_SOURCE_DIR "/resources/scenarios/client-close.pcap");
const QString kBigCapture = QStringLiteral(TWLENS_PUBLIC_CAPTURES "/zeek-echo-connections.pcap");

// WCAG 2.x contrast ratio of two opaque colours (1 .. 21).
double contrast(const QColor& a, const QColor& b) {
    auto lum = [](const QColor& c) {
        auto ch = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF());
    };
    const double la = lum(a), lb = lum(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette darkPalette() {
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

QAction* action(QWidget& w, const char* name) { return w.findChild<QAction*>(QString::fromLatin1(name)); }

// Opens `files` in the window and waits for the analysis to be on screen.
bool openAndWait(MainWindow& w, const QStringList& files) {
    QSignalSpy shown(&w, &MainWindow::analysisShown);
    w.openFiles(files);
    return shown.wait(60000) || shown.size() == 1;
}
} // namespace

class TestDesktop : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void settingsDialog_overrides();
    void settingsDialog_rerunsWithOverride();
    void dragAndDrop_opensFiles();
    void recentFiles_persist();
    void layout_persists();
    void darkPalette_changesViewColours();
    void cancelDuringImport_keepsPrevious();
    void proxy_followsFilter_tester();
    void connectionsView_sortKeepsSelection();
    void bigAnalysis_overviewAndHazardsStayShort();
    void menus_exportReportAndTeaching();
    void scenario_teachesItsMainConnection();

private:
    testsupport::PrivateSettings settings_;
};

void TestDesktop::initTestCase() {
    QVERIFY(settings_.use(QStringLiteral("tst_desktop")));
}

void TestDesktop::init() {
    QSettings().clear();
    QSettings().sync();
}

void TestDesktop::settingsDialog_overrides() {
    Settings s;
    s.portLow = {41000, "sample-sysctl.txt:2"};
    s.portHigh = {41015, "sample-sysctl.txt:2"};
    SettingsOverrides none;
    SettingsDialog d(s, none, nullptr);
    // Nothing ticked: the values in effect shown, nothing overridden, editors disabled.
    QCOMPARE(d.findChild<QSpinBox*>(QStringLiteral("portLow"))->value(), 41000);
    QCOMPARE(d.findChild<QSpinBox*>(QStringLiteral("portHigh"))->value(), 41015);
    QCOMPARE(d.findChild<QDoubleSpinBox*>(QStringLiteral("timeWaitSeconds"))->value(), 60.0);
    QVERIFY(!d.findChild<QSpinBox*>(QStringLiteral("portLow"))->isEnabled());
    SettingsOverrides o = d.overrides();
    QVERIFY(!o.hasTwSeconds && !o.hasPortRange && !o.hasTwReuse && !o.hasRfc1337);
    // Ticked, with the port range typed backwards: the dialog orders it.
    d.findChild<QCheckBox*>(QStringLiteral("overridePortRange"))->setChecked(true);
    QVERIFY(d.findChild<QSpinBox*>(QStringLiteral("portLow"))->isEnabled());
    d.findChild<QSpinBox*>(QStringLiteral("portLow"))->setValue(41031);
    d.findChild<QSpinBox*>(QStringLiteral("portHigh"))->setValue(41000);
    d.findChild<QCheckBox*>(QStringLiteral("overrideRfc1337"))->setChecked(true);
    d.findChild<QComboBox*>(QStringLiteral("rfc1337"))->setCurrentIndex(1);
    o = d.overrides();
    QVERIFY(o.hasPortRange);
    QCOMPARE(o.portLow, std::uint16_t(41000));
    QCOMPARE(o.portHigh, std::uint16_t(41031));
    QVERIFY(o.hasRfc1337);
    QCOMPARE(o.rfc1337, 1);
    QVERIFY(!o.hasTwSeconds && !o.hasTwReuse);
    // Reopened with those overrides: ticked and filled in.
    SettingsDialog again(s, o, nullptr);
    QVERIFY(again.findChild<QCheckBox*>(QStringLiteral("overridePortRange"))->isChecked());
    QCOMPARE(again.findChild<QSpinBox*>(QStringLiteral("portHigh"))->value(), 41031);
    QCOMPARE(again.findChild<QComboBox*>(QStringLiteral("rfc1337"))->currentIndex(), 1);
}

void TestDesktop::settingsDialog_rerunsWithOverride() {
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(openAndWait(w, {kSamplePcap, QStringLiteral(TWLENS_SOURCE_DIR "/resources/samples/sample-sysctl.txt")}));
    const auto before = w.selection()->analysis();
    QCOMPARE(before->settings.portLow.value, std::uint16_t(41000));
    QCOMPARE(before->settings.portHigh.value, std::uint16_t(41015));
    QCOMPARE(before->settings.twSeconds.value, 60.0);

    // Analysis > Settings: override the TIME_WAIT length (30 s) and the port range (41000-41031).
    QSignalSpy shown(&w, &MainWindow::analysisShown);
    bool sawDialog = false;
    QTimer::singleShot(0, this, [&] {
        auto* d = qobject_cast<SettingsDialog*>(QApplication::activeModalWidget());
        QVERIFY(d);
        sawDialog = true;
        d->findChild<QCheckBox*>(QStringLiteral("overrideTimeWait"))->setChecked(true);
        d->findChild<QDoubleSpinBox*>(QStringLiteral("timeWaitSeconds"))->setValue(30.0);
        d->findChild<QCheckBox*>(QStringLiteral("overridePortRange"))->setChecked(true);
        d->findChild<QSpinBox*>(QStringLiteral("portHigh"))->setValue(41031);
        d->accept();
    });
    action(w, "actionSettings")->trigger();
    QVERIFY(sawDialog);
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 60000);
    const auto after = w.selection()->analysis();
    QVERIFY(after != before);
    QCOMPARE(after->settings.twSeconds.value, 30.0);
    QCOMPARE(after->settings.twSeconds.source, std::string("command line"));
    QCOMPARE(after->settings.portHigh.value, std::uint16_t(41031));
    QCOMPARE(after->settings.portHigh.source, std::string("command line"));
    // Every TIME_WAIT that ran out is 30 s long now (RFC 9293 3.10.7.8's 2MSL replaced by the
    // override, as tcp_time_wait() would with another TCP_TIMEWAIT_LEN).
    int expired = 0;
    for (const Connection& c : after->connections)
        for (std::uint8_t i = 0; i < c.timeWaitCount; ++i)
            if (c.timeWait[i].reason == TimeWaitEnd::Expired) {
                QCOMPARE(c.timeWait[i].end - c.timeWait[i].start, 30 * kNsPerSecond);
                ++expired;
            }
    QVERIFY(expired > 0);
    // The port figures: 32 usable ports, peak 16.
    QCOMPARE(after->exhaustion.size(), std::size_t(1));
    QCOMPARE(after->exhaustion[0].usablePorts, 32u);
    QCOMPARE(after->exhaustion[0].peakPortsInUse, 16u);
    QVERIFY(w.exhaustion()->statusText().contains(QStringLiteral("peak 16 of 32 usable ports")));

    // Cancelling the dialog changes nothing and runs nothing.
    QTimer::singleShot(0, this, [&] {
        auto* d = qobject_cast<SettingsDialog*>(QApplication::activeModalWidget());
        QVERIFY(d);
        QVERIFY(d->findChild<QCheckBox*>(QStringLiteral("overrideTimeWait"))->isChecked());
        QCOMPARE(d->findChild<QDoubleSpinBox*>(QStringLiteral("timeWaitSeconds"))->value(), 30.0);
        d->reject();
    });
    action(w, "actionSettings")->trigger();
    QTest::qWait(300);
    QCOMPARE(shown.size(), 1);
    QVERIFY(!w.importJob()->isRunning());
    QCOMPARE(w.selection()->analysis(), after);
}

void TestDesktop::dragAndDrop_opensFiles() {
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    auto* mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(kSamplePcap)});
    // The window takes file drags...
    QDragEnterEvent enter(QPoint(700, 400), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    // ...and a drop opens the files on their own.
    QSignalSpy shown(&w, &MainWindow::analysisShown);
    QDropEvent drop(QPointF(700, 400), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    QCOMPARE(w.inputs(), QStringList{kSamplePcap});
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 60000);
    QCOMPARE(w.selection()->analysis()->connections.size(), std::size_t(17));
    QCOMPARE(w.connections()->proxy()->rowCount(), 17);

    // Ctrl+drop adds to the inputs: one analysis of both captures (17 + 1 connections).
    auto* more = new QMimeData;
    more->setUrls({QUrl::fromLocalFile(kClientClose)});
    QDragEnterEvent enterMore(QPoint(700, 400), Qt::CopyAction, more, Qt::LeftButton, Qt::ControlModifier);
    QApplication::sendEvent(&w, &enterMore);
    QVERIFY(enterMore.isAccepted());
    QDropEvent add(QPointF(700, 400), Qt::CopyAction, more, Qt::LeftButton, Qt::ControlModifier);
    QApplication::sendEvent(&w, &add);
    QCOMPARE(w.inputs(), (QStringList{kSamplePcap, kClientClose}));
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 2, 60000);
    QCOMPARE(w.selection()->analysis()->inputs.size(), std::size_t(2));
    QCOMPARE(w.selection()->analysis()->connections.size(), std::size_t(18));
    QVERIFY(w.windowTitle().startsWith(QStringLiteral("sample.pcap, client-close.pcap")));

    // Text (no URLs) is refused.
    auto* text = new QMimeData;
    text->setText(QStringLiteral("hello"));
    QDragEnterEvent refuse(QPoint(700, 400), Qt::CopyAction, text, Qt::LeftButton, Qt::NoModifier);
    refuse.setAccepted(false);
    QApplication::sendEvent(&w, &refuse);
    QVERIFY(!refuse.isAccepted());
    delete mime;
    delete more;
    delete text;
}

void TestDesktop::recentFiles_persist() {
    QCOMPARE(RecentFiles::load().size(), 0);
    {
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, {kSamplePcap}));
        QVERIFY(openAndWait(w, {kClientClose}));
        QVERIFY(openAndWait(w, {kSamplePcap, kClientClose}));
        // Opening one again moves it to the front instead of adding a second entry.
        QVERIFY(openAndWait(w, {kClientClose}));
    }
    QSettings().sync();
    // What a new process would read back from the settings file.
    const QStringList stored = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    QCOMPARE(stored, (QStringList{kClientClose, kSamplePcap + QLatin1Char('\n') + kClientClose, kSamplePcap}));
    const QList<QStringList> recent = RecentFiles::load();
    QCOMPARE(recent.size(), 3);
    QCOMPARE(recent[1], (QStringList{kSamplePcap, kClientClose}));

    // A new window lists them, newest first, and opens one from the menu.
    MainWindow w2;
    w2.show();
    auto* menu = w2.findChild<QMenu*>(QStringLiteral("recentMenu"));
    QVERIFY(menu);
    QStringList labels;
    for (QAction* a : menu->actions())
        labels << (a->isSeparator() ? QStringLiteral("--") : a->text());
    QCOMPARE(labels, (QStringList{QStringLiteral("client-close.pcap"), QStringLiteral("sample.pcap (+1 more)"),
                                  QStringLiteral("sample.pcap"), QStringLiteral("--"), QStringLiteral("Clear")}));
    QSignalSpy shown(&w2, &MainWindow::analysisShown);
    menu->actions().at(2)->trigger();
    QCOMPARE(w2.inputs(), QStringList{kSamplePcap});
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 60000);
    QCOMPARE(w2.selection()->analysis()->connections.size(), std::size_t(17));
    QCOMPARE(RecentFiles::load().front(), QStringList{kSamplePcap});

    // At most kMax entries; Clear empties the menu and the settings.
    for (int i = 0; i < RecentFiles::kMax + 2; ++i)
        RecentFiles::add({QStringLiteral("/tmp/twlens-test-%1.pcap").arg(i)});
    QCOMPARE(RecentFiles::load().size(), RecentFiles::kMax);
    QCOMPARE(RecentFiles::load().front(), QStringList{QStringLiteral("/tmp/twlens-test-%1.pcap").arg(RecentFiles::kMax + 1)});
    menu->actions().last()->trigger();
    QCOMPARE(RecentFiles::load().size(), 0);
    QCOMPARE(menu->actions().size(), 1);
    QCOMPARE(menu->actions().front()->text(), QStringLiteral("(none)"));
}

void TestDesktop::layout_persists() {
    {
        MainWindow w;
        w.resize(1300, 850);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* ladder = w.findChild<QDockWidget*>(QStringLiteral("ladderDock"));
        auto* snapshots = w.findChild<QDockWidget*>(QStringLiteral("snapshotsDock"));
        QCOMPARE(w.dockWidgetArea(ladder), Qt::RightDockWidgetArea);
        QVERIFY(!snapshots->isHidden());
        w.addDockWidget(Qt::LeftDockWidgetArea, ladder);
        snapshots->close();
        w.timeline()->setRelativeTime(false);
        w.close();
    }
    QSettings().sync();
    QVERIFY(QSettings().contains(QStringLiteral("window/state")));
    QVERIFY(QSettings().contains(QStringLiteral("window/geometry")));
    QCOMPARE(QSettings().value(QStringLiteral("timeline/relative")).toBool(), false);

    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.size(), QSize(1300, 850));
    QCOMPARE(w.dockWidgetArea(w.findChild<QDockWidget*>(QStringLiteral("ladderDock"))), Qt::LeftDockWidgetArea);
    QVERIFY(w.findChild<QDockWidget*>(QStringLiteral("snapshotsDock"))->isHidden());
    QVERIFY(!w.findChild<QDockWidget*>(QStringLiteral("overviewDock"))->isHidden());
    QVERIFY(!w.timeline()->relativeTime());
}

void TestDesktop::darkPalette_changesViewColours() {
    const QPalette light = QApplication::palette();
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(openAndWait(w, {kSamplePcap}));
    const QImage lightTimeline = w.timeline()->grab().toImage();
    QCOMPARE(lightTimeline.pixelColor(1, 1), light.color(QPalette::Base));

    const QPalette dark = darkPalette();
    QApplication::setPalette(dark);
    const QColor base = dark.color(QPalette::Base);
    // The change reaches the widgets as posted ApplicationPaletteChange events.
    QTRY_COMPARE(w.timeline()->palette().color(QPalette::Base), base);
    // Timeline: dark background, state colours lightened for it (StateColors::dark).
    const QImage darkTimeline = w.timeline()->grab().toImage();
    QCOMPARE(darkTimeline.pixelColor(1, 1), base);
    const StateColors darkColors(w.timeline()->palette()), lightColors(light);
    QVERIFY(darkColors.dark());
    QVERIFY(darkColors.timeWait() != lightColors.timeWait());
    QVERIFY(contrast(darkColors.text(), base) >= 7.0);
    for (TcpState s : {TcpState::Established, TcpState::FinWait1, TcpState::CloseWait, TcpState::TimeWait})
        QVERIFY2(contrast(darkColors.state(s), base) >= 3.0, std::string(stateName(s)).c_str());

    // Hazards: severity colours for the dark base, readable on it.
    HazardTreeModel* hz = w.hazards()->model();
    QVERIFY(hz->rowCount() > 0);
    for (int r = 0; r < hz->rowCount(); ++r) {
        const QColor sev = hz->index(r, HazardTreeModel::Severity).data(Qt::ForegroundRole).value<QBrush>().color();
        QVERIFY2(contrast(sev, base) >= 4.5, qPrintable(sev.name()));
        QVERIFY(sev == darkColors.severity(Severity::Critical) || sev == darkColors.severity(Severity::Warning) ||
                sev == darkColors.severity(Severity::Info));
    }
    // Overview cards: rebuilt on the palette change, text readable on their base.
    const QList<QLabel*> cards = w.overview()->findChildren<QLabel*>();
    QVERIFY(!cards.isEmpty());
    for (const QLabel* card : cards) {
        QCOMPARE(card->palette().color(QPalette::Base), base);
        QVERIFY(contrast(card->palette().color(QPalette::WindowText), base) >= 7.0);
    }
    QCOMPARE(w.overview()->cardTexts().value(0).section(QLatin1Char('\n'), 0, 0), QStringLiteral("17 connections"));
    // Exhaustion plot: axis text in the palette's text colour.
    QCOMPARE(w.exhaustion()->plot()->xAxis->tickLabelColor(), dark.color(QPalette::WindowText));
    QCOMPARE(w.exhaustion()->plot()->xAxis->labelColor(), dark.color(QPalette::WindowText));

    // Back to light: the colours follow again.
    QApplication::setPalette(light);
    QTRY_COMPARE(w.timeline()->palette().color(QPalette::Base), light.color(QPalette::Base));
    QCOMPARE(w.timeline()->grab().toImage().pixelColor(1, 1), light.color(QPalette::Base));
    QCOMPARE(w.exhaustion()->plot()->xAxis->tickLabelColor(), light.color(QPalette::WindowText));
}

void TestDesktop::cancelDuringImport_keepsPrevious() {
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(openAndWait(w, {kSamplePcap}));
    const auto sample = w.selection()->analysis();
    QSignalSpy shown(&w, &MainWindow::analysisShown);
    QSignalSpy cancelled(w.importJob(), &ImportJob::cancelled);
    w.openFiles({kBigCapture});
    QVERIFY(w.importJob()->isRunning());
    action(w, "actionCancelImport")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 30000);
    QVERIFY(!w.importJob()->isRunning());
    QTest::qWait(100);
    QCOMPARE(shown.size(), 0);
    QVERIFY(w.progressPanel()->isHidden());
    // The sample stays on screen, and the status line says so.
    QCOMPARE(w.selection()->analysis(), sample);
    QCOMPARE(w.connections()->proxy()->rowCount(), 17);
    QCOMPARE(w.findChild<QLabel*>(QStringLiteral("statusInfo"))->text(),
             QStringLiteral("Import cancelled; the previous analysis stays on screen."));
}

void TestDesktop::proxy_followsFilter_tester() {
    SelectionState selection;
    ConnectionTableModel model;
    ConnectionProxyModel proxy(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester sourceTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.followFilter(&selection);
    QObject::connect(&selection, &SelectionState::analysisChanged, &model, [&] { model.setAnalysis(selection.analysis()); });
    QObject::connect(&selection, &SelectionState::filterChanged, &proxy, &ConnectionProxyModel::selectionFilterChanged);
    selection.setAnalysis(testing::teardownScenario());
    QCOMPARE(proxy.rowCount(), 4);
    selection.setFilterText(QStringLiteral("10.0.0.1"));
    QCOMPARE(proxy.rowCount(), 2); // #0 and #2 share 10.0.0.1:40000
    QCOMPARE(proxy.index(0, 0).data(ConnectionTableModel::ConnectionRole).toUInt(), 0u);
    QCOMPARE(proxy.index(1, 0).data(ConnectionTableModel::ConnectionRole).toUInt(), 2u);
    proxy.sort(ConnectionTableModel::Duration, Qt::DescendingOrder);
    // #0 lasts 1.3005 s, #2 1.2 s.
    QCOMPARE(proxy.index(0, 0).data(ConnectionTableModel::ConnectionRole).toUInt(), 0u);
    selection.setFilterText(QStringLiteral("closer:none"));
    QCOMPARE(int(selection.passingCount()), proxy.rowCount());
    selection.setFilterText(QString());
    QCOMPARE(proxy.rowCount(), 4);
    QCOMPARE(proxy.index(0, 0).data(ConnectionTableModel::ConnectionRole).toUInt(), 3u); // 10.2 s, the longest
    // The table model holds the order (row <-> connection both ways); persistent indexes follow.
    QCOMPARE(model.connectionAt(0), 3u);
    QCOMPARE(model.rowOfConnection(1), 3); // 1.0 s, the shortest
    const QPersistentModelIndex second(model.index(model.rowOfConnection(2), ConnectionTableModel::Client));
    proxy.sort(ConnectionTableModel::Client, Qt::DescendingOrder);
    // Clients 10.0.0.4 (#3), 10.0.0.3 (#1), 10.0.0.1:40000 (#0, #2 in connection order).
    QList<std::uint32_t> order;
    for (int r = 0; r < model.rowCount(); ++r)
        order << model.connectionAt(r);
    QCOMPARE(order, (QList<std::uint32_t>{3, 1, 0, 2}));
    QCOMPARE(second.row(), 3);
    QCOMPARE(second.data(ConnectionTableModel::ConnectionRole).toUInt(), 2u);
    proxy.sort(-1);
    QCOMPARE(model.connectionAt(1), 1u);
    QCOMPARE(second.row(), 2);
    // A new analysis keeps the filter, evaluated over its connections.
    selection.setFilterText(QStringLiteral("hazard:any"));
    selection.setAnalysis(testing::syntheticAnalysis(3000));
    QCOMPARE(proxy.rowCount(), 3); // one hazard marker per thousand
    selection.setAnalysis(nullptr);
    QCOMPARE(proxy.rowCount(), 0);
}

void TestDesktop::connectionsView_sortKeepsSelection() {
    SelectionState selection;
    ConnectionsView view(&selection);
    selection.setAnalysis(testing::teardownScenario());
    selection.selectConnection(2);
    QCOMPARE(view.table()->currentIndex().row(), 2);
    view.table()->horizontalHeader()->setSortIndicator(ConnectionTableModel::Duration, Qt::DescendingOrder);
    // Durations: #3 10.2 s, #0 1.3005 s, #2 1.2 s, #1 1.0 s: #2 is on row 2 still, #3 on top.
    QCOMPARE(view.table()->currentIndex().data(ConnectionTableModel::ConnectionRole).toUInt(), 2u);
    QCOMPARE(view.proxy()->index(0, 0).data(ConnectionTableModel::ConnectionRole).toUInt(), 3u);
    selection.selectConnection(1);
    QCOMPARE(view.table()->currentIndex().row(), 3);
    // A new analysis opens unsorted again (no sort pass over its rows on arrival).
    selection.setAnalysis(testing::teardownScenario());
    QCOMPARE(view.table()->horizontalHeader()->sortIndicatorSection(), -1);
    QCOMPARE(view.model()->connectionAt(3), 3u);
}

void TestDesktop::bigAnalysis_overviewAndHazardsStayShort() {
    // 201,000 synthetic connections carry 201 hazards of one kind; ten destinations, destination
    // i with 100 usable ports and 10 * i in use at the peak.
    const auto synthetic = testing::syntheticAnalysis(201'000);
    Analysis a = *synthetic;
    for (std::uint32_t i = 0; i < 10; ++i) {
        Exhaustion e;
        e.localIp = IpAddress::fromV4(0x0a010001u);
        e.remoteIp = IpAddress::fromV4(0x0a000002u);
        e.remotePort = std::uint16_t(8000 + i);
        e.usablePorts = 100;
        e.peakPortsInUse = 10 * i;
        a.exhaustion.push_back(e);
    }
    SelectionState selection;
    OverviewView overview(&selection);
    HazardsView hazards(&selection);
    selection.setAnalysis(std::make_shared<const Analysis>(std::move(a)));

    // The headroom card: the 8 fullest destinations (8009 at 90 % down to 8002 at 20 %), then
    // how many more there are.
    QString card;
    for (const QString& c : overview.cardTexts())
        if (c.startsWith(QStringLiteral("Ephemeral port headroom")))
            card = c;
    const QStringList lines = card.split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 1 + 8 + 1);
    QVERIFY2(lines[1].startsWith(QStringLiteral("10.0.0.2:8009 from 10.1.0.1: peak 90 of 100 ports (90.0%), headroom 10")),
             qPrintable(lines[1]));
    QVERIFY2(lines[8].startsWith(QStringLiteral("10.0.0.2:8002 from 10.1.0.1: peak 20 of 100 ports (20.0%), headroom 80")),
             qPrintable(lines[8]));
    QCOMPARE(lines[9], QStringLiteral("… and 2 more destinations (Port exhaustion view)"));

    // The hazard group of 201 stays closed until asked; its count is on its line.
    HazardTreeModel* model = hazards.model();
    QCOMPARE(model->rowCount(), 1);
    const QModelIndex group = model->index(0, 0);
    QCOMPARE(model->rowCount(group), 201);
    QCOMPARE(group.data().toString(), QStringLiteral("lost_final_ack (201)"));
    QVERIFY(!hazards.tree()->isExpanded(group));
    // Selecting one of its hazards opens it there.
    selection.selectHazard(7);
    QVERIFY(hazards.tree()->isExpanded(group));
    QCOMPARE(hazards.tree()->currentIndex().data(HazardTreeModel::HazardRole).toUInt(), 7u);

    // A short group opens by itself (the scenario's two kinds).
    selection.setAnalysis(testing::teardownScenario());
    QCOMPARE(model->rowCount(), 2);
    QVERIFY(hazards.tree()->isExpanded(model->index(0, 0)));
    QVERIFY(hazards.tree()->isExpanded(model->index(1, 0)));
}

// The main window's hooks into figure export, the report and the teaching mode: File > Export
// figure (one entry per view), File > Create report, the views' "Export figure…" context
// actions, Help > Scenarios (opens a scenario and teaches its main connection) and View > Teach
// this connection (Ctrl+T).
void TestDesktop::menus_exportReportAndTeaching() {
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    QVERIFY(openAndWait(w, {kSamplePcap}));
    auto topMenu = [&](const QString& text) -> QMenu* {
        for (QAction* a : w.menuBar()->actions())
            if (a->text() == text)
                return a->menu();
        return nullptr;
    };
    QMenu* file = topMenu(QStringLiteral("&File"));
    QVERIFY(file);
    QMenu* exportMenu = nullptr;
    for (QAction* a : file->actions())
        if (a->menu() && a->text() == QStringLiteral("Export &figure"))
            exportMenu = a->menu();
    QVERIFY(exportMenu);
    QCOMPARE(exportMenu->actions().size(), 5);
    for (QAction* a : exportMenu->actions())
        QVERIFY2(a->isEnabled(), qPrintable(a->text()));
    QAction* report = action(w, "actionCreateReport");
    QVERIFY(report);
    QCOMPARE(report->text(), QStringLiteral("Create &report…"));
    QCOMPARE(w.timeline()->actions().size(), 1);
    QCOMPARE(w.timeline()->actions().front()->text(), QStringLiteral("Export figure…"));
    QCOMPARE(w.exhaustion()->plot()->contextMenuPolicy(), Qt::ActionsContextMenu);
    QCOMPARE(w.exhaustion()->plot()->actions().size(), 1);
    QCOMPARE(w.snapshots()->plot()->actions().size(), 1);

    // Help > Scenarios > Lost final ACK: its capture opens and its connection 0 is taught.
    QMenu* help = topMenu(QStringLiteral("&Help"));
    QVERIFY(help);
    auto* scenarios = help->findChild<ScenarioMenu*>();
    QVERIFY(scenarios);
    QCOMPARE(scenarios->actions().size(), 10);
    QVERIFY(scenarios->actions().at(4)->text().contains(QStringLiteral("Lost final ACK")));
    QSignalSpy shown(&w, &MainWindow::analysisShown);
    scenarios->actions().at(4)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 60000);
    QCOMPARE(w.teaching()->stepCount(), 10);
    QCOMPARE(w.inputs().size(), 1);
    QVERIFY(w.inputs().front().endsWith(QStringLiteral("lost-final-ack.pcap")));
    QCOMPARE(w.teaching()->connection(), 0u);
    QCOMPARE(w.selection()->connection(), 0u);
    QCOMPARE(w.teaching()->currentStep(), 0);

    // View > Teach this connection restarts at the first step with its ladder row highlighted.
    w.teaching()->setStep(6);
    QAction* teach = action(w, "actionTeachConnection");
    QVERIFY(teach);
    QCOMPARE(teach->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_T));
    teach->trigger();
    QCOMPARE(w.teaching()->currentStep(), 0);
    QCOMPARE(w.teaching()->ladder()->canvas()->highlightedSegment(), 0);
}

// A scenario whose main connection (the most severe hazard's) is not the first hazard's: the
// workspace's usual opening selection (the first hazard) must not take the teaching view off it.
void TestDesktop::scenario_teachesItsMainConnection() {
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    Scenario s;
    s.id = QStringLiteral("sample");
    s.title = QStringLiteral("The sample");
    s.inputs = QStringList{kSamplePcap};
    QSignalSpy shown(&w, &MainWindow::analysisShown);
    w.openScenario(s);
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 60000);
    const auto& a = w.selection()->analysis();
    QVERIFY(a);
    // sample.pcap: the first hazard is connection 2's (lost_final_ack), the most severe #5's.
    QCOMPARE(a->hazards.front().connection, 2u);
    QCOMPARE(mainConnectionOf(*a), 5u);
    QCOMPARE(w.teaching()->connection(), 5u);
    QCOMPARE(w.selection()->connection(), 5u);
    QCOMPARE(w.teaching()->currentStep(), 0);
    QVERIFY(w.teaching()->isVisible());

    // Any later import is the workspace's usual opening again: the first hazard's connection.
    w.rerun();
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 2, 60000);
    QCOMPARE(w.selection()->connection(), 2u);
}

QTEST_MAIN(TestDesktop)
#include "tst_desktop.moc"
