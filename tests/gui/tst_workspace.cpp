// SPDX-License-Identifier: GPL-3.0-or-later
// The workspace: views linked through one SelectionState (hand-built scenario), then the real
// pipeline: the bundled sample opened through analyzeFiles in the ImportJob, cancel and stale
// results, the progress strip's delay.
#include <QLineEdit>
#include <QLocale>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTreeView>

#include "analysis_builder.h"
#include "core/presentation/ladder_rows.h"
#include "gui/app/main_window.h"
#include "gui/app/sample_files.h"
#include "gui/import/import_job.h"
#include "gui/import/progress_panel.h"
#include "gui/models/connection_proxy_model.h"
#include "gui/models/connection_table_model.h"
#include "gui/models/hazard_tree_model.h"
#include "gui/state/selection_state.h"
#include "gui/views/connections_view.h"
#include "gui/views/exhaustion_view.h"
#include "gui/views/hazards_view.h"
#include "gui/views/ladder_widget.h"
#include "gui/views/overview_view.h"
#include "gui/views/timeline_widget.h"
#include "support/private_settings.h"

using namespace twlens;

namespace {
const QString kBigCapture = QStringLiteral(TWLENS_PUBLIC_CAPTURES "/zeek-echo-connections.pcap");
const QString kSmallCapture = QStringLiteral(TWLENS_PUBLIC_CAPTURES "/zeek-http-get.pcap");

QString card(const QStringList& cards, const QString& title) {
    for (const QString& c : cards)
        if (c.startsWith(title))
            return c;
    return {};
}

std::uint32_t connectionOnPort(const Analysis& a, std::uint16_t clientPort, int nth = 0) {
    for (const Connection& c : a.connections)
        if (c.clientPort == clientPort && nth-- == 0)
            return c.id;
    return kNoIndex;
}
} // namespace

class TestWorkspace : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void linked_tableSelectsEverywhere();
    void linked_hazardFramesLadder();
    void linked_overviewFilters();
    void linked_exhaustionWhatIf();
    void progressPanel_appearsAfterDelay();
    void job_cancel();
    void job_staleResultDropped();
    void sample_opens();

private:
    testsupport::PrivateSettings settings_; // the windows remember their layout
};

void TestWorkspace::initTestCase() {
    QVERIFY(settings_.use(QStringLiteral("tst_workspace")));
}

void TestWorkspace::linked_tableSelectsEverywhere() {
    SelectionState selection;
    ConnectionsView table(&selection);
    TimelineWidget timeline(&selection);
    LadderView ladder(&selection);
    timeline.resize(800, 300);
    selection.setAnalysis(testing::teardownScenario());
    // Pick the row of connection #3 in the table (sorted by id: proxy row 3).
    const QModelIndex idx = table.proxy()->index(3, 0);
    table.table()->setCurrentIndex(idx);
    QCOMPARE(selection.connection(), 3u);
    QCOMPARE(ladder.canvas()->ladder().connection, 3u);
    QCOMPARE(ladder.canvas()->ladder().rows.size(), std::size_t(6));
    // The timeline shows and highlights it; clicking #1's row there moves the table's current row.
    const TimeMapping tm = timeline.timeMapping();
    const RowMapping rm = timeline.rowMapping();
    QTest::mouseClick(&timeline, Qt::LeftButton, {}, QPoint(int(tm.toX(testing::at(5.5))), int(rm.toY(1.25))));
    QCOMPARE(selection.connection(), 1u);
    QCOMPARE(table.table()->currentIndex().data(ConnectionTableModel::ConnectionRole).toUInt(), 1u);
    QCOMPARE(ladder.canvas()->ladder().connection, 1u);
}

void TestWorkspace::linked_hazardFramesLadder() {
    SelectionState selection;
    HazardsView hazards(&selection);
    LadderView ladder(&selection);
    ConnectionsView table(&selection);
    selection.setAnalysis(testing::teardownScenario());
    // The lost_final_ack hazard (index 0) sits in the second group.
    const QModelIndex h = hazards.model()->indexOfHazard(0);
    hazards.tree()->setCurrentIndex(h);
    QCOMPARE(selection.hazard(), 0u);
    QCOMPARE(selection.connection(), 0u);
    QCOMPARE(ladder.canvas()->ladder().connection, 0u);
    QCOMPARE(ladder.canvas()->rowOfHazard(0), 8); // the retransmitted FIN
    QCOMPARE(table.table()->currentIndex().data(ConnectionTableModel::ConnectionRole).toUInt(), 0u);
    QVERIFY(hazards.explanation().contains(QStringLiteral("Lost final ACK")));
    QVERIFY(hazards.explanation().contains(QStringLiteral("restarts the 60 s TIME-WAIT timer")));
}

void TestWorkspace::linked_overviewFilters() {
    SelectionState selection;
    OverviewView overview(&selection);
    ConnectionsView table(&selection);
    selection.setAnalysis(testing::teardownScenario());
    const QStringList cards = overview.cardTexts();
    QCOMPARE(cards.value(0).section(QLatin1Char('\n'), 0, 0), QStringLiteral("4 connections"));
    QVERIFY(card(cards, QStringLiteral("Who closed first")).contains(QStringLiteral("client 2 · server 1 · both 0 · none 1")));
    QVERIFY(card(cards, QStringLiteral("TIME-WAIT")).contains(QStringLiteral("Peak: 2 open at once")));
    QVERIFY(card(cards, QStringLiteral("Teardown trouble")).startsWith(QStringLiteral("Teardown trouble\nLost final ACKs: 1")));
    overview.activateLink(QStringLiteral("filter:closer:client"));
    QCOMPARE(table.filterEdit()->text(), QStringLiteral("closer:client"));
    QCOMPARE(table.proxy()->rowCount(), 2);
    overview.activateLink(QStringLiteral("filter:is:lost-final-ack"));
    QCOMPARE(table.proxy()->rowCount(), 1);
    QCOMPARE(table.proxy()->index(0, 0).data(ConnectionTableModel::ConnectionRole).toUInt(), 0u);
}

void TestWorkspace::linked_exhaustionWhatIf() {
    SelectionState selection;
    ExhaustionView view(&selection);
    selection.setAnalysis(testing::teardownScenario());
    QVERIFY(!view.projection());
    WhatIfParameters p = view.parameters();
    QCOMPARE(p.portLow, 32768);
    QCOMPARE(p.portHigh, 60999);
    p.portLow = 60000; // 1,000 ports
    view.setParameters(p);
    QVERIFY(view.projection().has_value());
    QCOMPARE(view.projection()->usablePorts, 1000u);
    QVERIFY(view.statusText().startsWith(QStringLiteral("What-if")));
}

void TestWorkspace::progressPanel_appearsAfterDelay() {
    QWidget host;
    ProgressPanel panel(&host);
    host.show();
    panel.begin(QStringLiteral("x.pcap"));
    QVERIFY(panel.isHidden());
    QTest::qWait(ProgressPanel::kShowDelayMs / 3);
    QVERIFY(panel.isHidden());
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isHidden(), 2000);
    ImportProgress p;
    p.inputCount = 1;
    p.bytesDone = 512 * 1024;
    p.bytesTotal = 1024 * 1024;
    p.packets = 1234;
    p.connections = 56;
    panel.update(p);
    QVERIFY(panel.text().contains(QLocale().toString(1234) + QStringLiteral(" packets")));
    QVERIFY(panel.text().contains(QStringLiteral("56 connections")));
    panel.end();
    QVERIFY(panel.isHidden());
}

void TestWorkspace::job_cancel() {
    ImportJob job;
    QSignalSpy finished(&job, &ImportJob::finished);
    QSignalSpy cancelled(&job, &ImportJob::cancelled);
    const quint64 id = job.start({kBigCapture}, {});
    job.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 30000);
    QCOMPARE(cancelled.at(0).at(0).toULongLong(), id);
    QTest::qWait(50);
    QCOMPARE(finished.size(), 0);
    QVERIFY(!job.isRunning());
}

void TestWorkspace::job_staleResultDropped() {
    ImportJob job;
    QSignalSpy finished(&job, &ImportJob::finished);
    QSignalSpy cancelled(&job, &ImportJob::cancelled);
    const quint64 first = job.start({kBigCapture}, {});
    const quint64 second = job.start({kSmallCapture}, {});
    QVERIFY(second > first);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QTest::qWait(200);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(cancelled.size(), 0);
    QCOMPARE(finished.at(0).at(0).toULongLong(), second);
    const auto a = finished.at(0).at(1).value<std::shared_ptr<const ViewData>>()->analysis;
    QCOMPARE(a->connections.size(), std::size_t(1)); // zeek-http-get: one HTTP GET
}

void TestWorkspace::sample_opens() {
    QVERIFY(!sampleFiles().isEmpty());
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QSignalSpy shown(&window, &MainWindow::analysisShown);
    QVERIFY(window.openSample());
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 60000);
    const auto a = window.selection()->analysis();
    QVERIFY(a);
    // resources/samples/README.md: 17 connections from 127.1.0.1 to 127.1.0.2:8080, all closed by
    // the client first; connection on port 41004 lost its final ACK once; port 41000 was
    // assassinated in TIME_WAIT and reopened by the very next connect().
    QCOMPARE(a->connections.size(), std::size_t(17));
    QCOMPARE(window.connections()->model()->rowCount(), 17);
    QCOMPARE(window.connections()->proxy()->rowCount(), 17);
    const QStringList cards = window.overview()->cardTexts();
    QCOMPARE(cards.value(0).section(QLatin1Char('\n'), 0, 0), QStringLiteral("17 connections"));
    const QString closers = card(cards, QStringLiteral("Who closed first"));
    QVERIFY2(closers.contains(QStringLiteral("client 17 · server 0 · both 0 · none 0")), qPrintable(closers));
    const QString trouble = card(cards, QStringLiteral("Teardown trouble"));
    QVERIFY2(trouble.contains(QStringLiteral("Lost final ACKs: 1 ")), qPrintable(trouble));
    QVERIFY(card(cards, QStringLiteral("TIME-WAIT")).contains(QStringLiteral("Peak: 16 open at once")));
    QVERIFY(card(cards, QStringLiteral("Ephemeral port headroom")).contains(QStringLiteral("peak 16 of 16 ports (100.0%), headroom 0")));

    const std::uint32_t lost = connectionOnPort(*a, 41004);
    QVERIFY(lost != kNoIndex);
    QVERIFY(a->connections[lost].has(Connection::LostFinalAck));
    window.selection()->selectConnection(lost);
    const Ladder& L = window.ladder()->canvas()->ladder();
    QCOMPARE(L.connection, lost);
    int finsFromServer = 0, retransmitted = 0, timeWaitEntries = 0;
    TimeNs lastClientAck = 0;
    for (const LadderRow& r : L.rows) {
        if (r.kind == LadderRow::Kind::Segment && r.from == Side::Client && (r.flags & 0x10))
            lastClientAck = r.ts;
        if (r.kind == LadderRow::Kind::Segment && r.from == Side::Server && (r.flags & 0x01))
            ++finsFromServer;
        if (r.meta & ControlSegment::Retransmission)
            ++retransmitted;
        if (r.enters[0] == TcpState::TimeWait)
            ++timeWaitEntries;
    }
    QCOMPARE(finsFromServer, 2);   // the FIN and its retransmission
    QVERIFY(retransmitted >= 1);
    QCOMPARE(timeWaitEntries, 1);
    QCOMPARE(L.timeWaits.size(), std::size_t(1));
    QCOMPARE(L.timeWaits[0].side, Side::Client);
    // The re-ACK of the retransmitted FIN restarts the timer: the window counts from it.
    QCOMPARE(L.timeWaits[0].start, lastClientAck);

    // Port 41000: the assassinated connection and its successor share a timeline row.
    const std::uint32_t first41000 = connectionOnPort(*a, 41000, 0);
    const std::uint32_t second41000 = connectionOnPort(*a, 41000, 1);
    QVERIFY(first41000 != kNoIndex && second41000 != kNoIndex);
    QCOMPARE(window.timeline()->rows().rowOf(first41000), window.timeline()->rows().rowOf(second41000));
    const Connection& assassinated = a->connections[first41000];
    QCOMPARE(int(assassinated.timeWaitCount), 1);
    QCOMPARE(assassinated.timeWait[0].reason, TimeWaitEnd::Rst);
    window.connections()->filterEdit()->setText(QStringLiteral("41000"));
    QCOMPARE(window.connections()->proxy()->rowCount(), 2);
}

QTEST_MAIN(TestWorkspace)
#include "tst_workspace.moc"
