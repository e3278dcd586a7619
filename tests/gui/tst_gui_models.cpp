// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI's item models over the hand-built scenario (analysis_builder.cpp), each under
// QAbstractItemModelTester, with exact cell values, filtering, sorting and CSV copy.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QTableView>
#include <QTest>

#include "analysis_builder.h"
#include "core/output/csv_writer.h"
#include "gui/models/connection_proxy_model.h"
#include "gui/models/connection_table_model.h"
#include "gui/models/hazard_tree_model.h"
#include "gui/state/selection_state.h"
#include "gui/views/connections_csv.h"
#include "gui/views/connections_view.h"

using namespace twlens;

class TestGuiModels : public QObject {
    Q_OBJECT
private slots:
    void tableModel_tester();
    void tableModel_cells_data();
    void tableModel_cells();
    void proxy_filter_data();
    void proxy_filter();
    void proxy_sort();
    void proxy_stopsFollowing();
    void hazardModel_tester();
    void hazardModel_groups();
    void csv_pickedRecords();
    void connectionsView_copyCsv();
};

void TestGuiModels::tableModel_tester() {
    ConnectionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setAnalysis(testing::teardownScenario());
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.columnCount(), int(ConnectionTableModel::ColumnCount));
    model.setAnalysis(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestGuiModels::tableModel_cells_data() {
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("text");
    using M = ConnectionTableModel;
    QTest::newRow("client") << 0 << int(M::Client) << "10.0.0.1:40000";
    QTest::newRow("server") << 0 << int(M::Server) << "10.0.0.2:80";
    QTest::newRow("start") << 0 << int(M::Start) << "1.000000";
    QTest::newRow("duration") << 0 << int(M::Duration) << "1.300500";
    QTest::newRow("closer") << 0 << int(M::ActiveCloser) << "client";
    QTest::newRow("close") << 1 << int(M::CloseKind) << "rst";
    QTest::newRow("tw side") << 2 << int(M::TimeWaitSide) << "server";
    QTest::newRow("tw end") << 0 << int(M::TimeWaitEnd) << "reused";
    QTest::newRow("tw length") << 2 << int(M::TimeWaitLength) << "60.000000";
    QTest::newRow("fin retx") << 0 << int(M::FinRetransmissions) << "1";
    QTest::newRow("lost ack") << 0 << int(M::LostFinalAck) << "yes";
    QTest::newRow("no lost ack") << 1 << int(M::LostFinalAck) << "";
    QTest::newRow("reuse gap") << 2 << int(M::ReuseGap) << "27.699500";
    QTest::newRow("hazards") << 2 << int(M::Hazards) << "reuse_within_time_wait";
    QTest::newRow("packets") << 1 << int(M::Packets) << "4";
}

void TestGuiModels::tableModel_cells() {
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(QString, text);
    ConnectionTableModel model;
    model.setAnalysis(testing::teardownScenario());
    QCOMPARE(model.index(row, column).data().toString(), text);
    QCOMPARE(model.index(row, column).data(ConnectionTableModel::ConnectionRole).toUInt(), std::uint32_t(row));
}

void TestGuiModels::proxy_filter_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("ids");
    QTest::newRow("none") << "" << QList<int>{0, 1, 2, 3};
    QTest::newRow("closer") << "closer:client" << QList<int>{0, 3};
    QTest::newRow("hazard") << "hazard:reuse_within_time_wait" << QList<int>{2};
    QTest::newRow("address and port") << "10.0.0.1 80" << QList<int>{0, 2};
    QTest::newRow("nothing") << "10.9.9.9" << QList<int>{};
}

void TestGuiModels::proxy_filter() {
    QFETCH(QString, text);
    QFETCH(QList<int>, ids);
    ConnectionTableModel model;
    ConnectionProxyModel proxy(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setAnalysis(testing::teardownScenario());
    proxy.sort(ConnectionTableModel::Id);
    proxy.setFilterText(text);
    QList<int> got;
    for (int r = 0; r < proxy.rowCount(); ++r)
        got << int(proxy.index(r, 0).data(ConnectionTableModel::ConnectionRole).toUInt());
    QCOMPARE(got, ids);
}

// A proxy that stops following the selection's filter filters by its own text again.
void TestGuiModels::proxy_stopsFollowing() {
    SelectionState selection;
    ConnectionTableModel model;
    ConnectionProxyModel proxy(&model);
    proxy.followFilter(&selection);
    selection.setAnalysis(testing::teardownScenario());
    model.setAnalysis(selection.analysis());
    selection.setFilterText(QStringLiteral("closer:none"));
    proxy.selectionFilterChanged();
    QCOMPARE(proxy.rowCount(), int(selection.passingCount()));
    proxy.followFilter(nullptr);
    QCOMPARE(proxy.rowCount(), 4);
    proxy.setFilterText(QStringLiteral("10.0.0.1"));
    QCOMPARE(proxy.rowCount(), 2); // #0 and #2 share 10.0.0.1:40000
}

void TestGuiModels::proxy_sort() {
    ConnectionTableModel model;
    ConnectionProxyModel proxy(&model);
    model.setAnalysis(testing::teardownScenario());
    auto order = [&] {
        QList<int> ids;
        for (int r = 0; r < proxy.rowCount(); ++r)
            ids << int(proxy.index(r, 0).data(ConnectionTableModel::ConnectionRole).toUInt());
        return ids;
    };
    proxy.sort(ConnectionTableModel::Duration, Qt::DescendingOrder);
    // Durations: #0 1.3005 s, #1 1.0 s, #2 1.2 s, #3 10.2 s.
    QCOMPARE(order(), (QList<int>{3, 0, 2, 1}));
    proxy.sort(ConnectionTableModel::Client, Qt::AscendingOrder);
    // 10.0.0.1:40000 (#0, #2 kept in id order), 10.0.0.3, 10.0.0.4.
    QCOMPARE(order(), (QList<int>{0, 2, 1, 3}));
}

void TestGuiModels::hazardModel_tester() {
    HazardTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setAnalysis(testing::teardownScenario());
    QCOMPARE(model.rowCount(), 2);
    model.setAnalysis(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestGuiModels::hazardModel_groups() {
    HazardTreeModel model;
    model.setAnalysis(testing::teardownScenario());
    const QModelIndex g0 = model.index(0, 0);
    QCOMPARE(g0.data().toString(), QStringLiteral("reuse_within_time_wait (1)"));
    QCOMPARE(model.index(0, HazardTreeModel::Severity).data().toString(), QStringLiteral("critical"));
    QCOMPARE(model.rowCount(g0), 1);
    const QModelIndex h = model.index(0, 0, g0);
    QCOMPARE(h.data(HazardTreeModel::HazardRole).toUInt(), 1u);
    QCOMPARE(model.index(0, HazardTreeModel::Connection, g0).data().toString(), QStringLiteral("#2"));
    QCOMPARE(model.index(0, HazardTreeModel::Time, g0).data().toString(), QStringLiteral("+30.000000 s"));
    QCOMPARE(model.index(0, HazardTreeModel::Reference, g0).data().toString(),
             QStringLiteral("RFC 6191; Linux tcp_timewait_state_process"));
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("lost_final_ack (1)"));
    QCOMPARE(model.indexOfHazard(0), model.index(0, 0, model.index(1, 0)));
}

void TestGuiModels::csv_pickedRecords() {
    const auto a = testing::teardownScenario();
    const QString csv = connectionsCsv(*a, {3, 1});
    const QStringList lines = csv.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QString::fromLatin1(csvHeader().data(), qsizetype(csvHeader().size())));
    // The first field of each record is the connection id (cli-json "id").
    QCOMPARE(lines[1].section(QLatin1Char(','), 0, 0), QStringLiteral("3"));
    QCOMPARE(lines[2].section(QLatin1Char(','), 0, 0), QStringLiteral("1"));
}

void TestGuiModels::connectionsView_copyCsv() {
    SelectionState selection;
    ConnectionsView view(&selection);
    selection.setAnalysis(testing::teardownScenario());
    selection.setFilterText(QStringLiteral("closer:client"));
    QCOMPARE(view.proxy()->rowCount(), 2);
    view.copyCsv(false);
    const QStringList lines = QApplication::clipboard()->text().split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[1].section(QLatin1Char(','), 0, 0), QStringLiteral("0"));
    QCOMPARE(lines[2].section(QLatin1Char(','), 0, 0), QStringLiteral("3"));
}

QTEST_MAIN(TestGuiModels)
#include "tst_gui_models.moc"
