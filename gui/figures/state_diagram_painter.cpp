// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/figures/state_diagram_painter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

namespace twlens {

namespace {

// The boxes of RFC 9293 §3.3.2 Figure 5. CLOSED appears twice, as in the RFC: where a
// connection starts (top) and where it ends (bottom).
enum Node : int {
    ClosedTop, Listen, SynRcvd, SynSent, Established, FinWait1, CloseWait, Closing, FinWait2, LastAck, TimeWait,
    ClosedBottom, kNodeCount
};

// Layout in a 600 x 700 logical canvas, scaled to the area: handshake on top, the active
// closer's path on the left, the passive closer's on the right (as in the RFC figure).
constexpr double kW = 600, kH = 700, kBoxW = 124, kBoxH = 30;
struct NodeInfo {
    double x, y;
    TcpState state; // the box says stateRfcName(state)
};
constexpr std::array<NodeInfo, kNodeCount> kNodes{{
    {300, 62, TcpState::Closed},
    {300, 140, TcpState::Listen},
    {145, 222, TcpState::SynRecv},
    {455, 222, TcpState::SynSent},
    {300, 305, TcpState::Established},
    {145, 390, TcpState::FinWait1},
    {455, 390, TcpState::CloseWait},
    {300, 468, TcpState::Closing},
    {112, 532, TcpState::FinWait2},
    {455, 532, TcpState::LastAck},
    {300, 612, TcpState::TimeWait},
    {455, 612, TcpState::Closed},
}};

// The transitions of Figure 5 (event / action), plus FIN-WAIT-1 -> TIME-WAIT on a FIN that also
// ACKs our FIN (§3.10.7.4). bend moves the curve's control point sideways; (lx, ly) moves the label.
struct EdgeInfo {
    Node from, to;
    const char* label;
    double bend, lx, ly;
};
constexpr std::array<EdgeInfo, 18> kEdges{{
    {ClosedTop, Listen, "passive OPEN", 0, -48, 0},
    {ClosedTop, SynSent, "active OPEN / snd SYN", -40, 58, -18},
    {Listen, SynRcvd, "rcv SYN / snd SYN,ACK", 0, -70, -10},
    {Listen, SynSent, "SEND / snd SYN", 0, 52, 10},
    {SynSent, SynRcvd, "rcv SYN / snd SYN,ACK", 0, 0, 12},
    {SynRcvd, Established, "rcv ACK of SYN", 0, -52, 8},
    {SynSent, Established, "rcv SYN,ACK / snd ACK", 0, 70, 8},
    {SynRcvd, FinWait1, "CLOSE / snd FIN", 0, -42, 0},
    {Established, FinWait1, "CLOSE / snd FIN", 0, -28, -14},
    {Established, CloseWait, "rcv FIN / snd ACK", 0, 34, -14},
    {FinWait1, FinWait2, "rcv ACK of FIN", 0, -56, -6},
    {FinWait1, Closing, "rcv FIN / snd ACK", 0, 46, -12},
    {FinWait1, TimeWait, "rcv FIN + ACK of FIN\n/ snd ACK", 0, 10, 22},
    {FinWait2, TimeWait, "rcv FIN / snd ACK", 0, -40, 18},
    {Closing, TimeWait, "rcv ACK of FIN", 0, 50, -8},
    {CloseWait, LastAck, "CLOSE / snd FIN", 0, 46, 0},
    {LastAck, ClosedBottom, "rcv ACK of FIN", 0, 46, 0},
    {TimeWait, ClosedBottom, "timeout 2 MSL (Linux: 60 s)", 0, 0, 32},
}};

QColor clientColor(bool dark) { return dark ? QColor(0x4d, 0xd0, 0x8a) : QColor(0x1a, 0x86, 0x3f); }
QColor serverColor(bool dark) { return dark ? QColor(0xf0, 0x6e, 0xc0) : QColor(0xb0, 0x1c, 0x7a); }

// The box a state's marker sits on: CLOSED after a connection, LISTEN for a listener.
int nodeOfState(TcpState s) {
    if (s == TcpState::Closed)
        return ClosedBottom;
    for (int n = 0; n < kNodeCount; ++n)
        if (n != ClosedTop && kNodes[static_cast<std::size_t>(n)].state == s)
            return n;
    return -1;
}

// The engine starts a side at None ("not known yet"): a first SYN comes from CLOSED, a first
// SYN-ACK from LISTEN. A CLOSE before the connection exists leads back to the top CLOSED.
std::pair<int, int> nodesOfTransition(TcpState from, TcpState to) {
    int f = -1;
    if (from == TcpState::None)
        f = to == TcpState::SynSent ? ClosedTop : to == TcpState::SynRecv ? Listen : -1;
    else if (from == TcpState::Closed)
        f = ClosedTop;
    else
        f = nodeOfState(from);
    int t = nodeOfState(to);
    if (to == TcpState::Closed && (from == TcpState::Listen || from == TcpState::SynSent))
        t = ClosedTop;
    return {f, t};
}

QPointF center(int n) { return {kNodes[static_cast<std::size_t>(n)].x, kNodes[static_cast<std::size_t>(n)].y}; }

// Where the line from the box's centre toward `toward` leaves the box.
QPointF boxExit(int n, QPointF toward) {
    const QPointF c = center(n);
    const QPointF d = toward - c;
    const double hw = kBoxW / 2 + 2, hh = kBoxH / 2 + 2;
    const double tx = std::abs(d.x()) > 1e-9 ? hw / std::abs(d.x()) : 1e9;
    const double ty = std::abs(d.y()) > 1e-9 ? hh / std::abs(d.y()) : 1e9;
    return c + d * std::min(tx, ty);
}

void arrowHead(QPainter& p, QPointF tip, QPointF from, double size, const QColor& colour) {
    const QPointF d = tip - from;
    const double len = std::hypot(d.x(), d.y());
    if (len < 1e-9)
        return;
    const QPointF u = d / len;
    const QPointF n(-u.y(), u.x());
    QPolygonF head;
    head << tip << tip - u * size + n * size * 0.45 << tip - u * size - n * size * 0.45;
    p.save();
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawPolygon(head);
    p.restore();
}

struct EdgeStyle {
    bool taken = false;
    QColor colour;
    std::uint64_t count = 0;
    bool dashed = false;
};

void drawEdge(QPainter& p, int from, int to, double bend, const QString& label, QPointF labelOffset,
              const EdgeStyle& st, const StateColors& colours, bool countsGiven) {
    const QPointF a = center(from), b = center(to);
    const QPointF mid = (a + b) / 2;
    QPointF normal(-(b - a).y(), (b - a).x());
    const double nl = std::hypot(normal.x(), normal.y());
    if (nl > 0)
        normal /= nl;
    const QPointF ctrl = mid + normal * bend;
    const QPointF start = boxExit(from, bend != 0 ? ctrl : b);
    const QPointF end = boxExit(to, bend != 0 ? ctrl : a);

    QColor colour = st.taken ? st.colour : colours.mutedText();
    if (countsGiven && !st.taken && st.count == 0)
        colour.setAlphaF(0.3f);
    double width = st.taken ? 3.2 : 1.2;
    if (countsGiven && st.count > 0 && !st.taken)
        width = 1.2 + std::min(3.0, std::log10(static_cast<double>(st.count) + 1.0));
    QPen pen(colour, width);
    if (st.dashed)
        pen.setStyle(Qt::DashLine);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    QPainterPath path(start);
    if (bend != 0)
        path.quadTo(ctrl, end);
    else
        path.lineTo(end);
    p.drawPath(path);
    arrowHead(p, end, bend != 0 ? ctrl : start, st.taken ? 13 : 9, colour);

    QString text = label;
    if (countsGiven && st.count > 0)
        text += QStringLiteral("  \u00d7%1").arg(st.count);
    if (text.isEmpty())
        return;
    QFont f = p.font();
    f.setPointSizeF(7.6);
    f.setBold(st.taken);
    p.setFont(f);
    const QFontMetricsF fm(f);
    const QPointF onCurve = bend != 0 ? 0.25 * start + 0.5 * ctrl + 0.25 * end : (start + end) / 2;
    const QPointF at = onCurve + labelOffset;
    double textWidth = 0;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString& line : lines)
        textWidth = std::max(textWidth, fm.horizontalAdvance(line));
    const double w = textWidth + 6, h = fm.height() * static_cast<double>(lines.size()) + 2;
    const QRectF box(at.x() - w / 2, at.y() - h / 2, w, h);
    QColor bg = colours.base();
    bg.setAlphaF(0.85f);
    p.setPen(Qt::NoPen);
    p.setBrush(bg);
    p.drawRoundedRect(box, 3, 3);
    QColor textColour = st.taken ? st.colour : colours.text();
    if (countsGiven && !st.taken && st.count == 0)
        textColour = colours.mutedText();
    p.setPen(textColour);
    p.drawText(box, Qt::AlignCenter, text);
}

void drawBadge(QPainter& p, QPointF at, const QString& text, const QColor& colour, bool alignRight) {
    QFont f = p.font();
    f.setPointSizeF(7.2);
    f.setBold(true);
    p.setFont(f);
    const QFontMetricsF fm(f);
    const double w = fm.horizontalAdvance(text) + 10, h = fm.height() + 1;
    const QRectF r(alignRight ? at.x() - w : at.x(), at.y() - h, w, h);
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawRoundedRect(r, h / 2, h / 2);
    p.setPen(Qt::white);
    p.drawText(r, Qt::AlignCenter, text);
}

} // namespace

void paintStateDiagram(QPainter& p, const QRectF& area, const StateDiagramContent& c, const StateColors& colours) {
    const QColor clientC = clientColor(colours.dark());
    const QColor serverC = serverColor(colours.dark());
    const bool countsGiven = !c.transitions.empty();

    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    // Uniform scale so the boxes keep their shape; centred in the area.
    const double s = std::min(area.width() / kW, area.height() / kH);
    p.translate(area.x() + (area.width() - kW * s) / 2, area.y() + (area.height() - kH * s) / 2);
    p.scale(s, s);

    if (!c.title.isEmpty()) {
        QFont f = p.font();
        f.setPointSizeF(10);
        f.setBold(true);
        p.setFont(f);
        p.setPen(colours.text());
        p.drawText(QRectF(0, 0, kW, 26), Qt::AlignCenter, c.title);
    }

    // The transitions just taken, each with its side's colour.
    const std::vector<StateDiagramArrow>& taken = c.taken;
    auto takenStyle = [&](int from, int to, bool reset, EdgeStyle& st) {
        for (const StateDiagramArrow& t : taken) {
            if (t.reset != reset)
                continue;
            const auto [f, e] = nodesOfTransition(t.from, t.to);
            if (f == from && e == to) {
                st.taken = true; // the first listed side wins: the sender of the step's segment
                st.colour = t.side == Side::Client ? clientC : serverC;
                break;
            }
        }
    };
    auto countOf = [&](int from, int to) {
        std::uint64_t n = 0;
        for (const auto& [key, count] : c.transitions) {
            const auto [f, e] = nodesOfTransition(key.first, key.second);
            if (f == from && e == to)
                n += count;
        }
        return n;
    };

    // Edges of the figure first, then those outside it (dashed) that were taken or counted.
    std::vector<std::pair<int, int>> drawn;
    for (const EdgeInfo& e : kEdges) {
        EdgeStyle st;
        st.count = countOf(e.from, e.to);
        takenStyle(e.from, e.to, false, st);
        drawEdge(p, e.from, e.to, e.bend, QString::fromLatin1(e.label), QPointF(e.lx, e.ly), st, colours, countsGiven);
        drawn.emplace_back(e.from, e.to);
    }
    // A RST gets its own arrow even where Figure 5 has an edge (TIME-WAIT -> CLOSED is the timer's).
    std::vector<std::tuple<TcpState, TcpState, bool>> extra;
    for (const StateDiagramArrow& t : taken)
        extra.emplace_back(t.from, t.to, t.reset);
    for (const auto& [key, count] : c.transitions)
        if (count > 0)
            extra.emplace_back(key.first, key.second, false);
    std::vector<std::pair<int, int>> drawnResets;
    for (const auto& [from, to, reset] : extra) {
        const auto [f, e] = nodesOfTransition(from, to);
        auto& already = reset ? drawnResets : drawn;
        if (f < 0 || e < 0 || f == e || std::find(already.begin(), already.end(), std::pair{f, e}) != already.end())
            continue;
        already.emplace_back(f, e);
        EdgeStyle st;
        st.dashed = true;
        st.count = reset ? 0 : countOf(f, e);
        takenStyle(f, e, reset, st);
        // Not in Figure 5: a reset (RFC 9293 §3.5.3) or the kernel cutting a state short.
        const QString label = reset || to == TcpState::Closed ? QStringLiteral("RST") : QString();
        drawEdge(p, f, e, f < e ? -60 : 60, label, QPointF(0, 0), st, colours, countsGiven && !reset);
    }

    // Boxes, with the two ends' markers.
    const int clientNode = nodeOfState(c.clientState);
    const int serverNode = nodeOfState(c.serverState);
    for (int n = 0; n < kNodeCount; ++n) {
        const NodeInfo& info = kNodes[static_cast<std::size_t>(n)];
        const QRectF box(info.x - kBoxW / 2, info.y - kBoxH / 2, kBoxW, kBoxH);
        QColor fill = colours.state(info.state);
        const bool isClient = n == clientNode, isServer = n == serverNode;
        fill.setAlphaF(isClient || isServer ? 0.55f : 0.22f);
        p.setBrush(colours.base());
        p.setPen(Qt::NoPen);
        p.drawRoundedRect(box, 6, 6);
        p.setBrush(fill);
        p.setPen(QPen(colours.mutedText(), 1));
        p.drawRoundedRect(box, 6, 6);
        if (isClient) {
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(clientC, 3));
            p.drawRoundedRect(box.adjusted(-4, -4, 4, 4), 8, 8);
        }
        if (isServer) {
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(serverC, 3));
            p.drawRoundedRect(isClient ? box.adjusted(-8, -8, 8, 8) : box.adjusted(-4, -4, 4, 4), 10, 10);
        }
        QFont f = p.font();
        f.setPointSizeF(8.6);
        f.setBold(isClient || isServer);
        p.setFont(f);
        p.setPen(colours.text());
        p.drawText(box, Qt::AlignCenter, QString::fromLatin1(stateRfcName(info.state)));
        const double grow = isClient && isServer ? 8 : 4;
        if (isClient)
            drawBadge(p, QPointF(box.left() - grow, box.top() - grow), QStringLiteral("client"), clientC, false);
        if (isServer)
            drawBadge(p, QPointF(box.right() + grow, box.top() - grow), QStringLiteral("server"), serverC, true);
    }

    // Legend.
    QFont f = p.font();
    f.setPointSizeF(8);
    f.setBold(false);
    p.setFont(f);
    const QFontMetricsF fm(f);
    double x = 20;
    const double y = kH - 22;
    auto swatch = [&](const QColor& col, const QString& text, bool line) {
        p.setPen(QPen(col, 3));
        p.setBrush(Qt::NoBrush);
        if (line)
            p.drawLine(QPointF(x, y), QPointF(x + 22, y));
        else
            p.drawRoundedRect(QRectF(x, y - 7, 22, 14), 4, 4);
        p.setPen(colours.text());
        p.drawText(QPointF(x + 28, y + fm.ascent() / 2 - 1), text);
        x += 28 + fm.horizontalAdvance(text) + 18;
    };
    if (clientNode >= 0)
        swatch(clientC, QStringLiteral("client's state"), false);
    if (serverNode >= 0)
        swatch(serverC, QStringLiteral("server's state"), false);
    // A counts figure's only emphasised arrows are TIME-WAITs killed by a RST (no step is "just taken").
    const bool resetsOnly = countsGiven && std::all_of(taken.begin(), taken.end(), [](const StateDiagramArrow& t) { return t.reset; });
    if (!taken.empty() && resetsOnly)
        swatch(colours.text(), QStringLiteral("RST that ended a state early (RFC 9293 \u00a73.5.3; in TIME-WAIT: RFC 1337)"), true);
    else if (!taken.empty())
        swatch(colours.text(), QStringLiteral("transition just taken (in its end's colour)"), true);
    if (countsGiven) {
        p.setPen(colours.mutedText());
        p.drawText(QPointF(x, y + fm.ascent() / 2 - 1), QStringLiteral("\u00d7N: times taken"));
    }
    p.setPen(colours.mutedText());
    p.drawText(QRectF(0, kH - 12, kW, 12), Qt::AlignCenter,
               QStringLiteral("RFC 9293 \u00a73.3.2, Figure 5 (event / action); FIN-WAIT-1 \u2192 TIME-WAIT: \u00a73.10.7.4"));
    p.restore();
}

} // namespace twlens
