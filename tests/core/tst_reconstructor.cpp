// SPDX-License-Identifier: GPL-3.0-or-later
// The reconstructor on segment sequences built in code: every state transition and teardown rule,
// each with ISNs near 2^32 as well (data rows "wrap").
#include <QtTest>

#include "segment_builder.h"

using namespace twlens;
using namespace twlens::test;

namespace {
constexpr std::uint32_t kWrapClientIsn = 0xFFFFFFF0u;
constexpr std::uint32_t kWrapServerIsn = 0xFFFFFFFAu;

void isnRows() {
    QTest::addColumn<quint32>("cisn");
    QTest::addColumn<quint32>("sisn");
    QTest::newRow("plain") << quint32(1000) << quint32(5000);
    QTest::newRow("wrap") << quint32(kWrapClientIsn) << quint32(kWrapServerIsn);
    QTest::newRow("wrap-server-only") << quint32(77) << quint32(0xFFFFFFFFu);
}
} // namespace

class TstReconstructor : public QObject {
    Q_OBJECT
private slots:
    void clientClose_data() { isnRows(); }
    void clientClose();
};

void TstReconstructor::clientClose() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, cisn, sisn);
    b.handshake(1.0);
    b.data(From::Client, 1.010, 100);
    b.data(From::Server, 1.020, 3000);
    b.ack(From::Client, 1.021);
    b.fin(From::Client, 2.0);
    b.ack(From::Server, 2.001);
    b.fin(From::Server, 2.100);
    b.ack(From::Client, 2.101);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(1));
    const Connection& c = a.connections[0];
    QCOMPARE(a.clientIp(c).toString(), std::string("10.0.0.1"));
    QCOMPARE(c.clientPort, std::uint16_t(40000));
    QCOMPARE(c.serverPort, std::uint16_t(80));
    QVERIFY(c.has(Connection::SynSeen));
    QVERIFY(!c.has(Connection::RolesInferred));
    QCOMPARE(c.activeCloser, Closer::Client);
    QCOMPARE(c.closeKind, CloseKind::Fin);
    QCOMPARE(timeline(a, c, Side::Client),
             std::string("SYN_SENT@1.000000 ESTABLISHED@1.001000 FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 "
                         "TIME_WAIT@2.101000 CLOSED@62.101000"));
    QCOMPARE(timeline(a, c, Side::Server),
             std::string("SYN_RECV@1.001000 ESTABLISHED@1.002000 CLOSE_WAIT@2.000000 LAST_ACK@2.100000 CLOSED@2.101000"));
    QCOMPARE(int(c.timeWaitCount), 1);
    QCOMPARE(c.timeWait[0].side, Side::Client);
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(2.101));
    QCOMPARE(c.timeWait[0].end, SegmentBuilder::t(62.101));
    QCOMPARE(c.timeWait[0].reason, TimeWaitEnd::Expired);
    QCOMPARE(c.finRetransmissions, std::uint16_t(0));
    QVERIFY(!c.has(Connection::LostFinalAck));
    QCOMPARE(c.isn[0], std::uint32_t(cisn));
    QCOMPARE(c.isn[1], std::uint32_t(sisn));
    QCOMPARE(c.packets[0], std::uint32_t(6));
    QCOMPARE(c.packets[1], std::uint32_t(4));
    QCOMPARE(c.payloadBytes[0], std::uint64_t(100));
    QCOMPARE(c.payloadBytes[1], std::uint64_t(3000));
    // Kept: SYN, SYN-ACK, handshake ACK, client FIN, server ACK of it, server FIN, final ACK.
    QCOMPARE(c.segmentCount, std::uint32_t(7));
    const auto kept = a.segmentsOf(c);
    QCOMPARE(kept[3].dataBefore, std::uint16_t(3)); // data, data, ACK between the handshake and the FIN
    QCOMPARE(kept[3].flags, std::uint8_t(tcpflag::FIN | tcpflag::ACK));
    QCOMPARE(kept[4].from(), Side::Server);
}

QTEST_GUILESS_MAIN(TstReconstructor)
#include "tst_reconstructor.moc"
