// SPDX-License-Identifier: GPL-3.0-or-later
// The engine against the kernel. Each fixture in tests/data/kernel was made by
// tests/kernel/make-fixtures.sh: real teardowns between two network namespaces, captured with
// tcpdump, with what the kernel itself showed recorded in expected.json (ss rows and timers,
// /proc/net/tcp timers, connect() results, nftables and TcpExt counters). Here the committed
// files are analysed with analyzeFiles() exactly as a user would load them, and every verdict is
// compared with the kernel's. No root and no namespaces needed.
#include <QtTest>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "core/model/tcp_flags.h"
#include "core/output/contract_names.h"
#include "core/output/text_summary.h"
#include "core/output/time_format.h"
#include "importers/analyze_files.h"

using namespace twlens;

namespace {

QString fixtureDir(const QString& scenario)
{
    return QStringLiteral(TWLENS_TEST_DATA "/kernel/") + scenario + QLatin1Char('/');
}

QJsonObject readExpected(const QString& scenario)
{
    QFile f(fixtureDir(scenario) + QStringLiteral("expected.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

struct Fixture {
    QJsonObject expected;
    std::shared_ptr<const Analysis> analysis;
    QString error;
};

// The capture of one vantage point plus the client namespace's sysctl lines (tcp_rfc1337,
// tcp_tw_reuse, the port range: the settings the kernel ran with), and any extra files.
Fixture analyse(const QString& scenario, const QString& capture, const QStringList& extra = {})
{
    Fixture fx;
    fx.expected = readExpected(scenario);
    if (fx.expected.isEmpty()) {
        fx.error = QStringLiteral("cannot read %1expected.json").arg(fixtureDir(scenario));
        return fx;
    }
    AnalyzeRequest req;
    req.paths.push_back((fixtureDir(scenario) + capture).toStdString());
    req.paths.push_back((fixtureDir(scenario) + QStringLiteral("01-sysctl.client.sysctl.txt")).toStdString());
    for (const QString& e : extra)
        req.paths.push_back((fixtureDir(scenario) + e).toStdString());
    auto result = analyzeFiles(req);
    if (!result.ok()) {
        fx.error = QString::fromStdString(result.error().message);
        return fx;
    }
    fx.analysis = result.value();
    return fx;
}

double seconds(TimeNs t) { return toSeconds(t); }

// The engine's incarnation for one connection the program made: same ports, and its first
// segment (the SYN) within 50 ms of the connect() call.
const Connection* findConnection(const Analysis& a, const QJsonObject& conn)
{
    const auto clientPort = static_cast<std::uint16_t>(conn.value(QStringLiteral("client_port")).toInt());
    const auto serverPort = static_cast<std::uint16_t>(conn.value(QStringLiteral("server_port")).toInt());
    const double connectTs = conn.value(QStringLiteral("connect_ts")).toDouble();
    const Connection* best = nullptr;
    for (const Connection& c : a.connections) {
        if (c.clientPort != clientPort || c.serverPort != serverPort)
            continue;
        const double d = std::abs(seconds(c.start) - connectTs);
        if (d < 0.05 && (!best || d < std::abs(seconds(best->start) - connectTs)))
            best = &c;
    }
    return best;
}

const TimeWaitWindow* windowOf(const Connection& c, Side side)
{
    for (std::uint8_t i = 0; i < c.timeWaitCount; ++i)
        if (c.timeWait[i].side == side)
            return &c.timeWait[i];
    return nullptr;
}

Side sideFrom(const QString& s) { return s == QLatin1String("server") ? Side::Server : Side::Client; }

QString describe(const QString& scenario, const QJsonObject& conn)
{
    return QStringLiteral("%1 connection %2 (client port %3)")
        .arg(scenario)
        .arg(conn.value(QStringLiteral("index")).toInt())
        .arg(conn.value(QStringLiteral("client_port")).toInt());
}

QByteArray msg(const QString& s) { return s.toUtf8(); }

const QStringList kAllScenarios = {
    QStringLiteral("client_close"), QStringLiteral("server_close"), QStringLiteral("simultaneous_close"),
    QStringLiteral("lost_final_ack"), QStringLiteral("so_linger0"), QStringLiteral("half_close"),
    QStringLiteral("tw_reuse"), QStringLiteral("rst_in_time_wait_rfc1337_0"),
    QStringLiteral("rst_in_time_wait_rfc1337_1"), QStringLiteral("old_syn_into_time_wait"),
    QStringLiteral("lost_final_ack_tw_gone"), QStringLiteral("fin_wait2_timeout"),
    QStringLiteral("port_exhaustion"), QStringLiteral("sample"),
};

// Scenarios whose server-side capture is committed: the vantage point after the dropped ACK.
const QStringList kServerVantage = {QStringLiteral("lost_final_ack"), QStringLiteral("lost_final_ack_tw_gone")};

void addVantageRows()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("capture");
    for (const QString& s : kAllScenarios) {
        QTest::addRow("%s/client", qPrintable(s)) << s << QStringLiteral("client.pcap");
        if (kServerVantage.contains(s))
            QTest::addRow("%s/server", qPrintable(s)) << s << QStringLiteral("server.pcap");
    }
}

} // namespace

class TestKernelAgreement : public QObject {
    Q_OBJECT

private slots:
    // Every fixture exists and the engine sees exactly the connections the program made.
    void connections_data() { addVantageRows(); }
    void connections()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, capture);
        const Fixture fx = analyse(scenario, capture);
        QVERIFY2(fx.analysis, msg(fx.error));
        const QJsonArray conns = fx.expected.value(QStringLiteral("connections")).toArray();
        QVERIFY(!conns.isEmpty());
        QCOMPARE(fx.analysis->connections.size(), static_cast<std::size_t>(conns.size()));
        for (const QJsonValue& v : conns) {
            const QJsonObject conn = v.toObject();
            QVERIFY2(findConnection(*fx.analysis, conn), msg(describe(scenario, conn) + QStringLiteral(" not found")));
        }
    }

    // A reopened 4-tuple's gap runs from the previous incarnation's close (its final ACK or RST)
    // to the new SYN. In paws_reject the server's TIME_WAIT answers each injected SYN with an ACK
    // (and, the client's RST having killed it under tcp_rfc1337 = 0 as far as the capture can
    // tell, those ACKs come from a CLOSED side): they are not the old connection's teardown, which
    // ended with its final ACK. In syn_to_last_ack the old connection was still open (the server in
    // LAST_ACK, its final ACK dropped) when the SYN came: the server answered the SYN with an old
    // ACK, and the client's RST to that ACK closed it, 52 us after the SYN. The gap is negative:
    // the SYN came first.
    void reuseGapsRunFromTheClose_data()
    {
        // Every fixture, the hazard scenarios too.
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("capture");
        const QDir root(QStringLiteral(TWLENS_TEST_DATA "/kernel"));
        const QStringList dirs = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        QVERIFY(dirs.contains(QStringLiteral("paws_reject")) && dirs.contains(QStringLiteral("syn_to_last_ack")));
        for (const QString& d : dirs)
            for (const QString& capture : {QStringLiteral("client.pcap"), QStringLiteral("server.pcap")})
                if (QFileInfo::exists(fixtureDir(d) + capture) && QFileInfo::exists(fixtureDir(d) + QStringLiteral("expected.json")))
                    QTest::addRow("%s/%s", qPrintable(d), qPrintable(capture)) << d << capture;
    }
    void reuseGapsRunFromTheClose()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, capture);
        const Fixture fx = analyse(scenario, capture);
        QVERIFY2(fx.analysis, msg(fx.error));
        const Analysis& a = *fx.analysis;
        for (const Connection& c : a.connections) {
            if (c.previousIncarnation == kNoIndex || c.reuseGap == kNoTime)
                continue;
            const Connection& prev = a.connections[c.previousIncarnation];
            // The close lies within the previous incarnation's segments.
            QVERIFY2(c.start - c.reuseGap >= prev.start && c.start - c.reuseGap <= prev.end,
                     msg(QStringLiteral("%1: connection %2 reuse gap %3 s").arg(scenario).arg(c.id).arg(seconds(c.reuseGap))));
            if (scenario == QLatin1String("paws_reject")) {
                const TimeWaitWindow* w = windowOf(prev, Side::Server);
                QVERIFY(w);
                QCOMPARE(c.reuseGap, c.start - w->start); // the first SYN minus the final ACK
                QCOMPARE(c.reuseGap, fromSeconds(0.183368));
            }
            if (scenario == QLatin1String("syn_to_last_ack")) {
                TimeNs rst = kNoTime;
                for (const ControlSegment& s : a.segmentsOf(prev))
                    if (s.from() == Side::Client && (s.flags & tcpflag::RST))
                        rst = s.ts;
                QVERIFY(rst != kNoTime);
                QCOMPARE(c.reuseGap, c.start - rst);
                QVERIFY(c.reuseGap < 0);
                std::ostringstream summary;
                writeTextSummary(a, summary);
                const std::string line = ": reopened " + durationText(-c.reuseGap) + " before #0 closed (it was still closing)";
                QVERIFY2(summary.str().find(line) != std::string::npos, summary.str().c_str());
                const std::string range = "Reused 4-tuples: 1 (gap " + durationText(-c.reuseGap) + " before the previous close; 1 within 60 s)";
                QVERIFY2(summary.str().find(range) != std::string::npos, summary.str().c_str());
            }
        }
    }

    // Who closed first and how it ended: what the program did (close/shutdown/SO_LINGER) and
    // what the kernel sent for it.
    void closerAndKind_data() { addVantageRows(); }
    void closerAndKind()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, capture);
        const Fixture fx = analyse(scenario, capture);
        QVERIFY2(fx.analysis, msg(fx.error));
        for (const QJsonValue& v : fx.expected.value(QStringLiteral("connections")).toArray()) {
            const QJsonObject conn = v.toObject();
            const Connection* c = findConnection(*fx.analysis, conn);
            QVERIFY2(c, msg(describe(scenario, conn) + QStringLiteral(" not found")));
            const QString where = describe(scenario, conn) + QStringLiteral(" [") + capture + QStringLiteral("]");
            QVERIFY2(QString::fromLatin1(closerName(c->activeCloser)) == conn.value(QStringLiteral("active_closer")).toString(),
                     msg(where + QStringLiteral(": active_closer kernel %1, engine %2")
                                     .arg(conn.value(QStringLiteral("active_closer")).toString(),
                                          QString::fromLatin1(closerName(c->activeCloser)))));
            QVERIFY2(QString::fromLatin1(closeKindName(c->closeKind)) == conn.value(QStringLiteral("close_kind")).toString(),
                     msg(where + QStringLiteral(": close_kind kernel %1, engine %2")
                                     .arg(conn.value(QStringLiteral("close_kind")).toString(),
                                          QString::fromLatin1(closeKindName(c->closeKind)))));
            QCOMPARE(c->has(Connection::HalfClose), conn.value(QStringLiteral("data_after_first_fin")).toBool(false));
            QCOMPARE(c->has(Connection::FinWait2Timeout), conn.value(QStringLiteral("fin_wait2_timeout")).toBool(false));
        }
    }

    // Which sides entered TIME_WAIT: exactly the sides on which ss showed a TIME-WAIT socket for
    // that incarnation (none after SO_LINGER 0, a TIME_WAIT overflow or a FIN_WAIT_2 timeout;
    // both after the simultaneous close).
    void timeWaitSides_data() { addVantageRows(); }
    void timeWaitSides()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, capture);
        const Fixture fx = analyse(scenario, capture);
        QVERIFY2(fx.analysis, msg(fx.error));
        for (const QJsonValue& v : fx.expected.value(QStringLiteral("connections")).toArray()) {
            const QJsonObject conn = v.toObject();
            const Connection* c = findConnection(*fx.analysis, conn);
            QVERIFY2(c, msg(describe(scenario, conn) + QStringLiteral(" not found")));
            QStringList kernel;
            for (const QJsonValue& s : conn.value(QStringLiteral("time_wait_sides_ss")).toArray())
                kernel << s.toString();
            QStringList engine;
            for (std::uint8_t i = 0; i < c->timeWaitCount; ++i)
                engine << QString::fromLatin1(sideName(c->timeWait[i].side));
            kernel.sort();
            engine.sort();
            QVERIFY2(kernel == engine, msg(describe(scenario, conn) + QStringLiteral(" [%1]: TIME_WAIT sides kernel (ss) [%2], engine [%3]")
                                                                      .arg(capture, kernel.join(QLatin1Char(',')), engine.join(QLatin1Char(',')))));
        }
    }

    // Each TIME_WAIT window agrees with the kernel's timer: start + TIME_WAIT length (the
    // would-be expiry, also for a window cut short later) lies in the interval that ss's
    // remaining time implies at the last snapshot that showed it (whole seconds), and in the
    // tighter one /proc/net/tcp's 10 ms ticks imply. The last snapshot is the one that counts:
    // a retransmitted FIN re-ACKed in TIME_WAIT restarts the timer (tcp_timewait_state_process).
    void timeWaitTimers_data() { addVantageRows(); }
    void timeWaitTimers()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, capture);
        const Fixture fx = analyse(scenario, capture);
        QVERIFY2(fx.analysis, msg(fx.error));
        const QJsonArray conns = fx.expected.value(QStringLiteral("connections")).toArray();
        QJsonObject lastSs;   // "connection/side" -> the last TIME_WAIT row seen
        QJsonObject lastProc; // same, among rows that had a /proc/net/tcp reading
        for (const QJsonValue& v : fx.expected.value(QStringLiteral("time_wait_seen")).toArray()) {
            const QJsonObject f = v.toObject();
            const QString key = QString::number(f.value(QStringLiteral("connection")).toInt()) + QLatin1Char('/') +
                                f.value(QStringLiteral("side")).toString();
            lastSs.insert(key, f);
            if (f.contains(QStringLiteral("proc_expires_min")))
                lastProc.insert(key, f);
        }
        if (lastSs.isEmpty()) {
            // No TIME_WAIT anywhere per ss: the engine must not show one either (timeWaitSides
            // says which); nothing to time.
            for (const Connection& c : fx.analysis->connections)
                QCOMPARE(c.timeWaitCount, std::uint8_t{0});
            return;
        }
        const double twLength = fx.analysis->settings.twSeconds.value;
        QCOMPARE(twLength, 60.0);
        for (auto it = lastSs.begin(); it != lastSs.end(); ++it) {
            const QJsonObject f = it.value().toObject();
            const QJsonObject conn = conns.at(f.value(QStringLiteral("connection")).toInt()).toObject();
            const Connection* c = findConnection(*fx.analysis, conn);
            QVERIFY2(c, msg(describe(scenario, conn) + QStringLiteral(" not found")));
            const Side side = sideFrom(f.value(QStringLiteral("side")).toString());
            const TimeWaitWindow* w = windowOf(*c, side);
            QVERIFY2(w, msg(describe(scenario, conn) + QStringLiteral(" [%1]: ss showed TIME-WAIT on the %2, engine has no window")
                                                            .arg(capture, f.value(QStringLiteral("side")).toString())));
            const double expiry = seconds(w->start) + twLength;
            auto check = [&](const QJsonObject& fact, const char* lo, const char* hi, const QString& what) {
                const double min = fact.value(QLatin1String(lo)).toDouble();
                const double max = fact.value(QLatin1String(hi)).toDouble();
                QVERIFY2(expiry >= min && expiry <= max,
                         msg(describe(scenario, conn) +
                             QStringLiteral(" [%1] %2 side: TIME_WAIT expiry engine %3 (start %4 + %5 s), kernel %6 at %7 "
                                            "implies [%8, %9] (engine off by %10 s)")
                                 .arg(capture, fact.value(QStringLiteral("side")).toString())
                                 .arg(expiry, 0, 'f', 6)
                                 .arg(seconds(w->start), 0, 'f', 6)
                                 .arg(twLength)
                                 .arg(what, fact.value(QStringLiteral("snapshot")).toString())
                                 .arg(min, 0, 'f', 6)
                                 .arg(max, 0, 'f', 6)
                                 .arg(expiry < min ? expiry - min : expiry - max, 0, 'f', 3)));
            };
            check(f, "expires_min", "expires_max", QStringLiteral("ss timer ") + f.value(QStringLiteral("ss_timer")).toString());
            if (lastProc.contains(it.key()))
                check(lastProc.value(it.key()).toObject(), "proc_expires_min", "proc_expires_max",
                      QStringLiteral("/proc/net/tcp timer"));
        }
    }

    // A dropped final ACK: the kernel (nft counter) dropped exactly one, the server retransmitted
    // its FIN once. Seen before the drop (client.pcap) and after it (server.pcap). No other
    // connection of any fixture lost a final ACK.
    void lostFinalAck_data() { addVantageRows(); }
    void lostFinalAck()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, capture);
        const Fixture fx = analyse(scenario, capture);
        QVERIFY2(fx.analysis, msg(fx.error));
        for (const QJsonValue& v : fx.expected.value(QStringLiteral("connections")).toArray()) {
            const QJsonObject conn = v.toObject();
            const Connection* c = findConnection(*fx.analysis, conn);
            QVERIFY2(c, msg(describe(scenario, conn) + QStringLiteral(" not found")));
            const bool lost = conn.value(QStringLiteral("lost_final_ack")).toBool(false);
            QVERIFY2(c->has(Connection::LostFinalAck) == lost,
                     msg(describe(scenario, conn) + QStringLiteral(" [%1]: lost final ACK kernel %2, engine %3")
                                                        .arg(capture)
                                                        .arg(lost)
                                                        .arg(c->has(Connection::LostFinalAck))));
            if (lost) {
                const int drops = conn.contains(QStringLiteral("final_ack_drops"))
                                      ? conn.value(QStringLiteral("final_ack_drops")).toInt()
                                      : fx.expected.value(QStringLiteral("facts")).toObject().value(QStringLiteral("final_ack_drops")).toInt();
                QCOMPARE(drops, 1);
                QCOMPARE(int{c->finRetransmissions}, drops);
            }
        }
    }

    // RST with seq == RCV.NXT into a TIME_WAIT: under tcp_rfc1337 = 0 ss showed the TIME-WAIT
    // gone right after it (the engine ends the window there, reason rst); under 1 it survived
    // (the window runs its full length). In the sample the freed port was reused at once.
    void assassination_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("rfc1337=0") << QStringLiteral("rst_in_time_wait_rfc1337_0");
        QTest::newRow("rfc1337=1") << QStringLiteral("rst_in_time_wait_rfc1337_1");
        QTest::newRow("sample") << QStringLiteral("sample");
    }
    void assassination()
    {
        QFETCH(QString, scenario);
        const Fixture fx = analyse(scenario, QStringLiteral("client.pcap"));
        QVERIFY2(fx.analysis, msg(fx.error));
        const QJsonArray conns = fx.expected.value(QStringLiteral("connections")).toArray();
        int injected = 0;
        for (const QJsonValue& v : conns) {
            const QJsonObject conn = v.toObject();
            if (!conn.contains(QStringLiteral("rst_injected")))
                continue;
            ++injected;
            const Connection* c = findConnection(*fx.analysis, conn);
            QVERIFY(c);
            const TimeWaitWindow* w = windowOf(*c, Side::Client);
            QVERIFY2(w, msg(describe(scenario, conn) + QStringLiteral(": no client TIME_WAIT window")));
            const double rstTs = conn.value(QStringLiteral("rst_injected")).toObject().value(QStringLiteral("ts")).toDouble();
            bool survived = false;
            if (conn.contains(QStringLiteral("time_wait_survived_rst"))) {
                survived = conn.value(QStringLiteral("time_wait_survived_rst")).toBool();
            } else {
                // The kernel's own proof in the sample: the port went back into use right after.
                const int port = conn.value(QStringLiteral("client_port")).toInt();
                bool reused = false;
                for (const QJsonValue& later : conns)
                    reused |= later.toObject().value(QStringLiteral("client_port")).toInt() == port &&
                              later.toObject().value(QStringLiteral("connect_ts")).toDouble() > rstTs;
                QVERIFY(reused);
            }
            if (survived) {
                QVERIFY2(w->reason == TimeWaitEnd::Expired,
                         msg(describe(scenario, conn) + QStringLiteral(": kernel kept the TIME-WAIT (rfc1337=1), engine ended it: %1")
                                                            .arg(QString::fromLatin1(timeWaitEndName(w->reason)))));
                QCOMPARE(w->end - w->start, fx.analysis->settings.twLength());
            } else {
                QVERIFY2(w->reason == TimeWaitEnd::Rst,
                         msg(describe(scenario, conn) + QStringLiteral(": kernel deleted the TIME-WAIT on the RST, engine end reason %1")
                                                            .arg(QString::fromLatin1(timeWaitEndName(w->reason)))));
                QVERIFY2(std::abs(seconds(w->end) - rstTs) < 0.005,
                         msg(describe(scenario, conn) + QStringLiteral(": window end %1, RST sent at %2")
                                                            .arg(seconds(w->end), 0, 'f', 6)
                                                            .arg(rstTs, 0, 'f', 6)));
            }
        }
        QCOMPARE(injected, 1);
    }

    // Incarnations on one 4-tuple are linked in the order the program made them. With
    // tcp_tw_reuse = 1 (tw_reuse) the kernel refused connect() (EADDRNOTAVAIL) until a
    // TIME_WAIT was tcp_tw_reuse_delay (1 s) old and then reused its port: the engine's reuse
    // gap matches the program's timing and is at least that delay, and the old window ends
    // "reused".
    void reuse_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("tw_reuse") << QStringLiteral("tw_reuse");
        QTest::newRow("old_syn_into_time_wait") << QStringLiteral("old_syn_into_time_wait");
        QTest::newRow("sample") << QStringLiteral("sample");
    }
    void reuse()
    {
        QFETCH(QString, scenario);
        const Fixture fx = analyse(scenario, QStringLiteral("client.pcap"));
        QVERIFY2(fx.analysis, msg(fx.error));
        const QJsonArray conns = fx.expected.value(QStringLiteral("connections")).toArray();
        int linked = 0;
        for (int i = 0; i < conns.size(); ++i) {
            const QJsonObject conn = conns.at(i).toObject();
            int prevIndex = -1;
            for (int j = 0; j < i; ++j)
                if (conns.at(j).toObject().value(QStringLiteral("client_port")) == conn.value(QStringLiteral("client_port")))
                    prevIndex = j;
            const Connection* c = findConnection(*fx.analysis, conn);
            QVERIFY(c);
            if (prevIndex < 0) {
                QCOMPARE(c->previousIncarnation, kNoIndex);
                continue;
            }
            ++linked;
            const QJsonObject prevConn = conns.at(prevIndex).toObject();
            const Connection* prev = findConnection(*fx.analysis, prevConn);
            QVERIFY(prev);
            QVERIFY2(c->previousIncarnation == prev->id,
                     msg(describe(scenario, conn) + QStringLiteral(": reopens the 4-tuple of connection %1, engine previous_incarnation %2")
                                                        .arg(prevIndex)
                                                        .arg(c->previousIncarnation == kNoIndex ? -1 : static_cast<qint64>(c->previousIncarnation))));
            if (!conn.contains(QStringLiteral("reuse_gap_tool_s")))
                continue;
            QVERIFY(c->reuseGap != kNoTime);
            const double gap = seconds(c->reuseGap);
            const double kernelGap = conn.value(QStringLiteral("reuse_gap_tool_s")).toDouble();
            QVERIFY2(std::abs(gap - kernelGap) < 0.02 && gap >= 1.0,
                     msg(describe(scenario, conn) + QStringLiteral(": reuse gap engine %1 s, program timed %2 s (kernel needs >= 1 s)")
                                                        .arg(gap, 0, 'f', 4)
                                                        .arg(kernelGap, 0, 'f', 4)));
            const TimeWaitWindow* w = windowOf(*prev, Side::Client);
            QVERIFY(w);
            QVERIFY2(w->reason == TimeWaitEnd::Reused,
                     msg(describe(scenario, prevConn) + QStringLiteral(": TIME_WAIT end reason engine %1, kernel reused the port")
                                                            .arg(QString::fromLatin1(timeWaitEndName(w->reason)))));
        }
        QVERIFY(linked >= 1);
        if (scenario == QLatin1String("tw_reuse")) {
            QCOMPARE(linked, 3);
            QVERIFY(fx.expected.value(QStringLiteral("facts")).toObject().value(QStringLiteral("TWRecycled")).toInt() >= linked);
        }
    }

    // The old SYN into the server's TIME_WAIT: ss showed the server's TIME-WAIT before the
    // reconnect, and the reconnect completed within milliseconds, so the TIME_WAIT was gone
    // (killed by the client's RST at the ACK's value, tcp_rfc1337 = 0) before the SYN-ACK.
    void oldSynIntoTimeWait()
    {
        const QString scenario = QStringLiteral("old_syn_into_time_wait");
        const Fixture fx = analyse(scenario, QStringLiteral("client.pcap"));
        QVERIFY2(fx.analysis, msg(fx.error));
        const QJsonArray conns = fx.expected.value(QStringLiteral("connections")).toArray();
        QCOMPARE(conns.size(), 2);
        QVERIFY(conns.at(0).toObject().value(QStringLiteral("server_time_wait_before_reconnect")).toBool());
        const Connection* first = findConnection(*fx.analysis, conns.at(0).toObject());
        const Connection* second = findConnection(*fx.analysis, conns.at(1).toObject());
        QVERIFY(first && second);
        const TimeWaitWindow* w = windowOf(*first, Side::Server);
        QVERIFY2(w, "server TIME_WAIT of the first connection missing");
        const double connected = conns.at(1).toObject().value(QStringLiteral("connected_ts")).toDouble();
        QVERIFY2(w->reason != TimeWaitEnd::Expired && seconds(w->end) <= connected,
                 msg(QStringLiteral("%1: server TIME_WAIT end engine %2 (%3), kernel accepted the new connection by %4")
                         .arg(scenario)
                         .arg(seconds(w->end), 0, 'f', 6)
                         .arg(QString::fromLatin1(timeWaitEndName(w->reason)))
                         .arg(connected, 0, 'f', 6)));
    }

    // Port exhaustion as the kernel showed it: connect() failed with EADDRNOTAVAIL once every
    // port of the range was held (ss counted them all in TIME-WAIT). The engine's projection
    // for that destination says the range was exhausted, and no later than the failure.
    void exhaustion_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("port_exhaustion") << QStringLiteral("port_exhaustion");
        QTest::newRow("sample") << QStringLiteral("sample");
    }
    void exhaustion()
    {
        QFETCH(QString, scenario);
        const Fixture fx = analyse(scenario, QStringLiteral("client.pcap"));
        QVERIFY2(fx.analysis, msg(fx.error));
        const QJsonObject facts = fx.expected.value(QStringLiteral("facts")).toObject();
        QCOMPARE(facts.value(QStringLiteral("first_failure")).toObject().value(QStringLiteral("errno")).toString(),
                 QStringLiteral("EADDRNOTAVAIL"));
        const double failedAt = facts.value(QStringLiteral("first_failure")).toObject().value(QStringLiteral("ts")).toDouble();
        const QStringList range = fx.expected.value(QStringLiteral("sysctl")).toObject().value(QStringLiteral("client")).toObject()
                                      .value(QStringLiteral("net.ipv4.ip_local_port_range")).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QCOMPARE(range.size(), 2);
        const auto ports = static_cast<std::uint32_t>(range.at(1).toInt() - range.at(0).toInt() + 1);
        QCOMPARE(fx.analysis->settings.portCount(), ports);

        const Exhaustion* ex = nullptr;
        for (const Exhaustion& e : fx.analysis->exhaustion)
            if (e.remotePort == 8080)
                ex = &e;
        QVERIFY2(ex, msg(scenario + QStringLiteral(": no exhaustion entry for 127.1.0.2:8080")));
        QCOMPARE(ex->usablePorts, ports);
        QCOMPARE(ex->peakPortsInUse, ports);
        QCOMPARE(static_cast<int>(ex->peakTimeWait), facts.value(QStringLiteral("time_wait_at_exhaustion")).toInt());
        QVERIFY2(ex->exhaustedAt != kNoTime, msg(scenario + QStringLiteral(": kernel refused connect() (EADDRNOTAVAIL), engine says never exhausted")));
        QVERIFY2(seconds(ex->exhaustedAt) <= failedAt,
                 msg(scenario + QStringLiteral(": exhausted at engine %1, first EADDRNOTAVAIL at %2")
                                    .arg(seconds(ex->exhaustedAt), 0, 'f', 6)
                                    .arg(failedAt, 0, 'f', 6)));
    }

    // The snapshot series recorded during exhaustion, read back: each ss -tano file's time is
    // its first line, and its TIME_WAIT count equals the kernel's (ss rows, as recorded), as do
    // ss -s's "timewait" and sockstat's "tw" of the same moment.
    void snapshotCounts_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("port_exhaustion") << QStringLiteral("port_exhaustion");
        QTest::newRow("sample") << QStringLiteral("sample");
    }
    void snapshotCounts()
    {
        QFETCH(QString, scenario);
        const QJsonObject expected = readExpected(scenario);
        QStringList files;
        struct Want {
            double ts;
            int timeWait;
        };
        std::map<std::string, Want> want; // file name -> kernel values
        for (const QJsonValue& v : expected.value(QStringLiteral("snapshots")).toArray()) {
            const QJsonObject s = v.toObject();
            const QJsonObject clientFiles = s.value(QStringLiteral("files")).toObject().value(QStringLiteral("client")).toObject();
            if (!s.value(QStringLiteral("time_wait_count")).toObject().contains(QStringLiteral("client")))
                continue;
            const int tw = s.value(QStringLiteral("time_wait_count")).toObject().value(QStringLiteral("client")).toInt();
            const double ts = s.value(QStringLiteral("ts")).toObject().value(QStringLiteral("client")).toDouble();
            for (const char* kind : {"ss-tano", "ss-s", "sockstat"}) {
                const QString f = clientFiles.value(QLatin1String(kind)).toString();
                if (f.isEmpty())
                    continue;
                files << f;
                want[f.toStdString()] = Want{ts, tw};
            }
        }
        QVERIFY(files.size() >= 10);
        const Fixture fx = analyse(scenario, QStringLiteral("client.pcap"), files);
        QVERIFY2(fx.analysis, msg(fx.error));
        std::set<std::string> seen;
        for (const SocketSnapshot& s : fx.analysis->snapshots) {
            const std::string path = fx.analysis->inputs.at(s.input).path;
            const std::string name = path.substr(path.find_last_of('/') + 1);
            const auto it = want.find(name);
            if (it == want.end())
                continue;
            seen.insert(name);
            const QString where = scenario + QLatin1Char('/') + QString::fromStdString(name);
            if (name.find(".ss-tano.") != std::string::npos) {
                // The first line's time is the one ss -tano's rows were taken at.
                QVERIFY2(std::abs(seconds(s.ts) - it->second.ts) < 1e-6,
                         msg(where + QStringLiteral(": time engine %1, first line %2").arg(seconds(s.ts), 0, 'f', 9).arg(it->second.ts, 0, 'f', 9)));
                const auto tw = s.stateCounts[static_cast<std::size_t>(TcpState::TimeWait)];
                QVERIFY2(tw == it->second.timeWait,
                         msg(where + QStringLiteral(": TIME-WAIT rows kernel %1, engine %2").arg(it->second.timeWait).arg(tw)));
            } else {
                QVERIFY2(s.timeWaitTotal == it->second.timeWait,
                         msg(where + QStringLiteral(": timewait kernel %1, engine %2").arg(it->second.timeWait).arg(s.timeWaitTotal)));
            }
        }
        QCOMPARE(seen.size(), want.size());
    }
};

QTEST_GUILESS_MAIN(TestKernelAgreement)
#include "tst_kernel_agreement.moc"
