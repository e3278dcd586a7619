// SPDX-License-Identifier: GPL-3.0-or-later
// The RFC 9293 state diagram as a figure (§3.3.2, figure 5, drawn by paintStateDiagram) with the
// transitions the capture shows: how often each was taken by the connections in the window, or one
// connection's path. A table beside the diagram gives the same numbers as text.
#include <QFontMetricsF>
#include <QPainter>
#include <QStringList>
#include <algorithm>
#include <qcustomplot.h>

#include "core/output/time_format.h"
#include "core/presentation/state_transitions.h"
#include "gui/figures/figure_content.h"
#include "gui/figures/state_diagram_painter.h"

namespace twlens {

namespace {

constexpr std::size_t kMaxTableRows = 18;

QString stateText(TcpState s) { return QString::fromLatin1(stateRfcName(s)); }

// " (timer, 60 s)", " (RST after 0.43073 s)", " (4-tuple reused after 2 s)".
QString timeWaitEnding(const TimeWaitWindow& w) {
    const QString length = QString::fromStdString(durationText(w.end - w.start));
    switch (w.reason) {
    case TimeWaitEnd::Expired:
        return QObject::tr(" (timer, %1)").arg(length);
    case TimeWaitEnd::Rst:
        return QObject::tr(" (RST after %1)").arg(length);
    case TimeWaitEnd::Reused:
        return QObject::tr(" (4-tuple reused after %1)").arg(length);
    }
    return {};
}

class StatesFigure : public FigureContent {
public:
    StatesFigure(const FigureSetup& s, StateDiagramContent content, QStringList heading, std::vector<std::pair<QString, QString>> rows)
        : s_(s), content_(std::move(content)), heading_(std::move(heading)), rows_(std::move(rows)) {}

    void paint(QCPPainter& p, const QRectF& area) override {
        const QFont body = figureFont(12);
        const QFont bold = figureFont(12, true);
        const QFontMetricsF m(body);
        double tableW = 0;
        for (const auto& [label, count] : rows_)
            tableW = std::max(tableW, m.horizontalAdvance(label) + m.horizontalAdvance(count) + 24);
        for (const QString& h : heading_)
            tableW = std::max(tableW, QFontMetricsF(bold).horizontalAdvance(h));
        tableW = std::min(tableW + 16, area.width() * 0.4);
        const QRectF diagram(area.left(), area.top(), area.width() - tableW - 16, area.height());
        p.save();
        paintStateDiagram(p, diagram, content_, s_.colors);
        p.restore();

        // The table: a heading, then "FROM → TO   count" lines.
        const double x = diagram.right() + 16;
        double y = area.top();
        const double lineH = m.height() + 3;
        p.setPen(QPen(s_.colors.grid(), 1));
        p.drawLine(QPointF(x - 8, area.top()), QPointF(x - 8, area.bottom()));
        p.setFont(bold);
        p.setPen(s_.colors.text());
        for (const QString& h : heading_) {
            p.drawText(QRectF(x, y, tableW, lineH), Qt::AlignLeft | Qt::AlignVCenter, h);
            y += lineH;
        }
        y += 4;
        p.setFont(body);
        for (const auto& [label, count] : rows_) {
            if (y + lineH > area.bottom())
                break;
            p.setPen(s_.colors.text());
            p.drawText(QRectF(x, y, tableW - 4, lineH), Qt::AlignLeft | Qt::AlignVCenter,
                       m.elidedText(label, Qt::ElideRight, tableW - 4 - m.horizontalAdvance(count) - 8));
            p.drawText(QRectF(x, y, tableW - 4, lineH), Qt::AlignRight | Qt::AlignVCenter, count);
            y += lineH;
        }
    }

private:
    const FigureSetup& s_;
    StateDiagramContent content_;
    QStringList heading_;
    std::vector<std::pair<QString, QString>> rows_;
};

// Figure 5's TIME-WAIT -> CLOSED arrow is the 2 MSL timer (Linux: TCP_TIMEWAIT_LEN, 60 s). A
// TIME_WAIT cut by a RST (RFC 1337 assassination, tcp_timewait_state_process with tcp_rfc1337 = 0)
// is drawn as its own dashed RST arrow, and one ended by a reused 4-tuple (the same function
// accepting a new SYN) is not the timer either: only expiries are counted on the timer's arrow.
void timerOnlyOnTimeWaitArrow(const StateTransitions& t, Side rstSide, StateDiagramContent& c) {
    const auto it = c.transitions.find({TcpState::TimeWait, TcpState::Closed});
    if (it == c.transitions.end())
        return;
    const std::uint64_t expired = t.timeWaitEnds[static_cast<std::size_t>(TimeWaitEnd::Expired)];
    if (expired == 0)
        c.transitions.erase(it);
    else
        it->second = expired;
    if (t.timeWaitEnds[static_cast<std::size_t>(TimeWaitEnd::Rst)] > 0)
        c.taken.push_back({TcpState::TimeWait, TcpState::Closed, rstSide, true});
}

} // namespace

std::unique_ptr<FigureContent> makeStatesFigure(const FigureSetup& s, QString* error) {
    const Analysis& a = s.analysis;
    if (a.connections.empty()) {
        if (error)
            *error = QObject::tr("the state diagram needs TCP connections and the inputs have none");
        return nullptr;
    }
    StateDiagramContent content;
    QStringList heading;
    std::vector<std::pair<QString, QString>> rows;
    QString title, subtitle;
    bool withWindow = true;
    if (s.request.connection) {
        // One connection: its path, both ends, and where each end stopped.
        const std::uint32_t id = *s.request.connection;
        const StateTransitions t = connectionTransitions(a, id);
        content.transitions = t.taken;
        Side rstSide = Side::Client;
        for (std::uint8_t w = 0; w < a.connections[id].timeWaitCount; ++w)
            if (a.connections[id].timeWait[w].reason == TimeWaitEnd::Rst)
                rstSide = a.connections[id].timeWait[w].side;
        timerOnlyOnTimeWaitArrow(t, rstSide, content);
        content.clientState = t.lastClient;
        content.serverState = t.lastServer;
        title = QObject::tr("TCP states of connection #%1 (RFC 9293 §3.3.2)").arg(id);
        subtitle = QObject::tr("%1 · the arrows it took, both ends; each end's last state highlighted")
                       .arg(connectionLabel(a, a.connections[id]));
        heading << QObject::tr("Path of each end");
        const auto paths = statePaths(a, id);
        for (std::size_t side = 0; side < 2; ++side) {
            const QString who = side == 0 ? QObject::tr("client") : QObject::tr("server");
            if (paths[side].empty()) {
                rows.emplace_back(QObject::tr("%1: not seen").arg(who), QString());
                continue;
            }
            const Connection& c = a.connections[id];
            for (std::size_t i = 0; i < paths[side].size(); ++i) {
                QString step = i == 0 ? QObject::tr("%1: %2").arg(who, stateText(paths[side][i]))
                                      : QObject::tr("    → %1").arg(stateText(paths[side][i]));
                // How the TIME-WAIT ended: the diagram's arrow is the timer's, a RST or a reuse
                // ends it too (RFC 1337; tcp_timewait_state_process).
                if (i > 0 && paths[side][i - 1] == TcpState::TimeWait)
                    for (std::uint8_t w = 0; w < c.timeWaitCount; ++w)
                        if (std::size_t(c.timeWait[w].side) == side)
                            step += timeWaitEnding(c.timeWait[w]);
                rows.emplace_back(step, QString());
            }
        }
        withWindow = false;
    } else {
        const StateTransitions t = stateTransitions(a, s.window);
        content.transitions = t.taken;
        timerOnlyOnTimeWaitArrow(t, Side::Client, content); // TIME_WAIT is mostly the client's (active closer)
        title = QObject::tr("TCP state transitions taken (RFC 9293 §3.3.2)");
        subtitle = t.taken.empty()
                       ? QObject::tr("No transition seen in the window (a connection first seen mid-stream has no known "
                                     "earlier state)")
                       : QObject::tr("Both ends of %L1 connections; each arrow labelled with how often it was taken in the window")
                             .arg(t.connections);
        heading << QObject::tr("Transitions taken");
        const auto sorted = byCount(t);
        for (std::size_t i = 0; i < sorted.size() && i < kMaxTableRows; ++i) {
            const auto [from, to] = sorted[i].first;
            rows.emplace_back(QObject::tr("%1 → %2").arg(stateText(from), stateText(to)), QString::number(sorted[i].second));
            if (from == TcpState::TimeWait && to == TcpState::Closed) {
                // The one diagram arrow covers the timer, a RST and a reused 4-tuple.
                const auto& ends = t.timeWaitEnds;
                const std::array<QString, 3> how{QObject::tr("    by the timer"), QObject::tr("    4-tuple reused"),
                                                 QObject::tr("    killed by a RST")};
                for (std::size_t k = 0; k < 3; ++k)
                    if (ends[k] > 0 && ends[k] != sorted[i].second)
                        rows.emplace_back(how[k], QString::number(ends[k]));
            }
        }
        if (sorted.size() > kMaxTableRows)
            rows.emplace_back(QObject::tr("… %1 more").arg(sorted.size() - kMaxTableRows), QString());
    }
    auto f = std::make_unique<StatesFigure>(s, std::move(content), std::move(heading), std::move(rows));
    f->text.title = title;
    f->text.subtitle = subtitle;
    f->text.caption = figureCaption(s, withWindow);
    return f;
}

} // namespace twlens
