// SPDX-License-Identifier: GPL-3.0-or-later
// Figures on the bundled sample (resources/samples/sample.pcap: 17 connections, #2 with a lost
// final ACK, #5 a TIME_WAIT assassination, the client's ss/sockstat snapshots and sysctl beside
// it), `twlens-cli render` without a display, and the ladder's segment highlight.
#include <QDir>
#include <QFileDialog>
#include <QInputDialog>
#include <QImage>
#include <QMenu>
#include <QProcess>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include "core/presentation/figure_caption.h"
#include "core/presentation/figure_window.h"
#include "core/presentation/snapshot_series.h"
#include "core/presentation/state_transitions.h"
#include "gui/figures/export_actions.h"
#include "gui/figures/figure.h"
#include "gui/state/selection_state.h"
#include "gui/views/ladder_widget.h"
#include "support/analyse_files.h"
#include "support/private_settings.h"

using namespace twlens;

namespace {

const QString kSamples = QStringLiteral(TWLENS_SOURCE_DIR "/resources/samples");
const QString kCli = QStringLiteral(TWLENS_BINARY_DIR "/cli/twlens-cli");

QStringList sampleFiles(const QStringList& patterns) {
    QStringList files;
    for (const QString& pattern : patterns)
        for (const QString& f : QDir(kSamples).entryList({pattern}, QDir::Files, QDir::Name))
            files << kSamples + QLatin1Char('/') + f;
    return files;
}

std::shared_ptr<const Analysis> analyse(const QStringList& files) { return testsupport::analyseFiles(files); }

// The text of every <text> element, entities decoded.
QStringList svgTexts(const QByteArray& svg) {
    static const QRegularExpression re(QStringLiteral("<text[^>]*>([^<]*)</text>"));
    QStringList texts;
    for (auto it = re.globalMatch(QString::fromUtf8(svg)); it.hasNext();) {
        QString t = it.next().captured(1);
        t.replace(QLatin1String("&lt;"), QLatin1String("<")).replace(QLatin1String("&gt;"), QLatin1String(">"));
        t.replace(QLatin1String("&quot;"), QLatin1String("\"")).replace(QLatin1String("&amp;"), QLatin1String("&"));
        texts << t;
    }
    return texts;
}

bool anyContains(const QStringList& texts, const QString& needle) {
    for (const QString& t : texts)
        if (t.contains(needle))
            return true;
    return false;
}

// Pixels that are not the white background.
int inkedPixels(const QImage& image) {
    int n = 0;
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < img.height(); y += 2)
        for (int x = 0; x < img.width(); x += 2)
            n += img.pixel(x, y) != qRgb(255, 255, 255) ? 1 : 0;
    return n;
}

struct CliRun {
    int exitCode = -1;
    QString stdErr;
};

// `twlens-cli render ARGS` with no display at all: DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM unset.
CliRun runCli(const QStringList& args) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start(kCli, QStringList{QStringLiteral("render")} + args);
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit)
        return {};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestFigures : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void ladder_highlightedSegment();
    void core_exampleConnection();
    void core_transitions();
    void core_captions();
    void core_snapshotSeries();
    void viewNames();
    void svg_data();
    void svg();
    void ladder_notesStack();
    void ladder_narrowLabelsElided();
    void png_size();
    void pdf_renders();
    void request_errors();
    void export_writesWholeFile();
    void gui_requestFollowsSelection();
    void gui_exportDialog();
    void cli_rendersWithoutDisplay();
    void cli_rejects_data();
    void cli_rejects();

private:
    std::shared_ptr<const Analysis> sample_;     // sample.pcap alone
    std::shared_ptr<const Analysis> withSysctl_; // + sample-sysctl.txt (ports 41000-41015, tw_reuse 0)
    std::shared_ptr<const Analysis> snapshots_;  // + the ss and sockstat snapshots
    QTemporaryDir tmp_;
    testsupport::PrivateSettings settings_; // the export dialog remembers its directory
};

void TestFigures::initTestCase() {
    QVERIFY(settings_.use(QStringLiteral("tst_figures")));
    QVERIFY(tmp_.isValid());
    sample_ = analyse({kSamples + QStringLiteral("/sample.pcap")});
    withSysctl_ = analyse({kSamples + QStringLiteral("/sample.pcap"), kSamples + QStringLiteral("/sample-sysctl.txt")});
    snapshots_ = analyse(QStringList{kSamples + QStringLiteral("/sample.pcap")} +
                         sampleFiles({QStringLiteral("sample-*ss*"), QStringLiteral("sample-*sockstat*")}));
}

void TestFigures::ladder_highlightedSegment() {
    SelectionState selection;
    LadderView view(&selection);
    view.resize(900, 200);
    view.show();
    selection.setAnalysis(sample_);
    selection.selectConnection(2);
    LadderCanvas* canvas = view.canvas();
    const std::size_t rows = canvas->ladder().rows.size();
    QCOMPARE(rows, std::size_t(11));
    const QImage before = canvas->grab().toImage();
    QCOMPARE(view.verticalScrollBar()->value(), 0);
    // The server's retransmitted FIN (frame 42) is the lost final ACK's evidence.
    int fin = -1;
    std::size_t finRow = 0;
    for (std::size_t i = 0; i < rows; ++i)
        if (canvas->ladder().rows[i].frame == 42 && canvas->ladder().rows[i].kind == LadderRow::Kind::Segment) {
            fin = int(canvas->ladder().rows[i].segment);
            finRow = i;
        }
    QCOMPARE(fin, 7);
    QCOMPARE(finRow, std::size_t(8));
    view.setHighlightedSegment(fin);
    QCOMPARE(canvas->highlightedSegment(), fin);
    // Scrolled so the row is in sight (the view shows 200 px of the 442 px ladder).
    const QRect rr = canvas->rowRect(finRow);
    const int top = view.verticalScrollBar()->value();
    QVERIFY(top > 0);
    QVERIFY(rr.top() >= top && rr.bottom() <= top + view.viewport()->height());
    const QImage after = canvas->grab().toImage();
    QVERIFY(before != after);
    // Only the highlighted row changed: the rows above it look the same.
    const QRect above(0, 0, canvas->width(), rr.top());
    QCOMPARE(after.copy(above), before.copy(above));
    view.setHighlightedSegment(-1);
    QCOMPARE(canvas->grab().toImage(), before);
    // Selecting another connection drops the highlight.
    view.setHighlightedSegment(fin);
    selection.selectConnection(3);
    QCOMPARE(canvas->highlightedSegment(), -1);
}

void TestFigures::core_exampleConnection() {
    const Analysis& a = *sample_;
    const FigureWindow full = fullWindow(a);
    QCOMPARE(full.from, a.inputs.front().firstTs);
    // The last TIME_WAIT (connection #16's, 60 s after its final ACK) ends the window.
    QCOMPARE(relativeSecondsText(a, full.to), std::string("+63.181 s"));
    // #5's time_wait_assassination (warning) beats #2's lost_final_ack (info).
    QCOMPARE(exampleConnection(a, full), 5u);
    // Before #5 starts only #2's hazard is in sight.
    const FigureWindow early{full.from, a.connections[5].start - 1};
    QCOMPARE(exampleConnection(a, early), 2u);
    // +30 s: only TIME_WAIT windows are open; #5's died with the RST at +0.4 s, #2's is open.
    const FigureWindow late{full.from + fromSeconds(30), full.from + fromSeconds(31)};
    QCOMPARE(exampleConnection(a, late), 2u);
    const FigureWindow none{full.to + 1, full.to + 2};
    QCOMPARE(exampleConnection(a, none), kNoIndex);
}

void TestFigures::core_transitions() {
    const Analysis& a = *sample_;
    const StateTransitions t = stateTransitions(a, fullWindow(a));
    QCOMPARE(t.connections, 17u);
    using P = std::pair<TcpState, TcpState>;
    QCOMPARE(t.taken.at(P(TcpState::Closed, TcpState::SynSent)), 17u);
    QCOMPARE(t.taken.at(P(TcpState::Listen, TcpState::SynRecv)), 17u);
    QCOMPARE(t.taken.at(P(TcpState::Established, TcpState::FinWait1)), 17u);
    QCOMPARE(t.taken.at(P(TcpState::FinWait1, TcpState::TimeWait)), 16u);
    QCOMPARE(t.taken.at(P(TcpState::FinWait1, TcpState::FinWait2)), 1u);
    QCOMPARE(t.taken.at(P(TcpState::FinWait2, TcpState::TimeWait)), 1u);
    QCOMPARE(t.taken.at(P(TcpState::LastAck, TcpState::Closed)), 17u);
    QCOMPARE(t.taken.at(P(TcpState::TimeWait, TcpState::Closed)), 17u);
    QCOMPARE(t.taken.size(), std::size_t(12));
    // 16 windows ran their 60 s, #5's was killed by the RST (assassination, tcp_rfc1337 = 0).
    QCOMPARE(t.timeWaitEnds, (std::array<std::uint64_t, 3>{16, 0, 1}));
    // Counted where entered: the first second holds the first connections' handshakes and closes,
    // not the TIME_WAIT expiries 60 s later.
    const FigureWindow first{fullWindow(a).from, fullWindow(a).from + kNsPerSecond};
    const StateTransitions early = stateTransitions(a, first);
    QVERIFY(!early.taken.contains(P(TcpState::TimeWait, TcpState::Closed)));
    QCOMPARE(early.taken.at(P(TcpState::Closed, TcpState::SynSent)), 5u); // SYNs at +0, 0.151, 0.419, 0.642, 0.917 s

    // #5: the assassination ends the client's TIME_WAIT with the RST.
    const auto paths = statePaths(a, 5);
    const std::vector<TcpState> client{TcpState::Closed, TcpState::SynSent, TcpState::Established, TcpState::FinWait1,
                                       TcpState::TimeWait, TcpState::Closed};
    const std::vector<TcpState> server{TcpState::Listen, TcpState::SynRecv, TcpState::Established, TcpState::CloseWait,
                                       TcpState::LastAck, TcpState::Closed};
    QCOMPARE(paths[0], client);
    QCOMPARE(paths[1], server);
    const StateTransitions one = connectionTransitions(a, 5);
    QCOMPARE(one.connections, 1u);
    QCOMPARE(one.taken.size(), std::size_t(10));
    QCOMPARE(one.lastClient, TcpState::Closed);
    QCOMPARE(one.lastServer, TcpState::Closed);
    const auto sorted = byCount(t);
    QCOMPARE(sorted.front().second, 17u);
    QCOMPARE(sorted.back().second, 1u);
}

void TestFigures::core_captions() {
    QCOMPARE(settingsCaption(sample_->settings),
             std::string("TIME_WAIT 60 s (default) · ports 32768-60999 (default) · tcp_tw_reuse 2 (default) · tcp_rfc1337 0 (default)"));
    QCOMPARE(settingsCaption(withSysctl_->settings),
             std::string("TIME_WAIT 60 s (default) · ports 41000-41015 (sample-sysctl.txt:2) · tcp_tw_reuse 0 (sample-sysctl.txt:85) · "
                         "tcp_rfc1337 0 (sample-sysctl.txt:69)"));
    QCOMPARE(inputsCaption(*sample_), std::string("sample.pcap (pcap, 174 packets)"));
    QCOMPARE(inputsCaption(*withSysctl_), std::string("sample.pcap (pcap, 174 packets) + sample-sysctl.txt (sysctl)"));
    QCOMPARE(inputsCaption(*snapshots_).substr(0, 32), std::string("sample.pcap (pcap, 174 packets) "));
    QVERIFY(inputsCaption(*snapshots_).ends_with(" + 29 more"));
    QCOMPARE(windowCaption(*sample_, fullWindow(*sample_)),
             std::string("+0.000 s to +63.181 s after the first packet (2026-11-22 04:36:58.901531 UTC)"));
    // Snapshots began before the capture: the window starts before the first packet.
    QCOMPARE(relativeSecondsText(*snapshots_, fullWindow(*snapshots_).from), std::string("-0.185 s"));
    QCOMPARE(figureOrigin(*snapshots_), figureOrigin(*sample_));
    QVERIFY(hasCaptureTimes(*snapshots_));

    // The listings alone: the figures count from the first timed listing, and the caption and the
    // axis label (hasCaptureTimes) say so.
    const auto listings = analyse(sampleFiles({QStringLiteral("sample-*ss*"), QStringLiteral("sample-*sockstat*")}));
    QCOMPARE(figureOriginOf(*listings).from, FigureOrigin::From::FirstSnapshot);
    QVERIFY(!hasCaptureTimes(*listings));
    // sample-02-during-ss-tano.txt's "# 1795322218.716995124", the earliest of them.
    const TimeNs first = figureOrigin(*listings);
    QCOMPARE(windowCaption(*listings, FigureWindow{first, first + kNsPerSecond}),
             std::string("+0.000 s to +1.000 s after the first snapshot (2026-11-22 04:36:58.716995124 UTC)"));
}

void TestFigures::core_snapshotSeries() {
    const auto series = snapshotStateSeries(*snapshots_);
    QCOMPARE(series.size(), std::size_t(1));
    QCOMPARE(series[0].state, TcpState::TimeWait);
    QCOMPARE(series[0].ts.size(), std::size_t(31));
    QCOMPARE(*std::max_element(series[0].count.begin(), series[0].count.end()), std::int64_t(16));
    const std::uint32_t busiest = busiestTimeWaitSnapshot(*snapshots_);
    QVERIFY(busiest != kNoIndex);
    QCOMPARE(snapshots_->snapshots[busiest].timeWaitByDestination.front().count, std::int64_t(16));
    QCOMPARE(busiestTimeWaitSnapshot(*sample_), kNoIndex);
    QCOMPARE(snapshotStateSeries(*sample_).size(), std::size_t(0));
}

void TestFigures::viewNames() {
    for (FigureView v : {FigureView::Timeline, FigureView::Ladder, FigureView::Exhaustion, FigureView::Snapshots, FigureView::States})
        QCOMPARE(parseFigureView(figureViewName(v)), std::optional<FigureView>(v));
    QCOMPARE(parseFigureView("plot"), std::nullopt);
    QCOMPARE(figureFormatForPath(QStringLiteral("/x/a.PNG")), std::optional(FigureFormat::Png));
    QCOMPARE(figureFormatForPath(QStringLiteral("a.svg")), std::optional(FigureFormat::Svg));
    QCOMPARE(figureFormatForPath(QStringLiteral("a.pdf")), std::optional(FigureFormat::Pdf));
    QCOMPARE(figureFormatForPath(QStringLiteral("a.gif")), std::nullopt);
    QCOMPARE(figureFormatForPath(QStringLiteral("png")), std::nullopt);
}

void TestFigures::svg_data() {
    QTest::addColumn<int>("view");
    QTest::addColumn<int>("analysis"); // 0 sample, 1 + sysctl, 2 + snapshots
    QTest::addColumn<int>("connection"); // -1: none given
    QTest::addColumn<QStringList>("labels");
    QTest::newRow("timeline") << int(FigureView::Timeline) << 0 << -1
                              << QStringList{QStringLiteral("Connection timeline"), QStringLiteral("127.1.0.1:41000 → 127.1.0.2:8080 (×2)"),
                                             QStringLiteral("+30 s"), QStringLiteral("TIME-WAIT after the capture ended"),
                                             QStringLiteral("hazard (warning)"), QStringLiteral("17 of 17 connections")};
    QTest::newRow("ladder") << int(FigureView::Ladder) << 0 << -1
                            << QStringList{QStringLiteral("Ladder diagram of connection #5"), QStringLiteral("SYN-SENT"),
                                           QStringLiteral("FIN-WAIT-1"), QStringLiteral("TIME-WAIT"), QStringLiteral("LAST-ACK"),
                                           QStringLiteral("RST seq=27"), QStringLiteral("time_wait_assassination"),
                                           QStringLiteral("shown as the example with the most severe hazard")};
    QTest::newRow("ladder #2") << int(FigureView::Ladder) << 0 << 2
                               << QStringList{QStringLiteral("Ladder diagram of connection #2"), QStringLiteral("[retransmission]"),
                                              QStringLiteral("client TIME-WAIT 60 s"), QStringLiteral("lost_final_ack"),
                                              QStringLiteral("CLOSE-WAIT")};
    QTest::newRow("exhaustion") << int(FigureView::Exhaustion) << 1 << -1
                                << QStringList{QStringLiteral("Ephemeral ports in use"), QStringLiteral("ports in use"),
                                               QStringLiteral("usable ports toward 127.1.0.2:8080: 16"),
                                               QStringLiteral("seconds after the first packet"),
                                               QStringLiteral("the range was full at +3.181 s")};
    QTest::newRow("exhaustion off scale") << int(FigureView::Exhaustion) << 0 << -1
                                          << QStringList{QStringLiteral("usable-port limit 28,232 is far above this scale")};
    QTest::newRow("snapshots") << int(FigureView::Snapshots) << 2 << -1
                               << QStringList{QStringLiteral("Socket states over time"), QStringLiteral("TIME-WAIT"),
                                              QStringLiteral("127.1.0.2:8080"), QStringLiteral("Snapshots: ss ×21, sockstat ×10"),
                                              QStringLiteral("TIME-WAIT by destination")};
    QTest::newRow("states") << int(FigureView::States) << 0 << -1
                            << QStringList{QStringLiteral("TCP state transitions taken"), QStringLiteral("Transitions taken"),
                                           QStringLiteral("ESTABLISHED → FIN-WAIT-1"), QStringLiteral("Both ends of 17 connections"),
                                           QStringLiteral("by the timer"), QStringLiteral("killed by a RST"),
                                           // The timer's arrow counts only the 16 expiries; the RST is its own arrow.
                                           QStringLiteral("timeout 2 MSL (Linux: 60 s)  ×16"), QStringLiteral("RST that ended a state early")};
    QTest::newRow("states #5") << int(FigureView::States) << 0 << 5
                               << QStringList{QStringLiteral("TCP states of connection #5"), QStringLiteral("client: CLOSED"),
                                              QStringLiteral("server: LISTEN"), QStringLiteral("→ TIME-WAIT"),
                                              QStringLiteral("→ CLOSED (RST after 0.43073 s)")};
}

void TestFigures::svg() {
    QFETCH(int, view);
    QFETCH(int, analysis);
    QFETCH(int, connection);
    QFETCH(QStringList, labels);
    const Analysis& a = analysis == 0 ? *sample_ : analysis == 1 ? *withSysctl_ : *snapshots_;
    FigureRequest r;
    r.view = FigureView(view);
    if (connection >= 0)
        r.connection = std::uint32_t(connection);
    QString error;
    const auto svg = renderFigure(a, r, FigureFormat::Svg, &error);
    QVERIFY2(svg, qPrintable(error));
    QSvgRenderer renderer(*svg);
    QVERIFY(renderer.isValid());
    QCOMPARE(renderer.viewBoxF(), QRectF(0, 0, 1200, 750));
    const QStringList texts = svgTexts(*svg);
    QVERIFY(anyContains(texts, QStringLiteral("sample.pcap (pcap, 174 packets)")));
    QVERIFY(anyContains(texts, analysis == 1 ? QStringLiteral("TIME_WAIT 60 s (default) · ports 41000-41015 (sample-sysctl.txt:2)")
                                             : QStringLiteral("TIME_WAIT 60 s (default) · ports 32768-60999 (default)")));
    QVERIFY(anyContains(texts, QStringLiteral("tcp_rfc1337 0")));
    for (const QString& label : labels)
        QVERIFY2(anyContains(texts, label), qPrintable(label));
    if (qEnvironmentVariableIsSet("TWLENS_FIGURE_DUMP")) {
        QFile f(qEnvironmentVariable("TWLENS_FIGURE_DUMP") + QLatin1Char('/') + QString::fromLatin1(QTest::currentDataTag()) +
                QStringLiteral(".svg"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(*svg);
    }
}

void TestFigures::ladder_narrowLabelsElided() {
    // Connection #2's retransmitted FIN, "FIN,ACK seq=26 ack=20  [retransmission]", fits between
    // the lifelines of a 1200-wide ladder (svg "ladder #2") but not of a 420-wide one: there it is
    // cut at its end with an ellipsis, not clipped at both ends by the centring.
    FigureRequest r;
    r.view = FigureView::Ladder;
    r.connection = 2;
    r.size = QSizeF(420, 750);
    QString error;
    const auto svg = renderFigure(*sample_, r, FigureFormat::Svg, &error);
    QVERIFY2(svg, qPrintable(error));
    const QStringList texts = svgTexts(*svg);
    QVERIFY(!anyContains(texts, QStringLiteral("[retransmission]")));
    bool elided = false;
    for (const QString& t : texts)
        elided = elided || (t.startsWith(QStringLiteral("FIN,ACK seq=26 ack=20")) && t.endsWith(QChar(0x2026)));
    QVERIFY2(elided, qPrintable(texts.join(QLatin1Char('|'))));
}

void TestFigures::ladder_notesStack() {
    // Simultaneous close: both ends enter TIME-WAIT on the same segment; their notes share a row.
    const auto a = analyse({QStringLiteral(TWLENS_SOURCE_DIR "/resources/scenarios/simultaneous-close.pcap")});
    FigureRequest r;
    r.view = FigureView::Ladder;
    QString error;
    const auto svg = renderFigure(*a, r, FigureFormat::Svg, &error);
    QVERIFY2(svg, qPrintable(error));
    static const QRegularExpression re(QStringLiteral("<text[^>]* y=\"([0-9.]+)\"[^>]*>\\s*(client|server) TIME-WAIT 60 s, expired"));
    QList<double> ys;
    for (auto it = re.globalMatch(QString::fromUtf8(*svg)); it.hasNext();)
        ys << it.next().captured(1).toDouble();
    QCOMPARE(ys.size(), 2);
    QVERIFY2(std::abs(ys[0] - ys[1]) >= 10, qPrintable(QStringLiteral("%1 / %2").arg(ys[0]).arg(ys[1])));
}

void TestFigures::png_size() {
    for (FigureView v : {FigureView::Timeline, FigureView::Ladder, FigureView::Exhaustion, FigureView::Snapshots, FigureView::States}) {
        FigureRequest r;
        r.view = v;
        r.size = QSizeF(900, 560);
        r.scale = 2;
        QString error;
        const auto png = renderFigure(v == FigureView::Snapshots ? *snapshots_ : *withSysctl_, r, FigureFormat::Png, &error);
        QVERIFY2(png, qPrintable(error));
        QVERIFY(png->startsWith("\x89PNG"));
        const QImage image = QImage::fromData(*png, "PNG");
        QCOMPARE(image.size(), QSize(1800, 1120));
        // Something was drawn: at least 3 % of the sampled pixels are not background.
        QVERIFY2(inkedPixels(image) > 1800 * 1120 / 4 * 3 / 100, figureViewName(v));
        if (qEnvironmentVariableIsSet("TWLENS_FIGURE_DUMP"))
            image.save(qEnvironmentVariable("TWLENS_FIGURE_DUMP") + QLatin1Char('/') + QString::fromLatin1(figureViewName(v)) +
                       QStringLiteral("@2x.png"));
    }
    // A fractional scale rounds to whole pixels.
    FigureRequest r;
    r.size = QSizeF(801, 500);
    r.scale = 1.5;
    const auto png = renderFigure(*sample_, r, FigureFormat::Png, nullptr);
    QVERIFY(png);
    QCOMPARE(QImage::fromData(*png, "PNG").size(), QSize(1202, 750));
}

void TestFigures::pdf_renders() {
    for (FigureView v : {FigureView::Timeline, FigureView::Ladder, FigureView::Exhaustion, FigureView::Snapshots, FigureView::States}) {
        FigureRequest r;
        r.view = v;
        r.size = QSizeF(720, 432); // 10 x 6 inches
        QString error;
        const auto pdf = renderFigure(v == FigureView::Snapshots ? *snapshots_ : *sample_, r, FigureFormat::Pdf, &error);
        QVERIFY2(pdf, qPrintable(error));
        QVERIFY(pdf->startsWith("%PDF-"));
        const QString base = tmp_.filePath(QString::fromLatin1(figureViewName(v)));
        QFile f(base + QStringLiteral(".pdf"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(*pdf);
        f.close();
        QProcess p;
        p.start(QStringLiteral("pdftoppm"), {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("50"), QStringLiteral("-singlefile"),
                                             base + QStringLiteral(".pdf"), base});
        QVERIFY2(p.waitForFinished(60000), "pdftoppm (poppler-utils, installer/install-deps.sh) did not finish");
        QCOMPARE(p.exitCode(), 0);
        // Text stays text: pdftotext finds the title and the caption.
        QProcess text;
        text.start(QStringLiteral("pdftotext"), {base + QStringLiteral(".pdf"), QStringLiteral("-")});
        QVERIFY(text.waitForFinished(60000));
        const QString words = QString::fromUtf8(text.readAllStandardOutput()).simplified();
        QVERIFY2(words.contains(QStringLiteral("sample.pcap (pcap, 174 packets)")), qPrintable(words));
        QVERIFY(words.contains(QStringLiteral("TIME_WAIT 60 s (default)")));
        const QImage page(base + QStringLiteral(".png"));
        // 10 x 6 inches at 50 dpi; pdftoppm rounds up.
        QVERIFY2(!page.isNull(), qPrintable(QString::fromUtf8(p.readAllStandardError())));
        QVERIFY(std::abs(page.width() - 500) <= 1 && std::abs(page.height() - 300) <= 1);
        QVERIFY(inkedPixels(page) > 500 * 300 / 4 * 2 / 100);
    }
}

void TestFigures::request_errors() {
    QString error;
    FigureRequest r;
    r.view = FigureView::Ladder;
    r.connection = 99;
    QVERIFY(!renderFigure(*sample_, r, FigureFormat::Png, &error));
    QCOMPARE(error, QStringLiteral("no connection #99: the analysis has 17 connections, #0 to #16"));
    r.connection.reset();
    const TimeNs t0 = figureOrigin(*sample_);
    r.from = t0 + fromSeconds(5);
    r.to = t0 + fromSeconds(2);
    QVERIFY(!renderFigure(*sample_, r, FigureFormat::Svg, &error));
    QCOMPARE(error, QStringLiteral("the time window's start (+5.000 s) is not before its end (+2.000 s)"));
    r.from = t0 + fromSeconds(100);
    r.to = kNoTime;
    QVERIFY(!renderFigure(*sample_, r, FigureFormat::Svg, &error));
    QCOMPARE(error, QStringLiteral("the time window +100.0 s to +63.181 s is empty (the analysis spans +0.000 s to +63.181 s)"));
    r = FigureRequest{};
    r.view = FigureView::Snapshots;
    QVERIFY(!renderFigure(*sample_, r, FigureFormat::Pdf, &error));
    QVERIFY(error.startsWith(QStringLiteral("the snapshots figure needs socket snapshots")));
    r.view = FigureView::Timeline;
    r.size = QSizeF(100, 750);
    QVERIFY(!renderFigure(*sample_, r, FigureFormat::Png, &error));
    QCOMPARE(error, QStringLiteral("figure size 100x750: each side must be between 200 and 20000"));
    r.size = QSizeF(1200, 750);
    r.scale = 0;
    QVERIFY(!renderFigure(*sample_, r, FigureFormat::Png, &error));
    QVERIFY(error.startsWith(QStringLiteral("scale 0: ")));
    // No connection in the window for the ladder's example.
    r = FigureRequest{};
    r.view = FigureView::Ladder;
    r.from = t0 + fromSeconds(63.5);
    r.to = t0 + fromSeconds(64);
    QVERIFY(!renderFigure(*sample_, r, FigureFormat::Png, &error));
    QCOMPARE(error, QStringLiteral("no connection in the time window to draw as a ladder"));
}

void TestFigures::export_writesWholeFile() {
    FigureRequest r;
    r.view = FigureView::Timeline;
    r.inputLabel = QStringLiteral("incident 4711");
    QString error;
    const QString svg = tmp_.filePath(QStringLiteral("t.svg"));
    QVERIFY2(exportFigure(*sample_, r, svg, &error), qPrintable(error));
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList texts = svgTexts(f.readAll());
    QVERIFY(anyContains(texts, QStringLiteral("Input: incident 4711 · twlens ")));
    QVERIFY(!anyContains(texts, QStringLiteral("sample.pcap")));
    const QString gif = tmp_.filePath(QStringLiteral("t.gif"));
    QVERIFY(!exportFigure(*sample_, r, gif, &error));
    QCOMPARE(error, QStringLiteral("%1: unknown figure format 'gif' (expected .png, .svg or .pdf)").arg(gif));
    QVERIFY(!QFile::exists(gif));
    const QString missingDir = tmp_.filePath(QStringLiteral("no/such/dir/t.png"));
    QVERIFY(!exportFigure(*sample_, r, missingDir, &error));
    QVERIFY(error.startsWith(missingDir + QStringLiteral(": ")));
}

void TestFigures::gui_requestFollowsSelection() {
    SelectionState selection;
    selection.setAnalysis(sample_);
    FigureRequest r = figureRequestFor(selection, FigureView::Ladder);
    QCOMPARE(r.view, FigureView::Ladder);
    QVERIFY(!r.connection); // nothing selected: the figure picks its example
    selection.selectConnection(2);
    r = figureRequestFor(selection, FigureView::Ladder);
    QCOMPARE(r.connection, std::optional<std::uint32_t>(2));
    // The timeline exports the visible window.
    const TimeRange range{selection.fullRange().from + fromSeconds(1), selection.fullRange().from + fromSeconds(2)};
    selection.zoomTo(range);
    r = figureRequestFor(selection, FigureView::Timeline);
    QCOMPARE(r.from, range.from);
    QCOMPARE(r.to, range.to);
    QCOMPARE(r.connection, std::optional<std::uint32_t>(2));
    // The snapshots figure keeps its own span.
    r = figureRequestFor(selection, FigureView::Snapshots);
    QCOMPARE(r.from, kNoTime);
    QCOMPARE(r.to, kNoTime);
    // The context-menu action sits on the widget, enabled while there is an analysis.
    QWidget w;
    QAction* action = addExportFigureAction(&w, &selection, FigureView::Exhaustion);
    QCOMPARE(w.actions(), QList<QAction*>{action});
    QCOMPARE(w.contextMenuPolicy(), Qt::ActionsContextMenu);
    QCOMPARE(action->text(), QStringLiteral("Export figure…"));
    QVERIFY(action->isEnabled());
    selection.setAnalysis(nullptr);
    QVERIFY(!action->isEnabled());
    // The ladder view carries its own.
    LadderView ladder(&selection);
    QCOMPARE(ladder.canvas()->actions().size(), 1);
    QCOMPARE(ladder.canvas()->contextMenuPolicy(), Qt::ActionsContextMenu);
    // The File menu's submenu: one entry per view.
    QMenu file;
    QMenu* sub = addExportFigureMenu(&file, &selection, &w);
    QCOMPARE(sub->actions().size(), 5);
    QCOMPARE(sub->actions().at(1)->text(), QStringLiteral("Ladder diagram…"));
    QVERIFY(!sub->actions().at(1)->isEnabled());
    selection.setAnalysis(sample_);
    QVERIFY(sub->actions().at(1)->isEnabled());
}

void TestFigures::gui_exportDialog() {
    SelectionState selection;
    selection.setAnalysis(withSysctl_);
    selection.selectConnection(2);
    QWidget parent;
    // Answer the save dialog with a name without extension and the SVG filter, then (a second
    // run) a .png name and the scale dialog with 1.5.
    const QString base = tmp_.filePath(QStringLiteral("dialog"));
    bool answered = false;
    auto answer = [&](const QString& name, const QString& filterPrefix, double scale) {
        QTimer::singleShot(0, this, [&answered, name, filterPrefix, scale] {
            auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            for (const QString& f : dialog->nameFilters())
                if (f.startsWith(filterPrefix))
                    dialog->selectNameFilter(f);
            dialog->selectFile(name);
            static_cast<QDialog*>(dialog)->accept(); // QFileDialog::accept is protected; it checks the name
            if (scale > 0)
                QTimer::singleShot(0, [&answered, scale] {
                    auto* input = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
                    QVERIFY(input);
                    input->setDoubleValue(scale);
                    input->accept();
                    answered = true;
                });
            else
                answered = true;
        });
    };
    answer(base, QStringLiteral("SVG"), 0);
    QVERIFY(exportFigureInteractively(&parent, selection, FigureView::Ladder));
    QVERIFY(answered);
    QFile svg(base + QStringLiteral(".svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(anyContains(svgTexts(svg.readAll()), QStringLiteral("Ladder diagram of connection #2")));
    answered = false;
    answer(base + QStringLiteral(".png"), QStringLiteral("PNG"), 1.5);
    QVERIFY(exportFigureInteractively(&parent, selection, FigureView::Timeline));
    QVERIFY(answered);
    QCOMPARE(QImage(base + QStringLiteral(".png")).size(), QSize(1800, 1125));
}

void TestFigures::cli_rendersWithoutDisplay() {
    const QString out = tmp_.filePath(QStringLiteral("cli.png"));
    const CliRun run = runCli({kSamples + QStringLiteral("/sample.pcap"), QStringLiteral("--view"), QStringLiteral("ladder"),
                               QStringLiteral("--connection"), QStringLiteral("2"), QStringLiteral("--size"), QStringLiteral("800x500"),
                               QStringLiteral("--scale"), QStringLiteral("1.5"), QStringLiteral("-o"), out});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.stdErr, QString());
    QCOMPARE(QImage(out).size(), QSize(1200, 750));
    // A window in seconds after the first packet, as SVG.
    const QString svg = tmp_.filePath(QStringLiteral("cli.svg"));
    const CliRun window = runCli({kSamples + QStringLiteral("/sample.pcap"), QStringLiteral("--view=timeline"), QStringLiteral("--from"),
                                  QStringLiteral("0.5"), QStringLiteral("--to=2.5"), QStringLiteral("-o"), svg});
    QCOMPARE(window.exitCode, 0);
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(anyContains(svgTexts(f.readAll()), QStringLiteral("Time: +0.500 s to +2.500 s after the first packet")));
    // render --help: the usage, with the render options.
    QProcess help;
    help.start(kCli, {QStringLiteral("render"), QStringLiteral("--help")});
    QVERIFY(help.waitForFinished(60000));
    QCOMPARE(help.exitCode(), 0);
    const QString usage = QString::fromUtf8(help.readAllStandardOutput());
    QVERIFY(usage.contains(QStringLiteral("twlens-cli render INPUT... --view VIEW")));
    QVERIFY(usage.contains(QStringLiteral("--from T, --to T    the time window, T in seconds after the analysis' first packet")));
}

void TestFigures::cli_rejects_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString pcap = kSamples + QStringLiteral("/sample.pcap");
    const QString out = QDir::tempPath() + QStringLiteral("/twlens-never-written.png");
    QTest::newRow("unreadable") << QStringList{kSamples + QStringLiteral("/missing.pcap"), QStringLiteral("--view"), QStringLiteral("timeline"),
                                               QStringLiteral("-o"), out}
                                << QStringLiteral("missing.pcap: No such file or directory");
    QTest::newRow("unknown view") << QStringList{pcap, QStringLiteral("--view"), QStringLiteral("plot"), QStringLiteral("-o"), out}
                                  << QStringLiteral("--view: expected timeline, ladder, exhaustion, snapshots or states, got 'plot'");
    QTest::newRow("unknown connection") << QStringList{pcap, QStringLiteral("--view"), QStringLiteral("ladder"), QStringLiteral("--connection"),
                                                       QStringLiteral("17"), QStringLiteral("-o"), out}
                                        << QStringLiteral("no connection #17: the analysis has 17 connections, #0 to #16");
    QTest::newRow("from after to") << QStringList{pcap, QStringLiteral("--view"), QStringLiteral("timeline"), QStringLiteral("--from"),
                                                  QStringLiteral("12.5"), QStringLiteral("--to"), QStringLiteral("3"), QStringLiteral("-o"), out}
                                   << QStringLiteral("--from (12.5 s) must be before --to (3 s)");
    QTest::newRow("unknown extension") << QStringList{pcap, QStringLiteral("--view"), QStringLiteral("timeline"), QStringLiteral("-o"),
                                                      QDir::tempPath() + QStringLiteral("/twlens-figure.jpg")}
                                       << QStringLiteral("twlens-figure.jpg: unknown figure format; the name must end in .png, .svg or .pdf");
    QTest::newRow("no view") << QStringList{pcap, QStringLiteral("-o"), out} << QStringLiteral("render needs --view");
    QTest::newRow("no output") << QStringList{pcap, QStringLiteral("--view"), QStringLiteral("states")} << QStringLiteral("render needs -o");
    QTest::newRow("no input") << QStringList{QStringLiteral("--view"), QStringLiteral("states"), QStringLiteral("-o"), out}
                              << QStringLiteral("render needs at least one INPUT file");
    QTest::newRow("bad size") << QStringList{pcap, QStringLiteral("--view"), QStringLiteral("states"), QStringLiteral("--size"),
                                             QStringLiteral("big"), QStringLiteral("-o"), out}
                              << QStringLiteral("--size: expected WIDTHxHEIGHT");
    QTest::newRow("no snapshots") << QStringList{pcap, QStringLiteral("--view"), QStringLiteral("snapshots"), QStringLiteral("-o"), out}
                                  << QStringLiteral("the snapshots figure needs socket snapshots");
    // The render options and analyze's are split apart (splitOwnOptions): a value is required,
    // analyze's --json is refused, and after "--" every word is an input.
    QTest::newRow("output without value") << QStringList{pcap, QStringLiteral("--view"), QStringLiteral("states"), QStringLiteral("-o")}
                                          << QStringLiteral("twlens-cli: -o needs a value (see twlens-cli --help)");
    QTest::newRow("json") << QStringList{pcap, QStringLiteral("--view=states"), QStringLiteral("--json"), QStringLiteral("-"), QStringLiteral("--output=") + out}
                          << QStringLiteral("twlens-cli: --json is an analyze option; render writes one figure with -o");
    QTest::newRow("view after --") << QStringList{pcap, QStringLiteral("-o"), out, QStringLiteral("--"), QStringLiteral("--view"), QStringLiteral("states")}
                                   << QStringLiteral("render needs --view");
}

void TestFigures::cli_rejects() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = runCli(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.stdErr.startsWith(QStringLiteral("twlens-cli: ")), qPrintable(run.stdErr));
    QVERIFY2(run.stdErr.contains(message), qPrintable(run.stdErr));
    QVERIFY(!QFile::exists(QDir::tempPath() + QStringLiteral("/twlens-never-written.png")));
}

QTEST_MAIN(TestFigures)
#include "tst_figures.moc"
