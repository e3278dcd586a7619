// SPDX-License-Identifier: GPL-3.0-or-later
// The twlens/1 JSON writer on hand-built analyses: every contract key with its type, exact
// values, nanosecond times printed exactly, non-UTF-8 input repaired, FILE* and ostream equal.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cstdio>
#include <random>
#include <sstream>

#include "core/output/json_writer.h"
#include "core/output/time_format.h"
#include "sample_analysis.h"

using namespace twlens;

namespace {

std::string jsonText(const Analysis& a) {
    std::ostringstream out;
    if (!writeJson(a, out))
        return {};
    return out.str();
}

// The document as writeJson(FILE*) writes it (through a temporary file).
std::string jsonTextViaFile(const Analysis& a, unsigned threads = 2) {
    std::FILE* f = std::tmpfile();
    if (!f)
        return {};
    std::string text;
    if (writeJson(a, f, threads)) {
        std::rewind(f);
        char buf[65536];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
            text.append(buf, n);
    }
    std::fclose(f);
    return text;
}

QJsonObject parse(const std::string& text) {
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &err);
    if (err.error != QJsonParseError::NoError)
        qWarning("JSON parse error at %d: %s", err.offset, qPrintable(err.errorString()));
    return doc.object();
}

QStringList keysMissing(const QJsonObject& o, const QList<QPair<QString, QJsonValue::Type>>& want) {
    QStringList bad;
    for (const auto& [key, type] : want)
        if (!o.contains(key) || o.value(key).type() != type)
            bad << key;
    return bad;
}

} // namespace

class TestJsonWriter : public QObject {
    Q_OBJECT

private:
    QJsonObject doc_;
    std::string text_;

private slots:
    void initTestCase() {
        text_ = jsonText(test::sampleAnalysis());
        doc_ = parse(text_);
        QVERIFY(!doc_.isEmpty());
    }

    void secondsText_data() {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << "0.0";
        QTest::newRow("one ns") << qint64(1) << "0.000000001";
        QTest::newRow("minus one ns") << qint64(-1) << "-0.000000001";
        QTest::newRow("60 s") << qint64(60 * kNsPerSecond) << "60.0";
        QTest::newRow("minus 1.5 s") << qint64(-1'500'000'000) << "-1.5";
        QTest::newRow("epoch ns") << qint64(test::kT0) << "1258562301.123456789";
        QTest::newRow("epoch us") << qint64(1258562301'123456000LL) << "1258562301.123456";
        QTest::newRow("int64 max") << qint64(INT64_MAX) << "9223372036.854775807";
        QTest::newRow("int64 min") << qint64(INT64_MIN) << "-9223372036.854775808";
        QTest::newRow("tenth") << qint64(100'000'000) << "0.1";
        QTest::newRow("ten ns") << qint64(10) << "0.00000001";
        QTest::newRow("zeros inside") << qint64(1'000'000'001) << "1.000000001";
        QTest::newRow("whole second") << qint64(7 * kNsPerSecond) << "7.0";
    }
    void secondsText() {
        QFETCH(qint64, ns);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(std::string(twlens::secondsText(ns).text())), text);
    }
    // Against the plain way of writing it (printf of the seconds and the zero-padded nanoseconds,
    // trailing zeros trimmed to one), on random times of every magnitude and both signs, and on
    // fractions with each count of trailing zeros.
    void secondsTextMatchesPlainFormatting() {
        std::mt19937_64 rng(20261205);
        const auto plain = [](qint64 t) {
            const quint64 mag = t < 0 ? ~static_cast<quint64>(t) + 1 : static_cast<quint64>(t);
            char buf[48];
            std::snprintf(buf, sizeof buf, "%s%llu.%09llu", t < 0 ? "-" : "", static_cast<unsigned long long>(mag / 1'000'000'000ULL),
                          static_cast<unsigned long long>(mag % 1'000'000'000ULL));
            std::string s(buf);
            while (s.size() >= 2 && s.back() == '0' && s[s.size() - 2] != '.')
                s.pop_back();
            return s;
        };
        for (int i = 0; i < 200'000; ++i) {
            qint64 t = static_cast<qint64>(rng() >> (rng() % 64));
            if (i % 3 == 0) { // fractions ending in 0 to 8 zeros
                qint64 unit = 1;
                for (int z = i % 9; z > 0; --z)
                    unit *= 10;
                t = (t / unit) * unit;
            }
            if (t != INT64_MIN && (rng() & 1))
                t = -t;
            QCOMPARE(std::string(twlens::secondsText(t).text()), plain(t));
        }
    }

    void topLevel() {
        QCOMPARE(doc_.value("schema").toString(), QString("twlens/1"));
        QCOMPARE(keysMissing(doc_, {{"schema", QJsonValue::String},
                                    {"settings", QJsonValue::Object},
                                    {"inputs", QJsonValue::Array},
                                    {"connections", QJsonValue::Array},
                                    {"hazards", QJsonValue::Array},
                                    {"exhaustion", QJsonValue::Array},
                                    {"snapshots", QJsonValue::Array},
                                    {"findings", QJsonValue::Array}}),
                 QStringList());
        QVERIFY(text_.ends_with("}\n"));
    }

    void settings() {
        const QJsonObject s = doc_.value("settings").toObject();
        QCOMPARE(keysMissing(s, {{"tw_seconds", QJsonValue::Double},
                                 {"port_range", QJsonValue::Array},
                                 {"tw_reuse", QJsonValue::Double},
                                 {"rfc1337", QJsonValue::Double},
                                 {"sources", QJsonValue::Object}}),
                 QStringList());
        QCOMPARE(s.value("tw_seconds").toDouble(), 60.0);
        QCOMPARE(s.value("port_range").toArray(), QJsonArray({20000, 20999}));
        QCOMPARE(s.value("tw_reuse").toInt(), 2);
        QCOMPARE(s.value("rfc1337").toInt(), 1);
        QCOMPARE(s.value("timestamps").toInt(), 1);
        QCOMPARE(s.value("tw_reuse_delay_ms").toInt(), 1000);
        QCOMPARE(s.value("fin_timeout").toInt(), 60);
        QCOMPARE(s.value("max_tw_buckets").toInt(), 262144);
        const QJsonObject src = s.value("sources").toObject();
        QCOMPARE(src.value("tw_seconds").toString(), QString("default"));
        QCOMPARE(src.value("port_range").toString(), QString("sysctl.txt:3"));
        QCOMPARE(src.value("tw_reuse").toString(), QString("default"));
        QCOMPARE(src.value("rfc1337").toString(), QString("command line"));
        QCOMPARE(src.value("max_tw_buckets").toString(), QString("sysctl.txt:7"));
        QCOMPARE(src.value("fin_timeout").toString(), QString("default"));
    }

    void unknownMaxTwBucketsIsNull() {
        const QJsonObject s = parse(jsonText(Analysis{})).value("settings").toObject();
        QVERIFY(s.value("max_tw_buckets").isNull());
    }

    void inputs() {
        const QJsonArray inputs = doc_.value("inputs").toArray();
        QCOMPARE(inputs.size(), 2);
        for (const QJsonValue& v : inputs)
            QCOMPARE(keysMissing(v.toObject(), {{"path", QJsonValue::String},
                                                {"kind", QJsonValue::String},
                                                {"packets", QJsonValue::Double},
                                                {"tcp_packets", QJsonValue::Double},
                                                {"warnings", QJsonValue::Array}}),
                     QStringList());
        const QJsonObject cap = inputs[0].toObject();
        QCOMPARE(cap.value("path").toString(), QString("captures/edge.pcap"));
        QCOMPARE(cap.value("kind").toString(), QString("pcap"));
        QCOMPARE(cap.value("packets").toInt(), 25);
        QCOMPARE(cap.value("tcp_packets").toInt(), 23);
        QCOMPARE(cap.value("non_tcp_packets").toInt(), 2);
        QCOMPARE(cap.value("size_bytes").toInt(), 5696);
        QCOMPARE(cap.value("link_type").toInt(), 1);
        QCOMPARE(cap.value("first_ts").toDouble(), 1258562301.123456789);
        QCOMPARE(cap.value("last_ts").toDouble(), 1258562304.12345679);
        QCOMPARE(cap.value("warnings").toArray(), QJsonArray({"byte 5696: invalid packet capture length 4325376"}));
        const QJsonObject ss = inputs[1].toObject();
        // The invalid byte 0xff became U+FFFD, the rest of the path is kept.
        QCOMPARE(ss.value("path").toString(), QString::fromUtf8("snap\xEF\xBF\xBD/ss-tan.txt"));
        QCOMPARE(ss.value("kind").toString(), QString("ss"));
        QVERIFY(ss.value("first_ts").isNull());
        QVERIFY(ss.value("last_ts").isNull());
        QVERIFY(ss.value("link_type").isNull());
        QCOMPARE(ss.value("warnings").toArray(), QJsonArray({"line 12: unknown state 'FOO'"}));
    }

    void connectionKeys_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("type");
        const QList<QPair<const char*, QJsonValue::Type>> required{
            {"id", QJsonValue::Double},          {"client", QJsonValue::Object},
            {"server", QJsonValue::Object},      {"roles_inferred", QJsonValue::Bool},
            {"start", QJsonValue::Double},       {"end", QJsonValue::Double},
            {"syn_seen", QJsonValue::Bool},      {"active_closer", QJsonValue::String},
            {"close_kind", QJsonValue::String},  {"time_wait", QJsonValue::Array},
            {"fin_retransmissions", QJsonValue::Double}, {"lost_final_ack", QJsonValue::Bool},
            {"states", QJsonValue::Object},      {"hazards", QJsonValue::Array},
        };
        for (const auto& [key, type] : required)
            QTest::newRow(key) << QString(key) << int(type);
    }
    void connectionKeys() {
        QFETCH(QString, key);
        QFETCH(int, type);
        const QJsonArray conns = doc_.value("connections").toArray();
        QCOMPARE(conns.size(), 3);
        for (const QJsonValue& v : conns)
            QCOMPARE(int(v.toObject().value(key).type()), type);
        // previous_incarnation and reuse_gap_s are number-or-null.
        for (const QJsonValue& v : conns) {
            QVERIFY(v.toObject().contains("previous_incarnation"));
            QVERIFY(v.toObject().contains("reuse_gap_s"));
        }
    }

    void clientClosedConnection() {
        const QJsonObject c = doc_.value("connections").toArray()[0].toObject();
        QCOMPARE(c.value("id").toInt(), 0);
        QCOMPARE(c.value("client").toObject(), QJsonObject({{"ip", "10.0.0.1"}, {"port", 40312}}));
        QCOMPARE(c.value("server").toObject(), QJsonObject({{"ip", "10.0.0.2"}, {"port", 80}}));
        QCOMPARE(c.value("roles_inferred").toBool(), false);
        QCOMPARE(c.value("syn_seen").toBool(), true);
        QCOMPARE(c.value("active_closer").toString(), QString("client"));
        QCOMPARE(c.value("close_kind").toString(), QString("fin"));
        QCOMPARE(c.value("start").toDouble(), 1258562301.123456789);
        QCOMPARE(c.value("end").toDouble(), 1258562301.523456789);
        const QJsonArray tw = c.value("time_wait").toArray();
        QCOMPARE(tw.size(), 1);
        QCOMPARE(tw[0].toObject().value("side").toString(), QString("client"));
        QCOMPARE(tw[0].toObject().value("start").toDouble(), 1258562301.523456789);
        QCOMPARE(tw[0].toObject().value("end").toDouble(), 1258562302.023456789);
        QCOMPARE(tw[0].toObject().value("end_reason").toString(), QString("reused"));
        QVERIFY(c.value("previous_incarnation").isNull());
        QVERIFY(c.value("reuse_gap_s").isNull());
        QCOMPARE(c.value("next_incarnation").toInt(), 1);
        QCOMPARE(c.value("fin_retransmissions").toInt(), 0);
        QCOMPARE(c.value("lost_final_ack").toBool(), false);
        QCOMPARE(c.value("hazards").toArray(), QJsonArray());
        QCOMPARE(c.value("packets").toObject(), QJsonObject({{"client", 5}, {"server", 4}}));
        QCOMPARE(c.value("bytes").toObject(), QJsonObject({{"client", 120}, {"server", 5000}}));
        QCOMPARE(c.value("vlan").toArray(), QJsonArray());
        QCOMPARE(c.value("flags").toArray(), QJsonArray({"syn_seen", "timestamps"}));
    }

    void stateTimelines() {
        const QJsonObject states = doc_.value("connections").toArray()[0].toObject().value("states").toObject();
        const QJsonArray client = states.value("client").toArray();
        const QStringList clientNames{"SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT", "CLOSED"};
        const QList<double> clientTimes{1258562301.123456789, 1258562301.223456789, 1258562301.423456789,
                                        1258562301.473456789, 1258562301.523456789,
                                        1258562302.023456789}; // CLOSED: the TIME_WAIT window's end
        QCOMPARE(client.size(), clientNames.size());
        for (qsizetype i = 0; i < client.size(); ++i) {
            QCOMPARE(client[i].toArray()[0].toString(), clientNames[i]);
            QCOMPARE(client[i].toArray()[1].toDouble(), clientTimes[i]);
        }
        QStringList server;
        for (const QJsonValue& v : states.value("server").toArray())
            server << v.toArray()[0].toString();
        QCOMPARE(server, QStringList({"SYN_RECV", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"}));
        // The exact text, to the nanosecond.
        QVERIFY(text_.find(R"(["FIN_WAIT_2",1258562301.473456789])") != std::string::npos);
    }

    void reusedConnection() {
        const QJsonObject c = doc_.value("connections").toArray()[1].toObject();
        QCOMPARE(c.value("active_closer").toString(), QString("server"));
        QCOMPARE(c.value("previous_incarnation").toInt(), 0);
        QCOMPARE(c.value("reuse_gap_s").toDouble(), 0.5);
        QVERIFY(text_.find(R"("reuse_gap_s":0.5,)") != std::string::npos);
        QCOMPARE(c.value("fin_retransmissions").toInt(), 2);
        QCOMPARE(c.value("lost_final_ack").toBool(), true);
        QCOMPARE(c.value("hazards").toArray(), QJsonArray({"reuse_within_time_wait", "lost_final_ack"}));
        const QJsonObject tw = c.value("time_wait").toArray()[0].toObject();
        QCOMPARE(tw.value("side").toString(), QString("server"));
        QCOMPARE(tw.value("end").toDouble() - tw.value("start").toDouble(), 60.0);
        QCOMPARE(tw.value("end_reason").toString(), QString("expired"));
        QVERIFY(c.value("next_incarnation").isNull());
    }

    void midStreamIpv6Connection() {
        const QJsonObject c = doc_.value("connections").toArray()[2].toObject();
        QCOMPARE(c.value("client").toObject(), QJsonObject({{"ip", "2001:db8::1"}, {"port", 5555}}));
        QCOMPARE(c.value("server").toObject(), QJsonObject({{"ip", "2001:db8::2"}, {"port", 443}}));
        QCOMPARE(c.value("roles_inferred").toBool(), true);
        QCOMPARE(c.value("syn_seen").toBool(), false);
        QCOMPARE(c.value("active_closer").toString(), QString("none"));
        QCOMPARE(c.value("close_kind").toString(), QString("rst"));
        QCOMPARE(c.value("time_wait").toArray(), QJsonArray());
        QCOMPARE(c.value("vlan").toArray(), QJsonArray({100, 200}));
        QCOMPARE(c.value("flags").toArray(), QJsonArray({"roles_inferred", "mid_stream"}));
        QVERIFY(text_.find(R"("end":1258562304.12345679,)") != std::string::npos);
        // A side whose state was not known yet ("None") is left out, not printed as "NONE".
        const QJsonArray server = c.value("states").toObject().value("server").toArray();
        QCOMPARE(server.size(), 1);
        QCOMPARE(server[0].toArray()[0].toString(), QString("CLOSED"));
        QVERIFY(text_.find("NONE") == std::string::npos);
    }

    void hazards() {
        const QJsonArray hz = doc_.value("hazards").toArray();
        QCOMPARE(hz.size(), 3);
        for (const QJsonValue& v : hz)
            QCOMPARE(keysMissing(v.toObject(), {{"kind", QJsonValue::String},
                                                {"ts", QJsonValue::Double},
                                                {"severity", QJsonValue::String},
                                                {"reference", QJsonValue::String},
                                                {"summary", QJsonValue::String}}),
                     QStringList());
        const QJsonObject first = hz[0].toObject();
        QCOMPARE(first.value("kind").toString(), QString("reuse_within_time_wait"));
        QCOMPARE(first.value("connection").toInt(), 1);
        QCOMPARE(first.value("severity").toString(), QString("critical"));
        QCOMPARE(first.value("reference").toString(), QString("RFC 1337"));
        QCOMPARE(first.value("ts").toDouble(), 1258562302.023456789);
        QCOMPARE(first.value("evidence_frames").toArray(), QJsonArray({13, 20}));
        QCOMPARE(hz[1].toObject().value("severity").toString(), QString("warning"));
        const QJsonObject loose = hz[2].toObject();
        QVERIFY(loose.value("connection").isNull());
        QCOMPARE(loose.value("kind").toString(), QString("odd, \"quoted\" kind"));
        QCOMPARE(loose.value("severity").toString(), QString("info"));
    }

    void exhaustion() {
        const QJsonArray ex = doc_.value("exhaustion").toArray();
        QCOMPARE(ex.size(), 2);
        const QJsonObject e = ex[0].toObject();
        QCOMPARE(keysMissing(e, {{"local_ip", QJsonValue::String},
                                 {"remote_ip", QJsonValue::String},
                                 {"remote_port", QJsonValue::Double},
                                 {"port_range", QJsonValue::Array},
                                 {"peak_ports_in_use", QJsonValue::Double},
                                 {"peak_time", QJsonValue::Double},
                                 {"peak_time_wait", QJsonValue::Double},
                                 {"new_connections_per_s_peak", QJsonValue::Double},
                                 {"max_sustainable_rate_per_s", QJsonValue::Double},
                                 {"projected_exhaustion_at", QJsonValue::Double}}),
                 QStringList());
        QCOMPARE(e.value("local_ip").toString(), QString("10.0.0.1"));
        QCOMPARE(e.value("remote_ip").toString(), QString("10.0.0.2"));
        QCOMPARE(e.value("remote_port").toInt(), 80);
        QCOMPARE(e.value("port_range").toArray(), QJsonArray({20000, 20999}));
        QCOMPARE(e.value("peak_ports_in_use").toInt(), 1000);
        QCOMPARE(e.value("peak_time_wait").toInt(), 990);
        QCOMPARE(e.value("peak_time").toDouble(), 1258562303.123456789);
        QCOMPARE(e.value("new_connections_per_s_peak").toDouble(), 25.5);
        QCOMPARE(e.value("max_sustainable_rate_per_s").toDouble(), 1000.0 / 60.0);
        QCOMPARE(e.value("projected_exhaustion_at").toDouble(), 1258562303.123456789);
        QCOMPARE(e.value("usable_ports").toInt(), 1000);
        QCOMPARE(e.value("series").toArray().size(), 2);
        QCOMPARE(e.value("series").toArray()[1].toArray()[1].toInt(), 1000);
        const QJsonObject calm = ex[1].toObject();
        QVERIFY(calm.value("projected_exhaustion_at").isNull());
        QVERIFY(calm.value("exhausted_at").isNull());
        QCOMPARE(calm.value("remote_port").toInt(), 443);
    }

    // The series is written as text: exactly the bytes of arrays of [time, count, count], the
    // time to the nanosecond, the counts up to UINT32_MAX, an empty series as [].
    void seriesText() {
        Analysis a = test::sampleAnalysis();
        a.exhaustion.resize(2);
        a.exhaustion[0].series = {{test::kT0, 0, 4294967295u}, {test::kT0 + 60 * kNsPerSecond + 376'543'211, 1, 0}};
        a.exhaustion[1].series.clear();
        const std::string text = jsonText(a);
        QVERIFY(text.find("\"series\":[[1258562301.123456789,0,4294967295],[1258562361.5,1,0]]}") != std::string::npos);
        QVERIFY(text.find("\"series\":[]}") != std::string::npos);
        const QJsonArray ex = parse(text).value("exhaustion").toArray();
        QCOMPARE(ex.size(), 2);
        QCOMPARE(ex[0].toObject().value("series").toArray()[0].toArray()[2].toDouble(), 4294967295.0);
        QCOMPARE(ex[1].toObject().value("series").toArray().size(), 0);
        QCOMPARE(jsonTextViaFile(a, 2), text);
    }

    void snapshots() {
        const QJsonArray snaps = doc_.value("snapshots").toArray();
        QCOMPARE(snaps.size(), 2);
        const QJsonObject s = snaps[0].toObject();
        QCOMPARE(keysMissing(s, {{"ts", QJsonValue::Double},
                                 {"source", QJsonValue::String},
                                 {"kind", QJsonValue::String},
                                 {"states", QJsonValue::Object},
                                 {"time_wait_by_destination", QJsonValue::Array}}),
                 QStringList());
        QCOMPARE(s.value("ts").toDouble(), 1258562302.123456789);
        QCOMPARE(s.value("source").toString(), QString::fromUtf8("snap\xEF\xBF\xBD/ss-tan.txt"));
        QCOMPARE(s.value("kind").toString(), QString("ss"));
        const QJsonObject states = s.value("states").toObject();
        QCOMPARE(states.size(), 11); // every state but "None", all known from the socket rows
        QCOMPARE(states.value("TIME_WAIT").toInt(), 3);
        QCOMPARE(states.value("ESTABLISHED").toInt(), 1);
        QCOMPARE(states.value("LISTEN").toInt(), 0);
        QCOMPARE(s.value("time_wait_by_destination").toArray(),
                 QJsonArray({QJsonObject({{"remote_ip", "10.0.0.2"}, {"remote_port", 80}, {"count", 2}}),
                             QJsonObject({{"remote_ip", "10.0.0.3"}, {"remote_port", 443}, {"count", 1}})}));
        QCOMPARE(s.value("time_source").toString(), QString("first line"));
        // ss -s: only the TIME_WAIT total is known.
        const QJsonObject summary = snaps[1].toObject();
        QCOMPARE(summary.value("states").toObject(), QJsonObject({{"TIME_WAIT", 1234}}));
        QCOMPARE(summary.value("time_wait_by_destination").toArray(), QJsonArray());
        QCOMPARE(summary.value("counters").toObject(), QJsonObject({{"TcpExtTW", 99}}));
    }

    void findings() {
        const QJsonArray f = doc_.value("findings").toArray();
        QCOMPARE(f.size(), 1);
        QCOMPARE(f[0].toObject(),
                 QJsonObject({{"kind", "tw_reuse_loopback_only"},
                              {"severity", "warning"},
                              {"summary", "tcp_tw_reuse = 2 reuses TIME_WAIT ports for loopback connections only"},
                              {"evidence", "sysctl.txt:5: net.ipv4.tcp_tw_reuse = 2"}}));
    }

    void emptyAnalysis() {
        const QJsonObject d = parse(jsonText(Analysis{}));
        QCOMPARE(d.value("schema").toString(), QString("twlens/1"));
        for (const char* key : {"inputs", "connections", "hazards", "exhaustion", "snapshots", "findings"})
            QCOMPARE(d.value(key).toArray(), QJsonArray());
        QCOMPARE(d.value("settings").toObject().value("port_range").toArray(), QJsonArray({32768, 60999}));
    }

    // A connection's hazard kinds are written by the connection's own text writer; one that JSON
    // must escape (a quote, a control character) or that is not UTF-8 comes out as the document's
    // hazards[] list writes it (rapidjson, after the UTF-8 repair).
    void connectionHazardKindsAreEscaped() {
        Analysis a = test::sampleAnalysis();
        std::size_t changed = 0;
        for (Hazard& h : a.hazards)
            if (h.connection == 1) {
                h.kind = "odd \"kind\"\x01\\ \xFF end";
                ++changed;
            }
        QVERIFY(changed > 0);
        const QJsonObject doc = parse(jsonText(a));
        const QJsonArray conns = doc.value("connections").toArray();
        QVERIFY(conns.size() > 1); // empty when the document did not parse
        const QJsonArray kinds = conns[1].toObject().value("hazards").toArray();
        QCOMPARE(static_cast<std::size_t>(kinds.size()), changed);
        const QString want = QString::fromUtf8("odd \"kind\"\x01\\ \xEF\xBF\xBD end");
        for (const QJsonValue& k : kinds)
            QCOMPARE(k.toString(), want);
        QCOMPARE(doc.value("hazards").toArray()[0].toObject().value("kind").toString(), want);
    }

    void fileAndStreamAgree() { QCOMPARE(jsonTextViaFile(test::sampleAnalysis()), text_); }

    void largerThanTheBuffers() {
        // 5000 connections make several times the writers' 64 KiB buffers.
        const std::string text = jsonText(test::manyConnections(5000));
        QVERIFY(text.size() > 4 * 65536);
        const QJsonArray conns = parse(text).value("connections").toArray();
        QCOMPARE(conns.size(), 5000);
        QCOMPARE(conns[4999].toObject().value("id").toInt(), 4999);
        QCOMPARE(conns[4999].toObject().value("client").toObject().value("port").toInt(), 32768 + 4999);
        QCOMPARE(conns[4999].toObject().value("start").toDouble(), 1258562306.122456789);
    }

    void twoThreadsWriteTheSameBytes() {
        // 20000 connections: ten blocks of 2048 formatted alternately by the two threads, the
        // last one short. The bytes must be those of one thread, and a valid document.
        const Analysis a = test::manyConnections(20000);
        std::ostringstream one, two;
        QVERIFY(writeJson(a, one, 1));
        QVERIFY(writeJson(a, two, 2));
        QVERIFY(one.str().size() > 10 * 65536);
        QVERIFY(one.str() == two.str());
        const QJsonArray conns = parse(two.str()).value("connections").toArray();
        QCOMPARE(conns.size(), 20000);
        for (int i : {0, 2047, 2048, 4095, 4096, 19999})
            QCOMPARE(conns[i].toObject().value("id").toInt(), i);
        QVERIFY(jsonTextViaFile(a, 2) == one.str()); // the FILE writer takes the same path
    }

    void failedStreamIsReported() {
        std::ostringstream out;
        out.setstate(std::ios::badbit);
        QVERIFY(!writeJson(test::sampleAnalysis(), out));
    }
};

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_json_writer.moc"
