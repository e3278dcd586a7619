// SPDX-License-Identifier: GPL-3.0-or-later
// Keeps the capture benchmark honest and doubles as an engine test: twlens-gen-capture writes a
// synthetic capture and a sidecar saying what it put in (RST closes, lost final ACKs, reused
// 4-tuples, who closed first); twlens-cli analyses the capture; the counts must match exactly.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// Runs a program to completion; returns its exit code (or -1) and its stderr in `err`.
int run(const QString& program, const QStringList& args, QString& err) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(240'000)) {
        err = QStringLiteral("did not finish: ") + p.errorString();
        p.kill();
        p.waitForFinished();
        return -1;
    }
    err = QString::fromLocal8Bit(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// What twlens reported, counted the way the sidecar counts what was generated.
struct Found {
    qint64 connections = 0, rstClosed = 0, lostFinalAck = 0, reused = 0, reusedWithin60s = 0;
    qint64 clientFirst = 0, serverFirst = 0, finRetransmissions = 0, timeWaits = 0, timeWaitsReused = 0;
};

Found count(const QJsonObject& doc) {
    Found f;
    const QJsonArray conns = doc.value(QLatin1String("connections")).toArray();
    f.connections = conns.size();
    for (const QJsonValue& v : conns) {
        const QJsonObject c = v.toObject();
        if (c.value(QLatin1String("close_kind")).toString() == QLatin1String("rst")) ++f.rstClosed;
        if (c.value(QLatin1String("lost_final_ack")).toBool()) ++f.lostFinalAck;
        if (!c.value(QLatin1String("previous_incarnation")).isNull()) {
            ++f.reused;
            if (c.value(QLatin1String("reuse_gap_s")).toDouble() < 60.0) ++f.reusedWithin60s;
        }
        const QString closer = c.value(QLatin1String("active_closer")).toString();
        if (closer == QLatin1String("client")) ++f.clientFirst;
        if (closer == QLatin1String("server")) ++f.serverFirst;
        f.finRetransmissions += c.value(QLatin1String("fin_retransmissions")).toInteger();
        for (const QJsonValue& tw : c.value(QLatin1String("time_wait")).toArray()) {
            ++f.timeWaits;
            if (tw.toObject().value(QLatin1String("end_reason")).toString() == QLatin1String("reused")) ++f.timeWaitsReused;
        }
    }
    return f;
}

} // namespace

class TestBenchmarkSmoke : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QHash<QString, QJsonObject> sidecars_;
    QHash<QString, QJsonObject> reports_;

    // Generates the row's capture and analyses it once; later test functions reuse both.
    void prepare(const QString& row, const QStringList& genArgs) {
        if (reports_.contains(row)) return;
        const QString pcap = dir_.filePath(row + QStringLiteral(".pcap"));
        const QString json = dir_.filePath(row + QStringLiteral(".twlens.json"));
        QString err;
        QCOMPARE(run(QStringLiteral(TWLENS_GEN_CAPTURE), genArgs + QStringList{QStringLiteral("-o"), pcap}, err), 0);
        QCOMPARE(run(QStringLiteral(TWLENS_CLI), {QStringLiteral("analyze"), pcap, QStringLiteral("--json"), json}, err), 0);
        sidecars_.insert(row, readJson(pcap + QStringLiteral(".json")));
        reports_.insert(row, readJson(json));
        QVERIFY(!sidecars_[row].isEmpty());
        QVERIFY(!reports_[row].isEmpty());
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void counts_data() {
        QTest::addColumn<QStringList>("genArgs");
        QTest::newRow("2000 connections, 20 packets, usec")
            << QStringList{QStringLiteral("--connections"), QStringLiteral("2000"), QStringLiteral("--seed"), QStringLiteral("1")};
        QTest::newRow("1500 connections, 40 packets, nsec")
            << QStringList{QStringLiteral("--connections"), QStringLiteral("1500"), QStringLiteral("--packets-per-conn"),
                           QStringLiteral("40"), QStringLiteral("--seed"), QStringLiteral("7"), QStringLiteral("--nanosecond")};
        // Snaplen 64 cuts the TCP options of every segment: flags, seq and ack must still do.
        QTest::newRow("1500 connections, snaplen 64, more reuse")
            << QStringList{QStringLiteral("--connections"), QStringLiteral("1500"), QStringLiteral("--seed"), QStringLiteral("3"),
                           QStringLiteral("--snaplen"), QStringLiteral("64"), QStringLiteral("--reuse"), QStringLiteral("0.1")};
    }

    // The four figures the benchmark reports, plus packet counts: exact equality.
    void counts() {
        QFETCH(QStringList, genArgs);
        const QString row = QString::fromLatin1(QTest::currentDataTag());
        prepare(row, genArgs);
        const QJsonObject& want = sidecars_[row];
        const QJsonObject& doc = reports_[row];
        const QJsonObject input = doc.value(QLatin1String("inputs")).toArray().at(0).toObject();
        QCOMPARE(input.value(QLatin1String("packets")).toInteger(), want.value(QLatin1String("packets")).toInteger());
        QCOMPARE(input.value(QLatin1String("tcp_packets")).toInteger(), want.value(QLatin1String("packets")).toInteger());
        QVERIFY(input.value(QLatin1String("warnings")).toArray().isEmpty());

        const Found got = count(doc);
        QVERIFY(want.value(QLatin1String("rst_closed")).toInteger() > 0);
        QVERIFY(want.value(QLatin1String("lost_final_ack")).toInteger() > 0);
        QVERIFY(want.value(QLatin1String("reused")).toInteger() > 0);
        QCOMPARE(got.connections, want.value(QLatin1String("connections")).toInteger());
        QCOMPARE(got.rstClosed, want.value(QLatin1String("rst_closed")).toInteger());
        QCOMPARE(got.lostFinalAck, want.value(QLatin1String("lost_final_ack")).toInteger());
        QCOMPARE(got.reused, want.value(QLatin1String("reused")).toInteger());
    }

    void closers_data() { counts_data(); }

    // Who closed first, FIN retransmissions and TIME_WAIT windows: one window per FIN close (no
    // simultaneous closes are generated), cut short ("reused") when the 4-tuple reopened within
    // the 60 s.
    void closers() {
        QFETCH(QStringList, genArgs);
        const QString row = QString::fromLatin1(QTest::currentDataTag());
        prepare(row, genArgs);
        const QJsonObject& want = sidecars_[row];
        const Found got = count(reports_[row]);
        QCOMPARE(got.clientFirst, want.value(QLatin1String("client_first_close")).toInteger());
        QCOMPARE(got.serverFirst, want.value(QLatin1String("server_first_close")).toInteger());
        QCOMPARE(got.finRetransmissions, want.value(QLatin1String("fin_retransmissions")).toInteger());
        QCOMPARE(got.reusedWithin60s, want.value(QLatin1String("reused_within_60s")).toInteger());
        QCOMPARE(got.timeWaits, want.value(QLatin1String("fin_closed")).toInteger());
        QCOMPARE(got.timeWaitsReused, want.value(QLatin1String("reused_in_time_wait")).toInteger());
    }
};

QTEST_GUILESS_MAIN(TestBenchmarkSmoke)
#include "tst_benchmark_smoke.moc"
