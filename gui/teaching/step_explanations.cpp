// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/teaching/step_explanations.h"

#include <QFile>
#include <QStringList>

#include "core/output/contract_names.h"
#include "core/output/time_format.h"

namespace twlens {

namespace {

QString sideText(Side s) { return QString::fromLatin1(sideName(s)); }

QString rfcName(TcpState s) {
    if (s == TcpState::None)
        return QStringLiteral("(not seen yet)");
    return QString::fromLatin1(stateRfcName(s));
}

QString settingText(const char* name, const Setting<int>& s) {
    return QStringLiteral("<code>%1 = %2</code> (%3)")
        .arg(QString::fromLatin1(name))
        .arg(s.value)
        .arg(QString::fromStdString(s.source).toHtmlEscaped());
}

} // namespace

QString topicExplanationHtml(TeachingTopic topic) {
    const QString path = QStringLiteral(":/teaching/%1.html").arg(QString::fromLatin1(teachingTopicName(topic)));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

QString stepExplanationHtml(const Analysis& a, std::uint32_t connection, const TeachingStep& step, std::size_t index,
                            std::size_t count) {
    QString html;
    const Connection* c = connection < a.connections.size() ? &a.connections[connection] : nullptr;
    const TimeNs t0 = c ? c->start : step.ts;
    const std::optional<ControlSegment> seg = stepSegment(a, connection, step);
    QString head;
    if (step.kind == TeachingStep::Kind::TimerExpiry) {
        head = QStringLiteral("Step %1 of %2 &mdash; the %3's TIME-WAIT timer fires at +%4 s%5")
                   .arg(index + 1)
                   .arg(count)
                   .arg(sideText(step.from))
                   .arg(QString::number(toSeconds(step.ts - t0), 'f', 3))
                   .arg(step.pastCaptureEnd ? QStringLiteral(" (after the capture ended)") : QString());
    } else if (seg) {
        head = QStringLiteral("Step %1 of %2 &mdash; frame %3 at +%4 s: %5 &rarr; %6 <b>%7</b>")
                   .arg(index + 1)
                   .arg(count)
                   .arg(seg->frame)
                   .arg(QString::number(toSeconds(step.ts - t0), 'f', 6))
                   .arg(sideText(step.from), sideText(other(step.from)))
                   .arg(QString::fromStdString(step.text).toHtmlEscaped());
    }
    html += QStringLiteral("<p>%1</p>").arg(head);
    if (seg && seg->dataBefore > 0)
        html += QStringLiteral("<p><i>%1 data segment%2 before this one (counted, not drawn).</i></p>")
                    .arg(seg->dataBefore)
                    .arg(seg->dataBefore == 1 ? QString() : QStringLiteral("s"));
    if (!step.transitions.empty()) {
        QStringList lines;
        for (const TeachingTransition& t : step.transitions)
            lines << QStringLiteral("%1: %2 &rarr; <b>%3</b>").arg(sideText(t.side), rfcName(t.from), rfcName(t.to));
        html += QStringLiteral("<p>%1</p>").arg(lines.join(QStringLiteral("<br>")));
    } else {
        html += QStringLiteral("<p>No state change.</p>");
    }
    html += QStringLiteral("<p>Now: client <b>%1</b>, server <b>%2</b>.</p>").arg(rfcName(step.states[0]), rfcName(step.states[1]));
    for (std::uint32_t h : step.hazards) {
        if (h >= a.hazards.size())
            continue;
        const Hazard& hz = a.hazards[h];
        html += QStringLiteral("<p><b>Hazard (%1):</b> %2 <i>%3</i></p>")
                    .arg(QString::fromLatin1(severityName(hz.severity)),
                         QString::fromStdString(hz.summary).toHtmlEscaped(),
                         QString::fromStdString(hz.reference).toHtmlEscaped());
    }
    if (step.has(TeachingTopic::Assassination) || step.has(TeachingTopic::RstIgnoredInTimeWait))
        html += QStringLiteral("<p>Setting used for this capture: %1.</p>").arg(settingText("net.ipv4.tcp_rfc1337", a.settings.rfc1337));
    if (step.has(TeachingTopic::Reuse))
        html += QStringLiteral("<p>Settings used for this capture: %1, %2.</p>")
                    .arg(settingText("net.ipv4.tcp_tw_reuse", a.settings.twReuse),
                         settingText("net.ipv4.tcp_tw_reuse_delay", a.settings.twReuseDelayMs));
    if (c && step.has(TeachingTopic::Reuse) && c->reuseGap != kNoTime) {
        if (c->reuseGap >= 0)
            html += QStringLiteral("<p>The previous connection on this 4-tuple closed %1 earlier.</p>")
                        .arg(QString::fromStdString(durationText(c->reuseGap)).toHtmlEscaped());
        else // its last teardown segment answered this SYN
            html += QStringLiteral("<p>The previous connection on this 4-tuple was still closing: it closed %1 after this SYN.</p>")
                        .arg(QString::fromStdString(durationText(-c->reuseGap)).toHtmlEscaped());
    }
    for (TeachingTopic topic : step.topics)
        html += topicExplanationHtml(topic);
    return html;
}

} // namespace twlens
