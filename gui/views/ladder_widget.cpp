// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/ladder_widget.h"

#include <QHelpEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include "core/model/tcp_flags.h"
#include "core/model/tcp_state.h"
#include "gui/figures/export_actions.h"
#include "gui/state/selection_state.h"
#include "gui/views/help_texts.h"
#include "gui/views/state_colors.h"

namespace twlens {

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
    painter_.setLadder(a ? buildLadder(*a, selection_->connection()) : Ladder{});
    highlightedSegment_ = -1;
    setMinimumSize(int(LadderGeometry::minimumWidth()), sizeHint().height());
    updateGeometry();
    update();
}

void LadderCanvas::setHighlightedSegment(int segmentIndexWithinConnection) {
    highlightedSegment_ = segmentIndexWithinConnection;
    const int row = painter_.rowOfSegment(segmentIndexWithinConnection);
    if (row >= 0)
        emit frameRequested(rowRect(std::size_t(row)));
    update();
}

QSize LadderCanvas::sizeHint() const {
    const LadderGeometry g;
    return QSize(int(LadderGeometry::preferredWidth()), int(g.height(painter_.ladder().rows.size())));
}

LadderGeometry LadderCanvas::geometry() const {
    LadderGeometry g;
    g.width = width();
    return g;
}

QRect LadderCanvas::rowRect(std::size_t row) const { return geometry().rowRect(row).toRect(); }

void LadderCanvas::paintEvent(QPaintEvent* e) {
    QPainter p(this);
    const StateColors colors(palette());
    p.fillRect(e->rect(), colors.base());
    LadderPaintOptions o;
    o.selectedHazard = selection_->hazard();
    o.highlightedSegment = highlightedSegment_;
    o.exposed = e->rect();
    o.emptyText = tr("Select a connection in the table, the timeline or the hazards list");
    painter_.paint(p, selection_->analysis().get(), geometry(), colors, o);
}

void LadderCanvas::changeEvent(QEvent* e) {
    if (e->type() == QEvent::PaletteChange || e->type() == QEvent::FontChange)
        update();
    QWidget::changeEvent(e);
}

bool LadderCanvas::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* he = static_cast<QHelpEvent*>(e);
        const Ladder& ladder = painter_.ladder();
        const int r = geometry().rowAt(he->pos().y(), ladder.rows.size());
        const auto& a = selection_->analysis();
        if (r < 0 || !a) {
            QToolTip::hideText();
            return true;
        }
        const LadderRow& row = ladder.rows[std::size_t(r)];
        QStringList lines;
        if (row.kind == LadderRow::Kind::Segment) {
            const ControlSegment s = a->segmentsOf(a->connections[ladder.connection])[row.segment];
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
    addExportFigureAction(canvas_, selection, FigureView::Ladder); // right-click: the selected connection's ladder figure
    connect(canvas_, &LadderCanvas::frameRequested, this, [this](QRect r) {
        // Rows span the whole width: scroll vertically only, keeping the lifelines where the
        // reader left them (centring the row's x would cut the client's state labels).
        const int x = horizontalScrollBar()->value();
        ensureVisible(0, r.center().y(), 0, viewport()->height() / 3);
        horizontalScrollBar()->setValue(x);
    });
}

} // namespace twlens
