// SPDX-License-Identifier: GPL-3.0-or-later
// The timeline: time <-> pixel and row <-> y mappings headless (hotspot tst_timelinedelegate
// style), hit-testing on the scenario, and what the painter puts in a few pixels.
#include <QFontMetricsF>
#include <QImage>
#include <QLineEdit>
#include <QPainter>
#include <QTest>

#include "analysis_builder.h"
#include "gui/models/connection_proxy_model.h"
#include "gui/state/selection_state.h"
#include "gui/views/connections_view.h"
#include "gui/views/state_colors.h"
#include "gui/views/time_mapping.h"
#include "gui/views/timeline_painter.h"
#include "gui/views/timeline_widget.h"

using namespace twlens;
using twlens::testing::at;

class TestTimeline : public QObject {
    Q_OBJECT
private slots:
    void timeToPixel_data();
    void timeToPixel();
    void zoomKeepsPivot();
    void panShiftsByPixels();
    void rowMapping();
    void tickStep_data();
    void tickStep();
    void axisTicks_lastLabelInside();
    void axisTicks_crowdedLabelLeftOut();
    void hitTest_data();
    void hitTest();
    void widget_followsSelection();
    void painter_detailedPixels();
    void painter_densityPixels();
    void widget_followsTableFilter();
    void painter_densityFiltered();
};

void TestTimeline::timeToPixel_data() {
    QTest::addColumn<double>("seconds");
    QTest::addColumn<double>("x");
    // 0 .. 100 s over 1000 px starting at x = 50: 10 px per second.
    QTest::newRow("start") << 0.0 << 50.0;
    QTest::newRow("middle") << 50.0 << 550.0;
    QTest::newRow("end") << 100.0 << 1050.0;
    QTest::newRow("fraction") << 2.3005 << 73.005;
    QTest::newRow("before") << -1.0 << 40.0;
}

void TestTimeline::timeToPixel() {
    QFETCH(double, seconds);
    QFETCH(double, x);
    const TimeMapping m(at(0), at(100), 50, 1000);
    QCOMPARE(m.nsPerPixel(), 1e8);
    QVERIFY(qAbs(m.toX(at(seconds)) - x) < 1e-6);
    QCOMPARE(m.toTime(x), at(seconds));
}

void TestTimeline::zoomKeepsPivot() {
    const TimeMapping m(at(0), at(100), 0, 1000);
    const TimeMapping z = m.zoomedAt(250, 2.0);
    QCOMPARE(z.toTime(250), at(25));
    QCOMPARE(z.from(), at(12.5));
    QCOMPARE(z.to(), at(62.5));
    const TimeMapping back = z.zoomedAt(250, 0.5);
    QCOMPARE(back.from(), at(0));
    QCOMPARE(back.to(), at(100));
}

void TestTimeline::panShiftsByPixels() {
    const TimeMapping m(at(0), at(100), 0, 1000);
    const TimeMapping p = m.panned(100); // drag right by 100 px: earlier times come into view
    QCOMPARE(p.from(), at(-10));
    QCOMPARE(p.to(), at(90));
    QCOMPARE(m.column(at(100)), 999);
    QCOMPARE(m.column(at(-5)), 0);
    QCOMPARE(m.column(at(55.55)), 555);
}

void TestTimeline::rowMapping() {
    const RowMapping r(10.0, 20.0, 26.0, 100);
    QCOMPARE(r.toY(10.0), 26.0);
    QCOMPARE(r.toY(12.5), 76.0);
    QCOMPARE(r.rowAt(26.0), 10LL);
    QCOMPARE(r.rowAt(45.9), 10LL);
    QCOMPARE(r.rowAt(46.0), 11LL);
    QCOMPARE(r.rowAt(20.0), -1LL);                   // above the rows (the axis)
    QCOMPARE(r.rowAt(26.0 + 90 * 20.0), -1LL);       // past the last row
    QCOMPARE(r.visibleRows(200.0), (std::pair<std::size_t, std::size_t>{10, 20}));
    // Below a pixel per row (density): 100 rows in 25 px.
    const RowMapping dense(0.0, 0.25, 0.0, 100);
    QCOMPARE(dense.rowAt(10.0), 40LL);
    QCOMPARE(dense.visibleRows(25.0), (std::pair<std::size_t, std::size_t>{0, 100}));
}

void TestTimeline::tickStep_data() {
    QTest::addColumn<double>("nsPerPixel");
    QTest::addColumn<qint64>("step");
    QTest::newRow("1 ms/px") << 1e6 << qint64(200 * kNsPerMs);
    QTest::newRow("0.1 s/px") << 1e8 << qint64(20 * kNsPerSecond);
    QTest::newRow("1 us/px") << 1e3 << qint64(200 * kNsPerUs);
    QTest::newRow("exact") << 1e6 / 110.0 * 500.0 << qint64(500 * kNsPerMs);
}

void TestTimeline::tickStep() {
    QFETCH(double, nsPerPixel);
    QFETCH(qint64, step);
    QCOMPARE(TimelinePainter::tickStep(nsPerPixel, 110), step);
}

void TestTimeline::axisTicks_lastLabelInside() {
    // 0 .. 61 s over 600 px: ticks every 20 s, the last (+60 s) 10 px from the right edge, where
    // its label, started right of the tick, would run past the edge (the figure of sample.pcap).
    const QRectF area(0, 0, 600, 26);
    const TimeMapping tm(at(0), at(61), area.left(), area.width());
    const QFontMetricsF metrics(QFont{});
    const auto ticks = TimelinePainter::axisTicks(area, tm, at(0), true, metrics);
    QCOMPARE(ticks.size(), std::size_t(4));
    const QStringList expected{QStringLiteral("+0 s"), QStringLiteral("+20 s"), QStringLiteral("+40 s"), QStringLiteral("+60 s")};
    for (std::size_t i = 0; i < ticks.size(); ++i) {
        QCOMPARE(ticks[i].label, expected[qsizetype(i)]);
        QCOMPARE(ticks[i].x, tm.toX(at(20.0 * double(i))));
        QVERIFY(area.contains(ticks[i].labelRect));
        QCOMPARE(ticks[i].labelRect.width(), std::ceil(metrics.horizontalAdvance(expected[qsizetype(i)])));
    }
    // The first three start 3 px right of their tick; the last ends 3 px inside the right edge.
    for (std::size_t i = 0; i < 3; ++i)
        QCOMPARE(ticks[i].labelRect.left(), ticks[i].x + 3);
    QVERIFY(ticks[3].x + 3 + ticks[3].labelRect.width() > area.right());
    QCOMPARE(ticks[3].labelRect.right(), area.right() - 3);
    QVERIFY(ticks[3].labelRect.left() >= ticks[2].labelRect.right() + TimelinePainter::kAxisLabelGap);
}

void TestTimeline::axisTicks_crowdedLabelLeftOut() {
    // 0 .. 100 s over 1100 px: a tick every 10 s, 110 px apart, the last on the right edge. In a
    // 30 px font "+100 s" pulled inside the edge would cover "+90 s": it is left out, its tick stays.
    const QRectF area(0, 0, 1100, 60);
    const TimeMapping tm(at(0), at(100), area.left(), area.width());
    QFont big;
    big.setPixelSize(30);
    const auto ticks = TimelinePainter::axisTicks(area, tm, at(0), true, QFontMetricsF(big));
    QCOMPARE(ticks.size(), std::size_t(11));
    QCOMPARE(ticks.back().x, area.right());
    QVERIFY(ticks.back().label.isEmpty());
    QVERIFY(ticks.back().labelRect.isNull());
    QCOMPARE(ticks[9].label, QStringLiteral("+90 s"));
    QCOMPARE(ticks[9].labelRect.left(), ticks[9].x + 3);
    QVERIFY(area.contains(ticks[9].labelRect));
}

void TestTimeline::hitTest_data() {
    QTest::addColumn<double>("seconds");
    QTest::addColumn<double>("rowFraction");
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("connection");
    QTest::addColumn<int>("side");
    QTest::addColumn<int>("state");
    // Rows: 0 = 10.0.0.1:40000 (#0 then #2), 1 = #1, 2 = #3. Upper half client, lower half server.
    QTest::newRow("#0 client established") << 1.5 << 0.25 << 0 << 0 << 0 << int(TcpState::Established);
    QTest::newRow("#0 client TIME_WAIT") << 20.0 << 0.25 << 0 << 0 << 0 << int(TcpState::TimeWait);
    QTest::newRow("#2 server TIME_WAIT") << 60.0 << 0.75 << 0 << 2 << 1 << int(TcpState::TimeWait);
    QTest::newRow("#2 client close wait") << 31.05 << 0.25 << 0 << 2 << 0 << int(TcpState::CloseWait);
    QTest::newRow("#1 nothing after RST") << 50.0 << 0.25 << 1 << int(kNoIndex) << 0 << int(TcpState::None);
    QTest::newRow("#3 TIME_WAIT past the end") << 120.0 << 0.25 << 2 << 3 << 0 << int(TcpState::TimeWait);
}

void TestTimeline::hitTest() {
    QFETCH(double, seconds);
    QFETCH(double, rowFraction);
    QFETCH(int, row);
    QFETCH(int, connection);
    QFETCH(int, side);
    QFETCH(int, state);
    const auto a = testing::teardownScenario();
    const TupleRows rows(*a);
    const TimelineScene scene{a.get(), &rows, at(100), kNoIndex};
    const TimeMapping tm(at(0), at(150), 0, 1500); // 10 px per second
    const RowMapping rm(0, 20, 26, rows.rowCount());
    const TimelineHit hit = TimelinePainter::hitTest(tm.toX(at(seconds)), rm.toY(row + rowFraction), scene, tm, rm);
    QCOMPARE(hit.row, static_cast<long long>(row));
    QCOMPARE(int(hit.connection), connection);
    if (connection != int(kNoIndex)) {
        QCOMPARE(int(hit.side), side);
        QCOMPARE(int(hit.state), state);
    }
    QCOMPARE(hit.time, at(seconds));
}

void TestTimeline::widget_followsSelection() {
    SelectionState selection;
    TimelineWidget w(&selection);
    w.resize(1026, 300);
    selection.setAnalysis(testing::teardownScenario());
    // The full range covers the capture and the TIME_WAIT past its end.
    QCOMPARE(selection.timeRange().from, at(0));
    QCOMPARE(selection.timeRange().to, at(140.2));
    QCOMPARE(w.rows().rowCount(), std::size_t(3));
    // Click on #3's row at 75 s selects it.
    const TimeMapping tm = w.timeMapping();
    const RowMapping rm = w.rowMapping();
    const QPoint p(int(tm.toX(at(75))), int(rm.toY(2.25)));
    QTest::mouseClick(&w, Qt::LeftButton, {}, p);
    QCOMPARE(selection.connection(), 3u);
    // Keys: + zooms in around the centre, F fits again.
    QTest::keyClick(&w, Qt::Key_Plus);
    QVERIFY(selection.timeRange().to - selection.timeRange().from < at(140.2) - at(0));
    QTest::keyClick(&w, Qt::Key_F);
    QCOMPARE(selection.timeRange().from, at(0));
    QCOMPARE(selection.timeRange().to, at(140.2));
}

void TestTimeline::painter_detailedPixels() {
    const auto a = testing::teardownScenario();
    const TupleRows rows(*a);
    const TimelineScene scene{a.get(), &rows, at(100), kNoIndex};
    QImage img(1500, 100, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::white);
    QPalette pal;
    pal.setColor(QPalette::Base, Qt::white);
    pal.setColor(QPalette::WindowText, Qt::black);
    const StateColors colors(pal);
    {
        QPainter p(&img);
        TimelinePainter painter;
        painter.paint(p, QRectF(0, 0, 1500, 100), scene, TimeMapping(at(0), at(150), 0, 1500), RowMapping(0, 20, 0, 3), colors);
    }
    // Row 0 (y 1..19): client half at 20 s is TIME_WAIT; server half at 60 s (#2) too.
    QCOMPARE(img.pixelColor(200, 5), colors.state(TcpState::TimeWait));
    QCOMPARE(img.pixelColor(600, 15), colors.state(TcpState::TimeWait));
    // Row 2 client half at 75 s: ESTABLISHED; at 120 s past the capture's end: hatched, not solid.
    QCOMPARE(img.pixelColor(750, 45), colors.state(TcpState::Established));
    QVERIFY(img.pixelColor(1200, 45) != colors.state(TcpState::TimeWait) || img.pixelColor(1201, 45) != colors.state(TcpState::TimeWait));
    // Nothing but the row stripe in row 1 long after the RST.
    QCOMPARE(img.pixelColor(900, 25), img.pixelColor(1450, 25));
    QVERIFY(img.pixelColor(900, 25) != colors.state(TcpState::Established));
}

namespace {
// Each channel within 2 of `want` (the density pass blends, so exact values drift by rounding).
bool near(QColor got, QColor want) {
    return qAbs(got.red() - want.red()) <= 2 && qAbs(got.green() - want.green()) <= 2 && qAbs(got.blue() - want.blue()) <= 2;
}
// What a fill of `c` at `opacity` over `base` gives, per channel.
bool blendedOver(QColor got, QColor base, QColor c, double opacity) {
    auto ch = [&](int b, int f) { return b * (1 - opacity) + f * opacity; };
    return qAbs(got.red() - ch(base.red(), c.red())) <= 2 && qAbs(got.green() - ch(base.green(), c.green())) <= 2 &&
           qAbs(got.blue() - ch(base.blue(), c.blue())) <= 2;
}
// The density pictures: 2000 rows in 100 px (20 rows per pixel row, aggregated), 0..64 s in 640 px.
QImage paintDensity(const TimelineScene& scene, const StateColors& colors) {
    QImage img(640, 100, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::transparent);
    QPainter p(&img);
    TimelinePainter().paint(p, QRectF(0, 0, 640, 100), scene, TimeMapping(at(0), at(64), 0, 640), RowMapping(0, 0.05, 0, 2000), colors);
    return img;
}
} // namespace

void TestTimeline::painter_densityPixels() {
    const auto a = testing::syntheticAnalysis(2000); // 4 s of connections, TIME_WAIT until ~64 s
    const TupleRows rows(*a);
    const TimelineScene scene{a.get(), &rows, at(5), kNoIndex};
    const StateColors colors{QPalette()};
    const QImage img = paintDensity(scene, colors);
    // At 30 s every connection of the first pixel row is in TIME_WAIT: the TIME_WAIT hue.
    const QColor px = img.pixelColor(300, 0);
    QVERIFY(px.alpha() > 0);
    QVERIFY(near(px, colors.timeWait()));
    // Row 0's connections started at 0 .. 0.038 s, so their windows ended by 60.088 s: empty at 62 s.
    QCOMPARE(img.pixelColor(620, 0).alpha(), 0);
}

void TestTimeline::widget_followsTableFilter() {
    SelectionState selection;
    ConnectionsView table(&selection);
    TimelineWidget w(&selection);
    QPalette pal = w.palette();
    pal.setColor(QPalette::Base, Qt::white);
    pal.setColor(QPalette::WindowText, Qt::black);
    w.setPalette(pal);
    w.resize(1026, 300);
    selection.setAnalysis(testing::teardownScenario());
    const StateColors colors(w.palette());
    const TimeMapping tm = w.timeMapping();
    const RowMapping rm = w.rowMapping();
    // Row 0, client half at 20 s: #0 in TIME_WAIT; row 2 client half at 75 s: #3 ESTABLISHED.
    const QPoint tw0(int(tm.toX(at(20))), int(rm.toY(0.25)));
    const QPoint est3(int(tm.toX(at(75))), int(rm.toY(2.25)));
    QImage img = w.grab().toImage();
    QCOMPARE(img.pixelColor(tw0), colors.timeWait());
    QCOMPARE(img.pixelColor(est3), colors.state(TcpState::Established));

    // Typing in the table's filter box: only #3 (client 10.0.0.4) passes.
    table.filterEdit()->setText(QStringLiteral("client:10.0.0.4"));
    QCOMPARE(table.proxy()->rowCount(), 1);
    QCOMPARE(selection.passingCount(), std::size_t(1));
    QVERIFY(selection.passesFilter(3));
    QVERIFY(!selection.passesFilter(0));
    img = w.grab().toImage();
    // #3 keeps its colours; #0 is dimmed over the base to kFilteredOpacity.
    QCOMPARE(img.pixelColor(est3), colors.state(TcpState::Established));
    const QColor dimmed = img.pixelColor(tw0);
    QVERIFY2(blendedOver(dimmed, Qt::white, colors.timeWait(), TimelinePainter::kFilteredOpacity), qPrintable(dimmed.name() + QStringLiteral(" from ") + colors.timeWait().name()));

    // A selected connection stays in full colour even when it fails the filter.
    selection.selectConnection(0);
    img = w.grab().toImage();
    QCOMPARE(img.pixelColor(tw0), colors.timeWait());

    // Clearing the filter restores every colour.
    table.filterEdit()->clear();
    selection.selectConnection(3);
    QVERIFY(!selection.filterPasses());
    img = w.grab().toImage();
    QCOMPARE(img.pixelColor(tw0), colors.timeWait());
}

void TestTimeline::painter_densityFiltered() {
    // 2000 connections, 20 per pixel row; the filter keeps client ports 32768..32777 (the first ten).
    SelectionState selection;
    selection.setAnalysis(testing::syntheticAnalysis(2000));
    std::vector<std::uint8_t> passes(2000, 0);
    for (std::size_t i = 0; i < 10; ++i)
        passes[i] = 1;
    const auto& a = selection.analysis();
    const TupleRows& rows = selection.viewData().rows;
    const TimelineScene scene{a.get(), &rows, at(5), kNoIndex, &passes};
    const StateColors colors{QPalette()};
    const QImage img = paintDensity(scene, colors);
    // Pixel row 0 holds rows 0..19: ten pass, in TIME_WAIT at 30 s (the TIME_WAIT hue).
    QVERIFY(near(img.pixelColor(300, 0), colors.timeWait()));
    // Pixel row 50 (rows 1000..1019) has none that pass: the faint grey of filtered-out load.
    QColor dim = colors.mutedText();
    dim.setAlphaF(float(TimelinePainter::kFilteredOpacity));
    const QColor got = img.pixelColor(300, 50);
    QCOMPARE(got.alpha(), dim.alpha());
    QVERIFY2(near(got, dim), qPrintable(got.name()));
}

QTEST_MAIN(TestTimeline)
#include "tst_timeline.moc"
