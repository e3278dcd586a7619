// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QImage>
#include <QRectF>
#include <QString>
#include <vector>

#include "core/model/analysis.h"
#include "core/presentation/state_spans.h"
#include "core/presentation/tuple_rows.h"
#include "gui/views/state_colors.h"
#include "gui/views/time_mapping.h"

class QFontMetricsF;
class QPainter;

namespace twlens {

// What the timeline shows: the analysis, its 4-tuple rows, the selection and the connection
// filter (SelectionState::filterPasses: per connection 1 if it passes; null when none is set).
struct TimelineScene {
    const Analysis* analysis = nullptr;
    const TupleRows* rows = nullptr;
    TimeNs captureEnd = 0;
    std::uint32_t selected = kNoIndex;
    const std::vector<std::uint8_t>* passes = nullptr;
    bool passing(std::uint32_t connection) const { return !passes || (*passes)[connection]; }
};

// What is under a point of the timeline.
struct TimelineHit {
    long long row = -1;
    std::uint32_t connection = kNoIndex;
    Side side = Side::Client;
    TcpState state = TcpState::None;
    TimeNs time = 0;
};

// One tick of the time axis: its x, and its label with the rect the label takes (an empty text
// and a null rect when the label is left out).
struct AxisTick {
    double x = 0;
    QString label;
    QRectF labelRect;
};

// Paints the timeline's rows (hotspot timelinedelegate style). With at least kDetailRowHeight
// pixels per row each row shows its incarnations side by side, the client's states in the upper
// half and the server's in the lower, TIME_WAIT as its whole window (hatched past the capture's
// end), hazard markers and reuse links; a span narrower than a pixel is drawn once per column.
// Below that it aggregates: per pixel, how many connections are open and how many in TIME_WAIT
// (a density image built with difference arrays, O(connections + pixels)).
// With a filter set, connections that fail it are faded into their row's background
// (kFilteredOpacity of their colour) in detail and drawn as a faint grey density behind the
// passing ones when aggregated, so what the table keeps stands out in its context.
class TimelinePainter {
public:
    static constexpr double kDetailRowHeight = 4.0;
    static constexpr double kFilteredOpacity = 0.18;

    void paint(QPainter& p, const QRectF& area, const TimelineScene& scene, const TimeMapping& tm,
               const RowMapping& rm, const StateColors& colors);
    static void paintAxis(QPainter& p, const QRectF& area, const TimeMapping& tm, TimeNs origin, bool relative,
                          const StateColors& colors);
    // The ticks paintAxis draws in area, labelled in metrics' font. A label starts just right of
    // its tick; one that would run past the right edge ends at the edge instead (right-aligned
    // there, as plotting tools do with their last tick label), and a label that would then come
    // closer than kAxisLabelGap to the one before is left out (its tick stays).
    static std::vector<AxisTick> axisTicks(const QRectF& area, const TimeMapping& tm, TimeNs origin, bool relative,
                                           const QFontMetricsF& metrics);
    static constexpr double kAxisLabelGap = 8.0;
    static TimelineHit hitTest(double x, double y, const TimelineScene& scene, const TimeMapping& tm,
                               const RowMapping& rm);
    // The tick spacing the axis uses for this scale (1, 2, 5 x 10^k ns), at least minPixels apart.
    static TimeNs tickStep(double nsPerPixel, double minPixels);

private:
    void paintDetailed(QPainter& p, const QRectF& area, const TimelineScene& scene, const TimeMapping& tm,
                       const RowMapping& rm, const StateColors& colors);
    void paintDensity(QPainter& p, const QRectF& area, const TimelineScene& scene, const TimeMapping& tm,
                      const RowMapping& rm, const StateColors& colors);

    std::vector<StateSpan> spans_;
    std::vector<std::int32_t> openDiff_;
    std::vector<std::int32_t> twDiff_;
    std::vector<std::int32_t> dimDiff_;
    std::vector<QRgb> lutOpen_;
    std::vector<QRgb> lutTw_;
    QImage density_;
};

} // namespace twlens
