// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

#include "gui/figures/state_diagram_painter.h"

namespace twlens {

// The RFC 9293 state diagram as a widget: paintStateDiagram with the widget's palette.
class StateDiagramWidget : public QWidget {
    Q_OBJECT
public:
    explicit StateDiagramWidget(QWidget* parent = nullptr);
    void setContent(StateDiagramContent content);
    const StateDiagramContent& content() const { return content_; }
    QSize sizeHint() const override { return {600, 700}; }
    QSize minimumSizeHint() const override { return {240, 240}; } // docked small beside the others; the dock grows when teaching starts

protected:
    void paintEvent(QPaintEvent*) override;
    void changeEvent(QEvent* e) override;

private:
    StateDiagramContent content_;
};

} // namespace twlens
