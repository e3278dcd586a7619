// SPDX-License-Identifier: GPL-3.0-or-later
// The arithmetic of the exhaustion model: usable ports, the port sweep, rates, trends, the
// tcp_tw_reuse rules, the sustainable rate and the what-if projection. Exact values throughout.
#include <QtTest>

#include "analysis_builder.h"
#include "core/exhaustion/connection_rate.h"
#include "core/exhaustion/linear_trend.h"
#include "core/exhaustion/port_budget.h"
#include "core/exhaustion/port_sweep.h"
#include "core/exhaustion/reuse_rules.h"
#include "core/exhaustion/what_if.h"

using namespace twlens;
using namespace twlens::test;

namespace {

std::vector<TimeNs> times(std::initializer_list<double> seconds) {
    std::vector<TimeNs> out;
    for (double s : seconds)
        out.push_back(at(s));
    return out;
}

Settings twentyPorts() {
    Settings s;
    s.portLow.value = 41000;
    s.portHigh.value = 41019;
    s.twReuse.value = 0;
    return s;
}

// A destination measured from a capture: 10 new connections/s from t = 0.
Exhaustion capturedAtTenPerSecond(const char* local = "10.0.0.1", const char* remote = "10.0.0.2") {
    Exhaustion m;
    m.localIp = ip(local);
    m.remoteIp = ip(remote);
    m.remotePort = 80;
    m.sources = Exhaustion::FromCapture;
    m.timestampsSeen = true;
    m.newConnectionsPerSecondPeak = 10.0;
    m.newConnectionsPerSecondPeak1s = 12.0;
    m.peakRateStart = at(0);
    m.firstSeen = at(0);
    m.exhaustedAt = at(2);
    m.series = {{at(0), 1, 0}, {at(2), 20, 19}};
    return m;
}

} // namespace

class TestExhaustionMath : public QObject {
    Q_OBJECT
private slots:
    void portBudget_data() {
        QTest::addColumn<int>("low");
        QTest::addColumn<int>("high");
        QTest::addColumn<QString>("reserved");
        QTest::addColumn<uint>("usable");
        QTest::addColumn<uint>("reservedInRange");
        QTest::addColumn<int>("problems");
        QTest::newRow("linux default") << 32768 << 60999 << "" << 28232u << 0u << 0;
        QTest::newRow("20 ports") << 41000 << 41019 << "" << 20u << 0u << 0;
        QTest::newRow("reserved outside the range") << 32768 << 60999 << "1000,2000-2100" << 28232u << 0u << 0;
        QTest::newRow("reserved inside a wide range") << 1024 << 65535 << "1000,2000-2100" << 64411u << 101u << 0;
        QTest::newRow("overlapping items count once") << 40000 << 40099 << "40010-40019, 40015-40024 ,40099" << 84u << 16u << 0;
        QTest::newRow("item straddling the low end") << 40000 << 40009 << "39990-40004" << 5u << 5u << 0;
        QTest::newRow("unreadable items skipped") << 40000 << 40009 << "abc,40000,5-3,70000" << 9u << 1u << 3;
        QTest::newRow("blank") << 40000 << 40009 << " \n" << 10u << 0u << 0;
        QTest::newRow("inverted range") << 50000 << 40000 << "" << 0u << 0u << 0;
    }
    void portBudget() {
        QFETCH(int, low);
        QFETCH(int, high);
        QFETCH(QString, reserved);
        QFETCH(uint, usable);
        QFETCH(uint, reservedInRange);
        QFETCH(int, problems);
        const PortBudget b = twlens::portBudget(static_cast<std::uint16_t>(low), static_cast<std::uint16_t>(high),
                                                reserved.toStdString());
        QCOMPARE(b.usable, usable);
        QCOMPARE(b.reservedInRange, reservedInRange);
        QCOMPARE(static_cast<int>(b.problems.size()), problems);
    }

    void sweepCountsHoldsAndTimeWait() {
        // [0,10) TIME_WAIT from 5; [2,4); [4,12) TIME_WAIT from 11; [10,15).
        const std::vector<PortHold> holds{
            {at(0), at(10), at(5)}, {at(2), at(4), kNoTime}, {at(4), at(12), at(11)}, {at(10), at(15), kNoTime}};
        const PortSweep s = sweepPortHolds(holds, 3);
        const std::vector<ExhaustionSeriesPoint> expected{{at(0), 1, 0},  {at(2), 2, 0},  {at(4), 2, 0}, {at(5), 2, 1},
                                                         {at(10), 2, 0}, {at(11), 2, 1}, {at(12), 1, 0}, {at(15), 0, 0}};
        QCOMPARE(s.series.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(s.series[i].ts, expected[i].ts);
            QCOMPARE(s.series[i].portsInUse, expected[i].portsInUse);
            QCOMPARE(s.series[i].timeWait, expected[i].timeWait);
        }
        QCOMPARE(s.peakPortsInUse, 2u);
        QCOMPARE(s.peakTime, at(2));
        QCOMPARE(s.peakTimeWait, 1u);
        QCOMPARE(s.exhaustedAt, kNoTime); // 3 usable, never more than 2 held
        QCOMPARE(sweepPortHolds(holds, 2).exhaustedAt, at(2));
        QCOMPARE(sweepPortHolds(holds, 0).exhaustedAt, kNoTime);
        // Holds out of start order (the takes are then sorted too): the same steps.
        const std::vector<PortHold> reversed(holds.rbegin(), holds.rend());
        const PortSweep r = sweepPortHolds(reversed, 3);
        QCOMPARE(r.series.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(r.series[i].ts, expected[i].ts);
            QCOMPARE(r.series[i].portsInUse, expected[i].portsInUse);
            QCOMPARE(r.series[i].timeWait, expected[i].timeWait);
        }
    }
    void sweepReleasesBeforeTakesAtOneInstant() {
        // A port freed at 1 s and another taken at 1 s: never 2 at once.
        const std::vector<PortHold> holds{{at(0), at(1), kNoTime}, {at(1), at(2), kNoTime}};
        const PortSweep s = sweepPortHolds(holds, 2);
        QCOMPARE(s.peakPortsInUse, 1u);
        QCOMPARE(s.exhaustedAt, kNoTime);
        QCOMPARE(s.series.size(), std::size_t(3));
    }
    void levelAtReadsTheStep() {
        const std::vector<PortHold> holds{{at(0), at(10), at(5)}, {at(2), at(4), kNoTime}};
        const PortSweep s = sweepPortHolds(holds, 100);
        QCOMPARE(levelAt(s.series, at(-1)).portsInUse, 0u);
        QCOMPARE(levelAt(s.series, at(3)).portsInUse, 2u);
        QCOMPARE(levelAt(s.series, at(4)).portsInUse, 1u);
        QCOMPARE(levelAt(s.series, at(5)).timeWait, 1u);
        QCOMPARE(levelAt(s.series, at(10)).portsInUse, 0u);
        QCOMPARE(levelAt(s.series, at(7)).ts, at(7));
    }
    void thinningKeepsPeaksAndEnd() {
        std::vector<ExhaustionSeriesPoint> series;
        for (int i = 0; i < 5000; ++i)
            series.push_back({at(i * 0.01), static_cast<std::uint32_t>(i % 7), static_cast<std::uint32_t>(i % 3)});
        series[2500].portsInUse = 999;
        series[4000].timeWait = 555;
        const auto thin = thinSeries(series, 100);
        QVERIFY(thin.size() <= 101);
        QVERIFY(thin.size() >= 99);
        std::uint32_t maxUse = 0, maxTw = 0;
        for (const auto& p : thin) {
            maxUse = std::max(maxUse, p.portsInUse);
            maxTw = std::max(maxTw, p.timeWait);
        }
        QCOMPARE(maxUse, 999u);
        QCOMPARE(maxTw, 555u);
        QCOMPARE(thin.back().ts, series.back().ts);
        QCOMPARE(thin.front().ts, series.front().ts);
        QCOMPARE(thinSeries(series, 6000).size(), series.size()); // under budget: untouched
        QCOMPARE(kSeriesBudget, std::size_t(2000));
    }

    void peakRateOverWindows() {
        // 20 SYNs 100 ms apart: span 1.9 s, so the 10 s window shrinks to it: 19 / 1.9 s.
        std::vector<TimeNs> paced;
        for (int i = 0; i < 20; ++i)
            paced.push_back(at(i * 0.1));
        const RatePeak ten = peakRate(paced, 10 * kNsPerSecond);
        QCOMPARE(ten.count, 19u);
        QCOMPARE(ten.window, 1'900'000'000LL);
        QCOMPARE(ten.perSecond, 19.0 / 1.9);
        QCOMPARE(ten.windowStart, at(0));
        const RatePeak one = peakRate(paced, kNsPerSecond);
        QCOMPARE(one.count, 10u);
        QCOMPARE(one.perSecond, 10.0);

        // A burst of 50 in 0.5 s, then one a second from 10 s to 109 s.
        std::vector<TimeNs> bursty;
        for (int i = 0; i < 50; ++i)
            bursty.push_back(at(i * 0.01));
        for (int i = 10; i < 110; ++i)
            bursty.push_back(at(i));
        QCOMPARE(peakRate(bursty, kNsPerSecond).perSecond, 50.0);
        const RatePeak sustained = peakRate(bursty, 10 * kNsPerSecond);
        QCOMPARE(sustained.count, 50u);
        QCOMPARE(sustained.perSecond, 5.0);
        QCOMPARE(sustained.windowStart, at(0));

        QCOMPARE(peakRate(times({3.0}), 10 * kNsPerSecond).perSecond, 1.0); // one SYN: 1 in the 1 s floor
        QCOMPARE(peakRate({}, 10 * kNsPerSecond).count, 0u);
    }

    void trendOverTheLastTimeWaitLength() {
        std::vector<ExhaustionSeriesPoint> line{{at(0), 0, 0}, {at(1), 2, 0}, {at(2), 4, 0}, {at(3), 6, 0}};
        LinearTrend t = fitTrend(line, 60 * kNsPerSecond);
        QCOMPARE(t.perSecond, 2.0);
        QCOMPARE(t.value, 6.0);
        QCOMPARE(t.at, at(3));
        QCOMPARE(t.points, std::size_t(4));
        // Flat for 40 s, then +1 port/s: only the last 60 s (t >= 40) are fitted.
        std::vector<ExhaustionSeriesPoint> bent;
        for (int i = 0; i <= 10; ++i)
            bent.push_back({at(i * 10), static_cast<std::uint32_t>(i <= 4 ? 10 : 10 + (i - 4) * 10), 0});
        t = fitTrend(bent, 60 * kNsPerSecond);
        QCOMPARE(t.points, std::size_t(7));
        QVERIFY(qAbs(t.perSecond - 1.0) < 1e-9);
        QVERIFY(qAbs(t.value - 70.0) < 1e-9);
        // A lookback shorter than the spacing still fits the last two points.
        t = fitTrend(bent, kNsPerSecond);
        QCOMPARE(t.points, std::size_t(2));
        QVERIFY(qAbs(t.perSecond - 1.0) < 1e-9);
        QCOMPARE(fitTrend(std::vector<ExhaustionSeriesPoint>{{at(0), 5, 0}}, kNsPerSecond).points, std::size_t(0));
    }

    void twReuseRules_data() {
        QTest::addColumn<int>("twReuse");
        QTest::addColumn<QString>("local");
        QTest::addColumn<QString>("remote");
        QTest::addColumn<bool>("timestamps");
        QTest::addColumn<bool>("applies");
        QTest::newRow("0 never") << 0 << "127.0.0.1" << "127.0.0.2" << true << false;
        QTest::newRow("1 any destination") << 1 << "10.0.0.1" << "192.0.2.7" << true << true;
        QTest::newRow("1 needs timestamps") << 1 << "10.0.0.1" << "192.0.2.7" << false << false;
        QTest::newRow("2 not for a remote host") << 2 << "10.0.0.1" << "192.0.2.7" << true << false;
        QTest::newRow("2 loopback destination") << 2 << "10.0.0.1" << "127.0.0.1" << true << true;
        QTest::newRow("2 loopback source") << 2 << "127.1.0.1" << "10.0.0.9" << true << true;
        QTest::newRow("2 IPv6 loopback") << 2 << "::1" << "::1" << true << true;
        QTest::newRow("2 IPv4-mapped loopback") << 2 << "::ffff:10.0.0.1" << "::ffff:127.0.0.2" << true << true;
        QTest::newRow("2 IPv6 remote host") << 2 << "2001:db8::1" << "2001:db8::2" << true << false;
        QTest::newRow("2 loopback still needs timestamps") << 2 << "127.0.0.1" << "127.0.0.1" << false << false;
    }
    void twReuseRules() {
        QFETCH(int, twReuse);
        QFETCH(QString, local);
        QFETCH(QString, remote);
        QFETCH(bool, timestamps);
        QFETCH(bool, applies);
        QCOMPARE(twReuseApplies(twReuse, ip(local.toLatin1().constData()), ip(remote.toLatin1().constData()), timestamps),
                 applies);
    }

    void sustainableRate() {
        QCOMPARE(portHoldSeconds(false, 60.0, 1000), 60.0);
        QCOMPARE(portHoldSeconds(true, 60.0, 1000), 1.0);
        QCOMPARE(portHoldSeconds(true, 60.0, 250), 0.25);
        QCOMPARE(portHoldSeconds(true, 0.5, 1000), 0.5); // never longer than TIME_WAIT itself
        QCOMPARE(maxSustainableRate(28232, 60.0), 28232.0 / 60.0);
        QCOMPARE(maxSustainableRate(20, 60.0), 20.0 / 60.0);
        QCOMPARE(maxSustainableRate(20, 1.0), 20.0);
        QCOMPARE(maxSustainableRate(0, 60.0), 0.0);
        QCOMPARE(maxSustainableRate(20, 0.0), 20000.0); // 1 ms floor, the kernel's smallest delay
    }

    void projectionOfACapture() {
        const Settings s = twentyPorts();
        const Exhaustion m = capturedAtTenPerSecond();
        const Exhaustion p = project(m, s);
        QCOMPARE(p.usablePorts, 20u);
        QCOMPARE(p.portLow, std::uint16_t(41000));
        QCOMPARE(p.portHigh, std::uint16_t(41019));
        QCOMPARE(p.twReuseActive, false);
        QCOMPARE(p.maxSustainableRatePerSecond, 20.0 / 60.0);
        QCOMPARE(p.newConnectionsPerSecondPeak, 10.0);
        QCOMPARE(p.projectedExhaustionAt, at(2)); // 20 ports at 10/s from the window start
        QCOMPARE(p.exhaustedAt, at(2));           // measured: kept
        QCOMPARE(p.series.size(), std::size_t(2));
    }

    void whatIf_data() {
        QTest::addColumn<int>("low");          // 0: unchanged
        QTest::addColumn<int>("high");
        QTest::addColumn<int>("twReuse");      // -1: unchanged
        QTest::addColumn<double>("twSeconds"); // 0: unchanged
        QTest::addColumn<double>("factor");
        QTest::addColumn<QString>("reserved");
        QTest::addColumn<bool>("timestamps");
        QTest::addColumn<QString>("remote");
        QTest::addColumn<uint>("usable");
        QTest::addColumn<bool>("reuseActive");
        QTest::addColumn<double>("sustainable");
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("exhaustsAfter"); // seconds from the window start, -1 never
        QTest::newRow("as measured") << 0 << 0 << -1 << 0.0 << 1.0 << "" << true << "10.0.0.2" << 20u << false << 20.0 / 60 << 10.0 << 2.0;
        QTest::newRow("pool of 20") << 0 << 0 << -1 << 0.0 << 20.0 << "" << true << "10.0.0.2" << 20u << false << 20.0 / 60 << 0.5 << 40.0;
        QTest::newRow("pool of 40") << 0 << 0 << -1 << 0.0 << 40.0 << "" << true << "10.0.0.2" << 20u << false << 20.0 / 60 << 0.25 << -1.0;
        QTest::newRow("factor below 1 is 1") << 0 << 0 << -1 << 0.0 << 0.5 << "" << true << "10.0.0.2" << 20u << false << 20.0 / 60 << 10.0 << 2.0;
        QTest::newRow("tw_reuse 1") << 0 << 0 << 1 << 0.0 << 1.0 << "" << true << "10.0.0.2" << 20u << true << 20.0 << 10.0 << -1.0;
        QTest::newRow("tw_reuse 1 without timestamps") << 0 << 0 << 1 << 0.0 << 1.0 << "" << false << "10.0.0.2" << 20u << false << 20.0 / 60 << 10.0 << 2.0;
        QTest::newRow("tw_reuse 2 remote host") << 0 << 0 << 2 << 0.0 << 1.0 << "" << true << "10.0.0.2" << 20u << false << 20.0 / 60 << 10.0 << 2.0;
        QTest::newRow("tw_reuse 2 loopback") << 0 << 0 << 2 << 0.0 << 1.0 << "" << true << "127.0.0.1" << 20u << true << 20.0 << 10.0 << -1.0;
        QTest::newRow("wider range") << 30000 << 60999 << -1 << 0.0 << 1.0 << "" << true << "10.0.0.2" << 31000u << false << 31000.0 / 60 << 10.0 << -1.0;
        QTest::newRow("reserved half") << 0 << 0 << -1 << 0.0 << 1.0 << "41000-41009" << true << "10.0.0.2" << 10u << false << 10.0 / 60 << 10.0 << 1.0;
        QTest::newRow("tw 1.9 s") << 0 << 0 << -1 << 1.9 << 1.0 << "" << true << "10.0.0.2" << 20u << false << 20.0 / 1.9 << 10.0 << -1.0;
        QTest::newRow("tw 2.5 s") << 0 << 0 << -1 << 2.5 << 1.0 << "" << true << "10.0.0.2" << 20u << false << 8.0 << 10.0 << 2.0;
    }
    void whatIf() {
        QFETCH(int, low);
        QFETCH(int, high);
        QFETCH(int, twReuse);
        QFETCH(double, twSeconds);
        QFETCH(double, factor);
        QFETCH(QString, reserved);
        QFETCH(bool, timestamps);
        QFETCH(QString, remote);
        QFETCH(uint, usable);
        QFETCH(bool, reuseActive);
        QFETCH(double, sustainable);
        QFETCH(double, rate);
        QFETCH(double, exhaustsAfter);
        Settings s = twentyPorts();
        s.reservedPorts.value = reserved.toStdString();
        Exhaustion m = capturedAtTenPerSecond("10.0.0.1", remote.toLatin1().constData());
        m.timestampsSeen = timestamps;
        WhatIf w;
        if (low) {
            w.portLow = static_cast<std::uint16_t>(low);
            w.portHigh = static_cast<std::uint16_t>(high);
        }
        if (twReuse >= 0)
            w.twReuse = twReuse;
        if (twSeconds > 0)
            w.twSeconds = twSeconds;
        w.reuseFactor = factor;
        const Exhaustion p = project(m, s, w);
        QCOMPARE(p.usablePorts, usable);
        QCOMPARE(p.twReuseActive, reuseActive);
        QCOMPARE(p.maxSustainableRatePerSecond, sustainable);
        QCOMPARE(p.newConnectionsPerSecondPeak, rate);
        QCOMPARE(p.newConnectionsPerSecondPeak1s, 12.0 / std::max(factor, 1.0));
        QCOMPARE(p.projectedExhaustionAt, exhaustsAfter < 0 ? kNoTime : at(exhaustsAfter));
        QCOMPARE(p.exhaustedAt, m.exhaustedAt); // what happened stays
    }

    void whatIfNeutral() {
        QVERIFY(WhatIf{}.neutral());
        WhatIf w;
        w.reuseFactor = 2;
        QVERIFY(!w.neutral());
        WhatIf r;
        r.twReuse = 1;
        QVERIFY(!r.neutral());
    }

    void projectionOfASnapshotTrend() {
        Exhaustion m;
        m.localIp = ip("10.0.0.1");
        m.remoteIp = ip("10.0.0.2");
        m.sources = Exhaustion::FromSnapshots;
        m.newConnectionsPerSecondPeak = 5.0;
        m.portsGrowthPerSecond = 4.0;
        m.trendAt = at(10);
        m.trendPorts = 12.0;
        m.firstSeen = at(0);
        const Settings s = twentyPorts();
        QCOMPARE(project(m, s).projectedExhaustionAt, at(12)); // 10 s + (20 - 12) / 4
        WhatIf pool;
        pool.reuseFactor = 2;
        const Exhaustion p = project(m, s, pool);
        QCOMPARE(p.portsGrowthPerSecond, 2.0);
        QCOMPARE(p.trendPorts, 6.0);
        QCOMPARE(p.projectedExhaustionAt, at(17)); // 10 s + (20 - 6) / 2
        pool.reuseFactor = 100;
        QCOMPARE(project(m, s, pool).projectedExhaustionAt, kNoTime); // 0.05/s < 20/60 s
        // Past the limit already: now.
        m.trendPorts = 25.0;
        QCOMPARE(project(m, s).projectedExhaustionAt, at(10));
        // No port usable at all: the first connect() fails.
        WhatIf none;
        none.portLow = 50000;
        none.portHigh = 40000;
        QCOMPARE(project(m, s, none).projectedExhaustionAt, at(0));
    }
};

QTEST_GUILESS_MAIN(TestExhaustionMath)
#include "tst_exhaustion_math.moc"
