// SPDX-License-Identifier: GPL-3.0-or-later
// The reconstructor on segment sequences built in code: every state transition and teardown rule,
// each also with ISNs just below 2^32 (rows "wrap", "wrap-server") so that every sequence
// comparison crosses the wraparound.
#include <QtTest>

#include "layout_checks.h"
#include "segment_builder.h"
#include "core/reconstruct/kept_log.h"
#include "core/reconstruct/segment_tracker.h"
#include "core/reconstruct/opened_connection.h"

using namespace twlens;
using namespace twlens::test;

namespace {

void isnRows() {
    QTest::addColumn<quint32>("cisn");
    QTest::addColumn<quint32>("sisn");
    QTest::newRow("plain") << quint32(1000) << quint32(5000);
    QTest::newRow("wrap") << quint32(0xFFFFFFF0u) << quint32(0xFFFFFFFAu);
    QTest::newRow("wrap-server") << quint32(77) << quint32(0xFFFFFFFFu);
}

// The usual start: handshake at 1.000 (SYN-ACK 1.001, ACK 1.002), client sends 100 bytes at
// 1.010, server answers 3000 bytes at 1.020, client ACKs at 1.021.
void opening(SegmentBuilder& b) {
    b.handshake(1.0);
    b.data(From::Client, 1.010, 100);
    b.data(From::Server, 1.020, 3000);
    b.ack(From::Client, 1.021);
}

// 10.0.0.1:40000 -> 10.0.0.2:80 with the ISNs of the test's isnRows() row, opened as above.
SegmentBuilder openedWithRowIsns(std::vector<Segment>& segs) {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, cisn, sisn);
    opening(b);
    return b;
}

const char* kClientOpen = "SYN_SENT@1.000000 ESTABLISHED@1.001000";
const char* kServerOpen = "SYN_RECV@1.001000 ESTABLISHED@1.002000";

QString join(const char* open, const char* rest) { return QString::fromLatin1(open) + " " + QString::fromLatin1(rest); }

} // namespace

class TstReconstructor : public QObject {
    Q_OBJECT
private slots:
    void clientClose_data() { isnRows(); }
    void clientClose();
    void serverClose_data() { isnRows(); }
    void serverClose();
    void simultaneousClose_data() { isnRows(); }
    void simultaneousClose();
    void finAckingFinGoesStraightToTimeWait_data() { isnRows(); }
    void finAckingFinGoesStraightToTimeWait();
    void halfCloseWithData_data() { isnRows(); }
    void halfCloseWithData();
    void halfClosedAtEndOfCapture_data() { isnRows(); }
    void halfClosedAtEndOfCapture();
    void rstClose_data() { isnRows(); }
    void rstClose();
    void finThenRst_data() { isnRows(); }
    void finThenRst();
    void finWait2TimeoutAnsweredByRst_data() { isnRows(); }
    void finWait2TimeoutAnsweredByRst();
    void lostFinalAckSeenBeforeTheLoss_data() { isnRows(); }
    void lostFinalAckSeenBeforeTheLoss();
    void lostFinalAckSeenAfterTheLoss_data() { isnRows(); }
    void lostFinalAckSeenAfterTheLoss();
    void finRetransmissionsRestartTimeWait_data() { isnRows(); }
    void finRetransmissionsRestartTimeWait();
    void dupAckMeansNoLostFinalAck_data() { isnRows(); }
    void dupAckMeansNoLostFinalAck();
    void reuseCutsTimeWait_data() { isnRows(); }
    void reuseCutsTimeWait();
    void rstInTimeWait_data();
    void rstInTimeWait();
    void oldSynIntoTimeWait_data() { isnRows(); }
    void oldSynIntoTimeWait();
    void tapDuplicatesAreNotRetransmissions_data() { isnRows(); }
    void tapDuplicatesAreNotRetransmissions();
    void synRetransmissionSameIncarnation_data() { isnRows(); }
    void synRetransmissionSameIncarnation();
    void newIsnMidHandshakeIsNewIncarnation_data() { isnRows(); }
    void newIsnMidHandshakeIsNewIncarnation();
    void silenceRule_data();
    void silenceRule();
    void midStreamRolesInferred_data();
    void midStreamRolesInferred();
    void rolesFromSynAck_data() { isnRows(); }
    void rolesFromSynAck();
    void oneSidedCapture_data() { isnRows(); }
    void oneSidedCapture();
    void connectionRefused_data() { isnRows(); }
    void connectionRefused();
    void rstNotAckingSynIsIgnored_data() { isnRows(); }
    void rstNotAckingSynIsIgnored();
    void vlanSeparatesKeys();
    void strayAfterEvictionIsLinkedIncarnation();
    void halfCloseKeepsAtMostTheCap();
    void frozenAckHeldRepeatsKeptWhole_data() { isnRows(); }
    void frozenAckHeldRepeatsKeptWhole();
    void orderingAndContiguity();
    void finaliserThreadsAndOrderAgree();
    void lateSegmentsOfAnEarlierIncarnationAreCapped();
    void timestampsSeen();
    void tapDuplicateWindowCalibration_data();
    void tapDuplicateWindowCalibration();
    void keptLogLinks();
    void openedConnectionFieldsAndSaturation();
    void chainAcrossAFarLink();
    void timeWaitExpiredBeforeLaterSegments_data() { isnRows(); }
    void timeWaitExpiredBeforeLaterSegments();
    void rstStampedBeforeTimeWaitBegan();
};

void TstReconstructor::clientClose() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, cisn, sisn);
    opening(b);
    b.orderlyClose(From::Client, 2.0, 2.001, 2.100, 2.101);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(1));
    const Connection& c = a.connections[0];
    QCOMPARE(a.clientIp(c).toString(), std::string("10.0.0.1"));
    QCOMPARE(a.serverIp(c).toString(), std::string("10.0.0.2"));
    QCOMPARE(c.clientPort, std::uint16_t(40000));
    QCOMPARE(c.serverPort, std::uint16_t(80));
    QVERIFY(c.has(Connection::SynSeen));
    QVERIFY(!c.has(Connection::RolesInferred));
    QVERIFY(!c.has(Connection::MidStream));
    QVERIFY(!c.has(Connection::OneSided));
    QVERIFY(!c.has(Connection::HalfClose));
    QCOMPARE(c.activeCloser, Closer::Client);
    QCOMPARE(c.closeKind, CloseKind::Fin);
    QCOMPARE(timeline(a, c, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@2.101000 CLOSED@62.101000"));
    QCOMPARE(timeline(a, c, Side::Server), join(kServerOpen, "CLOSE_WAIT@2.000000 LAST_ACK@2.100000 CLOSED@2.101000"));
    QCOMPARE(int(c.timeWaitCount), 1);
    QCOMPARE(c.timeWait[0].side, Side::Client);
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(2.101));
    QCOMPARE(c.timeWait[0].end, SegmentBuilder::t(62.101));
    QCOMPARE(c.timeWait[0].reason, TimeWaitEnd::Expired);
    QCOMPARE(c.finRetransmissions, std::uint16_t(0));
    QVERIFY(!c.has(Connection::LostFinalAck));
    QCOMPARE(c.isn[0], std::uint32_t(cisn));
    QCOMPARE(c.isn[1], std::uint32_t(sisn));
    QCOMPARE(c.start, SegmentBuilder::t(1.0));
    QCOMPARE(c.end, SegmentBuilder::t(2.101));
    QCOMPARE(c.packets[0], std::uint32_t(6));
    QCOMPARE(c.packets[1], std::uint32_t(4));
    QCOMPARE(c.payloadBytes[0], std::uint64_t(100));
    QCOMPARE(c.payloadBytes[1], std::uint64_t(3000));
    QCOMPARE(c.previousIncarnation, kNoIndex);
    QCOMPARE(c.nextIncarnation, kNoIndex);
    QCOMPARE(c.reuseGap, kNoTime);
    // Kept: SYN, SYN-ACK, handshake ACK, client FIN, server ACK of it, server FIN, final ACK.
    QCOMPARE(c.segmentCount, std::uint32_t(7));
    const auto kept = a.segmentsOf(c);
    QCOMPARE(kept[0].flags, std::uint8_t(tcpflag::SYN));
    QCOMPARE(kept[1].from(), Side::Server);
    QCOMPARE(kept[3].dataBefore, std::uint16_t(3)); // data, data, ACK between the handshake and the FIN
    QCOMPARE(kept[3].flags, std::uint8_t(tcpflag::FIN | tcpflag::ACK));
    QCOMPARE(kept[3].seq, std::uint32_t(cisn + 101));
    QCOMPARE(kept[4].from(), Side::Server);
    QCOMPARE(kept[6].ack, std::uint32_t(sisn + 3002));
    QCOMPARE(kept[6].frame, std::uint32_t(10));
    QVERIFY(kept[6].meta & ControlSegment::HasTimestamp);
    QVERIFY(c.has(Connection::TimestampsSeen));
}

void TstReconstructor::serverClose() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "192.0.2.7", 51515, "198.51.100.1", 443, cisn, sisn);
    opening(b);
    b.orderlyClose(From::Server, 2.0, 2.001, 2.1, 2.101);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(1));
    const Connection& c = a.connections[0];
    QCOMPARE(c.activeCloser, Closer::Server);
    QCOMPARE(c.closeKind, CloseKind::Fin);
    QCOMPARE(timeline(a, c, Side::Client), join(kClientOpen, "CLOSE_WAIT@2.000000 LAST_ACK@2.100000 CLOSED@2.101000"));
    QCOMPARE(timeline(a, c, Side::Server),
             join(kServerOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@2.101000 CLOSED@62.101000"));
    QCOMPARE(int(c.timeWaitCount), 1);
    QCOMPARE(c.timeWait[0].side, Side::Server);
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(2.101));
    QCOMPARE(c.timeWait[0].end, SegmentBuilder::t(62.101));
}

void TstReconstructor::simultaneousClose() {
    std::vector<Segment> segs;
    SegmentBuilder b = openedWithRowIsns(segs);
    b.freezeAcks(From::Server, true); // the server's FIN leaves before the client's FIN arrives
    b.fin(From::Client, 2.0);
    b.fin(From::Server, 2.0005);
    b.freezeAcks(From::Server, false);
    b.ack(From::Client, 2.001);
    b.end(From::Server).rcvNxt = b.end(From::Client).nxt;
    b.ack(From::Server, 2.0015);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QCOMPARE(c.activeCloser, Closer::Both);
    QCOMPARE(c.closeKind, CloseKind::Simultaneous);
    // Both sides go through CLOSING into TIME_WAIT (RFC 9293 §3.10.7.4).
    QCOMPARE(timeline(a, c, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 CLOSING@2.000500 TIME_WAIT@2.001500 CLOSED@62.001500"));
    QCOMPARE(timeline(a, c, Side::Server),
             join(kServerOpen, "FIN_WAIT_1@2.000500 CLOSING@2.001000 TIME_WAIT@2.001000 CLOSED@62.001000"));
    QCOMPARE(int(c.timeWaitCount), 2);
    QCOMPARE(c.timeWait[0].side, Side::Server);
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(2.001));
    QCOMPARE(c.timeWait[1].side, Side::Client);
    QCOMPARE(c.timeWait[1].start, SegmentBuilder::t(2.0015));
    QCOMPARE(c.timeWait[1].end, SegmentBuilder::t(62.0015));
    QVERIFY(!c.has(Connection::LostFinalAck));
}

void TstReconstructor::finAckingFinGoesStraightToTimeWait() {
    std::vector<Segment> segs;
    SegmentBuilder b = openedWithRowIsns(segs);
    b.fin(From::Client, 2.0);
    b.fin(From::Server, 2.001); // FIN that also ACKs the client's FIN
    b.ack(From::Client, 2.002);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QCOMPARE(c.activeCloser, Closer::Client);
    QCOMPARE(c.closeKind, CloseKind::Fin);
    QCOMPARE(timeline(a, c, Side::Client), join(kClientOpen, "FIN_WAIT_1@2.000000 TIME_WAIT@2.002000 CLOSED@62.002000"));
    QCOMPARE(timeline(a, c, Side::Server), join(kServerOpen, "CLOSE_WAIT@2.000000 LAST_ACK@2.001000 CLOSED@2.002000"));
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(2.002));
}

void TstReconstructor::halfCloseWithData() {
    std::vector<Segment> segs;
    SegmentBuilder b = openedWithRowIsns(segs);
    b.fin(From::Client, 2.0); // shutdown(SHUT_WR)
    b.ack(From::Server, 2.001);
    b.data(From::Server, 2.1, 1000);
    b.ack(From::Client, 2.101);
    b.data(From::Server, 2.2, 1000);
    b.ack(From::Client, 2.201);
    b.fin(From::Server, 3.0);
    b.ack(From::Client, 3.001);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QVERIFY(c.has(Connection::HalfClose));
    QCOMPARE(c.activeCloser, Closer::Client);
    QCOMPARE(c.closeKind, CloseKind::Fin);
    QCOMPARE(timeline(a, c, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@3.001000 CLOSED@63.001000"));
    QCOMPARE(timeline(a, c, Side::Server), join(kServerOpen, "CLOSE_WAIT@2.000000 LAST_ACK@3.000000 CLOSED@3.001000"));
    // SYN, SYN-ACK, ACK, FIN, ACK of it, two pure ACKs in the half-close, FIN, final ACK.
    QCOMPARE(c.segmentCount, std::uint32_t(9));
    QCOMPARE(a.segmentsOf(c)[5].dataBefore, std::uint16_t(1));
    QCOMPARE(c.payloadBytes[1], std::uint64_t(5000));
}

void TstReconstructor::halfClosedAtEndOfCapture() {
    std::vector<Segment> segs;
    SegmentBuilder b = openedWithRowIsns(segs);
    b.fin(From::Server, 2.0);
    b.ack(From::Client, 2.001);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QCOMPARE(c.closeKind, CloseKind::HalfClosed);
    QCOMPARE(c.activeCloser, Closer::Server);
    QVERIFY(!c.has(Connection::HalfClose)); // no data after the FIN
    QCOMPARE(int(c.timeWaitCount), 0);
    QCOMPARE(timeline(a, c, Side::Server), join(kServerOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000"));
    QCOMPARE(timeline(a, c, Side::Client), join(kClientOpen, "CLOSE_WAIT@2.000000"));
}

void TstReconstructor::rstClose() {
    std::vector<Segment> segs;
    SegmentBuilder b = openedWithRowIsns(segs);
    b.rst(From::Client, 2.0); // SO_LINGER 0
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QCOMPARE(c.closeKind, CloseKind::Rst);
    QCOMPARE(c.activeCloser, Closer::None);
    QCOMPARE(int(c.timeWaitCount), 0); // Linux keeps no TIME_WAIT after a RST
    QCOMPARE(timeline(a, c, Side::Client), join(kClientOpen, "CLOSED@2.000000"));
    QCOMPARE(timeline(a, c, Side::Server), join(kServerOpen, "CLOSED@2.000000"));
}

void TstReconstructor::finThenRst() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 3306, cisn, sisn);
    opening(b);
    b.fin(From::Client, 2.0);
    b.ack(From::Server, 2.001);
    b.rst(From::Client, 2.002);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QCOMPARE(c.closeKind, CloseKind::Rst);
    QCOMPARE(c.activeCloser, Closer::Client);
    QCOMPARE(int(c.timeWaitCount), 0);
    QVERIFY(!c.has(Connection::FinWait2Timeout)); // the server never sent its FIN
    QCOMPARE(timeline(a, c, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 CLOSED@2.002000"));
    QCOMPARE(timeline(a, c, Side::Server), join(kServerOpen, "CLOSE_WAIT@2.000000 CLOSED@2.002000"));
}

void TstReconstructor::finWait2TimeoutAnsweredByRst() {
    std::vector<Segment> segs;
    SegmentBuilder b = openedWithRowIsns(segs);
    b.fin(From::Client, 2.0);
    b.ack(From::Server, 2.001);
    b.fin(From::Server, 75.0); // after tcp_fin_timeout the client's orphaned FIN_WAIT_2 is gone
    b.raw(From::Client, 75.001, tcpflag::RST, b.end(From::Client).nxt, 0);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QVERIFY(c.has(Connection::FinWait2Timeout));
    QCOMPARE(int(c.timeWaitCount), 0);
    QCOMPARE(c.closeKind, CloseKind::Rst);
    QCOMPARE(c.activeCloser, Closer::Client);
    QCOMPARE(timeline(a, c, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 CLOSED@75.001000"));
    QCOMPARE(timeline(a, c, Side::Server),
             join(kServerOpen, "CLOSE_WAIT@2.000000 LAST_ACK@75.000000 CLOSED@75.001000"));
}

void TstReconstructor::lostFinalAckSeenBeforeTheLoss() {
    std::vector<Segment> segs;
    SegmentBuilder b = openedWithRowIsns(segs);
    b.fin(From::Client, 2.0);
    b.ack(From::Server, 2.001);
    b.fin(From::Server, 2.1);
    b.ack(From::Client, 2.101);      // captured, then lost on the way to the server
    b.finAgain(From::Server, 2.4);   // LAST_ACK retransmits its FIN
    b.ack(From::Client, 2.401);      // TIME_WAIT ACKs it again
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QVERIFY(c.has(Connection::LostFinalAck));
    QCOMPARE(c.finRetransmissions, std::uint16_t(1));
    QCOMPARE(c.closeKind, CloseKind::Fin);
    QCOMPARE(timeline(a, c, Side::Server), join(kServerOpen, "CLOSE_WAIT@2.000000 LAST_ACK@2.100000 CLOSED@2.401000"));
    QCOMPARE(timeline(a, c, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@2.101000 CLOSED@62.401000"));
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(2.401)); // from the LAST ACK
    QCOMPARE(c.timeWait[0].end, SegmentBuilder::t(62.401));
    QCOMPARE(c.segmentCount, std::uint32_t(9));
    QVERIFY(a.segmentsOf(c)[7].meta & ControlSegment::Retransmission);
}

void TstReconstructor::lostFinalAckSeenAfterTheLoss() {
    std::vector<Segment> segs;
    SegmentBuilder b = openedWithRowIsns(segs);
    b.fin(From::Client, 2.0);
    b.ack(From::Server, 2.001);
    b.fin(From::Server, 2.1);
    b.finAgain(From::Server, 2.4); // the final ACK was lost before the capture point
    b.ack(From::Client, 2.401);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QVERIFY(c.has(Connection::LostFinalAck));
    QCOMPARE(c.finRetransmissions, std::uint16_t(1));
    QCOMPARE(timeline(a, c, Side::Server), join(kServerOpen, "CLOSE_WAIT@2.000000 LAST_ACK@2.100000 CLOSED@2.401000"));
    QCOMPARE(timeline(a, c, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@2.401000 CLOSED@62.401000"));
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(2.401));
}

void TstReconstructor::finRetransmissionsRestartTimeWait() {
    std::vector<Segment> segs;
    SegmentBuilder b = openedWithRowIsns(segs);
    b.orderlyClose(From::Client, 2.0, 2.001, 2.1, 2.101);
    b.finAgain(From::Server, 2.5);
    b.ack(From::Client, 2.501);
    b.finAgain(From::Server, 3.3);
    b.ack(From::Client, 3.301);
    b.finAgain(From::Server, 4.9);
    b.ack(From::Client, 4.901);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QCOMPARE(c.finRetransmissions, std::uint16_t(3));
    QVERIFY(c.has(Connection::LostFinalAck));
    QCOMPARE(int(c.timeWaitCount), 1);
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(4.901)); // tcp_timewait_state_process restarted it
    QCOMPARE(c.timeWait[0].end, SegmentBuilder::t(64.901));
    QCOMPARE(timeline(a, c, Side::Server), join(kServerOpen, "CLOSE_WAIT@2.000000 LAST_ACK@2.100000 CLOSED@4.901000"));
    QCOMPARE(timeline(a, c, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@2.101000 CLOSED@64.901000"));
}

void TstReconstructor::dupAckMeansNoLostFinalAck() {
    std::vector<Segment> segs;
    SegmentBuilder b = openedWithRowIsns(segs);
    b.fin(From::Client, 2.0);
    b.ack(From::Server, 2.001);
    b.freezeAcks(From::Client, true); // the server's FIN does not reach the client
    b.fin(From::Server, 2.1);
    b.ack(From::Client, 2.15); // ACK short of the FIN
    b.freezeAcks(From::Client, false);
    b.end(From::Client).rcvNxt = b.end(From::Server).nxt;
    b.finAgain(From::Server, 2.4);
    b.ack(From::Client, 2.401);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QCOMPARE(c.finRetransmissions, std::uint16_t(1));
    QVERIFY(!c.has(Connection::LostFinalAck)); // the FIN was lost, not the final ACK
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(2.401));
}

void TstReconstructor::reuseCutsTimeWait() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, cisn, sisn);
    opening(b);
    b.orderlyClose(From::Client, 2.0, 2.001, 2.1, 2.101);
    SegmentBuilder b2(segs, "10.0.0.1", 40000, "10.0.0.2", 80, cisn + 100000, sisn + 65537);
    b2.handshake(3.351);
    b2.data(From::Client, 3.4, 10);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(2));
    const Connection& first = a.connections[0];
    const Connection& second = a.connections[1];
    QCOMPARE(first.nextIncarnation, std::uint32_t(1));
    QCOMPARE(second.previousIncarnation, std::uint32_t(0));
    QCOMPARE(second.reuseGap, SegmentBuilder::t(3.351) - SegmentBuilder::t(2.101));
    QCOMPARE(int(first.timeWaitCount), 1);
    QCOMPARE(first.timeWait[0].reason, TimeWaitEnd::Reused);
    QCOMPARE(first.timeWait[0].start, SegmentBuilder::t(2.101));
    QCOMPARE(first.timeWait[0].end, SegmentBuilder::t(3.351));
    QCOMPARE(timeline(a, first, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@2.101000 CLOSED@3.351000"));
    QCOMPARE(second.isn[0], std::uint32_t(cisn + 100000));
    QCOMPARE(second.closeKind, CloseKind::Open);
    QCOMPARE(timeline(a, second, Side::Client), QStringLiteral("SYN_SENT@3.351000 ESTABLISHED@3.352000"));
}

void TstReconstructor::rstInTimeWait_data() {
    QTest::addColumn<quint32>("cisn");
    QTest::addColumn<quint32>("sisn");
    QTest::addColumn<int>("rfc1337");
    QTest::addColumn<bool>("exactSeq");
    QTest::addColumn<bool>("killed");
    QTest::newRow("rfc1337=0 exact") << quint32(1000) << quint32(5000) << 0 << true << true;
    QTest::newRow("rfc1337=1 exact") << quint32(1000) << quint32(5000) << 1 << true << false;
    QTest::newRow("rfc1337=0 off by one") << quint32(1000) << quint32(5000) << 0 << false << false;
    QTest::newRow("wrap rfc1337=0 exact") << quint32(0xFFFFFFF0u) << quint32(0xFFFFFFFAu) << 0 << true << true;
    QTest::newRow("wrap rfc1337=1 exact") << quint32(0xFFFFFFF0u) << quint32(0xFFFFFFFAu) << 1 << true << false;
    QTest::newRow("wrap-server rfc1337=0 exact") << quint32(77) << quint32(0xFFFFFFFFu) << 0 << true << true;
}

void TstReconstructor::rstInTimeWait() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    QFETCH(int, rfc1337);
    QFETCH(bool, exactSeq);
    QFETCH(bool, killed);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, cisn, sisn);
    opening(b);
    b.orderlyClose(From::Client, 2.0, 2.001, 2.1, 2.101);
    // RFC 1337 assassination: an old segment reaches the TIME_WAIT client, which answers with its
    // teardown ACK; the server (no connection any more) answers that with a RST at the ACK's ack.
    const std::uint32_t serverNxt = b.end(From::Server).nxt;
    b.raw(From::Server, 10.0, tcpflag::ACK, sisn + 1000, cisn + 50);
    b.raw(From::Client, 10.0001, tcpflag::ACK, b.end(From::Client).nxt, serverNxt);
    b.raw(From::Server, 10.0002, tcpflag::RST, exactSeq ? serverNxt : serverNxt + 1, 0);
    Settings settings;
    settings.rfc1337.value = rfc1337;
    const Analysis a = reconstruct(segs, settings);
    const Connection& c = a.connections.at(0);
    QCOMPARE(c.closeKind, CloseKind::Fin); // the close itself was orderly
    QCOMPARE(int(c.timeWaitCount), 1);
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(10.0001)); // the ACK answering the stray restarted it
    if (killed) {
        QCOMPARE(c.timeWait[0].reason, TimeWaitEnd::Rst);
        QCOMPARE(c.timeWait[0].end, SegmentBuilder::t(10.0002));
        QCOMPARE(timeline(a, c, Side::Client),
                 join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@2.101000 CLOSED@10.000200"));
    } else {
        QCOMPARE(c.timeWait[0].reason, TimeWaitEnd::Expired);
        QCOMPARE(c.timeWait[0].end, SegmentBuilder::t(70.0001));
        QCOMPARE(timeline(a, c, Side::Client),
                 join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@2.101000 CLOSED@70.000100"));
    }
    QCOMPARE(timeline(a, c, Side::Server), join(kServerOpen, "CLOSE_WAIT@2.000000 LAST_ACK@2.100000 CLOSED@2.101000"));
    QCOMPARE(c.segmentCount, std::uint32_t(10)); // the strays are kept for the hazard detectors
}

void TstReconstructor::oldSynIntoTimeWait() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "127.1.0.1", 44736, "127.1.0.2", 8080, cisn, sisn);
    opening(b);
    b.fin(From::Server, 2.0);
    b.fin(From::Client, 2.001); // FIN that ACKs the server's FIN
    b.ack(From::Server, 2.002); // server in TIME_WAIT
    // Facts §4: a SYN whose sequence number is below the TIME_WAIT socket's RCV.NXT is answered
    // with an ACK; the client in SYN_SENT answers that with a RST at RCV.NXT, which kills the
    // TIME_WAIT (tcp_rfc1337 = 0); the SYN retransmitted 1 s later opens the new connection.
    const std::uint32_t newIsn = cisn - 5000;
    b.raw(From::Client, 3.0, tcpflag::SYN, newIsn, 0);
    b.raw(From::Server, 3.00002, tcpflag::ACK, b.end(From::Server).nxt, b.end(From::Client).nxt);
    b.raw(From::Client, 3.00003, tcpflag::RST, b.end(From::Client).nxt, 0);
    b.raw(From::Client, 4.0, tcpflag::SYN, newIsn, 0);
    b.raw(From::Server, 4.00001, tcpflag::SYN | tcpflag::ACK, sisn + 777777, newIsn + 1);
    b.raw(From::Client, 4.00002, tcpflag::ACK, newIsn + 1, sisn + 777778);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(2));
    const Connection& old = a.connections[0];
    const Connection& fresh = a.connections[1];
    QCOMPARE(old.segmentCount, std::uint32_t(8)); // the TIME_WAIT ACK and the RST stay with it
    QCOMPARE(int(old.timeWaitCount), 1);
    QCOMPARE(old.timeWait[0].side, Side::Server);
    QCOMPARE(old.timeWait[0].start, SegmentBuilder::t(2.002)); // the SYN (no ACK) did not restart it
    QCOMPARE(old.timeWait[0].end, SegmentBuilder::t(3.00003));
    QCOMPARE(old.timeWait[0].reason, TimeWaitEnd::Rst);
    QCOMPARE(timeline(a, old, Side::Server),
             join(kServerOpen, "FIN_WAIT_1@2.000000 TIME_WAIT@2.002000 CLOSED@3.000030"));
    QCOMPARE(fresh.previousIncarnation, std::uint32_t(0));
    QCOMPARE(fresh.reuseGap, SegmentBuilder::t(3.0) - SegmentBuilder::t(2.002));
    QCOMPARE(timeline(a, fresh, Side::Client), QStringLiteral("SYN_SENT@3.000000 ESTABLISHED@4.000010"));
    QCOMPARE(timeline(a, fresh, Side::Server), QStringLiteral("SYN_RECV@4.000010 ESTABLISHED@4.000020"));
    QVERIFY(a.segmentsOf(fresh)[1].meta & ControlSegment::Retransmission);
    QCOMPARE(fresh.closeKind, CloseKind::Open);
}

void TstReconstructor::tapDuplicatesAreNotRetransmissions() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, cisn, sisn);
    b.syn(1.0);
    b.duplicateLast(0.000005);
    b.synAck(1.001);
    b.duplicateLast(0.000236); // tcpdump-pptp.pcap's largest gap
    b.ack(From::Client, 1.002);
    b.data(From::Client, 1.010, 100);
    b.duplicateLast(0.000100);
    b.data(From::Server, 1.020, 3000);
    b.ack(From::Client, 1.021);
    b.fin(From::Client, 2.0);
    b.duplicateLast(0.000005);
    b.duplicateLast(0.001005); // arkime-wireshark-retrans.pcap: a third copy 1 ms later
    b.ack(From::Server, 2.001);
    b.fin(From::Server, 2.1);
    b.duplicateLast(0.000120);
    b.ack(From::Client, 2.101);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(1));
    const Connection& c = a.connections[0];
    QCOMPARE(c.finRetransmissions, std::uint16_t(0));
    QVERIFY(!c.has(Connection::LostFinalAck));
    QCOMPARE(c.packets[0], std::uint32_t(6));
    QCOMPARE(c.packets[1], std::uint32_t(4));
    QCOMPARE(c.payloadBytes[0], std::uint64_t(100));
    QCOMPARE(timeline(a, c, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@2.101000 CLOSED@62.101000"));
    int duplicates = 0;
    for (const ControlSegment& s : a.segmentsOf(c))
        duplicates += (s.meta & ControlSegment::TapDuplicate) ? 1 : 0;
    QCOMPARE(duplicates, 5); // the copies of SYN, SYN-ACK, FIN x2, FIN; not the data copy
    QCOMPARE(c.segmentCount, std::uint32_t(12));
}

void TstReconstructor::synRetransmissionSameIncarnation() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, cisn, sisn);
    b.syn(1.0);
    b.raw(From::Client, 2.0, tcpflag::SYN, cisn, 0); // tcp_retransmit_skb: same ISN, 1 s later
    b.raw(From::Client, 4.0, tcpflag::SYN, cisn, 0);
    b.synAck(4.001);
    b.ack(From::Client, 4.002);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(1));
    const Connection& c = a.connections[0];
    QCOMPARE(timeline(a, c, Side::Client), QStringLiteral("SYN_SENT@1.000000 ESTABLISHED@4.001000"));
    QCOMPARE(timeline(a, c, Side::Server), QStringLiteral("SYN_RECV@4.001000 ESTABLISHED@4.002000"));
    const auto kept = a.segmentsOf(c);
    QVERIFY(!(kept[0].meta & ControlSegment::Retransmission));
    QVERIFY(kept[1].meta & ControlSegment::Retransmission);
    QVERIFY(kept[2].meta & ControlSegment::Retransmission);
    QCOMPARE(c.packets[0], std::uint32_t(4));
}

void TstReconstructor::newIsnMidHandshakeIsNewIncarnation() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "192.0.2.10", 40003, "198.51.100.5", 8080, cisn, sisn);
    b.syn(1.0);
    b.synAck(1.001);
    // The client never ACKed: a SYN with a new ISN is a new connect() (a SYN_SENT socket keeps its ISN).
    SegmentBuilder b2(segs, "192.0.2.10", 40003, "198.51.100.5", 8080, cisn + 7777, sisn + 3);
    b2.syn(1.1);
    b2.synAck(1.101);
    b2.ack(From::Client, 1.102);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(2));
    // The SYN-ACK passed the capture point, so by the capture's account the client got it.
    QCOMPARE(timeline(a, a.connections[0], Side::Client), QStringLiteral("SYN_SENT@1.000000 ESTABLISHED@1.001000"));
    QCOMPARE(timeline(a, a.connections[0], Side::Server), QStringLiteral("SYN_RECV@1.001000"));
    QCOMPARE(a.connections[0].closeKind, CloseKind::Open);
    QCOMPARE(a.connections[1].previousIncarnation, std::uint32_t(0));
    // Never closed: the gap is measured from its last segment.
    QCOMPARE(a.connections[1].reuseGap, SegmentBuilder::t(1.1) - SegmentBuilder::t(1.001));
    QCOMPARE(a.connections[1].isn[0], std::uint32_t(cisn + 7777));
    QCOMPARE(timeline(a, a.connections[1], Side::Client), QStringLiteral("SYN_SENT@1.100000 ESTABLISHED@1.101000"));
}

void TstReconstructor::silenceRule_data() {
    QTest::addColumn<double>("synAt");
    QTest::addColumn<int>("connections");
    QTest::newRow("59 s of silence: same connection") << 60.020 << 1;
    QTest::newRow("60 s of silence: new incarnation") << 61.021 << 2;
}

void TstReconstructor::silenceRule() {
    QFETCH(double, synAt);
    QFETCH(int, connections);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, 0xFFFFFFF0u, 5000);
    opening(b); // last segment at 1.021
    SegmentBuilder b2(segs, "10.0.0.1", 40000, "10.0.0.2", 80, 123456, 654321);
    b2.syn(synAt);
    const Analysis a = reconstruct(segs);
    QCOMPARE(int(a.connections.size()), connections);
    if (connections == 2) {
        QCOMPARE(a.connections[0].closeKind, CloseKind::Open);
        QCOMPARE(a.connections[1].previousIncarnation, std::uint32_t(0));
        QCOMPARE(a.connections[1].reuseGap, SegmentBuilder::t(synAt) - SegmentBuilder::t(1.021));
    } else {
        // An anomaly inside the live connection (RFC 5961 §4 challenge-ACK territory), kept for the hazards.
        QCOMPARE(a.connections[0].segmentCount, std::uint32_t(4));
        QCOMPARE(a.connections[0].isn[0], 0xFFFFFFF0u);
    }
}

void TstReconstructor::midStreamRolesInferred_data() {
    QTest::addColumn<quint16>("portA");
    QTest::addColumn<quint16>("portB");
    QTest::addColumn<bool>("firstFromA");
    QTest::addColumn<quint16>("clientPort");
    QTest::newRow("well-known port is the server") << quint16(443) << quint16(51000) << true << quint16(51000);
    QTest::newRow("lower port is the server") << quint16(40000) << quint16(5432) << false << quint16(40000);
    QTest::newRow("equal ports: first sender is the client") << quint16(7000) << quint16(7000) << false << quint16(7000);
}

void TstReconstructor::midStreamRolesInferred() {
    QFETCH(quint16, portA);
    QFETCH(quint16, portB);
    QFETCH(bool, firstFromA);
    QFETCH(quint16, clientPort);
    std::vector<Segment> segs;
    // A is the builder's "client" end only as a way to build segments; the engine must guess.
    SegmentBuilder b(segs, "10.0.0.1", portA, "10.0.0.2", portB, 0xFFFFFFF0u, 0xFFFFFF00u);
    const From first = firstFromA ? From::Client : From::Server;
    const From second = firstFromA ? From::Server : From::Client;
    b.data(first, 1.0, 500);
    b.ack(second, 1.001);
    b.data(second, 1.1, 20);
    b.ack(first, 1.101);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(1));
    const Connection& c = a.connections[0];
    QVERIFY(c.has(Connection::RolesInferred));
    QVERIFY(c.has(Connection::MidStream));
    QVERIFY(!c.has(Connection::SynSeen));
    QCOMPARE(c.clientPort, std::uint16_t(clientPort));
    const bool clientIsA = portA == portB ? firstFromA : clientPort == portA;
    const Side firstSide = (firstFromA == clientIsA) ? Side::Client : Side::Server;
    QCOMPARE(timeline(a, c, firstSide), QStringLiteral("ESTABLISHED@1.000000"));
    QCOMPARE(timeline(a, c, other(firstSide)), QStringLiteral("ESTABLISHED@1.001000"));
    QCOMPARE(c.closeKind, CloseKind::Open);
    QCOMPARE(c.segmentCount, std::uint32_t(2)); // the first segment of each direction
}

void TstReconstructor::rolesFromSynAck() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    // The SYN was not captured: the SYN-ACK's receiver is the client, even with the lower port.
    SegmentBuilder b(segs, "10.0.0.1", 80, "10.0.0.2", 50000, cisn, sisn);
    b.end(From::Client).nxt = cisn + 1;
    b.end(From::Server).rcvNxt = cisn + 1;
    b.synAck(1.001);
    b.ack(From::Client, 1.002);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QVERIFY(!c.has(Connection::RolesInferred));
    QVERIFY(!c.has(Connection::SynSeen));
    QVERIFY(!c.has(Connection::MidStream));
    QCOMPARE(c.clientPort, std::uint16_t(80));
    QCOMPARE(c.isn[1], std::uint32_t(sisn));
    QCOMPARE(timeline(a, c, Side::Server), QStringLiteral("SYN_RECV@1.001000 ESTABLISHED@1.002000"));
    QCOMPARE(timeline(a, c, Side::Client), QStringLiteral("ESTABLISHED@1.002000"));
}

void TstReconstructor::oneSidedCapture() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> all;
    SegmentBuilder b(all, "10.0.0.1", 40000, "10.0.0.2", 22, cisn, sisn);
    opening(b);
    b.fin(From::Client, 2.0);
    b.ack(From::Server, 2.001);
    b.finAgain(From::Client, 2.3);
    std::vector<Segment> segs; // only client -> server was captured
    for (const Segment& s : all)
        if (s.srcPort == 40000)
            segs.push_back(s);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QVERIFY(c.has(Connection::OneSided));
    QVERIFY(!c.has(Connection::RolesInferred));
    QCOMPARE(c.packets[1], std::uint32_t(0));
    QCOMPARE(c.closeKind, CloseKind::HalfClosed);
    QCOMPARE(c.activeCloser, Closer::Client);
    QCOMPARE(c.finRetransmissions, std::uint16_t(1));
    QVERIFY(!c.has(Connection::LostFinalAck)); // the active closer's FIN
    QCOMPARE(timeline(a, c, Side::Client), QStringLiteral("SYN_SENT@1.000000 ESTABLISHED@1.002000 FIN_WAIT_1@2.000000"));
    QCOMPARE(timeline(a, c, Side::Server), QStringLiteral("ESTABLISHED@1.002000 CLOSE_WAIT@2.000000"));
}

void TstReconstructor::connectionRefused() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 20000, cisn, sisn);
    b.syn(1.0);
    b.raw(From::Server, 1.0001, tcpflag::RST | tcpflag::ACK, 0, cisn + 1);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    QCOMPARE(c.closeKind, CloseKind::Rst);
    QCOMPARE(c.activeCloser, Closer::None);
    QCOMPARE(timeline(a, c, Side::Client), QStringLiteral("SYN_SENT@1.000000 CLOSED@1.000100"));
    QCOMPARE(timeline(a, c, Side::Server), QStringLiteral("CLOSED@1.000100"));
}

void TstReconstructor::rstNotAckingSynIsIgnored() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "1.2.0.2", 2527, "1.2.0.3", 6649, cisn, sisn);
    b.syn(1.0);
    // RFC 9293 §3.10.7.3: in SYN_SENT only a RST that ACKs the SYN counts (zeek-rst-inject-rae.pcap).
    b.raw(From::Server, 1.2, tcpflag::RST | tcpflag::ACK, 0, cisn);
    b.synAck(2.2);
    b.ack(From::Client, 2.201);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(1));
    const Connection& c = a.connections[0];
    QCOMPARE(c.closeKind, CloseKind::Open);
    QCOMPARE(timeline(a, c, Side::Client), QStringLiteral("SYN_SENT@1.000000 ESTABLISHED@2.200000"));
    QCOMPARE(timeline(a, c, Side::Server), QStringLiteral("SYN_RECV@2.200000 ESTABLISHED@2.201000"));
}

void TstReconstructor::vlanSeparatesKeys() {
    std::vector<Segment> segs;
    const std::uint64_t vlan42 = 42 | 0x1000;
    const std::uint64_t qinq = ((10ull | 0x1000) << 16) | (20 | 0x1000);
    SegmentBuilder untagged(segs, "141.142.228.5", 59856, "192.150.187.43", 80, 1000, 5000);
    SegmentBuilder tagged(segs, "141.142.228.5", 59856, "192.150.187.43", 80, 1000, 5000, vlan42);
    SegmentBuilder stacked(segs, "141.142.228.5", 59856, "192.150.187.43", 80, 1000, 5000, qinq);
    tagged.setSalt(1);
    stacked.setSalt(2);
    for (SegmentBuilder* b : {&untagged, &tagged, &stacked}) {
        opening(*b);
        b->fin(From::Client, 2.0);
        b->ack(From::Server, 2.001);
        b->fin(From::Server, 2.1);
        b->ack(From::Client, 2.101);
    }
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(3));
    QCOMPARE(a.vlanStacks.size(), std::size_t(3));
    QCOMPARE(a.vlanStacks[0], std::uint64_t(0));
    QCOMPARE(a.addresses.size(), std::size_t(2));
    std::vector<std::uint64_t> stacks;
    for (const Connection& c : a.connections) {
        stacks.push_back(a.vlanStacks[c.vlan]);
        QCOMPARE(c.closeKind, CloseKind::Fin);
        QCOMPARE(c.activeCloser, Closer::Client);
        QCOMPARE(c.finRetransmissions, std::uint16_t(0));
        QCOMPARE(c.previousIncarnation, kNoIndex);
        QCOMPARE(c.segmentCount, std::uint32_t(7));
    }
    std::sort(stacks.begin(), stacks.end());
    QCOMPARE(stacks, (std::vector<std::uint64_t>{0, vlan42, qinq}));
}

void TstReconstructor::strayAfterEvictionIsLinkedIncarnation() {
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
    opening(b);
    b.orderlyClose(From::Client, 2.0, 2.001, 2.1, 2.101);
    // Other traffic moves the clock on so the closed connection is finalised (evicted)...
    std::vector<Segment> filler;
    for (int i = 0; i < 70000; ++i) {
        SegmentBuilder f(filler, "10.9.0.1", static_cast<std::uint16_t>(1024 + i % 60000), "10.9.0.2", 9,
                         static_cast<std::uint32_t>(i), 1);
        f.syn(3.0 + i * 0.001);
    }
    segs.insert(segs.end(), filler.begin(), filler.end());
    // ...and a stray ACK on the old key 100 s later opens a new (mid-stream) incarnation.
    b.raw(From::Server, 100.0, tcpflag::ACK, b.end(From::Server).nxt, b.end(From::Server).rcvNxt);
    const Analysis a = reconstruct(segs);
    std::vector<const Connection*> onKey;
    for (const Connection& c : a.connections)
        if (a.clientIp(c).toString() == "10.0.0.1")
            onKey.push_back(&c);
    QCOMPARE(onKey.size(), std::size_t(2));
    QCOMPARE(onKey[0]->nextIncarnation, onKey[1]->id);
    QCOMPARE(onKey[1]->previousIncarnation, onKey[0]->id);
    QCOMPARE(onKey[1]->reuseGap, kNoTime); // no SYN: not a reuse
    QVERIFY(onKey[1]->has(Connection::MidStream));
    QCOMPARE(onKey[0]->timeWait[0].reason, TimeWaitEnd::Expired);
    QCOMPARE(onKey[0]->timeWait[0].end, SegmentBuilder::t(62.101));
}

void TstReconstructor::halfCloseKeepsAtMostTheCap() {
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, 0xFFFFFF00u, 0xFFFFFFF0u);
    opening(b);
    b.fin(From::Client, 2.0);
    b.ack(From::Server, 2.001);
    for (int i = 0; i < 500; ++i) {
        b.data(From::Server, 3.0 + i * 0.01, 1000);
        b.ack(From::Client, 3.0 + i * 0.01 + 0.0001);
    }
    b.fin(From::Server, 9.0);
    b.ack(From::Client, 9.001);
    const Analysis a = reconstruct(segs);
    const Connection& c = a.connections.at(0);
    // 5 before the half-close, 64 pure ACKs (the cap), the server FIN and the final ACK.
    QCOMPARE(c.segmentCount, std::uint32_t(5 + 64 + 2));
    QVERIFY(c.has(Connection::HalfClose));
    QCOMPARE(c.payloadBytes[1], std::uint64_t(3000 + 500 * 1000));
    QCOMPARE(timeline(a, c, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@9.001000 CLOSED@69.001000"));
    const auto kept = a.segmentsOf(c);
    QCOMPARE(kept[c.segmentCount - 2].dataBefore, std::uint16_t(2 * (500 - 64))); // data and ACKs after the last kept ACK
}

// What a connection came out as, for comparing two finalisations: every field but where its
// runs sit in the arrays, its decoded segments and its states.
std::string connectionText(const Analysis& a, const Connection& c) {
    std::string t = std::to_string(c.id) + " " + a.clientIp(c).toString() + ":" + std::to_string(c.clientPort) + " " +
                    std::to_string(c.start) + ".." + std::to_string(c.end) + " prev " + std::to_string(c.previousIncarnation) +
                    " next " + std::to_string(c.nextIncarnation) + " gap " + std::to_string(c.reuseGap) + " closer " +
                    std::to_string(int(c.activeCloser)) + " kind " + std::to_string(int(c.closeKind)) + " flags " +
                    std::to_string(c.flags) + " tw";
    for (std::uint8_t w = 0; w < c.timeWaitCount; ++w)
        t += " " + std::to_string(int(c.timeWait[w].side)) + "@" + std::to_string(c.timeWait[w].start) + "-" +
             std::to_string(c.timeWait[w].end) + "/" + std::to_string(int(c.timeWait[w].reason));
    for (const ControlSegment& s : a.segmentsOf(c))
        t += " s" + std::to_string(s.ts) + "," + std::to_string(s.seq) + "," + std::to_string(s.ack) + "," +
             std::to_string(s.frame) + "," + std::to_string(s.flags) + "," + std::to_string(s.meta) + "," + std::to_string(s.dataBefore);
    for (const StateChange& st : a.statesOf(c))
        t += " " + std::to_string(st.segment) + ":" + std::to_string(int(st.state)) + ":" + std::to_string(int(st.side));
    return t;
}

// The Finaliser makes the Connections batch by batch when they were created in start order, and
// all first (then sorted) when the clock went back; with one thread or two. Every way gives the
// same connections, in start order, with the 4-tuples reopened later linked to their first
// incarnations. 9000 connections: more than a chunk of the connection store (4096) and several
// batches (2048) per thread.
void TstReconstructor::finaliserThreadsAndOrderAgree() {
    std::vector<Segment> segs;
    constexpr int kConnections = 9000;
    constexpr int kReopened = 1000; // the last ones reuse the first ones' 4-tuples
    for (int i = 0; i < kConnections; ++i) {
        const int tuple = i < kConnections - kReopened ? i : i - (kConnections - kReopened);
        const std::string client = "10.1." + std::to_string(tuple / 200) + "." + std::to_string(tuple % 200 + 1);
        SegmentBuilder b(segs, client.c_str(), static_cast<std::uint16_t>(30000 + tuple % 7), "10.2.0.1", 80,
                         1000u + static_cast<std::uint32_t>(i) * 7919u, 5000u + static_cast<std::uint32_t>(i) * 104729u);
        const double t0 = 1.0 + i * 0.01;
        b.handshake(t0);
        if (i % 5 == 0)
            b.rst(From::Server, t0 + 0.5);
        else
            b.orderlyClose(i % 2 ? From::Client : From::Server, t0 + 0.5, t0 + 0.501, t0 + 0.6, t0 + 0.601);
    }
    std::stable_sort(segs.begin(), segs.end(), [](const Segment& x, const Segment& y) { return x.ts < y.ts; });
    // The clock steps back: the second half of the capture comes first.
    std::vector<Segment> stepped(segs.begin() + static_cast<std::ptrdiff_t>(segs.size() / 2), segs.end());
    stepped.insert(stepped.end(), segs.begin(), segs.begin() + static_cast<std::ptrdiff_t>(segs.size() / 2));

    for (const auto* input : {&segs, &stepped}) {
        std::vector<std::string> reference;
        for (const unsigned threads : {1u, 2u}) {
            Analysis a;
            Reconstructor r(a);
            r.segments(*input);
            r.finish(threads);
            if (input == &segs) {
                QCOMPARE(a.connections.size(), std::size_t(kConnections));
                QCOMPARE(a.connections[kConnections - kReopened].previousIncarnation, std::uint32_t(0));
                QCOMPARE(a.connections[0].nextIncarnation, std::uint32_t(kConnections - kReopened));
            } else {
                // The connections open across the step come apart: their segments after it
                // arrive first and start connections of their own, mid-stream.
                QVERIFY(a.connections.size() > std::size_t(kConnections));
            }
            QCOMPARE(layoutProblem(a), std::string());
            std::vector<std::string> got;
            for (std::size_t i = 0; i < a.connections.size(); ++i) {
                QCOMPARE(a.connections[i].id, std::uint32_t(i));
                if (i > 0)
                    QVERIFY(a.connections[i - 1].start <= a.connections[i].start);
                got.push_back(connectionText(a, a.connections[i]));
            }
            if (reference.empty())
                reference = got;
            else
                QVERIFY(got == reference);
        }
    }
}

namespace {
// Every field of a kept segment, for exact comparisons.
std::string fields(const ControlSegment& s) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "ts=%lld seq=%u ack=%u frame=%u tsVal=%u payload=%u dataBefore=%u flags=0x%02x meta=0x%02x link=%u",
                  static_cast<long long>(s.ts), s.seq, s.ack, s.frame, s.tsVal, unsigned(s.payload), unsigned(s.dataBefore),
                  unsigned(s.flags), unsigned(s.meta), unsigned(s.link));
    return buf;
}
std::string fields(TimeNs ts, std::uint32_t seq, std::uint32_t ack, std::uint32_t frame, std::uint32_t tsVal,
                   std::uint16_t dataBefore, std::uint8_t flags, std::uint8_t meta) {
    ControlSegment c;
    c.ts = ts, c.seq = seq, c.ack = ack, c.frame = frame, c.tsVal = tsVal;
    c.dataBefore = dataBefore, c.flags = flags, c.meta = meta;
    return fields(c);
}
} // namespace

// A frozen zero-length ACK's first two repeats are held (not kept) until the third shows the run
// (RFC 1337 H2), then kept in place: each exactly the segment it would have been had it been kept
// on arrival, rebuilt from what was held and the run's seq/ack. One run per direction, with
// distinct flags, timestamp options and unkept segments before each repeat.
void TstReconstructor::frozenAckHeldRepeatsKeptWhole() {
    QFETCH(quint32, cisn);
    QFETCH(quint32, sisn);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, cisn, sisn);
    opening(b); // frames 1-6; the client's ACK at 1.021 (frame 6) begins its run
    segs.back().flags |= tcpflag::ECE;
    b.freezeAcks(From::Client, true);
    b.data(From::Server, 1.030, 500);                 // 7
    Segment& second = b.ack(From::Client, 1.031);     // 8
    second.hasTimestamp = false;
    second.optionsTruncated = true;
    b.data(From::Server, 1.040, 500);                 // 9
    b.ack(From::Client, 1.041);                       // 10: the third, kept
    b.freezeAcks(From::Client, false);
    b.freezeAcks(From::Server, true);
    b.data(From::Client, 1.050, 10);                  // 11
    b.ack(From::Server, 1.051).flags |= tcpflag::CWR; // 12
    b.data(From::Client, 1.060, 10);                  // 13
    b.ack(From::Server, 1.061);                       // 14
    b.data(From::Client, 1.070, 10);                  // 15
    b.ack(From::Server, 1.071);                       // 16: the third, kept
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(1));
    const Connection& c = a.connections[0];
    QCOMPARE(c.segmentCount, std::uint32_t(9)); // SYN, SYN-ACK, handshake ACK, then both runs whole
    const auto kept = a.segmentsOf(c);
    const std::uint32_t cSeq = cisn + 101, cAck = sisn + 3001;
    const std::uint32_t sSeq = sisn + 4001, sAck = cisn + 101;
    const std::uint8_t ack = tcpflag::ACK;
    using CS = ControlSegment;
    // The client's run: frame 6 after the unkept data of frames 4 and 5, frame 8 after frame 7.
    QCOMPARE(fields(kept[3]), fields(SegmentBuilder::t(1.021), cSeq, cAck, 6, 100 + 1021, 2, ack | tcpflag::ECE, CS::HasTimestamp));
    QCOMPARE(fields(kept[4]), fields(SegmentBuilder::t(1.031), cSeq, cAck, 8, 0, 1, ack, CS::OptionsCut));
    QCOMPARE(fields(kept[5]), fields(SegmentBuilder::t(1.041), cSeq, cAck, 10, 100 + 1041, 1, ack, CS::HasTimestamp));
    // The server's: frame 12 after frame 11, frame 14 after frame 13.
    QCOMPARE(fields(kept[6]), fields(SegmentBuilder::t(1.051), sSeq, sAck, 12, 100 + 1051, 1, ack | tcpflag::CWR,
                                     CS::FromServer | CS::HasTimestamp));
    QCOMPARE(fields(kept[7]), fields(SegmentBuilder::t(1.061), sSeq, sAck, 14, 100 + 1061, 1, ack, CS::FromServer | CS::HasTimestamp));
    QCOMPARE(fields(kept[8]), fields(SegmentBuilder::t(1.071), sSeq, sAck, 16, 100 + 1071, 1, ack, CS::FromServer | CS::HasTimestamp));
    QCOMPARE(layoutProblem(a), std::string());
}

// Segments in the old sequence space after the 4-tuple reopened go to the earlier incarnation
// (SegmentTracker::routeToPrevious): a passive closer that keeps resending its FIN to a client
// already on its next SYN. They are counted, but kept only up to kMaxKept like any connection's,
// so a state change can always name its segment (StateChange::segment is 16 bits).
void TstReconstructor::lateSegmentsOfAnEarlierIncarnationAreCapped() {
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 2000);
    b.handshake(1.0);
    b.orderlyClose(From::Client, 2.0, 2.001, 2.1, 2.101);
    SegmentBuilder again(segs, "10.0.0.1", 40000, "10.0.0.2", 80, 900000, 3000);
    again.syn(3.0);
    constexpr int kRepeats = recon::SegmentTracker::kMaxKept + 100;
    for (int i = 0; i < kRepeats; ++i)
        b.finAgain(From::Server, 3.0 + (i + 1) * 1e-5);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(2));
    const Connection& first = a.connections[0];
    QCOMPARE(first.packets[1], std::uint32_t(3 + kRepeats)); // SYN-ACK, ACK of the FIN, FIN, the repeats
    QCOMPARE(first.segmentCount, std::uint32_t(recon::SegmentTracker::kMaxKept));
    QCOMPARE(first.end, SegmentBuilder::t(3.0 + kRepeats * 1e-5));
    QCOMPARE(a.connections[1].previousIncarnation, std::uint32_t(0));
    for (const StateChange& st : a.statesOf(first))
        QVERIFY(st.segment == StateChange::kTimerSegment || st.segment < first.segmentCount);
}

void TstReconstructor::orderingAndContiguity() {
    std::vector<Segment> segs;
    SegmentBuilder b1(segs, "10.0.0.1", 40001, "10.0.0.2", 80, 1, 2);
    SegmentBuilder b2(segs, "10.0.0.3", 40002, "10.0.0.2", 80, 3, 4);
    SegmentBuilder b3(segs, "10.0.0.1", 40003, "10.0.0.2", 80, 5, 6);
    b2.handshake(0.5);
    b1.handshake(1.0);
    b3.handshake(1.0005);
    b1.fin(From::Client, 2.0);
    b2.fin(From::Server, 2.01);
    b3.rst(From::Server, 2.02);
    b1.ack(From::Server, 2.03);
    b2.ack(From::Client, 2.04);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(3));
    for (std::uint32_t i = 0; i < 3; ++i) {
        const Connection& c = a.connections[i];
        QCOMPARE(c.id, i);
        if (i > 0)
            QVERIFY(a.connections[i - 1].start <= c.start);
    }
    QCOMPARE(layoutProblem(a), std::string());
    QCOMPARE(a.connections[0].clientPort, std::uint16_t(40002));
    QCOMPARE(a.connections[1].clientPort, std::uint16_t(40001));
    QCOMPARE(a.connections[2].clientPort, std::uint16_t(40003));
    QCOMPARE(a.connections[0].segmentCount, std::uint32_t(5));
    QCOMPARE(a.connections[2].closeKind, CloseKind::Rst);
    QCOMPARE(a.segmentsOf(a.connections[2])[3].flags, std::uint8_t(tcpflag::RST | tcpflag::ACK));
    QCOMPARE(a.segmentsOf(a.connections[2])[3].from(), Side::Server);
}

void TstReconstructor::timestampsSeen() {
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, 1, 2);
    b.end(From::Server).hasTs = false;
    opening(b);
    SegmentBuilder b2(segs, "10.0.0.1", 40001, "10.0.0.2", 80, 1, 2);
    opening(b2);
    const Analysis a = reconstruct(segs);
    QVERIFY(!a.connections.at(0).has(Connection::TimestampsSeen));
    QVERIFY(a.connections.at(1).has(Connection::TimestampsSeen));
    const ControlSegment synAck = a.segmentsOf(a.connections[1])[1];
    QVERIFY(synAck.meta & ControlSegment::HasTimestamp);
    QCOMPARE(synAck.tsVal, std::uint32_t(100 + 1001));
}

void TstReconstructor::tapDuplicateWindowCalibration_data() {
    QTest::addColumn<double>("gap");
    QTest::addColumn<int>("retransmissions");
    QTest::newRow("5 us copy") << 0.000005 << 0;
    QTest::newRow("5.6 ms copy (arkime-wireshark-retrans)") << 0.005630 << 0;
    QTest::newRow("10 ms copy") << 0.010 << 0;
    QTest::newRow("identical bytes 200 ms later: a retransmission") << 0.200 << 1;
}

void TstReconstructor::tapDuplicateWindowCalibration() {
    QFETCH(double, gap);
    QFETCH(int, retransmissions);
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
    opening(b);
    b.fin(From::Client, 2.0);
    b.duplicateLast(gap);
    const Analysis a = reconstruct(segs);
    QCOMPARE(int(a.connections.at(0).finRetransmissions), retransmissions);
}

// A stored connection becomes the same Connection field for field, its 48-bit payload counts
// exact up to 2^48 - 1 and saturating there, never wrapping.
void TstReconstructor::openedConnectionFieldsAndSaturation() {
    using recon::ByteCount48;
    constexpr std::uint64_t kMax = ByteCount48::kMax;
    QCOMPARE(kMax, std::uint64_t(0xFFFFFFFFFFFFULL));
    ByteCount48 n;
    QCOMPARE(n.value(), std::uint64_t(0));
    n.set(0x123456789ABCULL); // every 16-bit word distinct
    QCOMPARE(n.value(), std::uint64_t(0x123456789ABCULL));
    n.set(0x1234FFFFFFFFULL);
    n.add(1); // carries across two words
    QCOMPARE(n.value(), std::uint64_t(0x123500000000ULL));
    n.set(kMax);
    QCOMPARE(n.value(), kMax);
    n.set(kMax + 1);
    QCOMPARE(n.value(), kMax);
    n.set(UINT64_MAX);
    QCOMPARE(n.value(), kMax);
    n.set(kMax - 10);
    n.add(10);
    QCOMPARE(n.value(), kMax);
    n.add(1);
    QCOMPARE(n.value(), kMax);
    n.set(5);
    n.add(UINT64_MAX);
    QCOMPARE(n.value(), kMax);

    recon::OpenedConnection o;
    o.start = 11;
    o.end = 22;
    o.clientAddr = 3;
    o.serverAddr = 4;
    o.vlan = 5;
    o.firstSegment = 6;
    o.segmentCount = 70000;
    o.packets = {8, 9};
    o.payloadBytes[0].set(0xFEDCBA987654ULL);
    o.payloadBytes[1].set(kMax + 1);
    o.clientPort = 40000;
    o.serverPort = 80;
    o.input = 12;
    o.set(Connection::HalfClose, true);
    o.set(Connection::SynSeen, true);
    const Connection c = o.toConnection(13);
    QCOMPARE(c.id, std::uint32_t(13));
    QCOMPARE(c.start, TimeNs(11));
    QCOMPARE(c.end, TimeNs(22));
    QCOMPARE(c.clientAddr, std::uint32_t(3));
    QCOMPARE(c.serverAddr, std::uint32_t(4));
    QCOMPARE(c.vlan, std::uint32_t(5));
    QCOMPARE(c.firstSegment, std::uint32_t(6));
    QCOMPARE(c.segmentCount, std::uint32_t(70000));
    QCOMPARE(c.packets[0], std::uint32_t(8));
    QCOMPARE(c.packets[1], std::uint32_t(9));
    QCOMPARE(c.payloadBytes[0], std::uint64_t(0xFEDCBA987654ULL));
    QCOMPARE(c.payloadBytes[1], kMax);
    QCOMPARE(c.clientPort, std::uint16_t(40000));
    QCOMPARE(c.serverPort, std::uint16_t(80));
    QCOMPARE(c.input, std::uint16_t(12));
    QCOMPARE(c.flags, std::uint16_t(Connection::HalfClose | Connection::SynSeen));
}

// The log's links: near ones in the segment's 16-bit link, far ones (forward beyond 65534 entries,
// or backward, as a spliced held repeat's) in the side table, and a link set again either way.
void TstReconstructor::keptLogLinks() {
    recon::KeptLog log;
    for (std::uint32_t i = 0; i < 70000; ++i) {
        ControlSegment s;
        s.frame = i + 1;
        s.link = 123; // whatever a segment brings, append starts it with no successor
        QCOMPARE(log.append(s), i);
    }
    QCOMPARE(log.size(), 70000u);
    QCOMPARE(log.next(5), recon::KeptLog::kEnd);
    log.setNext(0, 1);
    log.setNext(1, 65535);  // distance 65534: the farthest near link
    log.setNext(2, 65538);  // distance 65536: far
    log.setNext(69999, 3);  // backward: far
    log.setNext(65535, 69999);
    QCOMPARE(log[0].link, std::uint16_t(1));
    QCOMPARE(log[1].link, std::uint16_t(65534));
    QCOMPARE(log.next(0), 1u);
    QCOMPARE(log.next(1), 65535u);
    QCOMPARE(log.next(2), 65538u);
    QCOMPARE(log.next(69999), 3u);
    QCOMPARE(log.next(65535), 69999u);
    QCOMPARE(log.next(3), recon::KeptLog::kEnd);
    log.setNext(2, 4);      // far -> near
    QCOMPARE(log.next(2), 4u);
    log.setNext(69999, recon::KeptLog::kEnd); // far -> end
    QCOMPARE(log.next(69999), recon::KeptLog::kEnd);
    log.setNext(69999, 7);  // end -> far again: the table entry is overwritten
    QCOMPARE(log.next(69999), 7u);
    // Enough far links to make the side table grow several times; every one still found.
    for (std::uint32_t i = 10; i < 5010; ++i)
        log.setNext(i + 60000, i);
    for (std::uint32_t i = 10; i < 5010; ++i)
        QCOMPARE(log.next(i + 60000), i);
    QCOMPARE(log[12].frame, 13u);
}

// A connection whose FIN comes more than 65534 kept segments after its handshake (10000 short
// connections in between, 7 kept segments each): its chain crosses a far link, and the gathered
// segments are its own, in order, with the link field back at 0.
void TstReconstructor::chainAcrossAFarLink() {
    std::vector<Segment> segs;
    SegmentBuilder longOne(segs, "10.9.9.9", 50000, "10.0.0.2", 80, 1000, 2000);
    longOne.handshake(1.0);
    for (int k = 0; k < 10000; ++k) {
        const std::string client = "10.1." + std::to_string(k / 250) + "." + std::to_string(k % 250 + 1);
        SegmentBuilder b(segs, client.c_str(), 40000, "10.0.0.2", 80, 5000, 9000);
        const double t = 1.01 + k * 0.002;
        b.handshake(t, 0.0002);
        b.orderlyClose(From::Client, t + 0.0005, t + 0.0006, t + 0.0007, t + 0.0008);
    }
    longOne.data(From::Client, 30.0, 10);
    longOne.orderlyClose(From::Client, 30.1, 30.101, 30.2, 30.201);
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(10001));
    const Connection& c = a.connections[0];
    QCOMPARE(a.clientIp(c).toString(), std::string("10.9.9.9"));
    QCOMPARE(c.segmentCount, std::uint32_t(7));
    const auto kept = a.segmentsOf(c);
    const std::uint8_t flags[7] = {tcpflag::SYN, tcpflag::SYN | tcpflag::ACK, tcpflag::ACK, tcpflag::FIN | tcpflag::ACK,
                                   tcpflag::ACK, tcpflag::FIN | tcpflag::ACK, tcpflag::ACK};
    const Side from[7] = {Side::Client, Side::Server, Side::Client, Side::Client, Side::Server, Side::Server, Side::Client};
    for (std::size_t i = 0; i < 7; ++i) {
        QCOMPARE(kept[i].flags, flags[i]);
        QCOMPARE(kept[i].from(), from[i]);
        QCOMPARE(kept[i].link, std::uint16_t(0));
    }
    QCOMPARE(kept[3].ts, SegmentBuilder::t(30.1));
    QCOMPARE(kept[3].dataBefore, std::uint16_t(1)); // the data segment at 30.0
    QCOMPARE(timeline(a, c, Side::Client),
             QString("SYN_SENT@1.000000 ESTABLISHED@1.001000 FIN_WAIT_1@30.100000 FIN_WAIT_2@30.101000 TIME_WAIT@30.201000 CLOSED@90.201000"));
    for (std::size_t k = 1; k < a.connections.size(); ++k)
        QCOMPARE(a.connections[k].segmentCount, std::uint32_t(7));
    std::size_t total = 0;
    for (const Connection& k : a.connections)
        for (const ControlSegment& s : a.segmentsOf(k)) {
            QCOMPARE(s.link, std::uint16_t(0));
            ++total;
        }
    QCOMPARE(total, std::size_t(7 * 10001));
    QCOMPARE(a.segments.segmentTotal(), std::size_t(7 * 10001));
    QCOMPARE(layoutProblem(a), std::string());
}

// The TIME_WAIT timer fires 60 s after the last final ACK (tcp_timewait_state_process reschedules
// it on each ACK; inet_twsk_kill when it fires): segments after that find no socket. An ACK 140 s
// later does not restart the window and a RST with the exact sequence number 240 s later does not
// cut it (found by fuzz_engine: bug-r1b-ack-after-time-wait-expiry, crash-r1-rst-after-time-wait-expiry).
void TstReconstructor::timeWaitExpiredBeforeLaterSegments() {
    std::vector<Segment> segs;
    SegmentBuilder b = openedWithRowIsns(segs);
    b.orderlyClose(From::Client, 2.0, 2.001, 2.100, 2.101);
    b.ack(From::Server, 202.101); // ACKs the client's FIN again, long after its TIME_WAIT ended
    b.rst(From::Server, 302.101); // seq = the client's old RCV.NXT exactly
    const Analysis a = reconstruct(segs);
    QCOMPARE(a.connections.size(), std::size_t(1));
    const Connection& c = a.connections[0];
    QCOMPARE(c.segmentCount, std::uint32_t(9));
    QCOMPARE(int(c.timeWaitCount), 1);
    QCOMPARE(c.timeWait[0].side, Side::Client);
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(2.101));
    QCOMPARE(c.timeWait[0].end, SegmentBuilder::t(62.101));
    QCOMPARE(c.timeWait[0].reason, TimeWaitEnd::Expired);
    QCOMPARE(timeline(a, c, Side::Client),
             join(kClientOpen, "FIN_WAIT_1@2.000000 FIN_WAIT_2@2.001000 TIME_WAIT@2.101000 CLOSED@62.101000"));
    QCOMPARE(timeline(a, c, Side::Server), join(kServerOpen, "CLOSE_WAIT@2.000000 LAST_ACK@2.100000 CLOSED@2.101000"));
    QCOMPARE(c.closeKind, CloseKind::Fin);
}

// The capture's clock steps back: a RST with the exact sequence number, captured after the ACK
// that put the server in TIME_WAIT but stamped 2 s before it, kills the TIME_WAIT at once (RFC
// 1337 assassination with tcp_rfc1337 = 0) instead of ending it before it began (found by
// fuzz_engine: crash-r2-rst-before-time-wait-start).
void TstReconstructor::rstStampedBeforeTimeWaitBegan() {
    std::vector<Segment> segs;
    SegmentBuilder b(segs, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 2000);
    opening(b);
    b.orderlyClose(From::Server, 2.0, 2.001, 2.100, 2.101);
    b.rst(From::Client, 0.101);
    Analysis a; // in capture order, not sorted by time: the clock went back
    Reconstructor r(a);
    r.segments(segs);
    r.finish();
    QCOMPARE(a.connections.size(), std::size_t(1));
    const Connection& c = a.connections[0];
    QCOMPARE(int(c.timeWaitCount), 1);
    QCOMPARE(c.timeWait[0].side, Side::Server);
    QCOMPARE(c.timeWait[0].start, SegmentBuilder::t(2.101));
    QCOMPARE(c.timeWait[0].end, SegmentBuilder::t(2.101));
    QCOMPARE(c.timeWait[0].reason, TimeWaitEnd::Rst);
}

QTEST_GUILESS_MAIN(TstReconstructor)
#include "tst_reconstructor.moc"
