// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/overview_view.h"

#include <QEvent>
#include <QLabel>
#include <QLocale>
#include <QRegularExpression>
#include <QVBoxLayout>

#include "core/output/contract_names.h"
#include "core/output/time_format.h"
#include "core/presentation/labels.h"
#include "gui/state/selection_state.h"
#include "gui/views/help_texts.h"
#include "gui/views/state_colors.h"

namespace twlens {

namespace {

QString link(const QString& target, const QString& text) {
    return QStringLiteral("<a href=\"%1\">%2</a>").arg(target.toHtmlEscaped(), text);
}

QString num(std::uint64_t n) { return QLocale().toString(qulonglong(n)); }

// Destinations listed in the headroom card (the ones closest to running out).
constexpr std::size_t kHeadroomRows = 8;

QString relTime(TimeNs t, TimeNs origin) { return QStringLiteral("+%1 s").arg(toSeconds(t - origin), 0, 'f', 3); }

} // namespace

OverviewView::OverviewView(SelectionState* selection, QWidget* parent)
    : QScrollArea(parent), selection_(selection), page_(new QWidget), layout_(new QVBoxLayout(page_)) {
    setWidgetResizable(true);
    setWidget(page_);
    setFrameShape(QFrame::NoFrame);
    layout_->setContentsMargins(10, 8, 10, 8);
    layout_->setSpacing(10);
    connect(selection_, &SelectionState::analysisChanged, this, &OverviewView::rebuild);
    rebuild();
}

void OverviewView::activateLink(const QString& target) {
    if (target.startsWith(QLatin1String("filter:")))
        selection_->setFilterText(target.mid(7));
    else if (target.startsWith(QLatin1String("connection:")))
        selection_->selectConnection(target.mid(11).toUInt());
    else if (target.startsWith(QLatin1String("hazard:")))
        selection_->selectHazard(target.mid(7).toUInt());
}

QLabel* OverviewView::addCard(const QString& title, const QString& html, const QString& tooltipKey) {
    auto* label = new QLabel(page_);
    label->setTextFormat(Qt::RichText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    label->setOpenExternalLinks(false);
    label->setFrameShape(QFrame::StyledPanel);
    label->setMargin(8);
    label->setAutoFillBackground(true);
    label->setBackgroundRole(QPalette::Base);
    label->setText(QStringLiteral("<b>%1</b><br>%2").arg(title, html));
    label->setToolTip(HelpTexts::tooltip(tooltipKey));
    connect(label, &QLabel::linkActivated, this, &OverviewView::activateLink);
    layout_->addWidget(label);
    cards_.append(label);
    return label;
}

QStringList OverviewView::cardTexts() const {
    QStringList out;
    for (const QLabel* l : cards_) {
        QString t = l->text();
        t.replace(QStringLiteral("<br>"), QStringLiteral("\n"));
        t.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
        t.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
        t.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
        t.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
        out << t;
    }
    return out;
}

void OverviewView::changeEvent(QEvent* e) {
    if (e->type() == QEvent::PaletteChange)
        rebuild();
    QScrollArea::changeEvent(e);
}

const OverviewSummary& OverviewView::summary() const { return selection_->viewData().summary; }

void OverviewView::rebuild() {
    qDeleteAll(cards_);
    cards_.clear();
    while (QLayoutItem* item = layout_->takeAt(0))
        delete item;
    const auto& a = selection_->analysis();
    if (!a) {
        addCard(tr("No analysis loaded"), tr("Open a capture or snapshot (File ▸ Open), drop files here, or open the sample."),
                QString());
        layout_->addStretch(1);
        return;
    }
    const OverviewSummary& sum = summary();
    const TeardownStats& s = sum.stats;
    const StateColors colors(palette());
    const TimeNs origin = sum.captureStart;

    addCard(tr("%1 connections").arg(num(s.connections)),
            tr("%1 packets · %2 input(s) · capture from %3, %4 long")
                    .arg(num(sum.packets))
                    .arg(a->inputs.size())
                    .arg(QString::fromStdString(utcText(sum.captureStart)),
                         QString::fromStdString(durationText(sum.captureEnd - sum.captureStart))) +
                (s.warnings ? tr(" · <b>%1 warning(s)</b> in the messages panel").arg(num(s.warnings)) : QString()),
            QStringLiteral("overview.connections"));

    if (!a->findings.empty()) {
        QStringList rows;
        for (const Finding& f : a->findings)
            rows << QStringLiteral("<span style=\"color:%1\">■</span> %2 <small>%3</small>")
                        .arg(colors.severity(f.severity).name(), QString::fromStdString(f.summary).toHtmlEscaped(),
                             QString::fromStdString(f.evidence).toHtmlEscaped());
        addCard(tr("Verdicts and findings"), rows.join(QStringLiteral("<br>")), QString());
    }
    QStringList closers;
    for (Closer c : {Closer::Client, Closer::Server, Closer::Both, Closer::None}) {
        const auto name = QString::fromLatin1(closerName(c));
        closers << QStringLiteral("%1 %2").arg(name, link(QStringLiteral("filter:closer:") + name, num(s.closers[std::size_t(c)])));
    }
    QStringList kinds;
    for (int k = 0; k < 5; ++k) {
        const auto name = QString::fromLatin1(closeKindName(CloseKind(k)));
        kinds << QStringLiteral("%1 %2").arg(name, link(QStringLiteral("filter:close:") + name, num(s.closeKinds[std::size_t(k)])));
    }
    addCard(tr("Who closed first"),
            tr("Active closer: %1<br>Close: %2").arg(closers.join(QStringLiteral(" · ")), kinds.join(QStringLiteral(" · "))),
            QStringLiteral("overview.active_closers"));

    QString tw = tr("%1 windows (client %2, server %3)")
                     .arg(link(QStringLiteral("filter:is:time-wait"), num(s.timeWaitWindows)))
                     .arg(num(s.timeWaitBySide[0]), num(s.timeWaitBySide[1]));
    if (s.peak.count > 0)
        tw += tr("<br>Peak: <b>%1</b> open at once, first at %2 (%3)")
                  .arg(num(s.peak.count), relTime(s.peak.at, origin), QString::fromStdString(utcText(s.peak.at)));
    tw += tr("<br>Ended: expired %1 · reused %2 · rst %3")
              .arg(num(s.timeWaitByEnd[0]), num(s.timeWaitByEnd[1]), num(s.timeWaitByEnd[2]));
    addCard(tr("TIME-WAIT"), tw, QStringLiteral("overview.time_wait_peak"));

    QString lost = tr("Lost final ACKs: %1 · FIN retransmissions: %2 · reopened 4-tuples: %3 (within TIME-WAIT: %4)")
                       .arg(link(QStringLiteral("filter:is:lost-final-ack"), num(s.lostFinalAck)), num(s.finRetransmissions),
                            link(QStringLiteral("filter:is:reused"), num(s.reused)), num(s.reusedWithinTimeWait));
    addCard(tr("Teardown trouble"), lost, QStringLiteral("overview.lost_final_acks"));

    QString hz;
    if (sum.hazardGroups.empty()) {
        hz = tr("No hazards in this analysis.");
    } else {
        QStringList rows;
        for (const HazardGroup& g : sum.hazardGroups) {
            const QString kind = QString::fromStdString(g.kind);
            rows << QStringLiteral("<span style=\"color:%1\">■</span> %2 %3 <small>(%4)</small>")
                        .arg(colors.severity(g.worst).name(), kind,
                             link(QStringLiteral("filter:hazard:") + kind, num(g.hazards.size())),
                             QString::fromLatin1(severityName(g.worst)));
        }
        hz = rows.join(QStringLiteral("<br>"));
    }
    addCard(tr("Hazards (%1)").arg(num(a->hazards.size())), hz, QString());

    QString ex;
    if (sum.headroom.empty()) {
        ex = tr("No per-destination port figures in this analysis.");
    } else {
        QStringList rows;
        // Least headroom first; a capture toward thousands of destinations would otherwise make
        // a label of megabytes that takes seconds to lay out. The plot's list has them all.
        const std::size_t shown = std::min(sum.headroom.size(), kHeadroomRows);
        for (std::size_t i = 0; i < shown; ++i) {
            const DestinationHeadroom& d = sum.headroom[i];
            const Exhaustion& e = a->exhaustion[d.exhaustion];
            const QString dest = QString::fromStdString(labels::endpoint(e.remoteIp, e.remotePort));
            QString row = tr("%1 from %2: peak %3 of %4 ports (%5%), headroom %6, max sustainable %7/s")
                              .arg(link(QStringLiteral("filter:server:") + dest, dest),
                                   QString::fromStdString(e.localIp.toString()), num(d.peak), num(d.usable))
                              .arg(d.peakFraction * 100, 0, 'f', 1)
                              .arg(num(d.headroom))
                              .arg(e.maxSustainableRatePerSecond, 0, 'g', 3);
            if (e.exhaustedAt != kNoTime)
                row += tr(" · <b>full at %1</b>").arg(relTime(e.exhaustedAt, origin));
            else if (e.projectedExhaustionAt != kNoTime)
                row += tr(" · projected full at %1").arg(relTime(e.projectedExhaustionAt, origin));
            rows << row;
        }
        if (shown < sum.headroom.size())
            rows << tr("… and %1 more destinations (Port exhaustion view)").arg(num(sum.headroom.size() - shown));
        ex = rows.join(QStringLiteral("<br>"));
    }
    addCard(tr("Ephemeral port headroom"), ex, QStringLiteral("overview.headroom"));

    layout_->addStretch(1);
}

} // namespace twlens
