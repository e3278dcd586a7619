// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/figures/figure_frame.h"

#include <QApplication>
#include <QFontInfo>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>

#include "gui/views/state_colors.h"

namespace twlens {

namespace {
constexpr double kMargin = 18;
constexpr double kTitlePx = 20;
constexpr double kSubtitlePx = 13;
constexpr double kLegendPx = 12;
constexpr double kCaptionPx = 11;
constexpr double kSwatch = 18;  // width of a legend mark
constexpr double kGap = 14;     // between legend entries

void paintMark(QPainter& p, const LegendEntry& e, const QRectF& box) {
    const QRectF r(box.left(), box.center().y() - 5, kSwatch, 10);
    switch (e.mark) {
    case LegendEntry::Mark::Box:
        p.fillRect(r, e.color);
        break;
    case LegendEntry::Mark::Hatch: {
        QColor faint = e.color;
        faint.setAlphaF(0.25f);
        p.fillRect(r, faint);
        p.fillRect(r, QBrush(e.color, Qt::BDiagPattern));
        break;
    }
    case LegendEntry::Mark::Line:
        p.setPen(QPen(e.color, e.width, e.style, Qt::FlatCap));
        p.drawLine(QPointF(r.left(), r.center().y()), QPointF(r.right(), r.center().y()));
        break;
    case LegendEntry::Mark::Triangle: {
        QPainterPath tri;
        tri.moveTo(r.center().x(), r.bottom());
        tri.lineTo(r.center().x() - 5, r.top());
        tri.lineTo(r.center().x() + 5, r.top());
        tri.closeSubpath();
        p.fillPath(tri, e.color);
        break;
    }
    case LegendEntry::Mark::None:
        break;
    case LegendEntry::Mark::Bracket:
        p.setPen(QPen(e.color, 2));
        p.drawLine(QPointF(r.left() + 6, r.top() - 1), QPointF(r.left() + 6, r.bottom() + 1));
        p.drawLine(QPointF(r.left() + 6, r.top() - 1), QPointF(r.left() + 12, r.top() - 1));
        p.drawLine(QPointF(r.left() + 6, r.bottom() + 1), QPointF(r.left() + 12, r.bottom() + 1));
        break;
    }
}

} // namespace

QFont figureFont(double pixelSize, bool bold) {
    // The family fontconfig actually picked ("DejaVu Sans", not the alias "Sans Serif"): SVG
    // viewers know real family names, not Qt's aliases.
    static const QString family = QFontInfo(QApplication::font()).family();
    QFont f(family);
    f.setPixelSize(int(pixelSize));
    f.setBold(bold);
    return f;
}

QPalette figurePalette() {
    QPalette pal(Qt::black, Qt::white);
    pal.setColor(QPalette::Base, Qt::white);
    pal.setColor(QPalette::Text, Qt::black);
    pal.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
    return pal;
}

QRectF paintFigureFrame(QPainter& p, const QSizeF& size, const FigureText& text, const StateColors& colors) {
    const QRectF page(QPointF(0, 0), size);
    p.fillRect(page, colors.base());
    const double width = size.width() - 2 * kMargin;
    double y = kMargin * 0.8;

    p.setFont(figureFont(kTitlePx, true));
    p.setPen(colors.text());
    const QFontMetricsF titleMetrics(p.font());
    p.drawText(QRectF(kMargin, y, width, titleMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
               titleMetrics.elidedText(text.title, Qt::ElideRight, width));
    y += titleMetrics.height() + 2;

    if (!text.subtitle.isEmpty()) {
        p.setFont(figureFont(kSubtitlePx));
        p.setPen(colors.mutedText());
        const QRectF box = QFontMetricsF(p.font()).boundingRect(QRectF(kMargin, y, width, 1000), Qt::AlignLeft | Qt::TextWordWrap, text.subtitle);
        p.drawText(QRectF(kMargin, y, width, box.height()), Qt::AlignLeft | Qt::TextWordWrap, text.subtitle);
        y += box.height() + 4;
    }

    // The legend flows left to right and wraps.
    if (!text.legend.empty()) {
        p.setFont(figureFont(kLegendPx));
        const QFontMetricsF m(p.font());
        const double lineH = std::max(m.height(), 14.0) + 4;
        double x = kMargin;
        y += 2;
        auto entryWidth = [&m](const LegendEntry& e) {
            return (e.mark == LegendEntry::Mark::None ? 0 : kSwatch + 5) + m.horizontalAdvance(e.text);
        };
        for (std::size_t i = 0; i < text.legend.size(); ++i) {
            const LegendEntry& e = text.legend[i];
            const double markW = e.mark == LegendEntry::Mark::None ? 0 : kSwatch + 5;
            const double w = entryWidth(e);
            // A heading keeps its group (the keys up to the next heading) on one line if it can.
            double group = w;
            if (e.mark == LegendEntry::Mark::None)
                for (std::size_t j = i + 1; j < text.legend.size() && text.legend[j].mark != LegendEntry::Mark::None; ++j)
                    group += kGap + entryWidth(text.legend[j]);
            if (x > kMargin && x + std::min(group, width) > kMargin + width) {
                x = kMargin;
                y += lineH;
            }
            const QRectF box(x, y, w, lineH);
            if (e.mark != LegendEntry::Mark::None)
                paintMark(p, e, box);
            p.setPen(e.mark == LegendEntry::Mark::None ? colors.mutedText() : colors.text());
            p.drawText(QRectF(x + markW, y, w - markW, lineH), Qt::AlignLeft | Qt::AlignVCenter, e.text);
            x += w + (e.mark == LegendEntry::Mark::None ? kGap / 2 : kGap);
        }
        y += lineH;
    }
    y += 6;

    // Caption from the bottom up: each line wraps within the width.
    p.setFont(figureFont(kCaptionPx));
    double captionH = 0;
    std::vector<double> heights;
    for (const QString& line : text.caption) {
        const QRectF box = QFontMetricsF(p.font()).boundingRect(QRectF(0, 0, width, 1000), Qt::AlignLeft | Qt::TextWordWrap, line);
        heights.push_back(box.height());
        captionH += box.height();
    }
    double cy = size.height() - kMargin * 0.8 - captionH;
    if (!text.caption.isEmpty()) {
        p.setPen(QPen(colors.grid(), 1));
        p.drawLine(QPointF(kMargin, cy - 5), QPointF(kMargin + width, cy - 5));
    }
    p.setPen(colors.mutedText());
    for (int i = 0; i < text.caption.size(); ++i) {
        p.drawText(QRectF(kMargin, cy, width, heights[std::size_t(i)]), Qt::AlignLeft | Qt::TextWordWrap, text.caption[i]);
        cy += heights[std::size_t(i)];
    }
    const double bottom = size.height() - kMargin * 0.8 - captionH - (text.caption.isEmpty() ? 0 : 12);
    return QRectF(kMargin, y, width, std::max(10.0, bottom - y));
}

} // namespace twlens
