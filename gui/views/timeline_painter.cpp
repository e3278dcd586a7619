// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/timeline_painter.h"

#include <QDateTime>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>
#include <limits>

namespace twlens {

void TimelinePainter::paint(QPainter& p, const QRectF& area, const TimelineScene& scene, const TimeMapping& tm,
                            const RowMapping& rm, const StateColors& colors) {
    if (!scene.analysis || !scene.rows || scene.rows->rowCount() == 0)
        return;
    p.save();
    p.setClipRect(area);
    if (rm.rowHeight() >= kDetailRowHeight)
        paintDetailed(p, area, scene, tm, rm, colors);
    else
        paintDensity(p, area, scene, tm, rm, colors);
    p.restore();
}

void TimelinePainter::paintDetailed(QPainter& p, const QRectF& area, const TimelineScene& scene,
                                    const TimeMapping& tm, const RowMapping& rm, const StateColors& colors) {
    const Analysis& a = *scene.analysis;
    const auto [firstRow, lastRow] = rm.visibleRows(area.height());
    const double h = rm.rowHeight();
    const double gap = h >= 10 ? 1.0 : 0.0;
    const double half = (h - 2 * gap) / 2.0;
    const double xMin = area.left(), xMax = area.right();
    const TimeNs t0 = tm.toTime(xMin - 1), t1 = tm.toTime(xMax + 1);
    // A connection that fails the filter is painted in its colours mixed into the background
    // (opaque: overlapping marks must not compound the way painter opacity would).
    auto mix = [](const QColor& under, const QColor& over, double k) {
        return QColor::fromRgbF(float(under.redF() * (1 - k) + over.redF() * k), float(under.greenF() * (1 - k) + over.greenF() * k),
                                float(under.blueF() * (1 - k) + over.blueF() * k), over.alphaF());
    };
    // The row's own background: the base, or the base under the stripe of odd rows.
    const QColor plain = colors.base();
    const QColor striped = mix(plain, colors.grid(), colors.grid().alphaF());
    QColor rowBase = plain;
    bool dim = false;
    auto tone = [&](const QColor& c) { return dim ? mix(rowBase, c, kFilteredOpacity) : c; };
    const QBrush hatchFull(colors.timeWait(), Qt::BDiagPattern);
    QColor twFaint = colors.timeWait();
    twFaint.setAlphaF(0.25f);

    for (std::size_t row = firstRow; row < lastRow; ++row) {
        const double y = rm.toY(double(row)) + gap;
        const bool stripe = row % 2 == 1 && h >= 10;
        if (stripe)
            p.fillRect(QRectF(xMin, y - gap, area.width(), h), colors.grid());
        rowBase = stripe ? striped : plain;
        const auto inc = scene.rows->incarnations(row);
        const auto [i0, i1] = scene.rows->overlapping(a, row, t0, t1);
        for (std::size_t i = i0; i < i1; ++i) {
            const Connection& c = a.connections[inc[i]];
            dim = !scene.passing(c.id) && c.id != scene.selected;
            for (int s = 0; s < 2; ++s) {
                const Side side = s == 0 ? Side::Client : Side::Server;
                const double top = y + s * half;
                stateSpans(a, c, side, scene.captureEnd, spans_);
                // One mark per pixel column: a span that lands in a column already painted is skipped.
                double lastColumn = -1e9;
                for (const StateSpan& span : spans_) {
                    double x0 = std::max(tm.toX(span.from), xMin - 2);
                    double x1 = std::min(tm.toX(span.to), xMax + 2);
                    if (x1 < xMin || x0 > xMax)
                        continue;
                    if (x1 - x0 < 1.0) {
                        const double col = std::floor(x0);
                        if (col == lastColumn)
                            continue;
                        x0 = col;
                        x1 = col + 1;
                    }
                    lastColumn = std::floor(x1 - 1);
                    const QRectF r(x0, top, x1 - x0, half);
                    if (span.pastCaptureEnd) {
                        p.fillRect(r, tone(twFaint));
                        p.fillRect(r, dim ? QBrush(tone(colors.timeWait()), Qt::BDiagPattern) : hatchFull);
                    } else {
                        p.fillRect(r, tone(colors.state(span.state)));
                    }
                }
            }
            if (c.previousIncarnation != kNoIndex) {
                const double x = tm.toX(c.start);
                if (x >= xMin && x <= xMax) {
                    p.setPen(QPen(tone(colors.reuseLink()), 2));
                    p.drawLine(QPointF(x, y - gap), QPointF(x, y + 2 * half));
                }
            }
            if (c.hazardCount && h >= 8) {
                for (const Hazard& hz : a.hazardsOf(c)) {
                    const double x = tm.toX(hz.ts);
                    if (x < xMin - 6 || x > xMax + 6)
                        continue;
                    const double m = std::min(8.0, h * 0.6);
                    QPainterPath tri;
                    tri.moveTo(x, y + m);
                    tri.lineTo(x - m / 2, y);
                    tri.lineTo(x + m / 2, y);
                    tri.closeSubpath();
                    p.fillPath(tri, tone(colors.severity(hz.severity)));
                }
            }
            if (c.id == scene.selected) {
                const double x0 = std::max(tm.toX(c.start), xMin - 2);
                const double x1 = std::min(tm.toX(visibleEndOf(c)), xMax + 2);
                p.setPen(QPen(colors.selection(), 2));
                p.setBrush(Qt::NoBrush);
                p.drawRect(QRectF(x0 - 1, y - gap - 1, std::max(x1 - x0, 2.0) + 2, h + 2));
            }
        }
    }
}

void TimelinePainter::paintDensity(QPainter& p, const QRectF& area, const TimelineScene& scene,
                                   const TimeMapping& tm, const RowMapping& rm, const StateColors& colors) {
    const Analysis& a = *scene.analysis;
    const int W = std::max(1, int(area.width()));
    const int H = std::max(1, int(area.height()));
    const std::size_t stride = std::size_t(W) + 1;
    openDiff_.assign(stride * std::size_t(H), 0);
    twDiff_.assign(stride * std::size_t(H), 0);
    const bool filtered = scene.passes != nullptr;
    if (filtered)
        dimDiff_.assign(stride * std::size_t(H), 0);
    const auto [firstRow, lastRow] = rm.visibleRows(area.height());
    const TimeNs t0 = tm.toTime(area.left()), t1 = tm.toTime(area.right() + 1);
    auto add = [&](std::vector<std::int32_t>& diff, int py, TimeNs from, TimeNs to) {
        if (to < t0 || from > t1)
            return;
        const int c0 = tm.column(from);
        const int c1 = tm.column(to);
        std::int32_t* rowDiff = diff.data() + std::size_t(py) * stride;
        ++rowDiff[c0];
        --rowDiff[c1 + 1];
    };
    for (std::size_t row = firstRow; row < lastRow; ++row) {
        const int py = int(std::floor(rm.toY(double(row)) - area.top()));
        if (py < 0 || py >= H)
            continue;
        const auto inc = scene.rows->incarnations(row);
        const auto [i0, i1] = scene.rows->overlapping(a, row, t0, t1);
        for (std::size_t i = i0; i < i1; ++i) {
            const Connection& c = a.connections[inc[i]];
            if (!scene.passing(c.id)) {
                add(dimDiff_, py, c.start, std::max(visibleEndOf(c), c.start));
                continue;
            }
            TimeNs openEnd = c.end;
            for (std::uint8_t w = 0; w < c.timeWaitCount; ++w) {
                add(twDiff_, py, c.timeWait[w].start, c.timeWait[w].end);
                openEnd = std::min(openEnd, c.timeWait[w].start);
            }
            add(openDiff_, py, c.start, std::max(openEnd, c.start));
        }
    }
    // Prefix sums turn the differences into counts per pixel; colour by the majority and shade by
    // a log scale of the count so one connection stays visible next to thousands.
    std::int32_t maxCount = 1;
    for (int y = 0; y < H; ++y) {
        std::int32_t* o = openDiff_.data() + std::size_t(y) * stride;
        std::int32_t* t = twDiff_.data() + std::size_t(y) * stride;
        std::int32_t so = 0, st = 0;
        for (int x = 0; x < W; ++x) {
            so += o[x];
            st += t[x];
            o[x] = so;
            t[x] = st;
            maxCount = std::max(maxCount, so + st);
        }
        if (filtered) {
            std::int32_t* d = dimDiff_.data() + std::size_t(y) * stride;
            std::int32_t sd = 0;
            for (int x = 0; x < W; ++x) {
                sd += d[x];
                d[x] = sd;
            }
        }
    }
    if (density_.size() != QSize(W, H))
        density_ = QImage(W, H, QImage::Format_ARGB32_Premultiplied);
    density_.fill(Qt::transparent);
    // Colours by count from tables: a log per pixel would cost more than the whole sweep.
    const QColor openC = colors.state(TcpState::Established), twC = colors.timeWait();
    const double logMax = std::log1p(double(maxCount));
    lutOpen_.resize(std::size_t(maxCount) + 1);
    lutTw_.resize(std::size_t(maxCount) + 1);
    for (std::int32_t n = 1; n <= maxCount; ++n) {
        const int alpha = int((0.35 + 0.65 * std::log1p(double(n)) / logMax) * 255);
        lutOpen_[std::size_t(n)] = qPremultiply(qRgba(openC.red(), openC.green(), openC.blue(), alpha));
        lutTw_[std::size_t(n)] = qPremultiply(qRgba(twC.red(), twC.green(), twC.blue(), alpha));
    }
    QColor dimC = colors.mutedText();
    dimC.setAlphaF(float(kFilteredOpacity));
    const QRgb dimPixel = qPremultiply(dimC.rgba());
    for (int y = 0; y < H; ++y) {
        auto* line = reinterpret_cast<QRgb*>(density_.scanLine(y));
        const std::int32_t* o = openDiff_.data() + std::size_t(y) * stride;
        const std::int32_t* t = twDiff_.data() + std::size_t(y) * stride;
        const std::int32_t* d = filtered ? dimDiff_.data() + std::size_t(y) * stride : nullptr;
        for (int x = 0; x < W; ++x) {
            const std::int32_t n = o[x] + t[x];
            if (n > 0)
                line[x] = (t[x] >= o[x] ? lutTw_ : lutOpen_)[std::size_t(n)];
            else if (d && d[x] > 0)
                line[x] = dimPixel;
        }
    }
    p.drawImage(area.topLeft(), density_);
}

TimeNs TimelinePainter::tickStep(double nsPerPixel, double minPixels) {
    const double wanted = nsPerPixel * minPixels;
    double step = 1;
    while (step < wanted) {
        if (step * 2 >= wanted) {
            step *= 2;
            break;
        }
        if (step * 5 >= wanted) {
            step *= 5;
            break;
        }
        step *= 10;
    }
    return static_cast<TimeNs>(step);
}

std::vector<AxisTick> TimelinePainter::axisTicks(const QRectF& area, const TimeMapping& tm, TimeNs origin,
                                                bool relative, const QFontMetricsF& metrics) {
    // Text this close to the edges would touch the figure's frame or the widget's scroll bar.
    constexpr double kPad = 3;
    const TimeNs step = tickStep(tm.nsPerPixel(), 110);
    const TimeNs firstTick = relative ? origin + ((tm.from() - origin) / step) * step : (tm.from() / step) * step;
    const int decimals = step >= kNsPerSecond ? 0 : step >= 100 * kNsPerMs ? 1 : step >= 10 * kNsPerMs ? 2
                         : step >= kNsPerMs ? 3 : step >= 100 * kNsPerUs ? 4 : step >= 10 * kNsPerUs ? 5 : 6;
    std::vector<AxisTick> ticks;
    double lastRight = -std::numeric_limits<double>::infinity();
    for (TimeNs t = firstTick - step; t <= tm.to() + step; t += step) {
        const double x = tm.toX(t);
        if (x < area.left() - 1 || x > area.right() + 1)
            continue;
        AxisTick& tick = ticks.emplace_back();
        tick.x = x;
        QString label;
        if (relative) {
            label = QStringLiteral("+%1 s").arg(toSeconds(t - origin), 0, 'f', decimals);
        } else {
            const QDateTime dt = QDateTime::fromMSecsSinceEpoch(t / kNsPerMs, Qt::UTC);
            label = dt.toString(decimals == 0 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm:ss.zzz"));
            if (decimals > 3)
                label += QString::number((t % kNsPerMs) / kNsPerUs).rightJustified(3, QLatin1Char('0'));
        }
        const double w = std::ceil(metrics.horizontalAdvance(label));
        const double left = std::min(x + kPad, area.right() - kPad - w);
        if (left < lastRight + kAxisLabelGap)
            continue;
        tick.label = label;
        tick.labelRect = QRectF(left, area.top(), w, area.height() - 4);
        lastRight = tick.labelRect.right();
    }
    return ticks;
}

void TimelinePainter::paintAxis(QPainter& p, const QRectF& area, const TimeMapping& tm, TimeNs origin,
                                bool relative, const StateColors& colors) {
    p.save();
    p.setClipRect(area);
    p.setPen(colors.text());
    for (const AxisTick& tick : axisTicks(area, tm, origin, relative, QFontMetricsF(p.font(), p.device()))) {
        p.drawLine(QPointF(tick.x, area.bottom() - 5), QPointF(tick.x, area.bottom()));
        if (!tick.label.isEmpty())
            p.drawText(tick.labelRect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip, tick.label);
    }
    p.setPen(colors.grid());
    p.drawLine(area.bottomLeft(), area.bottomRight());
    p.restore();
}

TimelineHit TimelinePainter::hitTest(double x, double y, const TimelineScene& scene, const TimeMapping& tm,
                                     const RowMapping& rm) {
    TimelineHit hit;
    hit.time = tm.toTime(x);
    if (!scene.analysis || !scene.rows)
        return hit;
    hit.row = rm.rowAt(y);
    if (hit.row < 0)
        return hit;
    const double inRow = (y - rm.toY(double(hit.row))) / rm.rowHeight();
    hit.side = inRow < 0.5 ? Side::Client : Side::Server;
    const Analysis& a = *scene.analysis;
    const auto row = std::size_t(hit.row);
    const auto inc = scene.rows->incarnations(row);
    // Two pixels of slack so a one-pixel mark can be hit.
    const TimeNs slack = static_cast<TimeNs>(2 * tm.nsPerPixel());
    const auto [i0, i1] = scene.rows->overlapping(a, row, hit.time - slack, hit.time + slack);
    std::vector<StateSpan> spans;
    for (std::size_t i = i0; i < i1; ++i) {
        const Connection& c = a.connections[inc[i]];
        if (hit.time + slack < c.start || hit.time - slack > visibleEndOf(c))
            continue;
        hit.connection = c.id;
        stateSpans(a, c, hit.side, scene.captureEnd, spans);
        // The span under the exact time; failing that (a mark narrower than the slack), the nearest.
        TimeNs best = slack + 1;
        for (const StateSpan& s : spans) {
            const TimeNs d = hit.time < s.from ? s.from - hit.time : (hit.time >= s.to ? hit.time - s.to : -1);
            if (d < best) {
                best = d;
                hit.state = s.state;
            }
        }
        break;
    }
    return hit;
}

} // namespace twlens
