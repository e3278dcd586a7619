// SPDX-License-Identifier: GPL-3.0-or-later
// The incident report on the bundled sample (resources/samples: sample.pcap, 17 connections from
// 127.1.0.1 to 127.1.0.2:8080 with 16 ephemeral ports; #2 loses its final ACK once, #5's
// TIME_WAIT is assassinated; plus the client's ss/sockstat listings and sysctl file). The numbers
// asserted are those `twlens-cli analyze <same inputs> --json -` prints.
#include <QCryptographicHash>
#include <QDir>
#include <QFileDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/presentation/figure_caption.h"
#include "core/presentation/figure_window.h"
#include "gui/report/report.h"
#include "gui/report/report_action.h"
#include "gui/report/report_html.h"
#include "gui/views/help_texts.h"
#include "support/analyse_files.h"

using namespace twlens;

namespace {

const QString kSamples = QStringLiteral(TWLENS_SOURCE_DIR "/resources/samples");
const QString kCli = QStringLiteral(TWLENS_BINARY_DIR "/cli/twlens-cli");
constexpr int kFigures = 4; // the timeline, the exhaustion plot, ladders of #5 and #2

QStringList sampleInputs() {
    QStringList files{kSamples + QStringLiteral("/sample.pcap")};
    for (const QString& f : QDir(kSamples).entryList({QStringLiteral("sample*.txt")}, QDir::Files, QDir::Name))
        files << kSamples + QLatin1Char('/') + f;
    return files;
}

std::shared_ptr<const Analysis> analyse(const QStringList& files) { return testsupport::analyseFiles(files); }

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString sha256Of(const QString& path) {
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(readAll(path));
    return QString::fromLatin1(h.result().toHex());
}

struct Run {
    int exitCode = -1;
    QString out, err;
};
Run run(const QString& program, const QStringList& args, bool noDisplay = false) {
    QProcess p;
    if (noDisplay) {
        // The CLI must need no display: no DISPLAY, no WAYLAND_DISPLAY, no platform chosen for it.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        p.setProcessEnvironment(env);
    }
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit)
        return r;
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// Types `path` into the modal save dialog (Qt's own: offscreen has no native one) and accepts it,
// as a person would. False when no file dialog is up.
bool typeIntoSaveDialog(const QString& path) {
    auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
    auto* edit = dialog ? dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")) : nullptr;
    if (!edit) {
        if (dialog)
            static_cast<QDialog*>(dialog)->reject();
        return false;
    }
    edit->setText(path);
    static_cast<QDialog*>(dialog)->accept(); // QFileDialog::accept, through the public QDialog slot
    return true;
}

} // namespace

class TestReport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void htmlHasEverySection();
    void htmlVerdictNumbers();
    void htmlInputsAndSettings();
    void htmlHazardEvidence();
    void htmlTimesCountFromFigureOrigin();
    void htmlTimesOnAnotherDay();
    void htmlOriginWithoutCapture();
    void htmlEmbedsFigures();
    void htmlEscapesInputNames();
    void reportWithoutFiguresStillWritten();
    void pdfRendersWithText();
    void unknownExtensionRejected();
    void dialogWritesChosenFile();
    void dialogSaysWhenItFails();
    void cliWritesBothWithoutDisplay();
    void cliRejectsBadInput();

private:
    QString html_; // the sample's HTML report, written once
    QTemporaryDir dir_;
    QStringList inputs_;
    std::shared_ptr<const Analysis> sample_;
};

void TestReport::initTestCase() {
    QVERIFY(dir_.isValid());
    inputs_ = sampleInputs();
    QCOMPARE(inputs_.size(), 34);
    sample_ = analyse(inputs_);
    const QString path = dir_.filePath(QStringLiteral("report.html"));
    QString error;
    QVERIFY2(writeReport(*sample_, inputs_, path, &error), qPrintable(error));
    html_ = QString::fromUtf8(readAll(path));
    QVERIFY(html_.startsWith(QStringLiteral("<!DOCTYPE html>")));
}

void TestReport::htmlHasEverySection() {
    const QStringList titles = reportSectionTitles();
    QCOMPARE(titles.size(), 9);
    for (int i = 0; i < titles.size(); ++i)
        QVERIFY2(html_.contains(QStringLiteral("<h2 id=\"s%1\">%1. %2</h2>\n<p class=\"lead\">").arg(i + 1).arg(titles[i])),
                 qPrintable(titles[i]));
    // Each section opens with one plain sentence (the lead), nine in all.
    QCOMPARE(html_.count(QStringLiteral("<p class=\"lead\">")), 9);
    QVERIFY(html_.contains(QStringLiteral("Timeline of the incident")));
    QVERIFY(html_.contains(QStringLiteral("Findings and recommended fixes")));
}

void TestReport::htmlVerdictNumbers() {
    // analyze --json: 17 connections, all closed first by the client with a FIN; 17 TIME_WAIT
    // windows on the client; connection 2 lost its final ACK; #7 reopened #5's 4-tuple.
    QVERIFY(html_.contains(QStringLiteral("17 TCP connections: closed first by the client 17, by the server 0, by both at once 0; "
                                         "ended by a reset (RST) 0; still open at the end 0.")));
    QVERIFY(html_.contains(QStringLiteral("TIME_WAIT: 17 windows (client side 17, server side 0); at most 16 open at once, first at "
                                         "04:37:02.082747")));
    QVERIFY(html_.contains(QStringLiteral("Lost final ACKs: 1. Reopened 4-tuples: 1 (1 within the 60 s TIME_WAIT).")));
    QVERIFY(html_.contains(QStringLiteral("Hazards: 2 (critical 0, warning 1, info 1)")));
    // exhaustion[0]: 127.1.0.1 -> 127.1.0.2:8080, 16 usable ports (41000-41015), exhausted at
    // 1795322222.082439 with 16 in TIME_WAIT; peak 5.03/s against a sustainable 16 / 60 s.
    QVERIFY(html_.contains(QStringLiteral("<b>Ports ran out</b> toward 127.1.0.1 → 127.1.0.2:8080 at 04:37:02.082439")));
    QVERIFY(html_.contains(QStringLiteral("all 16 usable ports were held (16 of them in TIME_WAIT)")));
    QVERIFY(html_.contains(QStringLiteral("<td>16 (41000–41015)</td><td>16 (100.0%), 16 of them in TIME_WAIT<br>at 04:37:02.082439 "
                                          "<span class=\"dim\">(+3.180908 s)</span></td><td>5.03/s / 0.27/s</td>")));
    // The narrow rate column's heading is short (whole words in the PDF); the note says it in full.
    QVERIFY(html_.contains(QStringLiteral("<th width=\"18%\">New conn./s: peak / sustainable</th>")));
    QVERIFY(html_.contains(QStringLiteral("<p class=\"dim\">New conn./s: new connections per second toward the destination at their "
                                          "peak, and the most its ports sustain: the usable ports divided by how long each stays held "
                                          "(the TIME_WAIT length, or tcp_tw_reuse_delay when tcp_tw_reuse applies).</p>")));
    QVERIFY(html_.contains(QStringLiteral("Times are UTC, on 2026-11-22")));
    // The fixes, best first, as core words them, and the tcp_tw_recycle warning apart.
    QVERIFY(html_.contains(QStringLiteral("<li>reuse connections (HTTP keep-alive, connection pools): 19 or more requests per connection")));
    QVERIFY(html_.indexOf(QStringLiteral("<li>reuse connections")) < html_.indexOf(QStringLiteral("<li>net.ipv4.tcp_tw_reuse = 1")));
    QVERIFY(html_.contains(QStringLiteral("<p><b>Do not:</b> never net.ipv4.tcp_tw_recycle")));
    QVERIFY(html_.contains(QStringLiteral("Only 16 usable ephemeral ports (41000-41015)")));
}

void TestReport::htmlInputsAndSettings() {
    QVERIFY(html_.contains(QStringLiteral("<td>sample.pcap<br><span class=\"mono\">") + sha256Of(inputs_.front()) +
                           QStringLiteral("</span></td><td>pcap, 174 packets</td><td>15,283</td><td>04:36:58.901531 + 3.181216 s</td>")));
    for (const QString& f : inputs_)
        QVERIFY2(html_.contains(sha256Of(f)), qPrintable(f));
    QVERIFY(html_.contains(QStringLiteral("by twlens " TWLENS_VERSION)));
    QVERIFY(html_.contains(QStringLiteral("twlens version " TWLENS_VERSION ";")));
    // Settings with their sources: the TIME_WAIT length is Linux's constant, the rest the sysctl file.
    QVERIFY(html_.contains(QStringLiteral("<td>TIME_WAIT length = 60 s</td><td>default</td>")));
    QVERIFY(html_.contains(QStringLiteral("<td>net.ipv4.ip_local_port_range = 41000 41015 (16 ports)</td><td>sysctl file "
                                          "<span class=\"mono\" title=\"") +
                           kSamples + QStringLiteral("/sample-sysctl.txt:2\">sample-sysctl.txt:2</span>")));
    QVERIFY(html_.contains(QStringLiteral("<td>net.ipv4.tcp_tw_reuse = 0</td><td>sysctl file <span class=\"mono\" title=\"") +
                           kSamples + QStringLiteral("/sample-sysctl.txt:85\">sample-sysctl.txt:85</span>")));
    QVERIFY(html_.contains(QStringLiteral("<td>net.ipv4.tcp_max_tw_buckets = 131,072</td>")));
    // What each setting does is its settings tooltip (resources/help/tooltips.ini), word for word.
    QVERIFY(html_.contains(QStringLiteral("sample-sysctl.txt:30</span></td><td>How long an orphaned socket (the application has closed it, "
                                          "the peer has not sent its FIN) stays in FIN-WAIT-2. It does not shorten TIME-WAIT, which "
                                          "Linux holds for a fixed 60 s (TCP_TIMEWAIT_LEN).</td></tr>")));
    QVERIFY(html_.contains(QStringLiteral("sample-sysctl.txt:85</span></td><td>0 off, 1 on for all connections, 2 on for loopback only "
                                          "(the default). Lets connect() take a 4-tuple still in TIME-WAIT; it affects outgoing "
                                          "connections only, never a server's incoming ones.")));
    const char* const keys[] = {"tw_seconds", "port_range",  "reserved_ports", "tw_reuse",      "tw_reuse_delay",
                                "timestamps", "rfc1337",     "fin_timeout",    "max_tw_buckets"};
    for (const char* key : keys) {
        const QString tip = HelpTexts::tooltip(QStringLiteral("settings.") + QLatin1String(key));
        QVERIFY2(!tip.isEmpty(), key);
        QCOMPARE(html_.count(QStringLiteral("</td><td>") + tip.toHtmlEscaped() + QStringLiteral("</td></tr>")), 1);
    }
}

void TestReport::htmlHazardEvidence() {
    QVERIFY(html_.contains(QStringLiteral("Connection #5 127.1.0.1:41000 → 127.1.0.2:8080<br>04:37:00.400266")));
    QVERIFY(html_.contains(QStringLiteral("Evidence frames: 63, 74 in sample.pcap")));
    QVERIFY(html_.contains(QStringLiteral("Connection #2 127.1.0.1:41004 → 127.1.0.2:8080<br>04:36:59.600687")));
    QVERIFY(html_.contains(QStringLiteral("Evidence frames: 30, 31, 42, 43 in sample.pcap")));
    // Most severe kind first: the assassination (warning) before the lost final ACK (info).
    QVERIFY(html_.indexOf(QStringLiteral("<h3>TIME-WAIT assassination (RFC 1337): 1, worst")) <
            html_.indexOf(QStringLiteral("<h3>Lost final ACK: 1, worst")));
    QVERIFY(html_.contains(QStringLiteral("Rule: RFC 1337; Linux tcp_timewait_state_process")));
}

void TestReport::htmlTimesCountFromFigureOrigin() {
    // The sample's first socket listing (sample-01) was taken 0.396773335 s before the first
    // packet: the bracketed times count from the first packet, as the figures' axes do
    // (figureOrigin), and the listing's is negative.
    QCOMPARE(figureOriginOf(*sample_).from, FigureOrigin::From::FirstPacket);
    QVERIFY(html_.contains(QStringLiteral("<p class=\"dim\">Times are UTC, on 2026-11-22 unless another date is given; a time in "
                                          "brackets counts from the first packet at 04:36:58.901531, as the figures' time axes do; "
                                          "times before it are negative.</p>")));
    QVERIFY(html_.contains(QStringLiteral("<tr><td>04:36:58.504757665 <span class=\"dim\">(-0.396773335 s)</span></td><td>First socket "
                                          "listing taken.</td></tr>")));
    QVERIFY(html_.contains(QStringLiteral("<tr><td>04:36:58.901531 <span class=\"dim\">(+0 s)</span></td><td>First packet captured.</td></tr>")));
    QVERIFY(html_.contains(QStringLiteral("<tr><td>04:37:02.082439 <span class=\"dim\">(+3.180908 s)</span></td><td><b>Ports ran out</b>")));
    QVERIFY(!html_.contains(QStringLiteral("(+-")));
    // The same moment on the figures' axes (their captions' rounding).
    QCOMPARE(relativeSecondsText(*sample_, sample_->exhaustion.front().exhaustedAt), std::string("+3.181 s"));
}

void TestReport::htmlTimesOnAnotherDay() {
    // The sample with its first socket listing moved before the first packet: 4 s, then a day
    // and 4 s. No figures are rendered (each says why it is missing); the text is what is asserted.
    Analysis a = *sample_;
    const TimeNs firstPacket = figureOrigin(a);
    auto html = [&] {
        const ReportContent c{summarize(a), {}, {}, QDateTime::currentDateTimeUtc()};
        return reportHtml(a, c, ReportImages::ResourceName);
    };
    a.snapshots.front().ts = firstPacket - 4 * kNsPerSecond;
    QString h = html();
    QVERIFY(h.contains(QStringLiteral("a time in brackets counts from the first packet at 04:36:58.901531, as the figures' time axes "
                                      "do; times before it are negative.</p>")));
    QVERIFY(h.contains(QStringLiteral("<tr><td>04:36:54.901531 <span class=\"dim\">(-4 s)</span></td><td>First socket listing taken.")));

    // On the day before: the header's date is the earliest input's, so every time on the capture's
    // day carries its date.
    a.snapshots.front().ts = firstPacket - (24 * 3600 + 4) * kNsPerSecond;
    h = html();
    QVERIFY(h.contains(QStringLiteral("<p class=\"dim\">Times are UTC, on 2026-11-21 unless another date is given; a time in "
                                      "brackets counts from the first packet at 2026-11-22 04:36:58.901531 UTC, as the figures' time "
                                      "axes do; times before it are negative.</p>")));
    QVERIFY(h.contains(QStringLiteral("<tr><td>04:36:54.901531 <span class=\"dim\">(-86404 s)</span></td><td>First socket listing taken.")));
    QVERIFY(h.contains(QStringLiteral("<tr><td>2026-11-22 04:37:02.082439 UTC <span class=\"dim\">(+3.180908 s)</span></td><td><b>Ports "
                                      "ran out</b>")));

    // Without the captures' first packet the figures count from the first connection's start.
    for (InputInfo& in : a.inputs)
        in.firstTs = kNoTime;
    QCOMPARE(figureOriginOf(a).from, FigureOrigin::From::FirstConnection);
    QVERIFY(html().contains(QStringLiteral("a time in brackets counts from the start of the first connection at 2026-11-22 "
                                           "04:36:58.901531 UTC, as the figures' time axes do; times before it are negative.</p>")));
}

void TestReport::htmlOriginWithoutCapture() {
    // The socket listings alone: the times count from the first listing, as the figures' do.
    QStringList listings = inputs_;
    listings.removeFirst(); // sample.pcap
    const auto a = analyse(listings);
    QCOMPARE(figureOriginOf(*a).from, FigureOrigin::From::FirstSnapshot);
    const QString path = dir_.filePath(QStringLiteral("listings.html"));
    QString error;
    QVERIFY2(writeReport(*a, listings, path, &error), qPrintable(error));
    const QString html = QString::fromUtf8(readAll(path));
    QVERIFY(html.contains(QStringLiteral("<p class=\"dim\">Times are UTC, on 2026-11-22 unless another date is given; a time in "
                                         "brackets counts from the first socket listing at 04:36:58.504757665, as the figures' time "
                                         "axes do.</p>")));
    QVERIFY(html.contains(QStringLiteral("<tr><td>04:36:58.504757665 <span class=\"dim\">(+0 s)</span></td><td>First socket listing taken.")));
}

void TestReport::htmlEmbedsFigures() {
    QCOMPARE(html_.count(QStringLiteral("<img src=\"data:image/png;base64,")), kFigures);
    QCOMPARE(html_.count(QStringLiteral("Figure not included")), 0);
    // Self-contained: nothing is loaded from elsewhere.
    QCOMPARE(html_.count(QStringLiteral("src=\"http")), 0);
    QCOMPARE(html_.count(QStringLiteral("<link")), 0);
    // Each embedded image is a whole PNG.
    qsizetype at = 0;
    for (int i = 0; i < kFigures; ++i) {
        at = html_.indexOf(QStringLiteral("base64,"), at) + 7;
        const qsizetype end = html_.indexOf(QLatin1Char('"'), at);
        const QImage image = QImage::fromData(QByteArray::fromBase64(html_.mid(at, end - at).toLatin1()), "PNG");
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 1000);
    }
}

void TestReport::htmlEscapesInputNames() {
    // A file name with markup in it is shown as text, never as markup.
    const QString odd = dir_.filePath(QStringLiteral("x<b>&\"y.txt"));
    QVERIFY(QFile::copy(kSamples + QStringLiteral("/sample-sysctl.txt"), odd));
    const auto a = analyse({odd});
    const QString path = dir_.filePath(QStringLiteral("odd.html"));
    QString error;
    QVERIFY2(writeReport(*a, {odd}, path, &error), qPrintable(error));
    const QString html = QString::fromUtf8(readAll(path));
    QVERIFY(html.contains(QStringLiteral("x&lt;b&gt;&amp;&quot;y.txt")));
    QVERIFY(!html.contains(QStringLiteral("x<b>")));
}

void TestReport::reportWithoutFiguresStillWritten() {
    // A sysctl file alone: no connections, no destination; the report says so instead of a plot.
    const QString sysctl = kSamples + QStringLiteral("/sample-sysctl.txt");
    const auto a = analyse({sysctl});
    const QString path = dir_.filePath(QStringLiteral("settings-only.html"));
    QString error;
    QVERIFY2(writeReport(*a, {sysctl}, path, &error), qPrintable(error));
    const QString html = QString::fromUtf8(readAll(path));
    QVERIFY(html.contains(QStringLiteral("No TCP connections were found in the captures.")));
    QCOMPARE(html.count(QStringLiteral("Figure not included: ")), 1); // the timeline, with renderFigure's reason
    QVERIFY(html.contains(QStringLiteral("<p>No outgoing connections toward a destination were seen.</p>")));
    QCOMPARE(html.count(QStringLiteral("data:image/png")), 0);
    QVERIFY(html.contains(QStringLiteral("<p>No hazards were found.</p>")));
    QVERIFY(html.contains(sha256Of(sysctl)));
}

void TestReport::pdfRendersWithText() {
    const QString pdf = dir_.filePath(QStringLiteral("report.pdf"));
    QString error;
    QVERIFY2(writeReport(*sample_, inputs_, pdf, &error), qPrintable(error));
    QVERIFY(readAll(pdf).startsWith("%PDF-"));

    const QString prefix = dir_.filePath(QStringLiteral("page"));
    const Run ppm = run(QStringLiteral("pdftoppm"), {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("40"), pdf, prefix});
    QCOMPARE(ppm.exitCode, 0);
    const QStringList pages = QDir(dir_.path()).entryList({QStringLiteral("page-*.png")}, QDir::Files, QDir::Name);
    QVERIFY2(pages.size() >= 5, qPrintable(pages.join(QLatin1Char(' '))));
    for (const QString& page : pages) {
        const QImage image(dir_.filePath(page));
        QVERIFY(!image.isNull());
        QCOMPARE(image.width(), 331); // A4 at 40 dpi: 210 mm = 8.27 in
    }

    // Text stays text: every section title, the verdict and the version come back out.
    const Run text = run(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
    QCOMPARE(text.exitCode, 0);
    const QStringList titles = reportSectionTitles();
    for (int i = 0; i < titles.size(); ++i)
        QVERIFY2(text.out.contains(QStringLiteral("%1. %2").arg(i + 1).arg(titles[i])), qPrintable(titles[i]));
    QVERIFY(text.out.contains(QStringLiteral("Hazards: 2 (critical 0, warning 1, info 1)")));
    QVERIFY(text.out.contains(QStringLiteral("twlens " TWLENS_VERSION)));
    QVERIFY(text.out.contains(QStringLiteral("Evidence frames: 63, 74 in")));
    QVERIFY(text.out.contains(QStringLiteral("Evidence frames: 30, 31,")));

    // The same figures as the HTML, as images in the PDF.
    const Run images = run(QStringLiteral("pdfimages"), {QStringLiteral("-list"), pdf});
    QCOMPARE(images.exitCode, 0);
    const QStringList rows = images.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    int imageRows = 0;
    for (const QString& row : rows.mid(2)) // after the header and its rule
        imageRows += row.contains(QStringLiteral(" image ")) ? 1 : 0;
    QCOMPARE(imageRows, kFigures);
}

void TestReport::unknownExtensionRejected() {
    QString error;
    const QString path = dir_.filePath(QStringLiteral("report.txt"));
    QVERIFY(!writeReport(*sample_, inputs_, path, &error));
    QVERIFY(error.contains(path));
    QVERIFY(error.contains(QStringLiteral(".html, .htm or .pdf")));
    QVERIFY(!QFile::exists(path));
}

void TestReport::cliWritesBothWithoutDisplay() {
    const QString pcap = kSamples + QStringLiteral("/sample.pcap");
    const QString before = sha256Of(pcap);
    for (const QString& name : {QStringLiteral("cli.html"), QStringLiteral("cli.pdf")}) {
        const QString out = dir_.filePath(name);
        const Run r = run(kCli, {QStringLiteral("report"), pcap, kSamples + QStringLiteral("/sample-sysctl.txt"), QStringLiteral("-o"), out}, true);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFileInfo(out).size() > 10000);
    }
    QVERIFY(readAll(dir_.filePath(QStringLiteral("cli.pdf"))).startsWith("%PDF-"));
    const QString html = QString::fromUtf8(readAll(dir_.filePath(QStringLiteral("cli.html"))));
    QCOMPARE(html.count(QStringLiteral("<img src=\"data:image/png;base64,")), kFigures);
    QVERIFY(html.contains(before));
    // With the sysctl file only the capture's destination: exhausted, its 16 ports from the file.
    QVERIFY(html.contains(QStringLiteral("all 16 usable ports were held")));
    // The settings options of analyze apply: --rfc1337 1 is reported as an option.
    const QString opt = dir_.filePath(QStringLiteral("option.html"));
    const Run r = run(kCli, {QStringLiteral("report"), pcap, QStringLiteral("--rfc1337"), QStringLiteral("1"), QStringLiteral("--output"), opt}, true);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(QString::fromUtf8(readAll(opt)).contains(
        QStringLiteral("<td>net.ipv4.tcp_rfc1337 = 1</td><td>option (command line or settings dialog)</td>")));
    QCOMPARE(sha256Of(pcap), before); // inputs are never modified
}

void TestReport::cliRejectsBadInput() {
    const QString pcap = kSamples + QStringLiteral("/sample.pcap");
    const QString out = dir_.filePath(QStringLiteral("bad.html"));
    // An input that cannot be read: exit 2 naming it, and no report.
    const QString missing = dir_.filePath(QStringLiteral("no-such.pcap"));
    Run r = run(kCli, {QStringLiteral("report"), missing, QStringLiteral("-o"), out}, true);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(missing), qPrintable(r.err));
    QVERIFY(!QFile::exists(out));
    // An output that cannot be written: exit 2 naming it.
    const QString unwritable = dir_.filePath(QStringLiteral("no-such-dir/report.pdf"));
    r = run(kCli, {QStringLiteral("report"), pcap, QStringLiteral("-o"), unwritable}, true);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(unwritable), qPrintable(r.err));
    // An extension that is neither HTML nor PDF.
    const QString txt = dir_.filePath(QStringLiteral("report.docx"));
    r = run(kCli, {QStringLiteral("report"), pcap, QStringLiteral("-o"), txt}, true);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(txt) && r.err.contains(QStringLiteral("unknown report format")), qPrintable(r.err));
    QVERIFY(!QFile::exists(txt));
    // No -o, or an output that is one of the inputs (inputs are never modified).
    r = run(kCli, {QStringLiteral("report"), pcap}, true);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("-o")), qPrintable(r.err));
    // -o twice, or without its value (splitOwnOptions): exit 2, nothing written.
    r = run(kCli, {QStringLiteral("report"), pcap, QStringLiteral("-o"), out, QStringLiteral("--output=") + txt}, true);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.trimmed(), QStringLiteral("twlens-cli: -o given twice (see twlens-cli --help)"));
    r = run(kCli, {QStringLiteral("report"), pcap, QStringLiteral("-o")}, true);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.trimmed(), QStringLiteral("twlens-cli: -o needs a value (see twlens-cli --help)"));
    QVERIFY(!QFile::exists(out) && !QFile::exists(txt));
    const QString copy = dir_.filePath(QStringLiteral("copy.html"));
    QVERIFY(QFile::copy(kSamples + QStringLiteral("/sample-sysctl.txt"), copy));
    const QString before = sha256Of(copy);
    r = run(kCli, {QStringLiteral("report"), copy, QStringLiteral("-o"), copy}, true);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("is also an input")), qPrintable(r.err));
    QCOMPARE(sha256Of(copy), before);
}

void TestReport::dialogWritesChosenFile() {
    // File > Create report: the save dialog (Qt's own offscreen) gets a name typed without an
    // extension; the HTML filter is the default, so the report becomes NAME.html.
    const QString typed = dir_.filePath(QStringLiteral("from-dialog"));
    bool answered = false;
    QTimer::singleShot(200, this, [&] {
        answered = typeIntoSaveDialog(typed);
    });
    createReportDialog(nullptr, *sample_, inputs_);
    QVERIFY(answered);
    const QString html = QString::fromUtf8(readAll(typed + QStringLiteral(".html")));
    QCOMPARE(html.count(QStringLiteral("<img src=\"data:image/png;base64,")), kFigures);
    QVERIFY(html.contains(sha256Of(inputs_.front())));
}

void TestReport::dialogSaysWhenItFails() {
    const QString unwritable = dir_.filePath(QStringLiteral("no-such-dir/report.pdf"));
    QString message;
    QTimer::singleShot(200, this, [&] {
        QTimer::singleShot(200, this, [&] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                message = box->text();
                box->accept();
            }
        });
        typeIntoSaveDialog(unwritable);
    });
    createReportDialog(nullptr, *sample_, inputs_);
    QVERIFY2(message.contains(unwritable), qPrintable(message));
    QVERIFY(!QFile::exists(unwritable));
}

QTEST_MAIN(TestReport)
#include "tst_report.moc"
