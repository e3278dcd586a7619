// SPDX-License-Identifier: GPL-3.0-or-later
// The incident report as HTML. Every number comes from the analysis (TeardownStats, the overview
// summary, Analysis::exhaustion/hazards/findings/settings); this file only words and lays it out.
// The explanations of TIME_WAIT, of each hazard kind and of each setting are the reviewed help texts in
// resources/help (HelpTexts), written from the project's TCP teardown facts.
#include "gui/report/report_html.h"

#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>
#include <algorithm>

#include "core/output/contract_names.h"
#include "core/output/time_format.h"
#include "core/presentation/exhaustion_projection.h"
#include "core/presentation/figure_window.h"
#include "core/presentation/labels.h"
#include "gui/views/help_texts.h"

namespace twlens {

namespace {

constexpr int kMaxDestinations = 15; // at risk, in the ports table
constexpr int kCalmRows = 5;         // rows the table fills with calm destinations
constexpr int kMaxTimelineHazards = 20;
constexpr int kPdfImageWidth = 570; // px at 96 dpi: the A4 text column of the PDF (report_pdf.cpp)

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }
QString esc(const QString& s) { return s.toHtmlEscaped(); }
// "28,232": thousands grouped as the facts document writes them.
QString num(std::uint64_t n) { return QLocale(QLocale::English).toString(static_cast<qulonglong>(n)); }
QString rate(double perSecond) { return QString::number(perSecond, 'f', perSecond < 10 ? 2 : 1) + QStringLiteral("/s"); }
QString utc(TimeNs t) { return t == kNoTime ? QStringLiteral("—") : QString::fromStdString(utcText(t)); }
QString duration(TimeNs d) { return QString::fromStdString(durationText(d)); }
QString plural(std::uint64_t n, const char* one, const char* many) {
    return num(n) + QLatin1Char(' ') + QLatin1String(n == 1 ? one : many);
}

QString endpoint(const IpAddress& ip, std::uint16_t port) { return esc(labels::endpoint(ip, port)); }
QString connectionText(const Analysis& a, std::uint32_t id) {
    if (id == kNoIndex || id >= a.connections.size())
        return QStringLiteral("—");
    const Connection& c = a.connections[id];
    return QStringLiteral("#%1 %2 → %3").arg(id).arg(endpoint(a.clientIp(c), c.clientPort), endpoint(a.serverIp(c), c.serverPort));
}
QString destinationText(const Exhaustion& e) {
    return esc(e.localIp.toString()) + QStringLiteral(" → ") + endpoint(e.remoteIp, e.remotePort);
}

QString severityHtml(Severity s) {
    const QString name = QString::fromLatin1(severityName(s).data(), static_cast<qsizetype>(severityName(s).size()));
    return QStringLiteral("<span class=\"sev-%1\">%1</span>").arg(name);
}

// A help page without its comment and heading: the paragraphs that explain.
QString helpBody(const QString& page) {
    QString body = page;
    body.remove(QRegularExpression(QStringLiteral("<!--.*?-->"), QRegularExpression::DotMatchesEverythingOption));
    body.remove(QRegularExpression(QStringLiteral("<h3>.*?</h3>"), QRegularExpression::DotMatchesEverythingOption));
    return body.trimmed();
}
QString helpTitle(const QString& page, const std::string& fallback) {
    const auto m = QRegularExpression(QStringLiteral("<h3>(.*?)</h3>")).match(page);
    return m.hasMatch() ? m.captured(1) : esc(fallback);
}
// The help page's heading; the kinds without a page are named here (core/hazards/detectors.h).
QString hazardTitle(const std::string& kind) {
    const QString page = HelpTexts::page(QString::fromStdString(kind));
    if (!page.isEmpty())
        return helpTitle(page, kind);
    static const std::pair<const char*, const char*> kNames[] = {
        {"rst_close", "Connection ended by RST"},
        {"fin_wait2_timeout", "FIN-WAIT-2 timed out"},
        {"half_close_data_after_close", "Data after close"},
        {"desync", "Desynchronised ends (RFC 1337 H2)"},
        {"time_wait_overflow", "TIME-WAIT overflow (tcp_max_tw_buckets)"},
    };
    for (const auto& [k, name] : kNames)
        if (kind == k)
            return QString::fromUtf8(name);
    QString title = esc(kind);
    title.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!title.isEmpty())
        title[0] = title[0].toUpper();
    return title;
}

QString settingSource(const std::string& source) {
    if (source == "default")
        return QStringLiteral("default");
    if (source == "command line")
        return QStringLiteral("option (command line or settings dialog)");
    // "path:line": the file's name is enough next to the inputs table; the path is the tooltip.
    const auto colon = source.rfind(':');
    const QString path = QString::fromStdString(source.substr(0, colon));
    const QString line = colon == std::string::npos ? QString() : QString::fromStdString(source.substr(colon));
    return QStringLiteral("sysctl file <span class=\"mono\" title=\"%1\">%2%3</span>")
        .arg(esc(source), esc(QFileInfo(path).fileName()), esc(line));
}

class HtmlReport {
public:
    HtmlReport(const Analysis& a, const ReportContent& c, ReportImages images)
        : a_(a), c_(c), images_(images), o_(c.summary), s_(o_.stats), origin_(figureOriginOf(a)) {
        for (const InputInfo& in : a_.inputs) {
            if (in.kind != InputKind::Pcap && in.kind != InputKind::Pcapng)
                continue;
            if (in.firstTs != kNoTime && (firstPacket_ == kNoTime || in.firstTs < firstPacket_))
                firstPacket_ = in.firstTs;
            if (in.lastTs != kNoTime && (lastPacket_ == kNoTime || in.lastTs > lastPacket_))
                lastPacket_ = in.lastTs;
        }
        if (hasOrigin())
            day_ = utc(earliest()).left(10);
    }

    QString build() {
        head();
        summary();
        background();
        timeline();
        ports();
        hazards();
        findings();
        inputs();
        settings();
        about();
        h_ += QStringLiteral("</body>\n</html>\n");
        return h_;
    }

private:
    void section(int index, const QString& lead) {
        const QString title = reportSectionTitles().at(index);
        h_ += QStringLiteral("<h2 id=\"s%1\">%2. %3</h2>\n<p class=\"lead\">%4</p>\n").arg(index + 1).arg(index + 1).arg(title, lead);
    }
    // The bracketed times count from where the figures' axes do (figureOrigin), so "+12 s" in the
    // text is +12 s on the embedded plots; the date said once is the earliest input's (a socket
    // listing may come before the first packet), so that every time without a date falls on it.
    bool hasOrigin() const { return origin_.from != FigureOrigin::From::Nothing; }
    TimeNs earliest() const {
        return s_.firstSnapshot != kNoTime ? std::min(origin_.at, s_.firstSnapshot) : origin_.at;
    }
    // A time of day when it falls on the day the inputs start (the date is said once, in the
    // header), with its distance from the figures' origin: "04:37:02.082439 (+3.180908 s)", and
    // "(-0.396773335 s)" before it, with the ASCII minus core's relativeSecondsText prints.
    QString clock(TimeNs t) const {
        QString text = utc(t);
        if (t != kNoTime && !day_.isEmpty() && text.startsWith(day_))
            text = text.mid(day_.size() + 1).remove(QStringLiteral(" UTC"));
        return text;
    }
    QString at(TimeNs t) const {
        QString text = clock(t);
        if (t != kNoTime && hasOrigin())
            text += QStringLiteral(" <span class=\"dim\">(%1%2)</span>")
                        .arg(t < origin_.at ? QString() : QStringLiteral("+"), duration(t - origin_.at)); // durationText signs a negative
        return text;
    }
    QString inputName(std::uint32_t input) const {
        if (input >= a_.inputs.size())
            return QStringLiteral("the input");
        return esc(QFileInfo(QString::fromStdString(a_.inputs[input].path)).fileName());
    }

    void figure(const ReportFigure& f, const QString& caption = {}) {
        if (f.png.isEmpty()) {
            h_ += QStringLiteral("<table class=\"missing\" width=\"100%\" cellpadding=\"6\"><tr><td>Figure not included: %1.</td></tr></table>\n")
                      .arg(esc(f.error));
            return;
        }
        QString src;
        QString size;
        if (images_ == ReportImages::DataUri) {
            src = QStringLiteral("data:image/png;base64,") + QString::fromLatin1(f.png.toBase64());
            size = QStringLiteral("style=\"width:100%;max-width:1000px;height:auto\"");
        } else {
            src = f.id + QStringLiteral(".png");
            size = QStringLiteral("width=\"%1\"").arg(kPdfImageWidth);
        }
        h_ += QStringLiteral("<p class=\"figure\"><img src=\"%1\" %2 alt=\"%3\"><br><span class=\"caption\">%3</span></p>\n")
                  .arg(src, size, caption.isEmpty() ? esc(f.caption) : caption);
    }

    void head() {
        QStringList names;
        for (const ReportInput& in : c_.inputs)
            names << in.name;
        std::stable_partition(names.begin(), names.end(), [](const QString& n) { return n.contains(QLatin1String(".pcap")); });
        const QString label = names.size() <= 2 ? names.join(QStringLiteral(", "))
                                                : QStringLiteral("%1 and %2 more files").arg(names.front()).arg(names.size() - 1);
        h_ += QStringLiteral(
                  "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<title>twlens incident report: %1</title>\n<style>\n"
                  "body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; color: #222; max-width: 62em; margin: 1em auto; padding: 0 1em; }\n"
                  "h1 { font-size: 18pt; margin-bottom: 0.2em; }\n"
                  "h2 { font-size: 14pt; color: #1b3a5c; border-bottom: 1px solid #1b3a5c; margin-top: 1.4em; }\n"
                  "h3 { font-size: 11pt; margin-bottom: 0.3em; }\n"
                  "p.lead { font-size: 11pt; font-style: italic; color: #1b3a5c; }\n"
                  "table { border-collapse: collapse; margin: 0.4em 0; }\n"
                  "th, td { border: 1px solid #b8c0c8; padding: 3px 6px; vertical-align: top; text-align: left; font-size: 9pt; }\n"
                  "th { background-color: #e8eef4; }\n"
                  "table.ports th, table.ports td { font-size: 8pt; }\n"
                  "table.verdict td { background-color: #fdf6e3; border: 1px solid #d9c48c; }\n"
                  "table.missing td { border: 1px dashed #999; color: #555; background-color: #f4f4f4; }\n"
                  ".mono { font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt; }\n"
                  ".dim, .caption, .evidence { color: #555; }\n"
                  ".caption { font-size: 9pt; font-style: italic; }\n"
                  ".evidence { font-size: 9pt; }\n"
                  ".sev-critical { color: #b00000; font-weight: bold; }\n"
                  ".sev-warning { color: #a05a00; font-weight: bold; }\n"
                  ".sev-info { color: #555; }\n"
                  "</style>\n</head>\n<body>\n"
                  "<h1>twlens incident report</h1>\n<p class=\"dim\">%1 · made %2 by twlens %3</p>\n")
                  .arg(esc(label), c_.created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")),
                       QStringLiteral(TWLENS_VERSION));
        h_ += QStringLiteral("<p>Contents: ");
        const QStringList titles = reportSectionTitles();
        for (int i = 0; i < titles.size(); ++i)
            h_ += QStringLiteral("%1<a href=\"#s%2\">%2. %3</a>").arg(i ? QStringLiteral(" · ") : QString()).arg(i + 1).arg(titles[i]);
        h_ += QStringLiteral("</p>\n");
        if (!hasOrigin())
            return;
        QString from;
        switch (origin_.from) {
        case FigureOrigin::From::FirstPacket: from = QStringLiteral("the first packet"); break;
        case FigureOrigin::From::FirstConnection: from = QStringLiteral("the start of the first connection"); break;
        case FigureOrigin::From::FirstSnapshot: from = QStringLiteral("the first socket listing"); break;
        case FigureOrigin::From::Nothing: break;
        }
        h_ += QStringLiteral("<p class=\"dim\">Times are UTC, on %1 unless another date is given; a time in brackets counts from "
                             "%2 at %3, as the figures' time axes do%4.</p>\n")
                  .arg(day_, from, clock(origin_.at), earliest() < origin_.at ? QStringLiteral("; times before it are negative") : QString());
    }

    // Exhausted or projected destinations first (the outage people are paged for), else the busiest.
    QStringList portVerdicts() const {
        QStringList lines;
        for (const DestinationHeadroom& d : o_.headroom) {
            const Exhaustion& e = a_.exhaustion[d.exhaustion];
            if (e.exhaustedAt != kNoTime)
                lines << QStringLiteral("<b>Ports ran out</b> toward %1 at %2: all %3 usable ports were held (%4 of them in TIME_WAIT), so new "
                                        "connections to it failed (connect() returns EADDRNOTAVAIL).")
                             .arg(destinationText(e), at(e.exhaustedAt), num(usablePortsOf(e)), num(e.peakTimeWait));
            else if (e.projectedExhaustionAt != kNoTime)
                lines << QStringLiteral("<b>Ports will run out</b> toward %1 at %2 if the trend goes on: peak %3 of %4 ports in use.")
                             .arg(destinationText(e), at(e.projectedExhaustionAt), num(e.peakPortsInUse), num(usablePortsOf(e)));
        }
        if (lines.isEmpty() && !o_.headroom.empty()) {
            const DestinationHeadroom& d = o_.headroom.front();
            lines << QStringLiteral("No destination ran out of ports: the busiest, %1, used at most %2 of %3 ports (%4%).")
                         .arg(destinationText(a_.exhaustion[d.exhaustion]), num(d.peak), num(d.usable))
                         .arg(100.0 * d.peakFraction, 0, 'f', 1);
        }
        return lines;
    }

    void summary() {
        section(0, QStringLiteral("This report explains how the TCP connections in the files listed below were closed, and whether closing "
                                  "them caused trouble, such as a client running out of local ports or a connection ended the wrong way."));
        QStringList items = portVerdicts();
        if (s_.connections == 0) {
            items << QStringLiteral("No TCP connections were found in the captures.");
        } else {
            items << QStringLiteral("%1: closed first by the client %2, by the server %3, by both at once %4; ended by a reset (RST) %5; "
                                    "still open at the end %6.")
                         .arg(plural(s_.connections, "TCP connection", "TCP connections"), num(s_.closers[1]), num(s_.closers[2]),
                              num(s_.closers[3]), num(s_.closeKinds[static_cast<std::size_t>(CloseKind::Rst)]),
                              num(s_.closeKinds[static_cast<std::size_t>(CloseKind::Open)]));
            if (s_.timeWaitWindows == 0)
                items << QStringLiteral("TIME_WAIT: none seen.");
            else
                items << QStringLiteral("TIME_WAIT: %1 (client side %2, server side %3); at most %4 open at once, first at %5.")
                             .arg(plural(s_.timeWaitWindows, "window", "windows"), num(s_.timeWaitBySide[0]), num(s_.timeWaitBySide[1]),
                                  num(s_.peak.count), at(s_.peak.at));
            items << QStringLiteral("Lost final ACKs: %1. Reopened 4-tuples: %2 (%3 within the %4 TIME_WAIT).")
                         .arg(num(s_.lostFinalAck), num(s_.reused), num(s_.reusedWithinTimeWait), duration(a_.settings.twLength()));
        }
        std::uint64_t bySeverity[3] = {0, 0, 0};
        for (const Hazard& h : a_.hazards)
            ++bySeverity[static_cast<std::size_t>(h.severity)];
        if (a_.hazards.empty()) {
            items << QStringLiteral("Hazards: none.");
        } else {
            QStringList kinds;
            for (const TeardownStats::HazardGroup& g : s_.hazards)
                kinds << QStringLiteral("%1 %2").arg(hazardTitle(g.kind), num(g.count));
            items << QStringLiteral("Hazards: %1 (critical %2, warning %3, info %4): %5.")
                         .arg(num(a_.hazards.size()), num(bySeverity[2]), num(bySeverity[1]), num(bySeverity[0]),
                              kinds.join(QStringLiteral(", ")));
        }
        if (s_.warnings)
            items << QStringLiteral("Input warnings: %1 (see Inputs).").arg(num(s_.warnings));
        h_ += QStringLiteral("<table class=\"verdict\" width=\"100%\" cellpadding=\"6\"><tr><td><ul>\n");
        for (const QString& item : items)
            h_ += QStringLiteral("<li>") + item + QStringLiteral("</li>\n");
        h_ += QStringLiteral("</ul></td></tr></table>\n");
    }

    void background() {
        section(1, QStringLiteral("When a TCP connection closes, the side that closed it first keeps a record of it for a while, on Linux a "
                                  "fixed 60 seconds, so that it can repeat its last packet (the final ACK) if that was lost, and so "
                                  "that late packets of the old connection cannot confuse a new one: this waiting state is TIME_WAIT."));
        h_ += helpBody(HelpTexts::page(QStringLiteral("time_wait"))) + QLatin1Char('\n');
    }

    void timeline() {
        section(2, QStringLiteral("This section puts what happened in time order: when the capture started and ended, when ports ran short "
                                  "and when a connection closed the wrong way."));
        figure(c_.figures.timeline);
        struct Event {
            TimeNs t;
            QString text;
        };
        std::vector<Event> events;
        if (firstPacket_ != kNoTime)
            events.push_back({firstPacket_, QStringLiteral("First packet captured.")});
        if (lastPacket_ != kNoTime)
            events.push_back({lastPacket_, QStringLiteral("Last packet captured.")});
        if (s_.firstSnapshot != kNoTime) {
            events.push_back({s_.firstSnapshot, QStringLiteral("First socket listing taken.")});
            if (s_.lastSnapshot != s_.firstSnapshot)
                events.push_back({s_.lastSnapshot, QStringLiteral("Last socket listing taken.")});
        }
        if (s_.peak.count)
            events.push_back({s_.peak.at, QStringLiteral("Most TIME_WAIT windows open at once: %1.").arg(num(s_.peak.count))});
        for (const Exhaustion& e : a_.exhaustion) {
            if (e.exhaustedAt != kNoTime)
                events.push_back({e.exhaustedAt, QStringLiteral("<b>Ports ran out</b> toward %1 (all %2 usable ports held).")
                                                     .arg(destinationText(e), num(usablePortsOf(e)))});
            else if (e.projectedExhaustionAt != kNoTime)
                events.push_back({e.projectedExhaustionAt,
                                  QStringLiteral("Projected: ports toward %1 run out if the trend goes on.").arg(destinationText(e))});
        }
        std::vector<std::uint32_t> hazardOrder(a_.hazards.size());
        for (std::uint32_t i = 0; i < hazardOrder.size(); ++i)
            hazardOrder[i] = i;
        std::stable_sort(hazardOrder.begin(), hazardOrder.end(),
                         [&](std::uint32_t x, std::uint32_t y) { return a_.hazards[x].severity > a_.hazards[y].severity; });
        if (hazardOrder.size() > static_cast<std::size_t>(kMaxTimelineHazards))
            hazardOrder.resize(kMaxTimelineHazards);
        for (std::uint32_t i : hazardOrder) {
            const Hazard& h = a_.hazards[i];
            events.push_back({h.ts, QStringLiteral("%1 (%2) on connection %3.")
                                        .arg(hazardTitle(h.kind), severityHtml(h.severity), connectionText(a_, h.connection))});
        }
        if (s_.snapshotTimeWaitMax >= 0 && s_.snapshotTimeWaitMaxAt < a_.snapshots.size()) {
            const SocketSnapshot& snap = a_.snapshots[s_.snapshotTimeWaitMaxAt];
            if (snap.ts != kNoTime)
                events.push_back({snap.ts, QStringLiteral("The socket listing with the most TIME_WAIT sockets: %1 (%2).")
                                               .arg(num(static_cast<std::uint64_t>(s_.snapshotTimeWaitMax)), inputName(snap.input))});
        }
        if (events.empty()) {
            h_ += QStringLiteral("<p>Nothing in the inputs carries a time.</p>\n");
            return;
        }
        std::stable_sort(events.begin(), events.end(), [](const Event& x, const Event& y) { return x.t < y.t; });
        h_ += QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th width=\"32%\">Time (UTC)</th><th>What happened</th></tr>\n");
        for (const Event& e : events)
            h_ += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>\n").arg(at(e.t), e.text);
        h_ += QStringLiteral("</table>\n");
        if (a_.hazards.size() > hazardOrder.size())
            h_ += QStringLiteral("<p class=\"dim\">%1 less severe hazards are listed under Hazards only.</p>\n")
                      .arg(num(a_.hazards.size() - hazardOrder.size()));
    }

    void ports() {
        const QString tw = a_.settings.twSeconds.value == 60.0
                               ? QStringLiteral("60 seconds (Linux's fixed TIME_WAIT length)")
                               : QStringLiteral("%1 (the TIME_WAIT length this analysis assumed; Linux uses a fixed 60 s)")
                                     .arg(duration(a_.settings.twLength()));
        section(3, QStringLiteral("A client needs a free local port (an ephemeral port) for every connection it opens to the same server "
                                  "address and port, and every connection it closes first keeps its port in TIME_WAIT for %1, so "
                                  "opening connections faster than ports come free runs out of ports.")
                       .arg(tw));
        if (o_.headroom.empty()) {
            h_ += QStringLiteral("<p>No outgoing connections toward a destination were seen.</p>\n");
            return;
        }
        // Every destination that ran out or is projected to (up to kMaxDestinations), then the
        // calm ones with the least headroom until kCalmRows rows are shown: a capture of many
        // clients has thousands of calm destinations.
        std::vector<const DestinationHeadroom*> rows;
        std::size_t risky = 0;
        for (const DestinationHeadroom& d : o_.headroom)
            if (exhaustedOrProjected(a_.exhaustion[d.exhaustion]) && ++risky <= static_cast<std::size_t>(kMaxDestinations))
                rows.push_back(&d);
        const std::size_t shownRisky = rows.size();
        for (const DestinationHeadroom& d : o_.headroom)
            if (!exhaustedOrProjected(a_.exhaustion[d.exhaustion]) && rows.size() < static_cast<std::size_t>(kCalmRows))
                rows.push_back(&d);
        // Five columns in a smaller type, the two with a time (15 characters that must not break)
        // the widest: the PDF's text column is about 14 cm, where six columns broke words mid-way.
        h_ += QStringLiteral("<table class=\"ports\" width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th width=\"21%\">Destination (local → remote)</th>"
                             "<th width=\"14%\">Usable ports</th><th width=\"23%\">Most in use</th>"
                             "<th width=\"18%\">New conn./s: peak / sustainable</th><th>Ran out, or projected to</th></tr>\n");
        for (const DestinationHeadroom* d : rows) {
            const Exhaustion& e = a_.exhaustion[d->exhaustion];
            QString end = QStringLiteral("no");
            if (e.exhaustedAt != kNoTime)
                end = QStringLiteral("<b>ran out</b> at ") + at(e.exhaustedAt);
            else if (e.projectedExhaustionAt != kNoTime)
                end = QStringLiteral("<b>projected</b> at ") + at(e.projectedExhaustionAt);
            const double percent = 100.0 * d->peakFraction;
            const QString share = percent > 0 && percent < 0.05 ? QStringLiteral("&lt;0.1") : QString::number(percent, 'f', 1);
            h_ += QStringLiteral("<tr><td>%1</td><td>%2 (%3–%4)</td><td>%5 (%6%), %7 of them in TIME_WAIT<br>at %8</td><td>%9 / %10</td><td>%11</td></tr>\n")
                      .arg(destinationText(e), num(usablePortsOf(e)), QString::number(e.portLow), QString::number(e.portHigh),
                           num(e.peakPortsInUse), share, num(e.peakTimeWait), at(e.peakTime), rate(e.newConnectionsPerSecondPeak))
                      .arg(rate(e.maxSustainableRatePerSecond), end);
        }
        h_ += QStringLiteral("</table>\n<p class=\"dim\">New conn./s: new connections per second toward the destination at their peak, "
                             "and the most its ports sustain: the usable ports divided by how long each stays held (the TIME_WAIT "
                             "length, or tcp_tw_reuse_delay when tcp_tw_reuse applies).</p>\n");
        if (o_.headroom.size() > rows.size())
            h_ += QStringLiteral("<p class=\"dim\">%1 more destinations, %2.</p>\n")
                      .arg(num(o_.headroom.size() - rows.size()),
                           risky > shownRisky ? QStringLiteral("%1 of them at risk").arg(num(risky - shownRisky))
                                              : QStringLiteral("none of them ran out or is projected to"));
        QStringList verdicts;
        for (const Finding& f : a_.findings)
            if (f.kind == "exhaustion_verdict")
                verdicts << QStringLiteral("<li>%1: %2<br><span class=\"evidence\">Evidence: %3</span></li>")
                                .arg(severityHtml(f.severity), esc(f.summary), esc(f.evidence));
        if (!verdicts.isEmpty())
            h_ += QStringLiteral("<h3>Verdict and projection</h3>\n<ul>\n") + verdicts.join(QLatin1Char('\n')) + QStringLiteral("\n</ul>\n");
        figure(c_.figures.exhaustion);
    }

    void hazards() {
        section(4, QStringLiteral("A hazard is a moment where closing a connection did not go the way TCP intends, which can lose data, let "
                                  "a packet of an old connection into a new one, or make a new connection fail."));
        if (s_.hazards.empty()) {
            h_ += QStringLiteral("<p>No hazards were found.</p>\n");
            return;
        }
        for (const TeardownStats::HazardGroup& g : s_.hazards) {
            const Hazard& first = a_.hazards[g.examples.front()];
            h_ += QStringLiteral("<h3>%1: %2, worst %3</h3>\n").arg(hazardTitle(g.kind), num(g.count), severityHtml(g.worst));
            if (!first.reference.empty())
                h_ += QStringLiteral("<p class=\"evidence\">Rule: %1</p>\n").arg(esc(first.reference));
            h_ += helpBody(HelpTexts::hazardExplanation(QString::fromStdString(g.kind))) + QLatin1Char('\n');
            h_ += QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th width=\"34%\">Where and when</th>"
                                 "<th>What happened</th></tr>\n");
            for (std::uint32_t i : g.examples)
                h_ += hazardRow(a_.hazards[i]);
            h_ += QStringLiteral("</table>\n");
            if (g.count > g.examples.size())
                h_ += QStringLiteral("<p class=\"dim\">… and %1 more of this kind.</p>\n").arg(num(g.count - g.examples.size()));
        }
        if (!c_.figures.ladders.empty()) {
            h_ += QStringLiteral("<h3>Ladder diagrams of the worst examples</h3>\n<p>A ladder diagram shows the packets one connection's "
                                 "two ends sent each other, in time order, so the evidence frames above can be seen in place.</p>\n");
            for (const ReportFigure& f : c_.figures.ladders) {
                const Hazard& h = a_.hazards[f.hazard];
                figure(f, QStringLiteral("Connection %1, %2 at %3: its packets in time order, with the hazard marked where it happened.")
                              .arg(connectionText(a_, h.connection), hazardTitle(h.kind), clock(h.ts)));
            }
        }
    }

    QString hazardRow(const Hazard& h) const {
        QStringList frames;
        for (std::uint32_t f : h.evidenceFrames)
            frames << QString::number(f);
        QString evidence = frames.isEmpty() ? QStringLiteral("—") : frames.join(QStringLiteral(", "));
        if (!frames.isEmpty() && h.connection < a_.connections.size())
            evidence += QStringLiteral(" in ") + inputName(a_.connections[h.connection].input);
        return QStringLiteral("<tr><td>Connection %1<br>%2<br>%3<br>Evidence frames: %4</td><td>%5</td></tr>\n")
            .arg(connectionText(a_, h.connection), at(h.ts), severityHtml(h.severity), evidence, esc(h.summary));
    }

    // "…, best first: 1) a; 2) b; never c" as a list; the text is core's (exhaustion_verdicts.cpp).
    void fixes(const Finding& f) {
        const QString text = QString::fromStdString(f.summary);
        const qsizetype start = text.indexOf(QLatin1String("best first: "));
        if (start < 0) {
            h_ += QStringLiteral("<p>%1</p>\n").arg(esc(text));
        } else {
            h_ += QStringLiteral("<p>%1:</p>\n<ol>\n").arg(esc(text.left(start + 10)));
            const QStringList items = text.mid(start + 12).split(QRegularExpression(QStringLiteral(";\\s+(?=\\d+\\) |never )")));
            QStringList never;
            for (QString item : items) {
                item.remove(QRegularExpression(QStringLiteral("^\\d+\\) ")));
                if (item.startsWith(QLatin1String("never ")))
                    never << item;
                else
                    h_ += QStringLiteral("<li>%1</li>\n").arg(esc(item));
            }
            h_ += QStringLiteral("</ol>\n");
            for (const QString& n : never)
                h_ += QStringLiteral("<p><b>Do not:</b> %1</p>\n").arg(esc(n));
        }
        if (!f.evidence.empty())
            h_ += QStringLiteral("<p class=\"evidence\">Evidence: %1</p>\n").arg(esc(f.evidence));
    }

    void findings() {
        section(5, QStringLiteral("These are conclusions about the hosts and their settings as a whole, with the changes that would help, "
                                  "best first, and why each one helps."));
        h_ += QStringLiteral("<h3>Recommended fixes</h3>\n");
        bool anyFix = false;
        for (const Finding& f : a_.findings)
            if (f.kind == "exhaustion_fixes") {
                fixes(f);
                anyFix = true;
            }
        if (!anyFix)
            h_ += QStringLiteral("<p>No destination is at risk of running out of ports, so nothing needs fixing for that.</p>\n");
        std::vector<const Finding*> rest;
        for (const Finding& f : a_.findings)
            if (f.kind != "exhaustion_fixes" && f.kind != "exhaustion_verdict")
                rest.push_back(&f);
        std::stable_sort(rest.begin(), rest.end(), [](const Finding* x, const Finding* y) { return x->severity > y->severity; });
        h_ += QStringLiteral("<h3>Findings on settings and counters</h3>\n");
        if (rest.empty()) {
            h_ += QStringLiteral("<p>None: the settings and counters seen raise no concern.</p>\n");
            return;
        }
        h_ += QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th width=\"16%\">Severity</th><th>Finding and why</th></tr>\n");
        for (const Finding* f : rest)
            h_ += QStringLiteral("<tr><td>%1</td><td>%2%3</td></tr>\n")
                      .arg(severityHtml(f->severity), esc(f->summary),
                           f->evidence.empty() ? QString()
                                               : QStringLiteral("<br><span class=\"evidence\">Evidence: %1</span>").arg(esc(f->evidence)));
        h_ += QStringLiteral("</table>\n");
    }

    void inputs() {
        section(6, QStringLiteral("These are the files this report was made from; the SHA-256 checksum of each one lets anyone check that "
                                  "they are looking at exactly the same data."));
        h_ += QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><tr><th width=\"46%\">File and SHA-256</th><th width=\"16%\">Kind</th>"
                             "<th width=\"12%\">Size (bytes)</th><th>Covers (UTC)</th></tr>\n");
        for (const ReportInput& in : c_.inputs) {
            QString span = QStringLiteral("—");
            if (in.first != kNoTime)
                span = in.last != kNoTime && in.last != in.first ? clock(in.first) + QStringLiteral(" + ") + duration(in.last - in.first)
                                                                  : clock(in.first);
            QString kind = in.kind.isEmpty() ? QStringLiteral("—") : esc(in.kind);
            if (in.packets)
                kind += QStringLiteral(", %1").arg(plural(in.packets, "packet", "packets"));
            if (in.warnings)
                kind += QStringLiteral(", %1").arg(plural(static_cast<std::uint64_t>(in.warnings), "warning", "warnings"));
            h_ += QStringLiteral("<tr><td>%1<br><span class=\"mono\">%2</span></td><td>%3</td><td>%4</td><td>%5</td></tr>\n")
                      .arg(esc(in.name),
                           in.sha256.isEmpty() ? QStringLiteral("(could not be read for the checksum)") : in.sha256, kind,
                           in.size < 0 ? QStringLiteral("—") : num(static_cast<std::uint64_t>(in.size)), span);
        }
        h_ += QStringLiteral("</table>\n");
        for (std::size_t i = 0; i < a_.inputs.size(); ++i)
            for (const InputWarning& w : a_.inputs[i].warnings)
                h_ += QStringLiteral("<p class=\"evidence\">Warning, %1: %2</p>\n").arg(inputName(static_cast<std::uint32_t>(i)), esc(w.text()));
    }

    // What each setting does is the settings dialog's tooltip for it (resources/help/tooltips.ini,
    // "settings.<key>"): one reviewed text for both, written from the TCP teardown facts.
    template <typename T>
    void settingRow(const QString& name, const QString& value, const Setting<T>& s, const char* tooltipKey) {
        h_ += QStringLiteral("<tr><td>%1 = %2</td><td>%3</td><td>%4</td></tr>\n")
                  .arg(name, value, settingSource(s.source),
                       esc(HelpTexts::tooltip(QStringLiteral("settings.") + QLatin1String(tooltipKey))));
    }

    void settings() {
        section(7, QStringLiteral("These are the Linux settings the analysis assumed, and where each value came from: the Linux default, a "
                                  "sysctl file among the inputs, or an option given to twlens."));
        const Settings& st = a_.settings;
        h_ += QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\"><thead><tr><th width=\"38%\">Setting = value</th>"
                             "<th width=\"22%\">Source</th><th>What it does</th></tr></thead>\n");
        settingRow(QStringLiteral("TIME_WAIT length"), duration(st.twLength()), st.twSeconds, "tw_seconds");
        settingRow(QStringLiteral("net.ipv4.ip_local_port_range"),
                   QStringLiteral("%1 %2 (%3 ports)").arg(st.portLow.value).arg(st.portHigh.value).arg(num(st.portCount())), st.portLow,
                   "port_range");
        settingRow(QStringLiteral("net.ipv4.ip_local_reserved_ports"),
                   st.reservedPorts.value.empty() ? QStringLiteral("none") : esc(st.reservedPorts.value), st.reservedPorts,
                   "reserved_ports");
        settingRow(QStringLiteral("net.ipv4.tcp_tw_reuse"), QString::number(st.twReuse.value), st.twReuse, "tw_reuse");
        settingRow(QStringLiteral("net.ipv4.tcp_tw_reuse_delay"), QStringLiteral("%1 ms").arg(st.twReuseDelayMs.value), st.twReuseDelayMs,
                   "tw_reuse_delay");
        settingRow(QStringLiteral("net.ipv4.tcp_timestamps"), QString::number(st.timestamps.value), st.timestamps, "timestamps");
        settingRow(QStringLiteral("net.ipv4.tcp_rfc1337"), QString::number(st.rfc1337.value), st.rfc1337, "rfc1337");
        settingRow(QStringLiteral("net.ipv4.tcp_fin_timeout"), QStringLiteral("%1 s").arg(st.finTimeout.value), st.finTimeout, "fin_timeout");
        settingRow(QStringLiteral("net.ipv4.tcp_max_tw_buckets"),
                   st.maxTwBuckets.value < 0 ? QStringLiteral("unknown") : num(static_cast<std::uint64_t>(st.maxTwBuckets.value)),
                   st.maxTwBuckets, "max_tw_buckets");
        h_ += QStringLiteral("</table>\n");
    }

    void about() {
        section(8, QStringLiteral("This report was made by twlens, a tool that reads packet captures and socket listings and explains how "
                                  "TCP connections were closed."));
        h_ += QStringLiteral("<p>twlens version %1; report made %2. The numbers are those of <span class=\"mono\">twlens-cli analyze</span> "
                             "on the same inputs and settings. Frame numbers count from 1 in each capture file, as in Wireshark.</p>\n")
                  .arg(QStringLiteral(TWLENS_VERSION), c_.created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")));
    }

    const Analysis& a_;
    const ReportContent& c_;
    ReportImages images_;
    const OverviewSummary& o_;
    const TeardownStats& s_;
    const FigureOrigin origin_;    // what the figures' time axes count from
    TimeNs firstPacket_ = kNoTime; // over the captures
    TimeNs lastPacket_ = kNoTime;
    QString day_;                  // earliest()'s UTC date, "2026-11-22"
    QString h_;
};

} // namespace

QStringList reportSectionTitles() {
    return {QStringLiteral("Summary"),
            QStringLiteral("What TIME_WAIT is"),
            QStringLiteral("Timeline of the incident"),
            QStringLiteral("Ports per destination"),
            QStringLiteral("Hazards"),
            QStringLiteral("Findings and recommended fixes"),
            QStringLiteral("Inputs"),
            QStringLiteral("Settings used"),
            QStringLiteral("About this report")};
}

ReportContent gatherReport(const Analysis& a, const QStringList& inputs) {
    ReportContent c;
    c.summary = summarize(a);
    c.inputs = reportInputs(a, inputs);
    c.figures = renderReportFigures(a, c.summary.stats);
    c.created = QDateTime::currentDateTimeUtc();
    return c;
}

QString reportHtml(const Analysis& a, const ReportContent& c, ReportImages images) { return HtmlReport(a, c, images).build(); }

} // namespace twlens
