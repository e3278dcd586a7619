// SPDX-License-Identifier: GPL-3.0-or-later
// Hazard verdicts on real traffic: the real-kernel fixtures of tests/data/kernel (made by
// tests/kernel/make-fixtures.sh in network namespaces; expected.json says what ss and the
// counters showed the kernel did), analysed as a user would load them (capture + the client
// namespace's sysctl lines), and the clean public captures, which must give no warning.
#include <QtTest>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "importers/analyze_files.h"

using namespace twlens;

namespace {

QString fixtureDir(const QString& scenario) { return QStringLiteral(TWLENS_TEST_DATA "/kernel/") + scenario + '/'; }

QJsonObject expectedOf(const QString& scenario) {
    QFile f(fixtureDir(scenario) + QStringLiteral("expected.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::shared_ptr<const Analysis> analyse(const QStringList& paths) {
    AnalyzeRequest req;
    for (const QString& p : paths)
        req.paths.push_back(p.toStdString());
    auto r = analyzeFiles(req);
    if (!r.ok())
        return nullptr;
    return r.value();
}

std::shared_ptr<const Analysis> analyseFixture(const QString& scenario, const QString& capture) {
    return analyse({fixtureDir(scenario) + capture, fixtureDir(scenario) + QStringLiteral("01-sysctl.client.sysctl.txt")});
}

QStringList verdicts(const Analysis& a) {
    QStringList out;
    for (const Hazard& h : a.hazards)
        out << QStringLiteral("%1/%2@%3")
                   .arg(QString::fromStdString(h.kind), QString::fromStdString(std::string(severityName(h.severity))))
                   .arg(h.connection);
    return out;
}

const Hazard* find(const Analysis& a, const char* kind, std::uint32_t conn) {
    for (const Hazard& h : a.hazards)
        if (h.kind == kind && h.connection == conn)
            return &h;
    return nullptr;
}

QJsonObject expectedConnection(const QJsonObject& e, int i) { return e.value("connections").toArray().at(i).toObject(); }

} // namespace

class TestHazardFixtures : public QObject {
    Q_OBJECT
private slots:
    void verdicts_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("capture");
        QTest::addColumn<QStringList>("expected");
        const QStringList none;
        QTest::newRow("client_close") << "client_close" << "client.pcap" << none;
        QTest::newRow("server_close") << "server_close" << "client.pcap" << none;
        QTest::newRow("simultaneous_close") << "simultaneous_close" << "client.pcap" << none;
        QTest::newRow("half_close") << "half_close" << "client.pcap" << none;
        QTest::newRow("port_exhaustion") << "port_exhaustion" << "client.pcap" << none;
        QTest::newRow("lost_final_ack client") << "lost_final_ack" << "client.pcap" << QStringList{"lost_final_ack/info@0"};
        QTest::newRow("lost_final_ack server") << "lost_final_ack" << "server.pcap" << QStringList{"lost_final_ack/info@0"};
        QTest::newRow("lost_final_ack_tw_gone client") << "lost_final_ack_tw_gone" << "client.pcap" << QStringList{"lost_final_ack/warning@0"};
        QTest::newRow("lost_final_ack_tw_gone server") << "lost_final_ack_tw_gone" << "server.pcap" << QStringList{"lost_final_ack/warning@0"};
        QTest::newRow("so_linger0") << "so_linger0" << "client.pcap" << QStringList{"rst_close/info@0"};
        QTest::newRow("fin_wait2_timeout") << "fin_wait2_timeout" << "client.pcap" << QStringList{"fin_wait2_timeout/warning@0"};
        QTest::newRow("rst_in_time_wait_rfc1337_0") << "rst_in_time_wait_rfc1337_0" << "client.pcap"
                                                    << QStringList{"time_wait_assassination/warning@0"};
        QTest::newRow("rst_in_time_wait_rfc1337_1") << "rst_in_time_wait_rfc1337_1" << "client.pcap"
                                                    << QStringList{"time_wait_assassination/info@0"};
        QTest::newRow("tw_reuse") << "tw_reuse" << "client.pcap"
                                  << QStringList{"reuse_within_time_wait/info@2", "reuse_within_time_wait/info@3",
                                                 "reuse_within_time_wait/info@4"};
        QTest::newRow("old_syn_into_time_wait") << "old_syn_into_time_wait" << "client.pcap"
                                                << QStringList{"time_wait_assassination/warning@0", "reuse_within_time_wait/warning@1"};
        QTest::newRow("desync") << "desync" << "client.pcap" << QStringList{"desync/critical@0"};
        QTest::newRow("sample") << "sample" << "client.pcap"
                                << QStringList{"lost_final_ack/info@2", "time_wait_assassination/warning@5"};
    }
    void verdicts() {
        QFETCH(QString, scenario);
        QFETCH(QString, capture);
        QFETCH(QStringList, expected);
        const auto a = analyseFixture(scenario, capture);
        QVERIFY(a);
        QCOMPARE(::verdicts(*a), expected);
        // The per-connection ranges point at the right hazards.
        std::uint32_t total = 0;
        for (const Connection& c : a->connections) {
            for (const Hazard& h : a->hazardsOf(c))
                QCOMPARE(h.connection, c.id);
            total += c.hazardCount;
        }
        QCOMPARE(total, std::uint32_t(a->hazards.size()));
        for (const Hazard& h : a->hazards) {
            QVERIFY(!h.evidenceFrames.empty());
            QVERIFY(!h.reference.empty());
            QVERIFY(h.summary.find("about 1 s") == std::string::npos);
        }
    }

    // What the kernel did (expected.json) against the verdicts.
    void assassinationUnderRfc1337() {
        for (int v : {0, 1}) {
            const QString scenario = QStringLiteral("rst_in_time_wait_rfc1337_%1").arg(v);
            const QJsonObject conn = expectedConnection(expectedOf(scenario), 0);
            const auto a = analyseFixture(scenario, "client.pcap");
            QVERIFY(a);
            QCOMPARE(a->settings.rfc1337.value, v);
            const Hazard* h = find(*a, "time_wait_assassination", 0);
            QVERIFY(h);
            const Connection& c = a->connections[0];
            QCOMPARE(c.timeWaitCount, std::uint8_t(1));
            const bool survived = conn.value("time_wait_survived_rst").toBool();
            QCOMPARE(survived, v == 1);
            QCOMPARE(c.timeWait[0].reason, survived ? TimeWaitEnd::Expired : TimeWaitEnd::Rst);
            QCOMPARE(h->severity, survived ? Severity::Info : Severity::Warning);
            // The hazard sits at the RST, which the raw socket sent at rst_injected.ts.
            const double injected = conn.value("rst_injected").toObject().value("ts").toDouble();
            QVERIFY(std::abs(toSeconds(h->ts) - injected) < 0.01);
            if (!survived)
                QCOMPARE(c.timeWait[0].end, h->ts);
            QVERIFY(h->summary.find("seq " + std::to_string(conn.value("rst_injected").toObject().value("seq").toInteger())) !=
                    std::string::npos);
        }
    }

    void twReuseIsClientSide() {
        const QJsonObject e = expectedOf("tw_reuse");
        const auto a = analyseFixture("tw_reuse", "client.pcap");
        QVERIFY(a);
        QCOMPARE(a->settings.twReuse.value, 1);
        QCOMPARE(a->connections.size(), std::size_t(e.value("connections").toArray().size()));
        int reused = 0;
        for (int i = 0; i < int(a->connections.size()); ++i) {
            const QJsonObject conn = expectedConnection(e, i);
            const Hazard* h = find(*a, "reuse_within_time_wait", std::uint32_t(i));
            QCOMPARE(h != nullptr, conn.contains("reuses_connection"));
            if (!h)
                continue;
            ++reused;
            const Connection& c = a->connections[std::size_t(i)];
            QCOMPARE(int(c.previousIncarnation), conn.value("reuses_connection").toInt());
            QVERIFY(c.reuseGap >= kNsPerSecond); // tcp_tw_reuse_delay = 1000 ms
            QVERIFY(h->summary.find("client tcp_tw_reuse") != std::string::npos);
            QCOMPARE(h->severity, Severity::Info);
        }
        QCOMPARE(reused, 3);
        QVERIFY(e.value("facts").toObject().value("TWRecycled").toInt() >= reused - 1);
    }

    void oldSynIntoTimeWait() {
        const QJsonObject e = expectedOf("old_syn_into_time_wait");
        QVERIFY(expectedConnection(e, 0).value("server_time_wait_before_reconnect").toBool());
        const auto a = analyseFixture("old_syn_into_time_wait", "client.pcap");
        QVERIFY(a);
        const Hazard* tw = find(*a, "time_wait_assassination", 0);
        const Hazard* reuse = find(*a, "reuse_within_time_wait", 1);
        QVERIFY(tw && reuse);
        // SYN 282, ACK 283 (TIME_WAIT), RST 284 (client, SYN_SENT), SYN 285 (11.0 ms later), SYN-ACK 286.
        QCOMPARE(tw->evidenceFrames, (std::vector<std::uint32_t>{281, 282, 283, 284, 285, 286}));
        QVERIFY(tw->summary.find("the SYN sent again 11.0 ms after the RST (frame 285) got a SYN-ACK (frame 286)") != std::string::npos);
        QVERIFY(reuse->summary.find("self-inflicted assassination") != std::string::npos);
        const Connection& c0 = a->connections[0];
        QCOMPARE(c0.timeWait[0].side, Side::Server);
        QCOMPARE(c0.timeWait[0].reason, TimeWaitEnd::Rst);
        QCOMPARE(c0.timeWait[0].end, tw->ts);
    }

    void lostFinalAckConsequence() {
        const auto ok = analyseFixture("lost_final_ack", "client.pcap");
        const auto gone = analyseFixture("lost_final_ack_tw_gone", "server.pcap");
        QVERIFY(ok && gone);
        QVERIFY(expectedConnection(expectedOf("lost_final_ack"), 0).value("lost_final_ack").toBool());
        QCOMPARE(expectedConnection(expectedOf("lost_final_ack_tw_gone"), 0).value("TCPTimeWaitOverflow_delta").toInt(), 1);
        QVERIFY(find(*ok, "lost_final_ack", 0)->summary.find("recovered: the client ACKed it again from TIME_WAIT") != std::string::npos);
        QVERIFY(find(*gone, "lost_final_ack", 0)->summary.find("tcp_max_tw_buckets = 0") != std::string::npos);
        QCOMPARE(gone->connections[0].timeWaitCount, std::uint8_t(0));
    }

    // The client's final ACK dropped, its TIME_WAIT overflowed (tcp_max_tw_buckets = 0), and the
    // SYN from the same port met the server still in LAST_ACK (ss), which sent a challenge ACK
    // (TcpExtTCPSYNChallenge +1); the client's RST closed it and the retried SYN got a SYN-ACK.
    // Frames checked with tshark: challenge ACK seq = the server's FIN + 1, ack = the old RCV.NXT.
    void synToLastAck_data() {
        QTest::addColumn<QString>("capture");
        QTest::addColumn<std::vector<std::uint32_t>>("frames"); // server FIN, SYN, challenge ACK, RST, SYN again, SYN-ACK
        QTest::newRow("client") << "client.pcap" << std::vector<std::uint32_t>{10, 12, 13, 14, 15, 16};
        QTest::newRow("server") << "server.pcap" << std::vector<std::uint32_t>{10, 11, 12, 13, 14, 15};
    }
    void synToLastAck() {
        QFETCH(QString, capture);
        QFETCH(std::vector<std::uint32_t>, frames);
        const QJsonObject e = expectedOf("syn_to_last_ack");
        const QJsonObject c0 = expectedConnection(e, 0);
        QVERIFY(c0.value("server_last_ack_before_reconnect").toBool());
        QCOMPARE(c0.value("final_ack_drops").toInt(), 1);
        QCOMPARE(c0.value("TCPTimeWaitOverflow_delta").toInt(), 1);
        QCOMPARE(e.value("facts").toObject().value("server_TCPSYNChallenge_delta").toInt(), 1);
        const auto a = analyseFixture("syn_to_last_ack", capture);
        QVERIFY(a);
        QCOMPARE(a->connections.size(), std::size_t(2));
        QCOMPARE(a->connections[1].previousIncarnation, std::uint32_t(0));
        // The client's FIN_WAIT_2 never expired: it reached TIME_WAIT (and overflowed).
        QVERIFY(!find(*a, "fin_wait2_timeout", 0));
        const Hazard* h = find(*a, "syn_to_last_ack", 1);
        QVERIFY(h);
        QCOMPARE(h->severity, Severity::Warning);
        QCOMPARE(h->evidenceFrames, frames);
    }

    // RFC 1337 H1 on the real stack: connection 1 reopened the 4-tuple through the server's
    // TIME_WAIT; a 23-byte segment hand-built from the server's address with connection 0's
    // sequence number (old server ISN + 1, frame 18) reached the client, which dropped it and sent a
    // duplicate ACK (frame 19); its application read nothing. Frames checked with tshark.
    void oldDuplicate() {
        const QJsonObject e = expectedOf("old_duplicate");
        QVERIFY(expectedConnection(e, 0).value("server_time_wait_before_reconnect").toBool());
        const QJsonObject c1 = expectedConnection(e, 1);
        QCOMPARE(c1.value("client_read_after_injection").toInt(), 0);
        QCOMPARE(c1.value("client_dupacks_after_injection").toInt(), 1);
        const auto a = analyseFixture("old_duplicate", "client.pcap");
        QVERIFY(a);
        QCOMPARE(a->connections.size(), std::size_t(2));
        QCOMPARE(a->connections[1].previousIncarnation, std::uint32_t(0));
        const Hazard* reuse = find(*a, "reuse_within_time_wait", 1);
        QVERIFY(reuse);
        QCOMPARE(reuse->severity, Severity::Info);
        const Hazard* h = find(*a, "old_duplicate", 1);
        QVERIFY(h);
        QCOMPARE(h->severity, Severity::Warning);
        QCOMPARE(h->evidenceFrames, (std::vector<std::uint32_t>{12, 18})); // the server's SYN-ACK (new ISN), the old segment
    }

    // RFC 1337 H2's signature on the real stack: five ACKs hand-built from the server's address,
    // 0.6 s apart, acknowledging 1000 bytes the client never sent (frames 8-16); the client's kernel
    // answered each with its frozen ACK (frames 9-17, same seq/ack as its last ACK, frame 7).
    void desyncAsTheKernelAnswered() {
        const QJsonObject c0 = expectedConnection(expectedOf("desync"), 0);
        QCOMPARE(c0.value("ack_unsent_injected").toInt(), 5);
        QCOMPARE(c0.value("client_acks_after_each_injection").toArray(), (QJsonArray{1, 1, 1, 1, 1}));
        const auto a = analyseFixture("desync", "client.pcap");
        QVERIFY(a);
        const Hazard* h = find(*a, "desync", 0);
        QVERIFY(h);
        QCOMPARE(h->severity, Severity::Critical);
        // All five injected ACKs (frames 8, 10, 12, 14, 16; 2.404 s from first to last, tshark).
        QVERIFY(h->summary.find("5 zero-length ACKs from the server") != std::string::npos);
        QVERIFY(h->summary.find("over 2.404 s") != std::string::npos);
        QCOMPARE(h->evidenceFrames.front(), std::uint32_t(8));
    }

    // PAWS in the server's TIME_WAIT on the real stack: three SYNs hand-built from the client's
    // address and port with a TSval 100000 below connection 0's last (frames 11, 14, 17), each
    // answered by the TIME_WAIT with an ACK (12, 15, 18; TcpExtPAWSTimewait +3) and by the client's
    // kernel with a RST (13, 16, 19). The server (tcp_rfc1337 = 1, its sysctl loaded here) kept
    // the TIME_WAIT (ss after the SYNs): the RSTs did not assassinate it.
    void pawsReject() {
        const QJsonObject e = expectedOf("paws_reject");
        const QJsonObject facts = e.value("facts").toObject();
        QCOMPARE(facts.value("server_paws_counter_deltas").toObject().value("TcpExtPAWSTimewait").toInt(), 3);
        QVERIFY(facts.value("server_time_wait_after_syns").toBool());
        const auto a = analyse({fixtureDir("paws_reject") + "client.pcap", fixtureDir("paws_reject") + "01-sysctl.server.sysctl.txt"});
        QVERIFY(a);
        QCOMPARE(a->settings.rfc1337.value, 1);
        const Hazard* h = find(*a, "paws_reject", 1);
        QVERIFY(h);
        QCOMPARE(h->severity, Severity::Critical);
        QCOMPARE(h->evidenceFrames, (std::vector<std::uint32_t>{11, 12, 13, 14}));
        QVERIFY(h->summary.find("3 SYNs, no SYN-ACK in the capture") != std::string::npos);
        const Hazard* tw = find(*a, "time_wait_assassination", 0);
        QVERIFY(tw);
        QCOMPARE(tw->severity, Severity::Info);
        QCOMPARE(a->connections[0].timeWait[0].reason, TimeWaitEnd::Expired);
    }

    void finWait2TimeoutAsTheKernelDid() {
        const QJsonObject conn = expectedConnection(expectedOf("fin_wait2_timeout"), 0);
        QVERIFY(conn.value("fin_wait2_timeout").toBool());
        const auto a = analyseFixture("fin_wait2_timeout", "client.pcap");
        QVERIFY(a);
        QCOMPARE(a->settings.finTimeout.value, 2);
        const Hazard* h = find(*a, "fin_wait2_timeout", 0);
        QVERIFY(h);
        QCOMPARE(h->evidenceFrames, (std::vector<std::uint32_t>{8, 10, 11}));
    }

    // Clean public captures: no warning or critical hazard.
    void cleanPublicCaptures_data() {
        QTest::addColumn<QString>("file");
        for (const char* f : {"zeek-http-get.pcap", "pcpp-one_http_stream_fin.pcap", "zeek-ldap_escaping_test.pcapng",
                              "zeek-echo-connections.pcap", "suricata-http-ipv6-null.pcap", "pcpp-four_ipv6_http_streams.pcap",
                              "zeek-ssh.client-side-half-duplex.pcap", "suricata-pgsql-5000-query-results.pcap",
                              "arkime-wireshark-retrans.pcap", "zeek-vlan-collisions.pcap", "pcpp-example.pcap"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void cleanPublicCaptures() {
        QFETCH(QString, file);
        const auto a = analyse({QStringLiteral(TWLENS_PUBLIC_CAPTURES "/") + file});
        QVERIFY(a);
        QVERIFY(!a->connections.empty());
        for (const Hazard& h : a->hazards)
            QVERIFY2(h.severity == Severity::Info, h.summary.c_str());
    }

    // The public capture made for it: port 40008 reopened 1 ms after a FIN close, no timestamps,
    // higher ISN (MANIFEST: "PORT REUSE IN TIME_WAIT").
    void publicPortReuse() {
        const auto a = analyse({QStringLiteral(TWLENS_PUBLIC_CAPTURES "/arkime-tcp-reassembly-synthetic.pcap")});
        QVERIFY(a);
        QCOMPARE(::verdicts(*a), QStringList{"reuse_within_time_wait/warning@8"});
        QCOMPARE(a->hazards[0].evidenceFrames, (std::vector<std::uint32_t>{90, 91}));
        QVERIFY(a->hazards[0].summary.find("ISN 22000 beyond the old SND.NXT 20041") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestHazardFixtures)
#include "tst_hazard_fixtures.moc"
