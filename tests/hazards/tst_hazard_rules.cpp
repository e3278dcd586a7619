// SPDX-License-Identifier: GPL-3.0-or-later
// Every hazard classification rule on segment sequences built in code, run through the real
// Reconstructor and then detectHazards (facts §3 and §4).
#include <QtTest>

#include "core/hazards/detect_hazards.h"
#include "core/segment_builder.h"

using namespace twlens;
using namespace twlens::test;

namespace {

Analysis run(std::vector<Segment> segs, Settings st = {}) {
    Analysis a = reconstruct(std::move(segs), st);
    detectHazards(a);
    return a;
}

// "kind/severity@connection" for every hazard, in the pass's order.
QStringList verdicts(const Analysis& a) {
    QStringList out;
    for (const Hazard& h : a.hazards)
        out << QStringLiteral("%1/%2@%3").arg(QString::fromStdString(h.kind), QString::fromStdString(std::string(severityName(h.severity))))
                   .arg(h.connection);
    return out;
}

QString summaryOf(const Analysis& a, const char* kind) {
    for (const Hazard& h : a.hazards)
        if (h.kind == kind)
            return QString::fromStdString(h.summary);
    return {};
}

// An orderly close begun at t, one segment a millisecond: client closes first (client FIN,
// server ACK, server FIN, client final ACK at t + 0.003), or the server does.
void clientClose(SegmentBuilder& b, double t) { b.orderlyClose(From::Client, t, t + 0.001, t + 0.002, t + 0.003); }
void serverClose(SegmentBuilder& b, double t) { b.orderlyClose(From::Server, t, t + 0.001, t + 0.002, t + 0.003); }

} // namespace

class TestHazardRules : public QObject {
    Q_OBJECT
private slots:
    void cleanTeardownsGiveNothing_data() {
        QTest::addColumn<int>("closer");
        QTest::newRow("client closes") << 0;
        QTest::newRow("server closes") << 1;
        QTest::newRow("half-close with data after the FIN") << 2;
    }
    void cleanTeardownsGiveNothing() {
        QFETCH(int, closer);
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 0xFFFFFF00u, 0x7FFFFFF0u);
        b.handshake(1.0);
        b.data(From::Client, 1.01, 100);
        b.data(From::Server, 1.02, 1000);
        if (closer == 0)
            clientClose(b, 1.1);
        else if (closer == 1)
            serverClose(b, 1.1);
        else {
            b.fin(From::Client, 1.1);
            b.ack(From::Server, 1.101);
            b.data(From::Server, 1.2, 500);
            b.ack(From::Client, 1.201);
            b.fin(From::Server, 1.3);
            b.ack(From::Client, 1.301);
        }
        const Analysis a = run(v);
        QCOMPARE(verdicts(a), QStringList());
        QCOMPARE(a.connections[0].hazardCount, 0u);
    }

    void lostFinalAckRecovered() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        b.handshake(1.0);
        b.fin(From::Client, 1.1);
        b.ack(From::Server, 1.101);
        b.fin(From::Server, 1.102);
        b.ack(From::Client, 1.103); // lost after the capture point
        b.finAgain(From::Server, 1.31);
        b.ack(From::Client, 1.311);
        const Analysis a = run(v);
        QCOMPARE(verdicts(a), QStringList{"lost_final_ack/info@0"});
        const Hazard& h = a.hazards[0];
        QCOMPARE(h.evidenceFrames, (std::vector<std::uint32_t>{6, 7, 8, 9}));
        QVERIFY(summaryOf(a, "lost_final_ack").contains("recovered: the client ACKed it again from TIME_WAIT (frame 9)"));
        QCOMPARE(h.ts, SegmentBuilder::t(1.31));
    }

    void lostFinalAckAnsweredByRst() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        b.handshake(1.0);
        b.fin(From::Client, 1.1);
        b.ack(From::Server, 1.101);
        b.fin(From::Server, 1.102);
        b.ack(From::Client, 1.103);
        b.finAgain(From::Server, 1.31);
        b.raw(From::Client, 1.311, tcpflag::RST, b.end(From::Client).nxt, 0);
        Settings st;
        st.maxTwBuckets.value = 0;
        const Analysis a = run(v, st);
        QCOMPARE(verdicts(a), QStringList{"lost_final_ack/warning@0"});
        QVERIFY(summaryOf(a, "lost_final_ack").contains("answered with RST (frame 9): its TIME_WAIT socket was already gone"));
        QVERIFY(summaryOf(a, "lost_final_ack").contains("tcp_max_tw_buckets = 0"));
    }

    // RFC 1337: a RST at exactly the TIME_WAIT side's RCV.NXT. tcp_rfc1337 decides.
    void assassination_data() {
        QTest::addColumn<int>("rfc1337");
        QTest::addColumn<bool>("exact");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<int>("twEnd");
        QTest::newRow("rfc1337=0 exact") << 0 << true << QStringList{"time_wait_assassination/warning@0"} << int(TimeWaitEnd::Rst);
        QTest::newRow("rfc1337=1 exact") << 1 << true << QStringList{"time_wait_assassination/info@0"} << int(TimeWaitEnd::Expired);
        QTest::newRow("rfc1337=0 other seq") << 0 << false << QStringList() << int(TimeWaitEnd::Expired);
    }
    void assassination() {
        QFETCH(int, rfc1337);
        QFETCH(bool, exact);
        QFETCH(QStringList, expected);
        QFETCH(int, twEnd);
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        b.handshake(1.0);
        clientClose(b, 1.1);
        const std::uint32_t rcvNxt = b.end(From::Client).rcvNxt;
        b.raw(From::Server, 1.5, tcpflag::RST, exact ? rcvNxt : rcvNxt + 1000, 0);
        Settings st;
        st.rfc1337.value = rfc1337;
        const Analysis a = run(v, st);
        QCOMPARE(verdicts(a), expected);
        QCOMPARE(int(a.connections[0].timeWait[0].reason), twEnd);
        if (exact)
            QCOMPARE(a.hazards[0].ts, SegmentBuilder::t(1.5));
    }

    // A RST at RCV.NXT assassinates only while the TIME_WAIT exists: from the client's final ACK
    // (1.103 s) for the TIME_WAIT length. Found by the engine fuzzer (tests/fuzz/engine): a RST
    // 15 minutes later was reported as killing the TIME_WAIT "-930 s before it would expire".
    void assassinationOnlyWhileTimeWaitHolds_data() {
        QTest::addColumn<double>("rstAt");
        QTest::addColumn<bool>("assassination");
        QTest::newRow("1 ms before the timer fires") << 61.102 << true;
        QTest::newRow("when the timer fires") << 61.103 << false;
        QTest::newRow("15 minutes later") << 1000.0 << false;
    }
    void assassinationOnlyWhileTimeWaitHolds() {
        QFETCH(double, rstAt);
        QFETCH(bool, assassination);
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        b.handshake(1.0);
        clientClose(b, 1.1);
        b.raw(From::Server, rstAt, tcpflag::RST, b.end(From::Client).rcvNxt, 0);
        const Analysis a = run(v);
        QCOMPARE(verdicts(a).contains("time_wait_assassination/warning@0"), assassination);
        if (assassination)
            QVERIFY2(summaryOf(a, "time_wait_assassination").contains("reached its TIME_WAIT 59.999 s after it began (1.0 ms before it would expire)"), qPrintable(summaryOf(a, "time_wait_assassination")));
    }

    // RFC 1337 signature: stray segment, TIME_WAIT ACK, RST at that ACK's value.
    void assassinationSignature() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        b.handshake(1.0);
        clientClose(b, 1.1);
        const std::uint32_t rcvNxt = b.end(From::Client).rcvNxt;
        b.raw(From::Server, 2.0, tcpflag::ACK, 4000, 900); // old segment
        b.raw(From::Client, 2.001, tcpflag::ACK, b.end(From::Client).nxt, rcvNxt);
        b.raw(From::Server, 2.002, tcpflag::RST, rcvNxt, 0);
        const Analysis a = run(v);
        QCOMPARE(verdicts(a), QStringList{"time_wait_assassination/warning@0"});
        QCOMPARE(a.hazards[0].evidenceFrames, (std::vector<std::uint32_t>{7, 8, 9, 10}));
    }

    // Client-side reuse (tcp_twsk_unique) by settings, timestamps and delay.
    void clientReuse_data() {
        QTest::addColumn<bool>("timestamps");
        QTest::addColumn<int>("twReuse");
        QTest::addColumn<double>("gap");
        QTest::addColumn<bool>("isnHigher");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("tw_reuse=1, ts, 1.5 s") << true << 1 << 1.5 << true << "reuse_within_time_wait/info@1" << "client tcp_tw_reuse";
        QTest::newRow("tw_reuse=0, ts: bound port") << true << 0 << 1.5 << true << "reuse_within_time_wait/info@1" << "bound to its port";
        QTest::newRow("tw_reuse=1, ts, 0.3 s: bound port") << true << 1 << 0.3 << true << "reuse_within_time_wait/info@1" << "less than tcp_tw_reuse_delay";
        QTest::newRow("no ts, ISN higher") << false << 1 << 1.5 << true << "reuse_within_time_wait/warning@1" << "only the ISN";
        QTest::newRow("no ts, ISN lower") << false << 1 << 1.5 << false << "reuse_within_time_wait/critical@1" << "not beyond the old sequence space";
    }
    void clientReuse() {
        QFETCH(bool, timestamps);
        QFETCH(int, twReuse);
        QFETCH(double, gap);
        QFETCH(bool, isnHigher);
        QFETCH(QString, expected);
        QFETCH(QString, phrase);
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 100000, 5000);
        b.end(From::Client).hasTs = b.end(From::Server).hasTs = timestamps;
        b.handshake(1.0);
        b.data(From::Client, 1.01, 100);
        clientClose(b, 1.1);
        SegmentBuilder n(v, "10.0.0.1", 40000, "10.0.0.2", 80, isnHigher ? 200000 : 50000, 9000);
        n.setSalt(7);
        n.end(From::Client).hasTs = n.end(From::Server).hasTs = timestamps;
        n.handshake(1.103 + gap);
        clientClose(n, 1.2 + gap);
        Settings st;
        st.twReuse.value = twReuse;
        const Analysis a = run(v, st);
        QCOMPARE(a.connections.size(), std::size_t(2));
        QCOMPARE(verdicts(a), QStringList{expected});
        QVERIFY2(summaryOf(a, "reuse_within_time_wait").contains(phrase), qPrintable(summaryOf(a, "reuse_within_time_wait")));
        QCOMPARE(a.connections[0].timeWait[0].reason, TimeWaitEnd::Reused);
    }

    // tcp_tw_reuse = 2 (the default) allows loopback destinations only.
    void clientReuseLoopbackDefault() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "127.0.0.1", 40000, "127.0.0.1", 80, 100000, 5000);
        b.handshake(1.0);
        clientClose(b, 1.1);
        SegmentBuilder n(v, "127.0.0.1", 40000, "127.0.0.1", 80, 200000, 9000);
        n.setSalt(7);
        n.handshake(2.5);
        const Analysis a = run(v);
        QCOMPARE(verdicts(a), QStringList{"reuse_within_time_wait/info@1"});
        QVERIFY(summaryOf(a, "reuse_within_time_wait").contains("tcp_tw_reuse = 2 (loopback destination)"));
    }

    // Server-side SYN acceptance (tcp_timewait_state_process) and the self-inflicted form.
    void serverReuse_data() {
        QTest::addColumn<bool>("timestamps");
        QTest::addColumn<bool>("isnHigher");
        QTest::addColumn<bool>("rejected");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("ISN beyond RCV.NXT") << false << true << false << QStringList{"reuse_within_time_wait/info@1"} << "ISN 200000 beyond the old RCV.NXT 100102";
        QTest::newRow("newer timestamp") << true << false << false << QStringList{"reuse_within_time_wait/info@1"} << "newer than the last one seen";
        QTest::newRow("accepted against the rule") << false << false << false << QStringList{"reuse_within_time_wait/critical@1"} << "unsafe";
        QTest::newRow("SYN, ACK, RST, SYN, SYN-ACK")
            << false << false << true << QStringList{"time_wait_assassination/warning@0", "reuse_within_time_wait/warning@1"}
            << "self-inflicted assassination";
    }
    void serverReuse() {
        QFETCH(bool, timestamps);
        QFETCH(bool, isnHigher);
        QFETCH(bool, rejected);
        QFETCH(QStringList, expected);
        QFETCH(QString, phrase);
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 100000, 5000);
        b.end(From::Client).hasTs = b.end(From::Server).hasTs = timestamps;
        b.handshake(1.0);
        b.data(From::Client, 1.01, 100);
        serverClose(b, 1.1);
        const std::uint32_t oldRcvNxt = b.end(From::Server).rcvNxt;
        SegmentBuilder n(v, "10.0.0.1", 40000, "10.0.0.2", 80, isnHigher ? 200000 : 50000, 9000);
        n.setSalt(7);
        n.end(From::Client).hasTs = n.end(From::Server).hasTs = timestamps;
        if (rejected) {
            n.syn(1.2);
            n.raw(From::Server, 1.2001, tcpflag::ACK, b.end(From::Server).nxt, oldRcvNxt);
            n.raw(From::Client, 1.2002, tcpflag::RST, oldRcvNxt, 0);
            n.raw(From::Client, 1.211, tcpflag::SYN, 50000, 0);
            n.synAck(1.2111);
            n.ack(From::Client, 1.2112);
        } else {
            n.handshake(1.2);
        }
        const Analysis a = run(v);
        QCOMPARE(a.connections.size(), std::size_t(2));
        QCOMPARE(verdicts(a), expected);
        QVERIFY2(summaryOf(a, "reuse_within_time_wait").contains(phrase), qPrintable(summaryOf(a, "reuse_within_time_wait")));
        if (rejected) {
            QVERIFY(!summaryOf(a, "time_wait_assassination").contains("about 1 s"));
            QVERIFY(summaryOf(a, "time_wait_assassination").contains("the SYN sent again 10.8 ms after the RST"));
        }
    }

    // A SYN reaching a peer still in LAST_ACK gets a challenge ACK, not a SYN-ACK.
    void synToLastAck() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 100000, 5000);
        b.handshake(1.0);
        b.fin(From::Client, 1.1);
        b.ack(From::Server, 1.101);
        b.fin(From::Server, 1.102);
        b.finAgain(From::Server, 1.31); // the final ACK never arrived (server vantage point)
        const std::uint32_t lastAckSnd = b.end(From::Server).nxt;
        const std::uint32_t lastAckRcv = b.end(From::Server).rcvNxt;
        SegmentBuilder n(v, "10.0.0.1", 40000, "10.0.0.2", 80, 300000, 9000);
        n.setSalt(7);
        n.syn(1.5);
        n.raw(From::Server, 1.5001, tcpflag::ACK, lastAckSnd, lastAckRcv);
        n.raw(From::Client, 1.5002, tcpflag::RST, lastAckRcv, 0);
        n.raw(From::Client, 1.51, tcpflag::SYN, 300000, 0);
        n.synAck(1.5101);
        n.ack(From::Client, 1.5102);
        const Analysis a = run(v);
        QCOMPARE(a.connections.size(), std::size_t(2));
        QVERIFY(verdicts(a).contains("syn_to_last_ack/warning@1"));
        QVERIFY2(summaryOf(a, "syn_to_last_ack").contains("answered with an ACK (challenge ACK)"), qPrintable(summaryOf(a, "syn_to_last_ack")));
    }

    // The server sends its FIN (entering LAST_ACK) only after the new SYN came: the SYN did not
    // reach a LAST_ACK socket. Found by the engine fuzzer (tests/fuzz/engine): the summary said
    // the FIN came "-0.100 s earlier".
    void synBeforeTheFinIsNotSynToLastAck() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 100000, 5000);
        b.handshake(1.0);
        b.fin(From::Client, 1.1);
        b.ack(From::Server, 1.101);
        b.rst(From::Client, 1.2);
        SegmentBuilder n(v, "10.0.0.1", 40000, "10.0.0.2", 80, 300000, 9000);
        n.setSalt(7);
        n.syn(1.5);
        n.raw(From::Server, 1.5001, tcpflag::ACK, b.end(From::Server).nxt, b.end(From::Server).rcvNxt);
        b.fin(From::Server, 1.6);
        const Analysis a = run(v);
        QCOMPARE(a.connections.size(), std::size_t(2));
        QCOMPARE(a.connections[1].previousIncarnation, 0u);
        QVERIFY2(!verdicts(a).join(' ').contains("syn_to_last_ack"), qPrintable(verdicts(a).join(' ')));
    }

    // A SYN whose timestamp is older than the last one of the previous incarnation, never
    // answered with a SYN-ACK.
    void pawsReject() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 100000, 5000);
        b.end(From::Client).tsVal = 90000;
        b.handshake(1.0);
        b.data(From::Client, 1.01, 100);
        serverClose(b, 1.1);
        const std::uint32_t oldRcvNxt = b.end(From::Server).rcvNxt;
        SegmentBuilder n(v, "10.0.0.1", 40000, "10.0.0.2", 80, 300000, 9000);
        n.setSalt(7);
        n.end(From::Client).tsVal = 100; // older than 90000 + 1100
        n.syn(1.5);
        n.raw(From::Server, 1.5001, tcpflag::ACK, b.end(From::Server).nxt, oldRcvNxt);
        n.raw(From::Client, 2.5, tcpflag::SYN, 300000, 0);
        n.raw(From::Client, 4.5, tcpflag::SYN, 300000, 0);
        const Analysis a = run(v);
        QVERIFY2(verdicts(a).contains("paws_reject/critical@1"), qPrintable(verdicts(a).join(' ')));
        QVERIFY(summaryOf(a, "paws_reject").contains("3 SYNs, no SYN-ACK in the capture"));
    }

    void finWait2Timeout() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        b.handshake(1.0);
        b.fin(From::Client, 1.1);
        b.ack(From::Server, 1.101);
        b.fin(From::Server, 4.5);
        b.raw(From::Client, 4.5001, tcpflag::RST, b.end(From::Server).rcvNxt, 0);
        Settings st;
        st.finTimeout.value = 2;
        const Analysis a = run(v, st);
        QCOMPARE(verdicts(a), QStringList{"fin_wait2_timeout/warning@0"});
        QVERIFY(summaryOf(a, "fin_wait2_timeout").contains("came 3.400 s after the client's (frame 4)"));
        QVERIFY(summaryOf(a, "fin_wait2_timeout").contains("tcp_fin_timeout = 2 s"));
    }

    void dataAfterClose() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        b.handshake(1.0);
        b.fin(From::Client, 1.1);
        b.ack(From::Server, 1.101);
        b.data(From::Server, 1.2, 300);
        b.raw(From::Client, 1.2001, tcpflag::RST, b.end(From::Client).nxt, 0);
        const Analysis a = run(v);
        QCOMPARE(verdicts(a), QStringList{"half_close_data_after_close/warning@0"});
    }

    void timeWaitOverflow() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        b.handshake(1.0);
        clientClose(b, 1.1);
        b.raw(From::Server, 1.5, tcpflag::ACK, b.end(From::Server).nxt, b.end(From::Server).rcvNxt);
        b.raw(From::Client, 1.5001, tcpflag::RST, b.end(From::Client).nxt, 0);
        const Analysis a = run(v);
        QVERIFY2(verdicts(a).contains("time_wait_overflow/warning@0"), qPrintable(verdicts(a).join(' ')));
    }

    // The RST says "no TIME_WAIT socket" only while one should still exist: within the TIME_WAIT
    // length after the client's final ACK (1.103 s). Later the timer has fired and any host
    // answers a stray segment with RST; found by the engine fuzzer (tests/fuzz/engine).
    void timeWaitOverflowOnlyWithinTheWindow_data() {
        QTest::addColumn<double>("stray");
        QTest::addColumn<bool>("overflow");
        QTest::newRow("0.4 s after the final ACK") << 1.5 << true;
        QTest::newRow("1 ms before the timer fires") << 61.102 << true;
        QTest::newRow("when the timer fires") << 61.103 << false;
        QTest::newRow("10 s after it fired") << 71.103 << false;
    }
    void timeWaitOverflowOnlyWithinTheWindow() {
        QFETCH(double, stray);
        QFETCH(bool, overflow);
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        b.handshake(1.0);
        clientClose(b, 1.1); // the client's final ACK at 1.103
        b.raw(From::Server, stray, tcpflag::ACK, b.end(From::Server).nxt, b.end(From::Server).rcvNxt);
        b.raw(From::Client, stray + 0.0001, tcpflag::RST, b.end(From::Client).nxt, 0);
        const Analysis a = run(v);
        QCOMPARE(verdicts(a).contains("time_wait_overflow/warning@0"), overflow);
        if (overflow)
            QVERIFY(summaryOf(a, "time_wait_overflow").contains("(frame 7) but answered its later segment (frame 8) with RST (frame 9)"));
    }

    void rstClose_data() {
        QTest::addColumn<int>("variant");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("abort") << 0 << "the client aborted with RST (frame 4";
        QTest::newRow("refused") << 1 << "connection refused";
    }
    void rstClose() {
        QFETCH(int, variant);
        QFETCH(QString, phrase);
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 1000, 5000);
        if (variant == 0) {
            b.handshake(1.0);
            b.rst(From::Client, 1.5);
        } else {
            b.syn(1.0);
            b.raw(From::Server, 1.0001, tcpflag::RST | tcpflag::ACK, 0, 1001);
        }
        const Analysis a = run(v);
        QCOMPARE(verdicts(a), QStringList{"rst_close/info@0"});
        QVERIFY2(summaryOf(a, "rst_close").contains(phrase), qPrintable(summaryOf(a, "rst_close")));
    }

    // RFC 1337 H1: after the reopening, a FIN of the old connection (its sequence space, behind
    // the new ISN) arrives.
    void oldDuplicate() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 100000, 5000);
        b.handshake(1.0);
        b.data(From::Server, 1.01, 1000);
        clientClose(b, 1.1);
        const std::uint32_t oldFin = b.end(From::Server).nxt - 1;
        SegmentBuilder n(v, "10.0.0.1", 40000, "10.0.0.2", 80, 200000, 900000);
        n.setSalt(7);
        n.handshake(2.5);
        n.raw(From::Server, 2.7, tcpflag::FIN | tcpflag::ACK, oldFin, 100002);
        Settings st;
        st.twReuse.value = 1;
        const Analysis a = run(v, st);
        QVERIFY2(verdicts(a).contains("old_duplicate/warning@1"), qPrintable(verdicts(a).join(' ')));
        QVERIFY(summaryOf(a, "old_duplicate").contains("behind this connection's ISN 900000"));
    }

    // RFC 1337 H2: frozen zero-length ACKs both ways, one acknowledging data never sent, about
    // every 500 ms (tcp_invalid_ratelimit). Needs the reconstructor to keep repeated pure ACKs.
    void desync() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 100000, 5000);
        b.handshake(1.0);
        b.data(From::Server, 1.01, 100);
        b.ack(From::Client, 1.02);
        const std::uint32_t cSeq = b.end(From::Client).nxt, cAck = b.end(From::Client).rcvNxt;
        const std::uint32_t sSeq = b.end(From::Server).nxt, sAck = b.end(From::Server).rcvNxt;
        for (int i = 0; i < 5; ++i) {
            b.raw(From::Client, 2.0 + 0.5 * i, tcpflag::ACK, cSeq, cAck + 70000); // acknowledges data never sent
            b.raw(From::Server, 2.0001 + 0.5 * i, tcpflag::ACK, sSeq, sAck);
        }
        const Analysis a = run(v);
        QCOMPARE(verdicts(a), QStringList{"desync/critical@0"});
        QVERIFY2(summaryOf(a, "desync").contains("one every 500.0 ms"), qPrintable(summaryOf(a, "desync")));
    }

    // Bulk duplicate ACKs of loss recovery (frozen, but acknowledging sent data) are no desync.
    void dupAcksAreNotDesync() {
        std::vector<Segment> v;
        SegmentBuilder b(v, "10.0.0.1", 40000, "10.0.0.2", 80, 100000, 5000);
        b.handshake(1.0);
        b.freezeAcks(From::Client, true);
        for (int i = 0; i < 8; ++i) {
            b.data(From::Server, 1.01 + 0.001 * i, 1000);
            b.ack(From::Client, 1.0105 + 0.001 * i);
        }
        b.freezeAcks(From::Client, false);
        b.data(From::Server, 1.1, 1000);
        b.ack(From::Client, 1.101);
        clientClose(b, 1.2);
        const Analysis a = run(v);
        QCOMPARE(verdicts(a), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestHazardRules)
#include "tst_hazard_rules.moc"
