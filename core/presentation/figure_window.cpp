// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/figure_window.h"

#include <algorithm>

#include "core/presentation/state_spans.h"

namespace twlens {

namespace {
bool isCapture(InputKind k) { return k == InputKind::Pcap || k == InputKind::Pcapng || k == InputKind::Bundle; }
} // namespace

FigureOrigin figureOriginOf(const Analysis& a) {
    using From = FigureOrigin::From;
    TimeNs first = kNoTime;
    for (const InputInfo& in : a.inputs)
        if (isCapture(in.kind) && in.firstTs != kNoTime && (first == kNoTime || in.firstTs < first))
            first = in.firstTs;
    if (first != kNoTime)
        return {first, From::FirstPacket};
    if (!a.connections.empty())
        return {a.connections.front().start, From::FirstConnection};
    for (const SocketSnapshot& s : a.snapshots) // sorted by time, untimed ones last
        if (s.ts != kNoTime)
            return {s.ts, From::FirstSnapshot};
    return {};
}

TimeNs figureOrigin(const Analysis& a) { return figureOriginOf(a).at; }

// The origin's own rule, so the axis label ("after the first packet") and the origin agree.
bool hasCaptureTimes(const Analysis& a) {
    const FigureOrigin::From from = figureOriginOf(a).from;
    return from == FigureOrigin::From::FirstPacket || from == FigureOrigin::From::FirstConnection;
}

FigureWindow fullWindow(const Analysis& a) {
    // Every input's span (snapshots may start before the capture), every TIME_WAIT window whole.
    FigureWindow w{std::min(figureOrigin(a), captureStartOf(a)), captureEndOf(a)};
    for (const Connection& c : a.connections)
        w.to = std::max(w.to, visibleEndOf(c));
    for (const SocketSnapshot& s : a.snapshots)
        w.to = std::max(w.to, s.ts);
    if (w.to <= w.from)
        w.to = w.from + kNsPerSecond;
    return w;
}

FigureWindow snapshotsWindow(const Analysis& a) {
    TimeNs first = kNoTime, last = kNoTime;
    for (const SocketSnapshot& s : a.snapshots) {
        if (s.ts == kNoTime)
            continue;
        first = first == kNoTime ? s.ts : std::min(first, s.ts);
        last = std::max(last, s.ts);
    }
    if (first == kNoTime)
        return fullWindow(a);
    // A little room either side so the first and last points are not on the plot's edge.
    const TimeNs pad = std::max<TimeNs>((last - first) / 40, kNsPerSecond / 10);
    return {first - pad, last + pad};
}

FigureWindow resolveWindow(const Analysis& a, TimeNs from, TimeNs to, bool snapshots) {
    const FigureWindow full = snapshots ? snapshotsWindow(a) : fullWindow(a);
    return {from == kNoTime ? full.from : from, to == kNoTime ? full.to : to};
}

bool overlaps(const Connection& c, const FigureWindow& w) { return c.start <= w.to && visibleEndOf(c) >= w.from; }

std::uint32_t exampleConnection(const Analysis& a, const FigureWindow& w) {
    // Hazards are sorted by connection, then time: the first of the highest severity wins ties
    // by connection order, which is start order.
    const Hazard* worst = nullptr;
    for (const Hazard& h : a.hazards) {
        if (h.connection >= a.connections.size() || !overlaps(a.connections[h.connection], w))
            continue;
        if (!worst || h.severity > worst->severity)
            worst = &h;
    }
    if (worst)
        return worst->connection;
    auto first = [&](auto&& wanted) -> std::uint32_t {
        for (const Connection& c : a.connections)
            if (overlaps(c, w) && wanted(c))
                return c.id;
        return kNoIndex;
    };
    for (auto pick : {+[](const Connection& c) { return c.has(Connection::LostFinalAck); },
                      +[](const Connection& c) {
                          for (std::uint8_t i = 0; i < c.timeWaitCount; ++i)
                              if (c.timeWait[i].reason != TimeWaitEnd::Expired)
                                  return true;
                          return false;
                      },
                      +[](const Connection& c) { return c.timeWaitCount > 0; },
                      +[](const Connection&) { return true; }})
        if (const std::uint32_t id = first(pick); id != kNoIndex)
            return id;
    return kNoIndex;
}

} // namespace twlens
