// SPDX-License-Identifier: GPL-3.0-or-later
// The per-connection CSV: header, one row per connection, RFC 4180 quoting, exact values.
#include <QtTest>

#include <sstream>

#include "core/output/csv_writer.h"
#include "csv_reader.h"
#include "sample_analysis.h"

using namespace twlens;

class TestCsvWriter : public QObject {
    Q_OBJECT

private:
    QList<QStringList> rows_;
    QStringList header_;

    QString cell(int row, const char* column) const { return rows_[row][header_.indexOf(column)]; }

private slots:
    void initTestCase() {
        std::ostringstream out;
        QVERIFY(writeCsv(test::sampleAnalysis(), out));
        QVERIFY(readCsv(QString::fromStdString(out.str()), &rows_));
        QVERIFY(!rows_.isEmpty());
        header_ = rows_.takeFirst();
    }

    void quoting_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("written");
        QTest::newRow("plain") << "fin" << "fin";
        QTest::newRow("empty") << "" << "";
        QTest::newRow("comma") << "a,b" << "\"a,b\"";
        QTest::newRow("quote") << "say \"hi\"" << "\"say \"\"hi\"\"\"";
        QTest::newRow("lf") << "two\nlines" << "\"two\nlines\"";
        QTest::newRow("crlf") << "two\r\nlines" << "\"two\r\nlines\"";
        QTest::newRow("semicolon stays bare") << "a;b" << "a;b";
    }
    void quoting() {
        QFETCH(QString, field);
        QFETCH(QString, written);
        std::string out;
        appendCsvField(out, field.toStdString());
        QCOMPARE(QString::fromStdString(out), written);
    }

    void header() {
        QCOMPARE(header_.join(','), QString::fromStdString(std::string(csvHeader())));
        for (const char* column : {"id", "client_ip", "client_port", "server_ip", "server_port", "roles_inferred",
                                   "start", "end", "syn_seen", "active_closer", "close_kind", "client_tw_start",
                                   "client_tw_end", "client_tw_end_reason", "server_tw_start", "server_tw_end",
                                   "server_tw_end_reason", "fin_retransmissions", "lost_final_ack",
                                   "previous_incarnation", "reuse_gap_s", "client_states", "server_states", "hazards"})
            QVERIFY2(header_.contains(column), column);
    }

    void oneRowPerConnection() {
        QCOMPARE(rows_.size(), 3);
        for (const QStringList& r : rows_)
            QCOMPARE(r.size(), header_.size());
    }

    void values() {
        QCOMPARE(cell(0, "id"), QString("0"));
        QCOMPARE(cell(0, "client_ip"), QString("10.0.0.1"));
        QCOMPARE(cell(0, "client_port"), QString("40312"));
        QCOMPARE(cell(0, "server_ip"), QString("10.0.0.2"));
        QCOMPARE(cell(0, "server_port"), QString("80"));
        QCOMPARE(cell(0, "start"), QString("1258562301.123456789"));
        QCOMPARE(cell(0, "end"), QString("1258562301.523456789"));
        QCOMPARE(cell(0, "active_closer"), QString("client"));
        QCOMPARE(cell(0, "close_kind"), QString("fin"));
        QCOMPARE(cell(0, "client_tw_start"), QString("1258562301.523456789"));
        QCOMPARE(cell(0, "client_tw_end"), QString("1258562302.023456789"));
        QCOMPARE(cell(0, "client_tw_end_reason"), QString("reused"));
        QCOMPARE(cell(0, "server_tw_start"), QString());
        QCOMPARE(cell(0, "server_tw_end_reason"), QString());
        QCOMPARE(cell(0, "previous_incarnation"), QString());
        QCOMPARE(cell(0, "reuse_gap_s"), QString());
        QCOMPARE(cell(0, "client_states"),
                 QString("SYN_SENT@1258562301.123456789;ESTABLISHED@1258562301.223456789;"
                         "FIN_WAIT_1@1258562301.423456789;FIN_WAIT_2@1258562301.473456789;"
                         "TIME_WAIT@1258562301.523456789;CLOSED@1258562302.023456789"));
        QCOMPARE(cell(0, "client_bytes"), QString("120"));
        QCOMPARE(cell(0, "server_bytes"), QString("5000"));

        QCOMPARE(cell(1, "active_closer"), QString("server"));
        QCOMPARE(cell(1, "server_tw_end_reason"), QString("expired"));
        QCOMPARE(cell(1, "client_tw_start"), QString());
        QCOMPARE(cell(1, "fin_retransmissions"), QString("2"));
        QCOMPARE(cell(1, "lost_final_ack"), QString("true"));
        QCOMPARE(cell(1, "previous_incarnation"), QString("0"));
        QCOMPARE(cell(1, "reuse_gap_s"), QString("0.5"));
        QCOMPARE(cell(1, "hazards"), QString("reuse_within_time_wait;lost_final_ack"));

        QCOMPARE(cell(2, "client_ip"), QString("2001:db8::1"));
        QCOMPARE(cell(2, "vlan"), QString("100;200"));
        QCOMPARE(cell(2, "roles_inferred"), QString("true"));
        QCOMPARE(cell(2, "syn_seen"), QString("false"));
        QCOMPARE(cell(2, "close_kind"), QString("rst"));
        QCOMPARE(cell(2, "server_states"), QString("CLOSED@1258562304.12345679"));
        QCOMPARE(cell(2, "hazards"), QString());
    }

    void hazardKindWithCommaIsQuoted() {
        // A kind is free text in the model; one with a comma and quotes must survive a round trip.
        Analysis a = test::sampleAnalysis();
        a.hazards[0].kind = "odd, \"quoted\" kind";
        std::ostringstream out;
        QVERIFY(writeCsv(a, out));
        QVERIFY(out.str().find("\"odd, \"\"quoted\"\" kind;lost_final_ack\"") != std::string::npos);
        QList<QStringList> rows;
        QVERIFY(readCsv(QString::fromStdString(out.str()), &rows));
        QCOMPARE(rows[2][header_.indexOf("hazards")], QString("odd, \"quoted\" kind;lost_final_ack"));
    }

    void largerThanTheBlocks() {
        // 5000 connections make several of the writer's 64 KiB blocks: every row once, in order,
        // none cut at a block's edge.
        std::ostringstream out;
        QVERIFY(writeCsv(test::manyConnections(5000), out));
        QVERIFY(out.str().size() > 4 * 65536);
        QList<QStringList> rows;
        QVERIFY(readCsv(QString::fromStdString(out.str()), &rows));
        QCOMPARE(rows.size(), 5001);
        for (int i = 1; i <= 5000; ++i) {
            QCOMPARE(rows[i].size(), header_.size());
            QCOMPARE(rows[i][header_.indexOf("id")], QString::number(i - 1));
        }
        QCOMPARE(rows[5000][header_.indexOf("client_port")], QString::number(32768 + 4999));
        QCOMPARE(rows[5000][header_.indexOf("start")], QString("1258562306.122456789"));
    }

    void emptyAnalysisIsHeaderOnly() {
        std::ostringstream out;
        QVERIFY(writeCsv(Analysis{}, out));
        QCOMPARE(out.str(), std::string(csvHeader()) + "\r\n");
    }
};

QTEST_GUILESS_MAIN(TestCsvWriter)
#include "tst_csv_writer.moc"
