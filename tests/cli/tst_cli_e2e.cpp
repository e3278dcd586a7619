// SPDX-License-Identifier: GPL-3.0-or-later
// twlens-cli end to end: the built binary on the public captures, asserting what the packets
// show (checked with tshark, see the comments) and the contract's exit codes and stderr lines.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "csv_reader.h"

namespace {

const QString kBinary = QStringLiteral(TWLENS_BINARY_DIR "/cli/twlens-cli");

QString capture(const QString& name) { return QStringLiteral(TWLENS_PUBLIC_CAPTURES "/") + name; }

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QStringList errLines() const {
        QStringList l = QString::fromUtf8(err).split('\n');
        if (!l.isEmpty() && l.last().isEmpty())
            l.removeLast();
        return l;
    }
};

Run run(const QStringList& args) {
    QProcess p;
    p.start(kBinary, args);
    Run r;
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit) {
        qWarning("twlens-cli did not finish normally: %s", qPrintable(p.errorString()));
        return r;
    }
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// ORACLE.tsv (tshark and libpcap figures per capture), so the tests compare with the tools
// rather than with numbers copied here.
QHash<QString, QHash<QString, QString>> readOracle() {
    QHash<QString, QHash<QString, QString>> rows;
    QFile f(capture("ORACLE.tsv"));
    if (!f.open(QIODevice::ReadOnly))
        return rows;
    const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    const QStringList header = lines.value(0).split('\t');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList cells = lines[i].split('\t');
        QHash<QString, QString> row;
        for (qsizetype c = 0; c < header.size(); ++c)
            row[header[c]] = cells.value(c);
        rows[cells.value(0)] = row;
    }
    return rows;
}

QStringList stateNames(const QJsonArray& timeline) {
    QStringList names;
    for (const QJsonValue& v : timeline)
        names << v.toArray()[0].toString();
    return names;
}

double stateTime(const QJsonArray& timeline, const QString& state) {
    for (const QJsonValue& v : timeline)
        if (v.toArray()[0].toString() == state)
            return v.toArray()[1].toDouble();
    return -1;
}

// Epoch-second values from tshark carry microseconds; a double near 1.3e9 s resolves ~2.4e-7 s.
bool sameTime(double a, double b) { return qAbs(a - b) < 1e-6; }

} // namespace

class TestCliEndToEnd : public QObject {
    Q_OBJECT

private:
    QHash<QString, QHash<QString, QString>> oracle_;

private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(kBinary), qPrintable(kBinary));
        oracle_ = readOracle();
        QVERIFY(oracle_.contains("zeek-http-get.pcap"));
    }

    // zeek-http-get.pcap (tshark): 141.142.228.5:59856 -> 192.150.187.43:80. Frame 1 SYN
    // 1362692526.869344, 2 SYN-ACK .939084, 3 ACK .939378, 12 client FIN 1362692527.011846,
    // 13 server FIN+ACK (acks the client's FIN) .080828, 14 client's last ACK .080972.
    void clientClosesFirst() {
        const Run r = run({"analyze", capture("zeek-http-get.pcap"), "--json", "-"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.err, QByteArray());
        const QJsonObject doc = r.json();
        QCOMPARE(doc.value("schema").toString(), QString("twlens/1"));

        const QJsonObject in = doc.value("inputs").toArray()[0].toObject();
        QCOMPARE(in.value("path").toString(), capture("zeek-http-get.pcap"));
        QCOMPARE(in.value("kind").toString(), QString("pcap"));
        QCOMPARE(in.value("packets").toInt(), oracle_["zeek-http-get.pcap"]["libpcap_pkts"].toInt());
        QCOMPARE(in.value("tcp_packets").toInt(), oracle_["zeek-http-get.pcap"]["tcp_pkts"].toInt());
        QVERIFY(sameTime(in.value("first_ts").toDouble(), 1362692526.869344));
        QVERIFY(sameTime(in.value("last_ts").toDouble(), 1362692527.080972));
        QCOMPARE(in.value("warnings").toArray(), QJsonArray());

        const QJsonArray conns = doc.value("connections").toArray();
        QCOMPARE(conns.size(), oracle_["zeek-http-get.pcap"]["conv_tcp"].toInt());
        const QJsonObject c = conns[0].toObject();
        QCOMPARE(c.value("client").toObject(), QJsonObject({{"ip", "141.142.228.5"}, {"port", 59856}}));
        QCOMPARE(c.value("server").toObject(), QJsonObject({{"ip", "192.150.187.43"}, {"port", 80}}));
        QCOMPARE(c.value("roles_inferred").toBool(), false);
        QCOMPARE(c.value("syn_seen").toBool(), true);
        QVERIFY(sameTime(c.value("start").toDouble(), 1362692526.869344));
        QVERIFY(sameTime(c.value("end").toDouble(), 1362692527.080972));
        QCOMPARE(c.value("active_closer").toString(), QString("client"));
        QCOMPARE(c.value("close_kind").toString(), QString("fin"));
        QCOMPARE(c.value("fin_retransmissions").toInt(), 0);
        QCOMPARE(c.value("lost_final_ack").toBool(), false);
        QVERIFY(c.value("previous_incarnation").isNull());
        QVERIFY(c.value("reuse_gap_s").isNull());

        const QJsonArray tw = c.value("time_wait").toArray();
        QCOMPARE(tw.size(), 1);
        const QJsonObject w = tw[0].toObject();
        QCOMPARE(w.value("side").toString(), QString("client"));
        QVERIFY(sameTime(w.value("start").toDouble(), 1362692527.080972)); // frame 14: the ACK of the server's FIN
        QVERIFY(sameTime(w.value("end").toDouble() - w.value("start").toDouble(), 60.0));
        QCOMPARE(w.value("end_reason").toString(), QString("expired"));

        // The server's FIN (13) also ACKs the client's FIN: FIN_WAIT_1 -> TIME_WAIT directly
        // (RFC 9293 §3.10.7.4), no FIN_WAIT_2.
        const QJsonObject states = c.value("states").toObject();
        const QJsonArray client = states.value("client").toArray();
        const QJsonArray server = states.value("server").toArray();
        QCOMPARE(stateNames(client), QStringList({"SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "TIME_WAIT", "CLOSED"}));
        QCOMPARE(stateNames(server), QStringList({"SYN_RECV", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"}));
        QVERIFY(sameTime(stateTime(client, "SYN_SENT"), 1362692526.869344));
        QVERIFY(sameTime(stateTime(client, "ESTABLISHED"), 1362692526.939084));
        QVERIFY(sameTime(stateTime(client, "FIN_WAIT_1"), 1362692527.011846));
        QVERIFY(sameTime(stateTime(client, "TIME_WAIT"), w.value("start").toDouble()));
        QVERIFY(sameTime(stateTime(client, "CLOSED"), w.value("end").toDouble()));
        // SYN_RECV lies between the SYN (frame 1) and the SYN-ACK (frame 2) that proves it.
        QVERIFY(stateTime(server, "SYN_RECV") >= 1362692526.869344 - 1e-6);
        QVERIFY(stateTime(server, "SYN_RECV") <= 1362692526.939084 + 1e-6);
        QVERIFY(sameTime(stateTime(server, "ESTABLISHED"), 1362692526.939378));
        QVERIFY(sameTime(stateTime(server, "CLOSE_WAIT"), 1362692527.011846));
        QVERIFY(sameTime(stateTime(server, "LAST_ACK"), 1362692527.080828));
        QVERIFY(sameTime(stateTime(server, "CLOSED"), 1362692527.080972));

        const QJsonObject settings = doc.value("settings").toObject();
        QCOMPARE(settings.value("tw_seconds").toDouble(), 60.0);
        QCOMPARE(settings.value("port_range").toArray(), QJsonArray({32768, 60999}));
        QCOMPARE(settings.value("tw_reuse").toInt(), 2);
        QCOMPARE(settings.value("rfc1337").toInt(), 0);
        QCOMPARE(settings.value("sources").toObject().value("tw_seconds").toString(), QString("default"));
    }

    // pcpp-one_http_stream_fin.pcap (tshark): 192.168.1.2:49486 -> 77.67.44.206:80. Frame 10
    // server FIN 1258133615.065084, 13 client ACKs it (ack 3551) .069167, 14 client FIN
    // .070666, 15 server's last ACK .239416.
    void serverClosesFirst() {
        const Run r = run({"analyze", capture("pcpp-one_http_stream_fin.pcap"), "--json", "-"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray conns = r.json().value("connections").toArray();
        QCOMPARE(conns.size(), 1);
        const QJsonObject c = conns[0].toObject();
        QCOMPARE(c.value("client").toObject(), QJsonObject({{"ip", "192.168.1.2"}, {"port", 49486}}));
        QCOMPARE(c.value("active_closer").toString(), QString("server"));
        QCOMPARE(c.value("close_kind").toString(), QString("fin"));
        const QJsonArray tw = c.value("time_wait").toArray();
        QCOMPARE(tw.size(), 1);
        QCOMPARE(tw[0].toObject().value("side").toString(), QString("server"));
        QVERIFY(sameTime(tw[0].toObject().value("start").toDouble(), 1258133615.239416));
        QVERIFY(sameTime(tw[0].toObject().value("end").toDouble(), 1258133615.239416 + 60));
        const QJsonObject states = c.value("states").toObject();
        const QJsonArray server = states.value("server").toArray();
        const QJsonArray client = states.value("client").toArray();
        QCOMPARE(stateNames(server),
                 QStringList({"SYN_RECV", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT", "CLOSED"}));
        QCOMPARE(stateNames(client), QStringList({"SYN_SENT", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"}));
        QVERIFY(sameTime(stateTime(server, "FIN_WAIT_1"), 1258133615.065084));
        QVERIFY(sameTime(stateTime(server, "FIN_WAIT_2"), 1258133615.069167));
        QVERIFY(sameTime(stateTime(client, "LAST_ACK"), 1258133615.070666));
        QVERIFY(sameTime(stateTime(client, "CLOSED"), 1258133615.239416));
    }

    // Who closed first, per capture, as MANIFEST.tsv describes them (checked with tshark).
    void closersPerCapture_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("connections");
        QTest::addColumn<int>("client");
        QTest::addColumn<int>("server");
        QTest::addColumn<int>("both");
        QTest::addColumn<int>("timeWaitWindows");
        // 11 LDAP connections, 6 closed by the client first and 5 by the server; each leaves one TIME_WAIT.
        QTest::newRow("ldap") << "zeek-ldap_escaping_test.pcapng" << 11 << 6 << 5 << 0 << 11;
        // 500 echo connections, all closed client-first with FIN/FIN/ACK.
        QTest::newRow("echo") << "zeek-echo-connections.pcap" << 500 << 500 << 0 << 0 << 500;
        // Crossing FINs: both sides pass through CLOSING into TIME_WAIT (RFC 9293 §3.10.7.4).
        QTest::newRow("simultaneous") << "arkime-v6.pcap" << 1 << 0 << 0 << 1 << 2;
        // 66 connections, 13 with FINs: 11 client-first of which 3 crossing, 2 server-first; 53 open.
        QTest::newRow("browser") << "pcpp-example.pcap" << 66 << 8 << 2 << 3 << -1;
    }
    void closersPerCapture() {
        QFETCH(QString, file);
        QFETCH(int, connections);
        QFETCH(int, client);
        QFETCH(int, server);
        QFETCH(int, both);
        QFETCH(int, timeWaitWindows);
        const Run r = run({"analyze", capture(file), "--json", "-"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray conns = r.json().value("connections").toArray();
        QCOMPARE(conns.size(), connections);
        QHash<QString, int> closers;
        int windows = 0;
        for (const QJsonValue& c : conns) {
            ++closers[c.toObject().value("active_closer").toString()];
            windows += c.toObject().value("time_wait").toArray().size();
        }
        QCOMPARE(closers.value("client"), client);
        QCOMPARE(closers.value("server"), server);
        QCOMPARE(closers.value("both"), both);
        QCOMPARE(closers.value("none"), connections - client - server - both);
        if (timeWaitWindows >= 0)
            QCOMPARE(windows, timeWaitWindows);
        if (both == 1 && connections == 1) {
            const QJsonObject c = conns[0].toObject();
            QCOMPARE(c.value("close_kind").toString(), QString("simultaneous"));
            QCOMPARE(stateNames(c.value("states").toObject().value("client").toArray()),
                     QStringList({"SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "CLOSING", "TIME_WAIT", "CLOSED"}));
            QCOMPARE(stateNames(c.value("states").toObject().value("server").toArray()),
                     QStringList({"SYN_RECV", "ESTABLISHED", "FIN_WAIT_1", "CLOSING", "TIME_WAIT", "CLOSED"}));
        }
    }

    void twSecondsOverride() {
        const Run r = run({"analyze", capture("zeek-http-get.pcap"), "--tw-seconds", "30", "--json", "-"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject doc = r.json();
        QCOMPARE(doc.value("settings").toObject().value("tw_seconds").toDouble(), 30.0);
        QCOMPARE(doc.value("settings").toObject().value("sources").toObject().value("tw_seconds").toString(),
                 QString("command line"));
        const QJsonObject w =
            doc.value("connections").toArray()[0].toObject().value("time_wait").toArray()[0].toObject();
        QVERIFY(sameTime(w.value("start").toDouble(), 1362692527.080972));
        QVERIFY(sameTime(w.value("end").toDouble(), 1362692527.080972 + 30));
    }

    void settingOverrides() {
        const Run r = run({"analyze", capture("zeek-http-get.pcap"), "--port-range=1024-65535", "--tw-reuse", "1",
                           "--rfc1337", "1", "--json", "-"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject s = r.json().value("settings").toObject();
        QCOMPARE(s.value("port_range").toArray(), QJsonArray({1024, 65535}));
        QCOMPARE(s.value("tw_reuse").toInt(), 1);
        QCOMPARE(s.value("rfc1337").toInt(), 1);
        for (const char* key : {"port_range", "tw_reuse", "rfc1337"})
            QCOMPARE(s.value("sources").toObject().value(key).toString(), QString("command line"));
    }

    // A kernel fixture (tests/data/kernel/port_exhaustion): the sysctl snapshot sets the port
    // range and tcp_tw_reuse, and the JSON says which line each came from.
    void settingsFromSysctlInput() {
        const QString dir = QStringLiteral(TWLENS_TEST_DATA "/kernel/port_exhaustion/");
        const Run r = run({"analyze", dir + "client.pcap", dir + "01-sysctl.client.sysctl.txt",
                           dir + "08-at_exhaustion.client.ss-tano.txt", "--json", "-"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject doc = r.json();
        const QJsonObject s = doc.value("settings").toObject();
        QCOMPARE(s.value("port_range").toArray(), QJsonArray({41000, 41019}));
        QCOMPARE(s.value("sources").toObject().value("port_range").toString(),
                 dir + "01-sysctl.client.sysctl.txt:2");
        QCOMPARE(s.value("tw_reuse").toInt(), 0);
        QCOMPARE(s.value("sources").toObject().value("tw_reuse").toString(),
                 dir + "01-sysctl.client.sysctl.txt:85");
        QCOMPARE(s.value("sources").toObject().value("tw_seconds").toString(), QString("default"));
        const QJsonArray inputs = doc.value("inputs").toArray();
        QCOMPARE(inputs.size(), 3);
        QCOMPARE(inputs[1].toObject().value("kind").toString(), QString("sysctl"));
        QCOMPARE(inputs[2].toObject().value("kind").toString(), QString("ss"));
        const QJsonArray snaps = doc.value("snapshots").toArray();
        QCOMPARE(snaps.size(), 1);
        QCOMPARE(snaps[0].toObject().value("kind").toString(), QString("ss"));
        QCOMPARE(snaps[0].toObject().value("source").toString(), dir + "08-at_exhaustion.client.ss-tano.txt");
        // The capture and ss agree: all 20 ports of the range held in TIME_WAIT toward 127.1.0.2:8080.
        QCOMPARE(snaps[0].toObject().value("time_wait_by_destination").toArray(),
                 QJsonArray({QJsonObject({{"remote_ip", "127.1.0.2"}, {"remote_port", 8080}, {"count", 20}})}));
        QCOMPARE(doc.value("connections").toArray().size(), 20);
    }

    void unreadableInput_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        // libpcap's own reason, as ORACLE.tsv recorded it.
        for (const char* f : {"libpcap-pcap-invalid-version-1.pcap", "libpcap-shb-option-too-long.pcapng"})
            QTest::newRow(f) << capture(f) << oracle_[f]["libpcap_error"];
        QTest::newRow("missing file") << capture("no-such-file.pcap") << QString("No such file or directory");
        QTest::newRow("text nobody reads") << QString() << QString("not a capture or a snapshot");
    }
    void unreadableInput() {
        QFETCH(QString, path);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        if (path.isEmpty()) {
            path = dir.filePath("notes.txt");
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("Dear diary,\nthe servers ran out of ports again today.\n");
        }
        const QString out = dir.filePath("out.json");
        const Run r = run({"analyze", path, "--json", out});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QByteArray());
        const QStringList lines = r.errLines();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith("twlens-cli: "), qPrintable(lines[0]));
        QVERIFY2(lines[0].contains(QFileInfo(path).fileName()), qPrintable(lines[0]));
        QVERIFY2(lines[0].contains(reason), qPrintable(lines[0] + " / expected: " + reason));
        QVERIFY(!QFile::exists(out)); // a failed run leaves no output behind
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).filter("out.json").size(), 0);
    }

    // Damaged part-way: analysed up to the damage, exit 0, a warning naming the byte offset.
    // suricata-pgsql-5000-query-results.pcap: 785 whole records end at byte 3276005 of 3276006,
    // then one stray byte of a record header. suricata-tls_DER-incomplete-header.pcap: record 7's
    // header is at byte 5035 and claims caplen 4325376 (computed from the record headers).
    void damagedInput_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<qlonglong>("after");    // the offset lies in (after, upTo]
        QTest::addColumn<qlonglong>("upTo");
        QTest::addColumn<int>("fins");
        QTest::newRow("truncated tail") << "suricata-pgsql-5000-query-results.pcap" << 3276004LL << 3276006LL << 2;
        QTest::newRow("bad caplen") << "suricata-tls_DER-incomplete-header.pcap" << 5035LL << 5035LL + 16 << 0;
    }
    void damagedInput() {
        QFETCH(QString, file);
        QFETCH(qlonglong, after);
        QFETCH(qlonglong, upTo);
        QFETCH(int, fins);
        const Run r = run({"analyze", capture(file), "--json", "-"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject doc = r.json();
        const QJsonObject in = doc.value("inputs").toArray()[0].toObject();
        QCOMPARE(in.value("packets").toInt(), oracle_[file]["libpcap_pkts"].toInt());
        const QJsonArray warnings = in.value("warnings").toArray();
        QVERIFY(!warnings.isEmpty());
        const auto m = QRegularExpression("^byte (\\d+): ").match(warnings[0].toString());
        QVERIFY2(m.hasMatch(), qPrintable(warnings[0].toString()));
        const qlonglong offset = m.captured(1).toLongLong();
        QVERIFY2(offset > after && offset <= upTo, qPrintable(warnings[0].toString()));
        // The warning also reaches stderr (one line, naming the file) since stdout carries JSON.
        QVERIFY(r.errLines().size() >= 1);
        QVERIFY(r.errLines()[0].startsWith("twlens-cli: " + capture(file) + ": byte "));
        const QJsonArray conns = doc.value("connections").toArray();
        QCOMPARE(conns.size(), oracle_[file]["conv_tcp"].toInt());
        if (fins) { // both pgsql connections closed client-first with FIN (frames 12/13, 783/784)
            for (const QJsonValue& c : conns) {
                QCOMPARE(c.toObject().value("active_closer").toString(), QString("client"));
                QCOMPARE(c.toObject().value("close_kind").toString(), QString("fin"));
            }
        }
    }

    void csvAndJsonFiles() {
        QTemporaryDir dir;
        const QString json = dir.filePath("a.json");
        const QString csv = dir.filePath("a.csv");
        const Run r = run({"analyze", capture("suricata-pgsql-5000-query-results.pcap"), "--json", json, "--csv", csv,
                           "--quiet"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray());
        QCOMPARE(r.err, QByteArray()); // --quiet: no warnings on stderr either
        QFile jf(json), cf(csv);
        QVERIFY(jf.open(QIODevice::ReadOnly));
        QVERIFY(cf.open(QIODevice::ReadOnly));
        const QJsonArray conns = QJsonDocument::fromJson(jf.readAll()).object().value("connections").toArray();
        QList<QStringList> rows;
        QVERIFY(readCsv(QString::fromUtf8(cf.readAll()), &rows));
        const QStringList header = rows.takeFirst();
        QCOMPARE(rows.size(), conns.size());
        QCOMPARE(rows.size(), 2);
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QJsonObject c = conns[i].toObject();
            QCOMPARE(rows[i][header.indexOf("client_port")].toInt(), c.value("client").toObject().value("port").toInt());
            QCOMPARE(rows[i][header.indexOf("active_closer")], c.value("active_closer").toString());
            QCOMPARE(rows[i][header.indexOf("client_tw_end_reason")], QString("expired"));
        }
        // Client ports as tshark lists them: 54406 first (frame 1), then 54408 (frame 15).
        QCOMPARE(rows[0][header.indexOf("client_port")], QString("54406"));
        QCOMPARE(rows[1][header.indexOf("client_port")], QString("54408"));
    }

    void csvToStdout() {
        const Run r = run({"analyze", capture("zeek-http-get.pcap"), "--csv", "-"});
        QCOMPARE(r.exitCode, 0);
        QList<QStringList> rows;
        QVERIFY(readCsv(QString::fromUtf8(r.out), &rows));
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[1][rows[0].indexOf("active_closer")], QString("client"));
    }

    void summaryByDefault() {
        const Run r = run({"analyze", capture("zeek-http-get.pcap")});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = QString::fromUtf8(r.out).split('\n');
        QCOMPARE(lines[0], QString("twlens: 1 TCP connection in 1 input"));
        QVERIFY(lines.contains("  Closed first by: client 1, server 0, both (simultaneous) 0; ended by RST 0, still open 0"));
        QVERIFY(lines.contains("  TIME_WAIT: 1 window (client side 1, server side 0), peak 1 at once at "
                               "2013-03-07 21:42:07.080972 UTC"));
        QVERIFY(lines.contains("  held by: 141.142.228.5 (1)"));
        QVERIFY(lines.contains("  " + capture("zeek-http-get.pcap") +
                               ": pcap, 14 packets (14 TCP), 2013-03-07 21:42:06.869344 UTC + 0.211628 s"));
        const Run quiet = run({"analyze", capture("zeek-http-get.pcap"), "--quiet"});
        QCOMPARE(quiet.exitCode, 0);
        QCOMPARE(quiet.out, QByteArray());
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("says");
        const QString in = capture("zeek-http-get.pcap");
        QTest::newRow("no command") << QStringList{} << "missing command";
        QTest::newRow("unknown command") << QStringList{"analyse", in} << "unknown command 'analyse'";
        QTest::newRow("no input") << QStringList{"analyze"} << "at least one INPUT";
        QTest::newRow("unknown option") << QStringList{"analyze", in, "--fast"} << "unknown option '--fast'";
        QTest::newRow("missing value") << QStringList{"analyze", in, "--json"} << "--json needs a value";
        QTest::newRow("port 0") << QStringList{"analyze", in, "--port-range", "0-100"} << "--port-range";
        QTest::newRow("ports reversed") << QStringList{"analyze", in, "--port-range", "2000-1000"} << "'2000-1000'";
        QTest::newRow("port too high") << QStringList{"analyze", in, "--port-range", "1-65536"} << "'1-65536'";
        QTest::newRow("port range no dash") << QStringList{"analyze", in, "--port-range", "32768"} << "LO-HI";
        QTest::newRow("tw zero") << QStringList{"analyze", in, "--tw-seconds", "0"} << "--tw-seconds";
        QTest::newRow("tw negative") << QStringList{"analyze", in, "--tw-seconds", "-5"} << "'-5'";
        QTest::newRow("tw text") << QStringList{"analyze", in, "--tw-seconds=soon"} << "'soon'";
        QTest::newRow("tw_reuse 3") << QStringList{"analyze", in, "--tw-reuse", "3"} << "0, 1 or 2";
        QTest::newRow("rfc1337 2") << QStringList{"analyze", in, "--rfc1337", "2"} << "0 or 1";
        QTest::newRow("both to stdout") << QStringList{"analyze", in, "--json", "-", "--csv", "-"} << "both";
        QTest::newRow("json twice") << QStringList{"analyze", in, "--json", "-", "--json", "-"} << "twice";
        QTest::newRow("stdin input") << QStringList{"analyze", "-"} << "stdin";
        QTest::newRow("output is the input") << QStringList{"analyze", in, "--json", in} << "is also an input";
        QTest::newRow("output in missing dir") << QStringList{"analyze", in, "--json", "/nonexistent/dir/x.json"}
                                               << "/nonexistent/dir/x.json";
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, says);
        const QFileInfo before(capture("zeek-http-get.pcap"));
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QByteArray());
        const QStringList lines = r.errLines();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith("twlens-cli: ") && lines[0].contains(says), qPrintable(lines[0]));
        const QFileInfo after(capture("zeek-http-get.pcap"));
        QCOMPARE(after.size(), before.size());
        QCOMPARE(after.lastModified(), before.lastModified());
    }

    void helpAndVersion() {
        const Run help = run({"--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.startsWith("Usage: twlens-cli analyze INPUT..."));
        const Run analyzeHelp = run({"analyze", "--help"});
        QCOMPARE(analyzeHelp.exitCode, 0);
        QCOMPARE(analyzeHelp.out, help.out);
        const Run version = run({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(QRegularExpression("^twlens-cli \\d+\\.\\d+\\.\\d+\n$").match(QString::fromUtf8(version.out)).hasMatch());
    }
};

QTEST_GUILESS_MAIN(TestCliEndToEnd)
#include "tst_cli_e2e.moc"
