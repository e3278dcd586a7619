// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/ladder_widget.h"

#include <QHelpEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>
#include <cmath>

#include "core/model/tcp_flags.h"
#include "core/output/contract_names.h"
#include "core/output/time_format.h"
#include "core/presentation/labels.h"
#include "gui/state/selection_state.h"
#include "gui/views/help_texts.h"
#include "gui/views/state_colors.h"

namespace twlens {

namespace {
// Columns, left to right: time, client TIME-WAIT bracket, client states, client lifeline ...
// server lifeline, server states, server TIME-WAIT bracket, notes (hazards, TIME-WAIT lengths).
constexpr int kTimeColumn = 84;
constexpr int kBracketColumn = 16;
constexpr int kStateColumn = 116;
constexpr int kArrowMinimum = 200;
constexpr int kNoteColumn = 120;   // minimum; it takes what the window leaves
} // namespace

LadderCanvas::LadderCanvas(SelectionState* selection, QWidget* parent) : QWidget(parent), selection_(selection) {
    setMouseTracking(true);
    connect(selection_, &SelectionState::analysisChanged, this, &LadderCanvas::rebuild);
    connect(selection_, &SelectionState::connectionSelected, this, &LadderCanvas::rebuild);
    connect(selection_, &SelectionState::hazardSelected, this, [this](std::uint32_t h) {
        const int row = rowOfHazard(h);
        if (row >= 0)
            emit frameRequested(rowRect(std::size_t(row)));
        update();
    });
    rebuild();
}

void LadderCanvas::rebuild() {
    const auto& a = selection_->analysis();
    ladder_ = a ? buildLadder(*a, selection_->connection()) : Ladder{};
    // Each side's current state, row by row, to colour the lifelines.
    stateAt_.assign(ladder_.rows.size(), {TcpState::None, TcpState::None});
    std::array<TcpState, 2> now{TcpState::None, TcpState::None};
    for (std::size_t r = 0; r < ladder_.rows.size(); ++r) {
        for (int s = 0; s < 2; ++s)
            if (ladder_.rows[r].enters[std::size_t(s)] != TcpState::None)
                now[std::size_t(s)] = ladder_.rows[r].enters[std::size_t(s)];
        stateAt_[r] = now;
    }
    setMinimumSize(kTimeColumn + 2 * (kBracketColumn + kStateColumn) + kArrowMinimum + kNoteColumn, sizeHint().height());
    updateGeometry();
    update();
}

QSize LadderCanvas::sizeHint() const {
    return QSize(kTimeColumn + 2 * (kBracketColumn + kStateColumn) + 420 + 2 * kNoteColumn,
                 kHeaderHeight + int(ladder_.rows.size()) * kRowHeight + 16);
}

double LadderCanvas::clientX() const { return kTimeColumn + kBracketColumn + kStateColumn; }
double LadderCanvas::serverX() const {
    // The arrows get the room up to 420 px, the notes column everything beyond.
    const double room = double(width() - kNoteColumn - kStateColumn - kBracketColumn) - clientX();
    return clientX() + std::clamp(room, double(kArrowMinimum), std::max(300.0, width() * 0.4));
}

QRect LadderCanvas::rowRect(std::size_t row) const {
    return QRect(0, kHeaderHeight + int(row) * kRowHeight, width(), kRowHeight);
}

int LadderCanvas::rowAt(int y) const {
    if (y < kHeaderHeight)
        return -1;
    const int r = (y - kHeaderHeight) / kRowHeight;
    return r < int(ladder_.rows.size()) ? r : -1;
}

int LadderCanvas::rowOfHazard(std::uint32_t hazard) const {
    for (std::size_t r = 0; r < ladder_.rows.size(); ++r)
        for (std::uint32_t h : ladder_.rows[r].hazards)
            if (h == hazard)
                return int(r);
    return -1;
}

void LadderCanvas::paintEvent(QPaintEvent* e) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const StateColors colors(palette());
    p.fillRect(e->rect(), colors.base());
    const auto& a = selection_->analysis();
    if (!a || ladder_.connection == kNoIndex) {
        p.setPen(colors.mutedText());
        p.drawText(rect().adjusted(0, 0, 0, -rect().height() / 2), Qt::AlignCenter,
                   tr("Select a connection in the table, the timeline or the hazards list"));
        return;
    }
    const Connection& c = a->connections[ladder_.connection];
    const double cx = clientX(), sx = serverX();
    QFont base = font();
    QFont bold = base;
    bold.setBold(true);
    QFont small = base;
    small.setPointSizeF(base.pointSizeF() * 0.85);

    // Header: the two ends.
    if (e->rect().top() < kHeaderHeight) {
        p.setFont(bold);
        p.setPen(colors.text());
        p.drawText(QRectF(cx - 150, 6, 300, 20), Qt::AlignCenter, tr("client %1").arg(QString::fromStdString(ladder_.client)));
        p.drawText(QRectF(sx - 150, 6, 300, 20), Qt::AlignCenter, tr("server %1").arg(QString::fromStdString(ladder_.server)));
        p.setFont(small);
        p.setPen(colors.mutedText());
        QString sub = tr("connection #%1 · %2 · active closer: %3")
                          .arg(c.id)
                          .arg(QString::fromLatin1(closeKindName(c.closeKind)), QString::fromLatin1(closerName(c.activeCloser)));
        if (!ladder_.isnSeen[0] || !ladder_.isnSeen[1])
            sub += tr(" · seq relative to the first seen (no SYN captured)");
        p.drawText(QRectF(0, 28, width(), 18), Qt::AlignCenter, sub);
        p.setFont(base);
    }

    const int first = std::max(0, rowAt(std::max(e->rect().top(), kHeaderHeight)));
    int last = rowAt(e->rect().bottom());
    if (last < 0)
        last = int(ladder_.rows.size()) - 1;
    const std::uint32_t selectedHazard = selection_->hazard();

    for (int r = first; r <= last && r < int(ladder_.rows.size()); ++r) {
        const LadderRow& row = ladder_.rows[std::size_t(r)];
        const QRect rr = rowRect(std::size_t(r));
        const double y0 = rr.top(), y1 = rr.bottom() + 1;
        bool framed = false;
        for (std::uint32_t h : row.hazards)
            framed |= h == selectedHazard;
        if (framed) {
            QColor hl = colors.selection();
            hl.setAlphaF(0.18f);
            p.fillRect(rr, hl);
        }
        // Lifelines coloured by the state each end is in.
        for (int s = 0; s < 2; ++s) {
            const double x = s == 0 ? cx : sx;
            const TcpState st = stateAt_[std::size_t(r)][std::size_t(s)];
            p.setPen(QPen(st == TcpState::None ? colors.grid() : colors.state(st), st == TcpState::TimeWait ? 6 : 4,
                          Qt::SolidLine, Qt::FlatCap));
            p.drawLine(QPointF(x, y0), QPointF(x, y1));
        }
        // Time relative to the connection's first segment.
        p.setFont(small);
        p.setPen(colors.mutedText());
        if (row.kind != LadderRow::Kind::DataPhase)
            p.drawText(QRectF(4, y0, kTimeColumn - 8, kRowHeight), Qt::AlignRight | Qt::AlignVCenter,
                       QStringLiteral("%1 s").arg(toSeconds(row.ts - c.start), 0, 'f', 6));
        // State entries.
        p.setFont(bold);
        for (int s = 0; s < 2; ++s) {
            const TcpState st = row.enters[std::size_t(s)];
            if (st == TcpState::None)
                continue;
            p.setPen(colors.state(st).darker(colors.dark() ? 80 : 130));
            const QRectF box = s == 0 ? QRectF(cx - kStateColumn + 4, y0, kStateColumn - 12, kRowHeight)
                                      : QRectF(sx + 8, y0, kStateColumn - 8, kRowHeight);
            p.drawText(box, (s == 0 ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, QString::fromLatin1(stateRfcName(st)));
        }
        p.setFont(base);

        if (row.kind == LadderRow::Kind::DataPhase) {
            p.setPen(QPen(colors.mutedText(), 1, Qt::DotLine));
            p.drawLine(QPointF(cx + 6, y0 + kRowHeight / 2.0), QPointF(sx - 6, y0 + kRowHeight / 2.0));
            p.setPen(colors.mutedText());
            const QString t = QStringLiteral(" %1 ").arg(QString::fromStdString(describeRow(row)));
            const QRectF box(cx + 6, y0, sx - cx - 12, kRowHeight);
            QRectF textBox = p.fontMetrics().boundingRect(box.toRect(), Qt::AlignCenter, t);
            p.fillRect(textBox, colors.base());
            p.drawText(box, Qt::AlignCenter, t);
        } else if (row.kind == LadderRow::Kind::TimerExpiry) {
            const double x = row.from == Side::Client ? cx : sx;
            p.setPen(colors.mutedText());
            p.setFont(small);
            const QRectF box = row.from == Side::Client ? QRectF(cx + 10, y0, 260, kRowHeight)
                                                        : QRectF(sx - 270, y0, 260, kRowHeight);
            p.drawText(box, (row.from == Side::Client ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter,
                       tr("TIME-WAIT timer expired"));
            p.drawEllipse(QPointF(x, y0 + kRowHeight / 2.0), 4, 4);
            p.setFont(base);
        } else {
            const bool fromClient = row.from == Side::Client;
            const double xa = fromClient ? cx : sx, xb = fromClient ? sx : cx;
            const double ya = y0 + 8, yb = y1 - 6;
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
            p.setPen(QPen(col, 1.6, retx ? Qt::DashLine : (dup ? Qt::DotLine : Qt::SolidLine)));
            p.drawLine(QPointF(xa, ya), QPointF(xb, yb));
            // Arrow head.
            const double ang = std::atan2(yb - ya, xb - xa);
            QPainterPath head;
            head.moveTo(xb, yb);
            head.lineTo(xb - 10 * std::cos(ang - 0.35), yb - 10 * std::sin(ang - 0.35));
            head.lineTo(xb - 10 * std::cos(ang + 0.35), yb - 10 * std::sin(ang + 0.35));
            head.closeSubpath();
            p.fillPath(head, col);
            QString label = QString::fromStdString(describeRow(row));
            if (retx)
                label += tr("  [retransmission]");
            if (dup)
                label += tr("  [tap duplicate]");
            p.setPen(col);
            p.setFont(small);
            p.drawText(QRectF(cx + 8, y0 - 2, sx - cx - 16, 16), Qt::AlignCenter, label);
            p.setFont(base);
        }
        // Hazards annotated in place.
        double noteY = y0 + 2;
        for (std::uint32_t h : row.hazards) {
            // Two lines per hazard: the kind, then its reference (the full summary is the tooltip).
            const Hazard& hz = a->hazards[h];
            const double noteW = width() - sx - kStateColumn - kBracketColumn - 6;
            const double noteX = sx + kStateColumn + kBracketColumn;
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

    // TIME_WAIT brackets beside the lifeline, their length and end in the notes column.
    const double noteX = sx + kStateColumn + kBracketColumn;
    for (const LadderTimeWait& tw : ladder_.timeWaits) {
        const QRect fr = rowRect(tw.firstRow), lr = rowRect(tw.lastRow);
        if (lr.bottom() < e->rect().top() || fr.top() > e->rect().bottom())
            continue;
        const bool client = tw.side == Side::Client;
        const double x = client ? kTimeColumn + kBracketColumn / 2.0 : sx + kStateColumn + kBracketColumn / 2.0;
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
        p.drawText(QRectF(noteX, fr.top() + 2, width() - noteX - 6, kRowHeight - 4), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap,
                   text);
        p.setFont(base);
    }
}

void LadderCanvas::changeEvent(QEvent* e) {
    if (e->type() == QEvent::PaletteChange || e->type() == QEvent::FontChange)
        update();
    QWidget::changeEvent(e);
}

bool LadderCanvas::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* he = static_cast<QHelpEvent*>(e);
        const int r = rowAt(he->pos().y());
        const auto& a = selection_->analysis();
        if (r < 0 || !a) {
            QToolTip::hideText();
            return true;
        }
        const LadderRow& row = ladder_.rows[std::size_t(r)];
        QStringList lines;
        if (row.kind == LadderRow::Kind::Segment) {
            const ControlSegment& s = a->segmentsOf(a->connections[ladder_.connection])[row.segment];
            lines << tr("frame %1 · %2 · %3 bytes").arg(row.frame).arg(QString::fromStdString(flagsToString(row.flags))).arg(row.payload);
            lines << tr("seq %1 (abs %2) · ack %3 (abs %4)").arg(row.relSeq).arg(s.seq).arg(row.relAck).arg(s.ack);
            if (s.meta & ControlSegment::HasTimestamp)
                lines << tr("TSval %1").arg(s.tsVal);
            if (row.meta & ControlSegment::Retransmission)
                lines << HelpTexts::tooltip(QStringLiteral("ladder.retransmission"));
            if (row.meta & ControlSegment::TapDuplicate)
                lines << HelpTexts::tooltip(QStringLiteral("ladder.tap_duplicate"));
        } else if (row.kind == LadderRow::Kind::DataPhase) {
            lines << HelpTexts::tooltip(QStringLiteral("ladder.data_phase"));
        }
        for (int s = 0; s < 2; ++s)
            if (row.enters[std::size_t(s)] != TcpState::None)
                lines << HelpTexts::tooltip(QStringLiteral("state.") + QString::fromLatin1(stateName(row.enters[std::size_t(s)])));
        for (std::uint32_t h : row.hazards)
            lines << QString::fromStdString(a->hazards[h].summary);
        lines.removeAll(QString());
        QToolTip::showText(he->globalPos(), lines.join(QLatin1Char('\n')), this);
        return true;
    }
    return QWidget::event(e);
}

LadderView::LadderView(SelectionState* selection, QWidget* parent)
    : QScrollArea(parent), canvas_(new LadderCanvas(selection, this)) {
    setWidget(canvas_);
    setWidgetResizable(true);
    connect(canvas_, &LadderCanvas::frameRequested, this, [this](QRect r) {
        ensureVisible(r.center().x(), r.center().y(), 10, viewport()->height() / 3);
    });
}

} // namespace twlens
