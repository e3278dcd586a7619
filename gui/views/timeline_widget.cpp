// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/timeline_widget.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <cmath>

#include "core/presentation/labels.h"
#include "gui/state/selection_state.h"
#include "gui/views/help_texts.h"

namespace twlens {

TimelineWidget::TimelineWidget(SelectionState* selection, QWidget* parent)
    : QWidget(parent), selection_(selection), scroll_(new QScrollBar(Qt::Vertical, this)) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setMinimumSize(300, 120);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setToolTip(QString());
    connect(scroll_, &QScrollBar::valueChanged, this, [this](int v) {
        firstRow_ = v;
        update();
    });
    connect(selection_, &SelectionState::analysisChanged, this, &TimelineWidget::onAnalysisChanged);
    connect(selection_, &SelectionState::timeRangeChanged, this, [this] { update(); });
    connect(selection_, &SelectionState::connectionSelected, this, &TimelineWidget::onConnectionSelected);
    connect(selection_, &SelectionState::filterChanged, this, [this] { update(); });
    onAnalysisChanged();
}

const TupleRows& TimelineWidget::rows() const { return selection_->viewData().rows; }

void TimelineWidget::onAnalysisChanged() {
    const auto& a = selection_->analysis();
    captureEnd_ = a ? captureEndOf(*a) : 0;
    origin_ = a ? captureStartOf(*a) : 0;
    firstRow_ = 0;
    fit();
}

QRectF TimelineWidget::rowArea() const {
    return QRectF(0, kAxisHeight, width() - (scroll_->isVisible() ? scroll_->width() : 0), height() - kAxisHeight);
}

TimeMapping TimelineWidget::timeMapping() const {
    const TimeRange r = selection_->timeRange();
    const QRectF area = rowArea();
    return TimeMapping(r.from, r.isValid() ? r.to : r.from + kNsPerSecond, area.left(), area.width());
}

RowMapping TimelineWidget::rowMapping() const { return RowMapping(firstRow_, rowHeight_, kAxisHeight, rows().rowCount()); }

TimelineHit TimelineWidget::hitAt(QPointF pos) const {
    TimelineScene scene{selection_->analysis().get(), &rows(), captureEnd_, selection_->connection(), selection_->filterPasses()};
    return TimelinePainter::hitTest(pos.x(), pos.y(), scene, timeMapping(), rowMapping());
}

void TimelineWidget::setRelativeTime(bool on) {
    relative_ = on;
    update();
}

void TimelineWidget::setRowHeight(double h) {
    const double minH = rows().rowCount() ? std::min(kDefaultRowHeight, rowArea().height() / double(rows().rowCount())) : 1.0;
    rowHeight_ = std::clamp(h, std::max(minH, 0.001), 48.0);
    updateScrollBar();
    update();
}

void TimelineWidget::fit() {
    // All rows if they fit at the default height, else as many as the height allows (density).
    const double avail = std::max(1.0, double(height() - kAxisHeight));
    rowHeight_ = rows().rowCount() ? std::min(kDefaultRowHeight, avail / double(rows().rowCount())) : kDefaultRowHeight;
    firstRow_ = 0;
    selection_->resetZoom();
    updateScrollBar();
    update();
}

void TimelineWidget::updateScrollBar() {
    const double visible = std::max(1.0, double(height() - kAxisHeight) / rowHeight_);
    const int max = std::max(0, int(std::ceil(double(rows().rowCount()) - visible)));
    scroll_->setRange(0, max);
    scroll_->setPageStep(int(visible));
    scroll_->setVisible(max > 0);
    scroll_->setGeometry(width() - scroll_->sizeHint().width(), kAxisHeight, scroll_->sizeHint().width(),
                         height() - kAxisHeight);
    firstRow_ = std::clamp(firstRow_, 0.0, double(max));
    QSignalBlocker block(scroll_);
    scroll_->setValue(int(firstRow_));
}

void TimelineWidget::ensureRowVisible(std::size_t row) {
    const double visible = double(height() - kAxisHeight) / rowHeight_;
    if (double(row) < firstRow_ || double(row) + 1 > firstRow_ + visible)
        firstRow_ = std::max(0.0, double(row) - visible / 2);
    updateScrollBar();
    update();
}

void TimelineWidget::onConnectionSelected(std::uint32_t id) {
    const auto& a = selection_->analysis();
    if (a && id < a->connections.size()) {
        ensureRowVisible(rows().rowOf(id));
        // Bring the connection into the visible window if it is outside it.
        const Connection& c = a->connections[id];
        const TimeRange r = selection_->timeRange();
        if (visibleEndOf(c) < r.from || c.start > r.to) {
            const TimeNs span = r.to - r.from;
            selection_->panTo({c.start - span / 4, c.start - span / 4 + span});
        }
    }
    update();
}

void TimelineWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const StateColors colors(palette());
    p.fillRect(rect(), colors.base());
    const auto& a = selection_->analysis();
    if (!a || a->connections.empty()) {
        p.setPen(colors.mutedText());
        p.drawText(rect(), Qt::AlignCenter, a ? tr("No TCP connections in this analysis") : tr("No analysis loaded"));
        return;
    }
    const TimeMapping tm = timeMapping();
    TimelinePainter::paintAxis(p, QRectF(0, 0, rowArea().width(), kAxisHeight), tm, origin_, relative_, colors);
    TimelineScene scene{a.get(), &rows(), captureEnd_, selection_->connection(), selection_->filterPasses()};
    painter_.paint(p, rowArea(), scene, tm, rowMapping(), colors);
    // The capture's end: TIME_WAIT past it is computed, not seen.
    const double xe = tm.toX(captureEnd_);
    if (xe >= 0 && xe <= rowArea().right()) {
        p.setPen(QPen(colors.mutedText(), 1, Qt::DashLine));
        p.drawLine(QPointF(xe, kAxisHeight), QPointF(xe, height()));
    }
    if (banding_ && pressPos_ && bandEnd_) {
        QColor band = colors.selection();
        band.setAlphaF(0.25f);
        p.fillRect(QRectF(QPointF(std::min(pressPos_->x(), bandEnd_->x()), kAxisHeight),
                          QPointF(std::max(pressPos_->x(), bandEnd_->x()), height())),
                   band);
    }
}

void TimelineWidget::resizeEvent(QResizeEvent*) { setRowHeight(rowHeight_); }

void TimelineWidget::zoomBy(double factor, double x) {
    const TimeMapping z = timeMapping().zoomedAt(x, factor);
    selection_->panTo({z.from(), z.to()});
}

void TimelineWidget::wheelEvent(QWheelEvent* e) {
    const double steps = e->angleDelta().y() / 120.0;
    if (e->modifiers() & Qt::ControlModifier)
        setRowHeight(rowHeight_ * std::pow(1.25, steps));
    else if (e->modifiers() & Qt::ShiftModifier)
        scroll_->setValue(scroll_->value() - int(steps * 3));
    else
        zoomBy(std::pow(1.25, steps), e->position().x());
    e->accept();
}

void TimelineWidget::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(e);
    pressPos_ = e->position();
    pressMapping_ = timeMapping();
    pressFirstRow_ = firstRow_;
    banding_ = e->modifiers() & Qt::ShiftModifier;
    dragging_ = false;
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* e) {
    if (!pressPos_)
        return;
    const QPointF d = e->position() - *pressPos_;
    if (!dragging_ && d.manhattanLength() < 4)
        return;
    dragging_ = true;
    if (banding_) {
        bandEnd_ = e->position();
        update();
        return;
    }
    const TimeMapping m = pressMapping_.panned(d.x());
    selection_->panTo({m.from(), m.to()});
    firstRow_ = std::max(0.0, pressFirstRow_ - d.y() / rowHeight_);
    updateScrollBar();
    update();
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent* e) {
    if (!pressPos_)
        return;
    if (banding_ && dragging_ && bandEnd_) {
        const TimeMapping tm = timeMapping();
        const double x0 = std::min(pressPos_->x(), bandEnd_->x()), x1 = std::max(pressPos_->x(), bandEnd_->x());
        if (x1 - x0 >= 3)
            selection_->zoomTo({tm.toTime(x0), tm.toTime(x1)});
    } else if (!dragging_) {
        const TimelineHit hit = hitAt(e->position());
        selection_->selectConnection(hit.connection);
    }
    pressPos_.reset();
    bandEnd_.reset();
    banding_ = dragging_ = false;
    update();
}

void TimelineWidget::keyPressEvent(QKeyEvent* e) {
    const double cx = rowArea().center().x();
    const TimeMapping tm = timeMapping();
    switch (e->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.5, cx);
        break;
    case Qt::Key_Minus:
        zoomBy(1 / 1.5, cx);
        break;
    case Qt::Key_Left: {
        const TimeMapping m = tm.panned(tm.width() / 8);
        selection_->panTo({m.from(), m.to()});
        break;
    }
    case Qt::Key_Right: {
        const TimeMapping m = tm.panned(-tm.width() / 8);
        selection_->panTo({m.from(), m.to()});
        break;
    }
    case Qt::Key_Up:
        scroll_->setValue(scroll_->value() - 1);
        break;
    case Qt::Key_Down:
        scroll_->setValue(scroll_->value() + 1);
        break;
    case Qt::Key_F:
        fit();
        break;
    case Qt::Key_Backspace:
        selection_->zoomBack();
        break;
    case Qt::Key_T:
        setRelativeTime(!relative_);
        break;
    default:
        return QWidget::keyPressEvent(e);
    }
}

void TimelineWidget::contextMenuEvent(QContextMenuEvent* e) {
    QMenu menu(this);
    menu.addAction(tr("Fit (F)"), this, &TimelineWidget::fit);
    menu.addAction(tr("Zoom back (Backspace)"), selection_, &SelectionState::zoomBack)->setEnabled(selection_->canZoomBack());
    QAction* rel = menu.addAction(tr("Relative time (T)"), this, [this](bool on) { setRelativeTime(on); });
    rel->setCheckable(true);
    rel->setChecked(relative_);
    // Actions added from outside (the main window's "Export figure…").
    if (!actions().isEmpty()) {
        menu.addSeparator();
        menu.addActions(actions());
    }
    menu.exec(e->globalPos());
}

void TimelineWidget::changeEvent(QEvent* e) {
    if (e->type() == QEvent::PaletteChange)
        update();
    QWidget::changeEvent(e);
}

bool TimelineWidget::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* he = static_cast<QHelpEvent*>(e);
        const TimelineHit hit = hitAt(he->pos());
        const auto& a = selection_->analysis();
        if (!a || hit.connection == kNoIndex) {
            QToolTip::hideText();
            e->ignore();
            return true;
        }
        const Connection& c = a->connections[hit.connection];
        QString tip = QStringLiteral("<b>#%1</b> %2 → %3<br>%4: %5")
                          .arg(c.id)
                          .arg(QString::fromStdString(labels::endpoint(a->clientIp(c), c.clientPort)),
                               QString::fromStdString(labels::endpoint(a->serverIp(c), c.serverPort)),
                               hit.side == Side::Client ? tr("client") : tr("server"),
                               QString::fromLatin1(stateName(hit.state)));
        const QString fact = HelpTexts::tooltip(QStringLiteral("state.") + QString::fromLatin1(stateName(hit.state)));
        if (!fact.isEmpty())
            tip += QStringLiteral("<br><small>%1</small>").arg(fact.toHtmlEscaped());
        if (hit.state == TcpState::TimeWait && hit.time > captureEnd_)
            tip += QStringLiteral("<br><small>%1</small>").arg(HelpTexts::tooltip(QStringLiteral("timeline.hatched")).toHtmlEscaped());
        QToolTip::showText(he->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(e);
}

} // namespace twlens
