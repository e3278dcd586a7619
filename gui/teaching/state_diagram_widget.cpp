// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/teaching/state_diagram_widget.h"

#include <QEvent>
#include <QPainter>

namespace twlens {

StateDiagramWidget::StateDiagramWidget(QWidget* parent) : QWidget(parent) {
    setAutoFillBackground(false);
}

void StateDiagramWidget::setContent(StateDiagramContent content) {
    content_ = std::move(content);
    update();
}

void StateDiagramWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    paintStateDiagram(p, QRectF(rect()).adjusted(6, 6, -6, -6), content_, StateColors(palette()));
}

void StateDiagramWidget::changeEvent(QEvent* e) {
    if (e->type() == QEvent::PaletteChange)
        update();
    QWidget::changeEvent(e);
}

} // namespace twlens
