// SPDX-License-Identifier: GPL-3.0-or-later
// twlens-cli's what-if flag end to end on the kernel's port_exhaustion fixture: the measured run
// says exhausted; --reuse-factor N with N the smallest pool that keeps the peak rate under
// ports / 60 s projects no exhaustion, N - 1 still does; bad values are usage errors (exit 2).
#include <QtTest>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cmath>

namespace {

const QString kCli = QStringLiteral(TWLENS_BINARY_DIR "/cli/twlens-cli");
const QString kDir = QStringLiteral(TWLENS_TEST_DATA "/kernel/port_exhaustion");

struct Run {
    int exitCode = -1;
    QByteArray out, err;
};

Run run(const QStringList& extra) {
    QStringList args{"analyze", "--quiet"};
    for (const QString& n : QDir(kDir).entryList({"*.client.*", "client.pcap"}, QDir::Files, QDir::Name))
        args << kDir + "/" + n;
    args << "--json" << "-" << extra;
    QProcess p;
    p.start(kCli, args);
    p.waitForFinished(120000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

QJsonObject destination(const Run& r) {
    const QJsonArray all = QJsonDocument::fromJson(r.out).object()["exhaustion"].toArray();
    return all.isEmpty() ? QJsonObject{} : all.first().toObject();
}

QStringList kinds(const Run& r) {
    QStringList out;
    for (const QJsonValue& f : QJsonDocument::fromJson(r.out).object()["findings"].toArray())
        out << f.toObject()["kind"].toString();
    return out;
}

} // namespace

class TestExhaustionCli : public QObject {
    Q_OBJECT
private slots:
    void reuseFactor() {
        const Run measured = run({});
        QCOMPARE(measured.exitCode, 0);
        const QJsonObject m = destination(measured);
        QVERIFY(m["exhausted_at"].isDouble());
        QVERIFY(m["projected_exhaustion_at"].isDouble());
        QVERIFY(!kinds(measured).contains("what_if"));
        const double rate = m["new_connections_per_s_peak"].toDouble();
        const double sustainable = m["max_sustainable_rate_per_s"].toDouble();
        QCOMPARE(sustainable, 20.0 / 60.0);
        const int enough = static_cast<int>(std::ceil(rate / sustainable));

        const Run pooled = run({"--reuse-factor", QString::number(enough)});
        QCOMPARE(pooled.exitCode, 0);
        const QJsonObject p = destination(pooled);
        QVERIFY(p["exhausted_at"].isNull());            // a projection, not a measurement
        QVERIFY(p["projected_exhaustion_at"].isNull()); // the pool keeps the rate sustainable
        QCOMPARE(p["new_connections_per_s_peak"].toDouble(), rate / enough);
        QVERIFY(kinds(pooled).contains("what_if"));
        QVERIFY(!kinds(pooled).contains("exhaustion_fixes"));

        const Run tooSmall = run({"--reuse-factor=" + QString::number(enough - 1)});
        QCOMPARE(tooSmall.exitCode, 0);
        QVERIFY(destination(tooSmall)["projected_exhaustion_at"].isDouble());
        QVERIFY(kinds(tooSmall).contains("exhaustion_fixes"));
    }

    void badValues_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("below 1") << QStringList{"--reuse-factor", "0.5"};
        QTest::newRow("not a number") << QStringList{"--reuse-factor", "many"};
        QTest::newRow("twice") << QStringList{"--reuse-factor", "2", "--reuse-factor", "3"};
    }
    void badValues() {
        QFETCH(QStringList, args);
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--reuse-factor"));
    }
};

QTEST_GUILESS_MAIN(TestExhaustionCli)
#include "tst_exhaustion_cli.moc"
