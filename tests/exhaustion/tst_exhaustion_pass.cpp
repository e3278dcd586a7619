// SPDX-License-Identifier: GPL-3.0-or-later
// computeExhaustion on hand-built analyses: which port a connection holds and for how long, the
// snapshot rule for the connecting side, the merge of both, and the order of the entries.
#include <QtTest>

#include "analysis_builder.h"
#include "core/exhaustion/capture_ports.h"
#include "core/exhaustion/exhaustion_pass.h"
#include "core/exhaustion/port_sweep.h"
#include "core/exhaustion/snapshot_ports.h"

using namespace twlens;
using namespace twlens::test;

namespace {

Settings twentyPorts() {
    Settings s;
    s.portLow.value = 41000;
    s.portHigh.value = 41019;
    s.twReuse.value = 0;
    return s;
}

const Exhaustion* find(const Analysis& a, const char* local, const char* remote, std::uint16_t port) {
    for (const Exhaustion& e : a.exhaustion)
        if (e.localIp == ip(local) && e.remoteIp == ip(remote) && e.remotePort == port)
            return &e;
    return nullptr;
}

void compareSeries(const std::vector<ExhaustionSeriesPoint>& actual, const std::vector<ExhaustionSeriesPoint>& expected) {
    QCOMPARE(actual.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE(actual[i].ts, expected[i].ts);
        QCOMPARE(actual[i].portsInUse, expected[i].portsInUse);
        QCOMPARE(actual[i].timeWait, expected[i].timeWait);
    }
}

// Five client-closed connections to 10.0.0.2:80 one second apart; to 10.0.0.3:443 one reset
// and one still open at the end of the capture (10 s); to 10.0.0.4:8080 one the server closed.
Analysis captured() {
    Analysis a;
    a.settings = twentyPorts();
    addCaptureInput(a, 0, 10);
    for (int i = 0; i < 5; ++i) {
        ConnectionSpec c;
        c.clientPort = static_cast<std::uint16_t>(41000 + i);
        c.start = i;
        c.end = i + 0.5;
        c.clientTimeWait = i + 0.5;
        addConnection(a, c);
    }
    ConnectionSpec rst;
    rst.clientPort = 41010;
    rst.server = "10.0.0.3";
    rst.serverPort = 443;
    rst.start = 0;
    rst.end = 1;
    rst.closeKind = CloseKind::Rst;
    rst.clientClosed = 1.0;
    addConnection(a, rst);
    ConnectionSpec open = rst;
    open.clientPort = 41011;
    open.start = 2;
    open.end = 3;
    open.closeKind = CloseKind::Open;
    open.clientClosed.reset();
    addConnection(a, open);
    ConnectionSpec passive;
    passive.clientPort = 41012;
    passive.server = "10.0.0.4";
    passive.serverPort = 8080;
    passive.start = 5;
    passive.end = 5.3;
    passive.clientClosed = 5.3; // LAST_ACK -> CLOSED
    passive.serverTimeWait = 5.2;
    addConnection(a, passive);
    return a;
}

} // namespace

class TestExhaustionPass : public QObject {
    Q_OBJECT
private slots:
    void clientPortHolds() {
        const Analysis a = captured();
        const TimeNs end = captureEnd(a);
        QCOMPARE(end, at(10));
        PortHold h = clientPortHold(a, a.connections[0], end);
        QCOMPARE(h.start, at(0));
        QCOMPARE(h.timeWaitStart, at(0.5));
        QCOMPARE(h.end, at(60.5)); // the TIME_WAIT window's end, past the capture
        h = clientPortHold(a, a.connections[5], end); // reset
        QCOMPARE(h.end, at(1));
        QCOMPARE(h.timeWaitStart, kNoTime);
        h = clientPortHold(a, a.connections[6], end); // still open
        QCOMPARE(h.end, at(10));
        h = clientPortHold(a, a.connections[7], end); // the server closed first: client CLOSED on the last ACK
        QCOMPARE(h.end, at(5.3));
        QCOMPARE(h.timeWaitStart, kNoTime);
    }

    void capturedDestinations() {
        Analysis a = captured();
        computeExhaustion(a);
        QCOMPARE(a.exhaustion.size(), std::size_t(3));
        const Exhaustion* web = find(a, "10.0.0.1", "10.0.0.2", 80);
        QVERIFY(web);
        QCOMPARE(web->sources, std::uint8_t(Exhaustion::FromCapture));
        QCOMPARE(web->connections, 5u);
        QCOMPARE(web->peakPortsInUse, 5u);
        QCOMPARE(web->peakTime, at(4));
        QCOMPARE(web->peakTimeWait, 5u);
        QCOMPARE(web->exhaustedAt, kNoTime);
        QCOMPARE(web->usablePorts, 20u);
        // 5 SYNs 1 s apart: 4 in the 4 s span -> 1/s; the 1 s window holds 1.
        QCOMPARE(web->newConnectionsPerSecondPeak, 1.0);
        QCOMPARE(web->newConnectionsPerSecondPeak1s, 1.0);
        QCOMPARE(web->peakRateStart, at(0));
        QCOMPARE(web->maxSustainableRatePerSecond, 20.0 / 60.0);
        QCOMPARE(web->projectedExhaustionAt, at(20)); // 20 ports at 1/s, none back before 60 s
        QCOMPARE(web->timestampsSeen, true);
        QCOMPARE(web->firstSeen, at(0));
        QCOMPARE(web->lastSeen, at(64.5));
        QCOMPARE(web->firstInput, 0u);
        compareSeries(web->series, {{at(0), 1, 0}, {at(0.5), 1, 1}, {at(1), 2, 1}, {at(1.5), 2, 2}, {at(2), 3, 2},
                                    {at(2.5), 3, 3}, {at(3), 4, 3}, {at(3.5), 4, 4}, {at(4), 5, 4}, {at(4.5), 5, 5},
                                    {at(60.5), 4, 4}, {at(61.5), 3, 3}, {at(62.5), 2, 2}, {at(63.5), 1, 1}, {at(64.5), 0, 0}});
        // Most at risk first: the projected one leads.
        QCOMPARE(a.exhaustion.front().remotePort, std::uint16_t(80));

        const Exhaustion* tls = find(a, "10.0.0.1", "10.0.0.3", 443);
        QVERIFY(tls);
        compareSeries(tls->series, {{at(0), 1, 0}, {at(1), 0, 0}, {at(2), 1, 0}, {at(10), 0, 0}});
        // SYNs at 0 and 2 s: 1 in [0, 2) -> 0.5/s, above 20 ports / 60 s: 20 ports last 40 s.
        QCOMPARE(tls->newConnectionsPerSecondPeak, 0.5);
        QCOMPARE(tls->projectedExhaustionAt, at(40));
        const Exhaustion* alt = find(a, "10.0.0.1", "10.0.0.4", 8080);
        QVERIFY(alt);
        QCOMPARE(alt->peakTimeWait, 0u); // the server's TIME_WAIT holds no client port
        compareSeries(alt->series, {{at(5), 1, 0}, {at(5.3), 0, 0}});
        // One SYN counts 1 in the 1 s floor of the window.
        QCOMPARE(alt->newConnectionsPerSecondPeak, 1.0);
        QCOMPARE(alt->projectedExhaustionAt, at(25));
        QCOMPARE(a.exhaustion[1].remotePort, std::uint16_t(8080));
        QCOMPARE(a.exhaustion[2].remotePort, std::uint16_t(443));
    }

    void exhaustedInACapture() {
        Analysis a;
        a.settings = twentyPorts();
        a.settings.portHigh.value = 41002; // 3 ports
        addCaptureInput(a, 0, 10);
        for (int i = 0; i < 3; ++i) {
            ConnectionSpec c;
            c.clientPort = static_cast<std::uint16_t>(41000 + i);
            c.start = i * 0.5;
            c.end = i * 0.5 + 0.1;
            c.clientTimeWait = i * 0.5 + 0.1;
            addConnection(a, c);
        }
        computeExhaustion(a);
        QCOMPARE(a.exhaustion.size(), std::size_t(1));
        const Exhaustion& e = a.exhaustion.front();
        QCOMPARE(e.usablePorts, 3u);
        QCOMPARE(e.exhaustedAt, at(1.0));
        QCOMPARE(e.peakTimeWait, 3u);
        // 3 SYNs 0.5 s apart: span 1 s, 2 in [0, 1) -> 2/s; 3 ports at 2/s from 0: 1.5 s.
        QCOMPARE(e.newConnectionsPerSecondPeak, 2.0);
        QCOMPARE(e.projectedExhaustionAt, at(1.5));
    }

    void connectingSocketRule_data() {
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("localPort");
        QTest::addColumn<int>("remotePort");
        QTest::addColumn<bool>("connecting");
        QTest::newRow("established from the range") << int(TcpState::Established) << 41005 << 80 << true;
        QTest::newRow("TIME_WAIT from the range") << int(TcpState::TimeWait) << 41005 << 80 << true;
        QTest::newRow("SYN_SENT from the range") << int(TcpState::SynSent) << 41019 << 443 << true;
        QTest::newRow("server port below the range") << int(TcpState::Established) << 22 << 41005 << false;
        QTest::newRow("above the range") << int(TcpState::TimeWait) << 41020 << 80 << false;
        QTest::newRow("listening") << int(TcpState::Listen) << 41005 << 0 << false;
        QTest::newRow("unconnected") << int(TcpState::Closed) << 41005 << 0 << false;
        QTest::newRow("accepted on a listener inside the range") << int(TcpState::Established) << 41010 << 50000 << false;
    }
    void connectingSocketRule() {
        QFETCH(int, state);
        QFETCH(int, localPort);
        QFETCH(int, remotePort);
        QFETCH(bool, connecting);
        const std::vector<std::uint16_t> listening{22, 41010};
        const SocketRow r = row(static_cast<TcpState>(state), "10.0.0.1", static_cast<std::uint16_t>(localPort), "10.0.0.2",
                                static_cast<std::uint16_t>(remotePort));
        QCOMPARE(isConnectingSocket(r, 41000, 41019, listening), connecting);
    }

    void snapshotSeries() {
        Analysis a;
        a.settings = twentyPorts();
        a.inputs.resize(4);
        a.snapshots.push_back(listing(0, 0,
                                      {row(TcpState::Listen, "0.0.0.0", 22, "*", 0),
                                       row(TcpState::Listen, "10.0.0.1", 41010, "*", 0),
                                       row(TcpState::Established, "10.0.0.1", 41000, "10.0.0.2", 80),
                                       row(TcpState::TimeWait, "10.0.0.1", 41001, "10.0.0.2", 80),
                                       row(TcpState::Established, "10.0.0.1", 22, "10.0.0.7", 41005),
                                       row(TcpState::Established, "10.0.0.1", 41010, "10.0.0.8", 50000)}));
        a.snapshots.push_back(listing(5, 2, {row(TcpState::Established, "10.9.9.9", 41003, "10.0.0.2", 80)}));
        a.snapshots.push_back(listing(10, 1,
                                      {row(TcpState::TimeWait, "10.0.0.1", 41000, "10.0.0.2", 80),
                                       row(TcpState::TimeWait, "10.0.0.1", 41001, "10.0.0.2", 80),
                                       row(TcpState::TimeWait, "10.0.0.1", 41002, "10.0.0.2", 80)}));
        // /proc/net/tcp read at the same instant: merged into the same point.
        a.snapshots.push_back(listing(10, 3,
                                      {row(TcpState::TimeWait, "10.0.0.1", 41000, "10.0.0.2", 80),
                                       row(TcpState::TimeWait, "10.0.0.1", 41001, "10.0.0.2", 80)}));
        // ss -tn without -a: TIME_WAIT hidden, so not a point.
        SocketSnapshot hidden = listing(12, 0, {row(TcpState::Established, "10.0.0.1", 41004, "10.0.0.2", 80)});
        hidden.stateCounts[static_cast<std::size_t>(TcpState::TimeWait)] = -1;
        a.snapshots.push_back(hidden);
        // A host-wide summary (ss -s): no rows, not a point.
        SocketSnapshot summary;
        summary.ts = at(11);
        summary.timeWaitTotal = 40;
        a.snapshots.push_back(summary);

        const auto ports = snapshotPortsByDestination(a, 41000, 41019);
        QCOMPARE(ports.size(), std::size_t(2));
        const SnapshotPorts& web = ports.at(Destination{ip("10.0.0.1"), ip("10.0.0.2"), 80});
        compareSeries(web.points, {{at(0), 2, 1}, {at(10), 3, 3}});
        QCOMPARE(web.peakTimeWait, 3u);
        QCOMPARE(web.firstInput, 0u);
        const SnapshotPorts& other = ports.at(Destination{ip("10.9.9.9"), ip("10.0.0.2"), 80});
        compareSeries(other.points, {{at(5), 1, 0}}); // only listings of its own host

        computeExhaustion(a);
        const Exhaustion* e = find(a, "10.0.0.1", "10.0.0.2", 80);
        QVERIFY(e);
        QCOMPARE(e->sources, std::uint8_t(Exhaustion::FromSnapshots));
        QCOMPARE(e->peakPortsInUse, 3u);
        QCOMPARE(e->peakTime, at(10));
        QCOMPARE(e->peakTimeWait, 3u);
        QCOMPARE(e->portsGrowthPerSecond, 0.1);      // 2 -> 3 ports in 10 s
        QCOMPARE(e->trendAt, at(10));
        QCOMPARE(e->trendPorts, 3.0);
        QCOMPARE(e->newConnectionsPerSecondPeak, 0.1); // max(0.1 growth, 3 TIME_WAIT / 60 s = 0.05)
        QCOMPARE(e->projectedExhaustionAt, kNoTime);   // 0.1/s < 20 / 60 s
        QCOMPARE(e->timestampsSeen, true);             // from net.ipv4.tcp_timestamps (default 1)
        QCOMPARE(e->firstSeen, at(0));
        QCOMPARE(e->lastSeen, at(10));
        compareSeries(e->series, {{at(0), 2, 1}, {at(10), 3, 3}});
    }

    void snapshotTrendProjectsAndExhausts() {
        Analysis a;
        a.settings = twentyPorts();
        a.inputs.resize(1);
        for (int i = 0; i <= 4; ++i) {
            std::vector<SocketRow> rows;
            for (int p = 0; p < 5 * i && p < 20; ++p)
                rows.push_back(row(TcpState::TimeWait, "10.0.0.1", static_cast<std::uint16_t>(41000 + p), "10.0.0.2", 80));
            rows.push_back(row(TcpState::Listen, "10.0.0.1", 9999, "*", 0));
            a.snapshots.push_back(listing(i, 0, rows));
        }
        computeExhaustion(a);
        const Exhaustion& e = a.exhaustion.front();
        QCOMPARE(e.peakPortsInUse, 20u);
        QCOMPARE(e.exhaustedAt, at(4));
        QCOMPARE(e.portsGrowthPerSecond, 5.0);
        QCOMPARE(e.projectedExhaustionAt, at(4)); // the line 0, 5, ... 20 reaches 20 ports at 4 s
    }

    void captureAndSnapshotsMerge() {
        Analysis a = captured();
        a.inputs.push_back(InputInfo{});
        // The same host listed at 4.8 s: the 5 TIME_WAIT ports plus one the capture missed.
        std::vector<SocketRow> rows;
        for (int i = 0; i < 5; ++i)
            rows.push_back(row(TcpState::TimeWait, "10.0.0.1", static_cast<std::uint16_t>(41000 + i), "10.0.0.2", 80));
        rows.push_back(row(TcpState::Established, "10.0.0.1", 41018, "10.0.0.2", 80));
        a.snapshots.push_back(listing(4.8, 1, rows));
        computeExhaustion(a);
        const Exhaustion* web = find(a, "10.0.0.1", "10.0.0.2", 80);
        QVERIFY(web);
        QCOMPARE(web->sources, std::uint8_t(Exhaustion::FromCapture | Exhaustion::FromSnapshots));
        QCOMPARE(web->peakPortsInUse, 6u);  // the larger of the two
        QCOMPARE(web->peakTime, at(4.8));
        QCOMPARE(web->series.size(), std::size_t(15)); // the capture's series
        QCOMPARE(web->newConnectionsPerSecondPeak, 1.0); // the capture's rate
    }

    void riskOrder() {
        Exhaustion exhausted, projected, full, empty;
        exhausted.exhaustedAt = at(5);
        projected.projectedExhaustionAt = at(1);
        full.usablePorts = 10;
        full.peakPortsInUse = 9;
        empty.usablePorts = 10;
        empty.peakPortsInUse = 1;
        QVERIFY(moreAtRisk(exhausted, projected));
        QVERIFY(moreAtRisk(projected, full));
        QVERIFY(moreAtRisk(full, empty));
        QVERIFY(!moreAtRisk(empty, full));
    }
};

QTEST_GUILESS_MAIN(TestExhaustionPass)
#include "tst_exhaustion_pass.moc"
