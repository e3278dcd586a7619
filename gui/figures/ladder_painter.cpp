// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/figures/ladder_painter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>
#include <map>

#include "core/model/tcp_flags.h"
#include "core/output/contract_names.h"
#include "core/output/time_format.h"
#include "gui/views/state_colors.h"

namespace twlens {

namespace {
// The widget's font is point-sized, a figure's pixel-sized: scale whichever is set.
QFont resized(const QFont& f, double factor) {
    QFont r = f;
    if (f.pixelSize() > 0)
        r.setPixelSize(std::max(1, int(std::lround(f.pixelSize() * factor))));
    else
        r.setPointSizeF(f.pointSizeF() * factor);
    return r;
}
} // namespace

// Made once per paint() rather than in each row and note.
struct LadderPainter::Fonts {
    QFont base, bold, small;
};

double LadderGeometry::serverX() const {
    // The arrows get the room up to 420 px, the notes column everything beyond.
    const double room = width - kNoteColumn - kStateColumn - kBracketColumn - clientX();
    return clientX() + std::clamp(room, kArrowMinimum, std::max(300.0, width * 0.4));
}

int LadderGeometry::rowAt(double y, std::size_t rowCount) const {
    if (y < headerHeight)
        return -1;
    const auto r = static_cast<std::size_t>((y - headerHeight) / rowHeight);
    return r < rowCount ? int(r) : -1;
}

void LadderPainter::setLadder(Ladder ladder) {
    ladder_ = std::move(ladder);
    // Each side's current state, row by row, to colour the lifelines.
    stateAt_.assign(ladder_.rows.size(), {TcpState::None, TcpState::None});
    std::array<TcpState, 2> now{TcpState::None, TcpState::None};
    for (std::size_t r = 0; r < ladder_.rows.size(); ++r) {
        for (std::size_t s = 0; s < 2; ++s)
            if (ladder_.rows[r].enters[s] != TcpState::None)
                now[s] = ladder_.rows[r].enters[s];
        stateAt_[r] = now;
    }
}

int LadderPainter::rowOfHazard(std::uint32_t hazard) const {
    for (std::size_t r = 0; r < ladder_.rows.size(); ++r)
        for (std::uint32_t h : ladder_.rows[r].hazards)
            if (h == hazard)
                return int(r);
    return -1;
}

int LadderPainter::rowOfSegment(int segment) const {
    if (segment < 0)
        return -1;
    for (std::size_t r = 0; r < ladder_.rows.size(); ++r)
        if (ladder_.rows[r].kind == LadderRow::Kind::Segment && ladder_.rows[r].segment == std::uint32_t(segment))
            return int(r);
    return -1;
}

void LadderPainter::paint(QPainter& p, const Analysis* a, const LadderGeometry& g, const StateColors& colors,
                          const LadderPaintOptions& o) const {
    const QRectF all(0, 0, g.width, g.height(ladder_.rows.size()));
    const QRectF exposed = o.exposed.isNull() ? all : o.exposed;
    if (!a || ladder_.connection == kNoIndex) {
        p.setPen(colors.mutedText());
        p.drawText(QRectF(0, 0, g.width, std::max(exposed.bottom(), 200.0) / 2), Qt::AlignCenter, o.emptyText);
        return;
    }
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    Fonts f{p.font(), p.font(), resized(p.font(), 0.85)};
    f.bold.setBold(true);
    if (exposed.top() < g.headerHeight)
        paintHeader(p, *a, g, colors, f);
    const int first = std::max(0, g.rowAt(std::max(exposed.top(), g.headerHeight), ladder_.rows.size()));
    int last = g.rowAt(exposed.bottom(), ladder_.rows.size());
    if (last < 0)
        last = int(ladder_.rows.size()) - 1;
    for (int r = first; r <= last && r < int(ladder_.rows.size()); ++r)
        paintRow(p, *a, g, colors, o, f, std::size_t(r));
    paintTimeWaits(p, g, colors, f, exposed);
    p.restore();
}

void LadderPainter::paintHeader(QPainter& p, const Analysis& a, const LadderGeometry& g, const StateColors& colors,
                                const Fonts& f) const {
    const Connection& c = a.connections[ladder_.connection];
    const QFont& base = f.base;
    const QFont& bold = f.bold;
    const QFont& small = f.small;
    const double cx = g.clientX(), sx = g.serverX();
    p.setFont(bold);
    p.setPen(colors.text());
    // Each end's name centred over its lifeline, moved inwards when a long (IPv6) name would run
    // off its half of the ladder, and elided in the middle only when wider than that half.
    const double middle = (cx + sx) / 2;
    auto endName = [&](double x, double lo, double hi, const QString& text) {
        const QFontMetricsF fm(p.font());
        const QString shown = fm.elidedText(text, Qt::ElideMiddle, hi - lo);
        const double w = fm.horizontalAdvance(shown);
        p.drawText(QRectF(std::clamp(x - w / 2, lo, std::max(lo, hi - w)), 6, w + 1, 20), Qt::AlignLeft | Qt::AlignVCenter, shown);
    };
    endName(cx, 0, middle - 4, tr("client %1").arg(QString::fromStdString(ladder_.client)));
    endName(sx, middle + 4, g.width, tr("server %1").arg(QString::fromStdString(ladder_.server)));
    p.setFont(small);
    p.setPen(colors.mutedText());
    QString sub = tr("connection #%1 · %2 · active closer: %3")
                      .arg(c.id)
                      .arg(QString::fromLatin1(closeKindName(c.closeKind)), QString::fromLatin1(closerName(c.activeCloser)));
    if (!ladder_.isnSeen[0] || !ladder_.isnSeen[1])
        sub += tr(" · seq relative to the first seen (no SYN captured)");
    p.drawText(QRectF(0, 28, g.width, 18), Qt::AlignCenter, sub);
    p.setFont(base);
}

void LadderPainter::paintRow(QPainter& p, const Analysis& a, const LadderGeometry& g, const StateColors& colors,
                             const LadderPaintOptions& o, const Fonts& f, std::size_t r) const {
    const Connection& c = a.connections[ladder_.connection];
    const LadderRow& row = ladder_.rows[r];
    const QFont& base = f.base;
    const QFont& bold = f.bold;
    const QFont& small = f.small;
    const double cx = g.clientX(), sx = g.serverX();
    const QRectF rr = g.rowRect(r);
    const double y0 = rr.top(), y1 = rr.bottom();
    const double h = g.rowHeight;

    bool framed = false;
    for (std::uint32_t hz : row.hazards)
        framed |= hz == o.selectedHazard;
    const bool highlighted = row.kind == LadderRow::Kind::Segment && o.highlightedSegment >= 0 &&
                             row.segment == std::uint32_t(o.highlightedSegment);
    if (framed || highlighted) {
        QColor hl = colors.selection();
        hl.setAlphaF(highlighted ? 0.28f : 0.18f);
        p.fillRect(rr, hl);
    }
    // Lifelines coloured by the state each end is in.
    for (std::size_t s = 0; s < 2; ++s) {
        const double x = s == 0 ? cx : sx;
        const TcpState st = stateAt_[r][s];
        p.setPen(QPen(st == TcpState::None ? colors.grid() : colors.state(st), st == TcpState::TimeWait ? 6 : 4,
                      Qt::SolidLine, Qt::FlatCap));
        p.drawLine(QPointF(x, y0), QPointF(x, y1));
    }
    // Time relative to the connection's first segment.
    p.setFont(small);
    p.setPen(colors.mutedText());
    if (row.kind != LadderRow::Kind::DataPhase)
        p.drawText(QRectF(4, y0, LadderGeometry::kTimeColumn - 8, h), Qt::AlignRight | Qt::AlignVCenter,
                   QStringLiteral("%1 s").arg(toSeconds(row.ts - c.start), 0, 'f', 6));
    // State entries.
    p.setFont(bold);
    for (std::size_t s = 0; s < 2; ++s) {
        const TcpState st = row.enters[s];
        if (st == TcpState::None)
            continue;
        p.setPen(colors.state(st).darker(colors.dark() ? 80 : 130));
        const double w = LadderGeometry::kStateColumn;
        const QRectF box = s == 0 ? QRectF(cx - w + 4, y0, w - 12, h) : QRectF(sx + 8, y0, w - 8, h);
        p.drawText(box, (s == 0 ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, QString::fromLatin1(stateRfcName(st)));
    }
    p.setFont(base);

    if (row.kind == LadderRow::Kind::DataPhase) {
        p.setPen(QPen(colors.mutedText(), 1, Qt::DotLine));
        p.drawLine(QPointF(cx + 6, y0 + h / 2), QPointF(sx - 6, y0 + h / 2));
        p.setPen(colors.mutedText());
        const QString t = QStringLiteral(" %1 ").arg(QString::fromStdString(describeRow(row)));
        const QRectF box(cx + 6, y0, sx - cx - 12, h);
        const QRectF textBox = p.fontMetrics().boundingRect(box.toRect(), Qt::AlignCenter, t);
        p.fillRect(textBox, colors.base());
        p.drawText(box, Qt::AlignCenter, t);
    } else if (row.kind == LadderRow::Kind::TimerExpiry) {
        const bool client = row.from == Side::Client;
        const double x = client ? cx : sx;
        p.setPen(colors.mutedText());
        p.setFont(small);
        const QRectF box = client ? QRectF(cx + 10, y0, 260, h) : QRectF(sx - 270, y0, 260, h);
        p.drawText(box, (client ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, tr("TIME-WAIT timer expired"));
        p.drawEllipse(QPointF(x, y0 + h / 2), 4, 4);
        p.setFont(base);
    } else {
        const bool fromClient = row.from == Side::Client;
        const double xa = fromClient ? cx : sx, xb = fromClient ? sx : cx;
        // The label sits above the arrow: keep ~a small font's line free at the top of the row.
        const double ya = y0 + std::min(8.0, h * 0.3), yb = y1 - std::min(6.0, h * 0.2);
        QColor col = colors.text();
        if (row.flags & tcpflag::RST)
            col = colors.severity(Severity::Critical);
        else if (row.flags & tcpflag::FIN)
            col = colors.state(TcpState::FinWait1).darker(colors.dark() ? 90 : 120);
        else if (row.flags & tcpflag::SYN)
            col = colors.state(TcpState::Established);
        const bool retx = row.meta & ControlSegment::Retransmission;
        const bool dup = row.meta & ControlSegment::TapDuplicate;
        if (dup)
            col = colors.mutedText();
        p.setPen(QPen(col, highlighted ? 3.2 : 1.6, retx ? Qt::DashLine : (dup ? Qt::DotLine : Qt::SolidLine)));
        p.drawLine(QPointF(xa, ya), QPointF(xb, yb));
        const double ang = std::atan2(yb - ya, xb - xa);
        const double len = highlighted ? 13 : 10;
        QPainterPath head;
        head.moveTo(xb, yb);
        head.lineTo(xb - len * std::cos(ang - 0.35), yb - len * std::sin(ang - 0.35));
        head.lineTo(xb - len * std::cos(ang + 0.35), yb - len * std::sin(ang + 0.35));
        head.closeSubpath();
        p.fillPath(head, col);
        QString label = QString::fromStdString(describeRow(row));
        if (retx)
            label += tr("  [retransmission]");
        if (dup)
            label += tr("  [tap duplicate]");
        p.setPen(col);
        QFont labelFont = small;
        labelFont.setBold(highlighted);
        p.setFont(labelFont);
        // Between the lifelines: elided at its end when the ladder is narrower than the label
        // (the teaching dock's), rather than clipped at both ends by the centring.
        const double labelWidth = sx - cx - 16;
        p.drawText(QRectF(cx + 8, y0 - 2, labelWidth, 16), Qt::AlignCenter,
                   p.fontMetrics().elidedText(label, Qt::ElideRight, int(labelWidth)));
        p.setFont(base);
    }
    // Hazards annotated in place: two lines each, the kind then its reference.
    double noteY = y0 + 2;
    const double noteX = sx + LadderGeometry::kStateColumn + LadderGeometry::kBracketColumn;
    const double noteW = g.width - noteX - 6;
    for (std::uint32_t hi : row.hazards) {
        const Hazard& hz = a.hazards[hi];
        p.setPen(colors.severity(hz.severity));
        p.setFont(bold);
        p.drawText(QRectF(noteX, noteY, noteW, 16), Qt::AlignLeft | Qt::AlignVCenter,
                   p.fontMetrics().elidedText(QStringLiteral("⚠ ") + QString::fromStdString(hz.kind), Qt::ElideRight, int(noteW)));
        p.setFont(small);
        p.drawText(QRectF(noteX + 14, noteY + 15, noteW - 14, 14), Qt::AlignLeft | Qt::AlignVCenter,
                   p.fontMetrics().elidedText(QString::fromStdString(hz.reference), Qt::ElideRight, int(noteW - 14)));
        p.setFont(base);
        noteY += 30;
    }
}

void LadderPainter::paintTimeWaits(QPainter& p, const LadderGeometry& g, const StateColors& colors, const Fonts& f,
                                   const QRectF& exposed) const {
    // TIME_WAIT brackets beside the lifeline, their length and end in the notes column.
    const double sx = g.serverX();
    const double noteX = sx + LadderGeometry::kStateColumn + LadderGeometry::kBracketColumn;
    const QFont& base = f.base;
    const QFont& small = f.small;
    const double noteW = g.width - noteX - 6;
    // Notes stack in the notes column: below the row's hazard notes (30 units each, paintRow),
    // then below an earlier TIME-WAIT note of the same row (both ends entering on one segment).
    std::map<std::size_t, double> stacked;
    for (const LadderTimeWait& tw : ladder_.timeWaits) {
        const QRectF fr = g.rowRect(tw.firstRow), lr = g.rowRect(tw.lastRow);
        if (lr.bottom() < exposed.top() || fr.top() > exposed.bottom())
            continue;
        const bool client = tw.side == Side::Client;
        const double x = client ? LadderGeometry::kTimeColumn + LadderGeometry::kBracketColumn / 2
                                : sx + LadderGeometry::kStateColumn + LadderGeometry::kBracketColumn / 2;
        const double ya = fr.top() + 6, yb = std::max(lr.bottom() - 6.0, ya + 12);
        const double tick = client ? 6 : -6;
        p.setPen(QPen(colors.timeWait(), 2));
        p.drawLine(QPointF(x, ya), QPointF(x, yb));
        p.drawLine(QPointF(x, ya), QPointF(x + tick, ya));
        p.drawLine(QPointF(x, yb), QPointF(x + tick, yb));
        QString text = tr("%1 TIME-WAIT %2, %3")
                           .arg(client ? tr("client") : tr("server"), QString::fromStdString(durationText(tw.end - tw.start)),
                                QString::fromLatin1(timeWaitEndName(tw.reason)));
        if (tw.pastCaptureEnd)
            text += tr(" (ends after the capture)");
        p.setFont(small);
        const int flags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;
        const double h = QFontMetricsF(small).boundingRect(QRectF(0, 0, noteW, 1000), flags, text).height();
        auto [at, fresh] = stacked.try_emplace(tw.firstRow, 30.0 * double(ladder_.rows[tw.firstRow].hazards.size()));
        // Alone in its row: centred on the row, as the state names are.
        const double top = fresh && at->second == 0 && h < g.rowHeight - 4 ? fr.top() + (g.rowHeight - h) / 2 : fr.top() + 2 + at->second;
        p.drawText(QRectF(noteX, top, noteW, h), flags, text);
        at->second = top - fr.top() + h;
        p.setFont(base);
    }
}

} // namespace twlens
