// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/figures/plot_figure.h"

#include <qcustomplot.h>

#include "gui/figures/figure_content.h"
#include "gui/views/plot_style.h"

namespace twlens {

std::unique_ptr<QCustomPlot> makeFigurePlot(const FigureSetup& s) {
    auto plot = std::make_unique<QCustomPlot>();
    plot->setAttribute(Qt::WA_DontShowOnScreen);
    plot->setAntialiasedElements(QCP::aeAll);
    plot->legend->setVisible(true);
    plot->legend->setFont(figureFont(11));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    for (QCPAxis* axis : plot->axisRect()->axes()) {
        axis->setLabelFont(figureFont(12));
        axis->setTickLabelFont(figureFont(11));
    }
    applyPlotPalette(plot.get(), s.palette);
    return plot;
}

void integerTicks(QCPAxis* axis) {
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples); // whole multiples of 1: whole numbers
    ticker->setTickCount(8);
    axis->setTicker(ticker);
}

void paintFigurePlot(QCPPainter& p, const QRectF& area, QCustomPlot& plot) {
    p.save();
    p.translate(area.topLeft());
    plot.toPainter(&p, int(area.width()), int(area.height()));
    p.restore();
}

} // namespace twlens
