// SPDX-License-Identifier: GPL-3.0-or-later
// The invariants the engine fuzz step checks: what core/model promises about a reconstruction,
// what the hazard pass, the writers and the presentation promise about their output. A broken
// one prints what and where (the index given) and aborts, which libFuzzer reports as a crash.
#pragma once
#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/model/analysis.h"
#include "core/output/json_writer.h"
#include "core/output/teardown_stats.h"
#include "core/presentation/ladder_rows.h"
#include "core/presentation/state_spans.h"
#include "core/presentation/state_transitions.h"
#include "core/presentation/teaching_steps.h"
#include "core/presentation/time_wait_series.h"
#include "core/reconstruct/connection_key.h"
#include "tests/core/layout_checks.h"

namespace twlens::fuzz::engine {

[[noreturn]] inline void broken(const char* what, std::uint64_t where = UINT64_MAX) {
    if (where == UINT64_MAX)
        std::fprintf(stderr, "engine fuzz: invariant broken: %s\n", what);
    else
        std::fprintf(stderr, "engine fuzz: invariant broken: %s (at %llu)\n", what,
                     static_cast<unsigned long long>(where));
    std::fflush(stderr);
    std::abort();
}
#define TWLENS_ENGINE_CHECK(cond, where)                                                                         \
    do {                                                                                                         \
        if (!(cond))                                                                                             \
            ::twlens::fuzz::engine::broken(#cond, static_cast<std::uint64_t>(where));                           \
    } while (0)

// ---------------------------------------------------------------------------------------------
// Checks.

// The same 4-tuple and VLAN stack, either way round: the reconstructor's canonical key.
inline recon::ConnKey keyOf(const Connection& c) {
    int dir = 0;
    return recon::ConnKey::make(c.clientAddr, c.clientPort, c.serverAddr, c.serverPort, c.vlan, dir);
}
inline bool sameKey(const Connection& x, const Connection& y) { return keyOf(x) == keyOf(y); }

// The reconstruction (core/model/analysis.h and connection.h promises).
inline void checkReconstruction(const Analysis& a, bool monotonic) {
    const std::size_t n = a.connections.size();
    for (std::size_t i = 0; i < n; ++i) {
        const Connection& c = a.connections[i];
        TWLENS_ENGINE_CHECK(c.id == i, i);
        if (i > 0)
            TWLENS_ENGINE_CHECK(a.connections[i - 1].start <= c.start, i);
        TWLENS_ENGINE_CHECK(c.clientAddr < a.addresses.size() && c.serverAddr < a.addresses.size(), i);
        TWLENS_ENGINE_CHECK(c.vlan < a.vlanStacks.size(), i);
        // Each connection's segments and states: one run each (layoutProblem below: the runs
        // tile the arrays).
        TWLENS_ENGINE_CHECK(c.segmentCount == 0 || c.firstSegment < a.segments.byteSize(), i);
        TWLENS_ENGINE_CHECK(std::uint64_t{c.firstState} + c.stateCount <= a.states.size(), i);
        TWLENS_ENGINE_CHECK(c.start <= c.end || !monotonic, i);
        TWLENS_ENGINE_CHECK(c.segmentCount > 0, i); // a connection exists because a segment opened it
        const auto segs = a.segmentsOf(c);
        if (monotonic)
            for (std::size_t k = 0; k < segs.size(); ++k) {
                TWLENS_ENGINE_CHECK(segs[k].ts >= c.start && segs[k].ts <= c.end, i);
                TWLENS_ENGINE_CHECK(k == 0 || segs[k - 1].ts <= segs[k].ts, i);
            }
        // State entries name one of the connection's segments, or a TIME_WAIT timer of their side.
        for (const StateChange& s : a.statesOf(c)) {
            TWLENS_ENGINE_CHECK(s.state != TcpState::None, i);
            TWLENS_ENGINE_CHECK(s.side == Side::Client || s.side == Side::Server, i);
            if (s.segment == StateChange::kTimerSegment) {
                bool window = false;
                for (std::uint8_t w = 0; w < c.timeWaitCount && w < 2; ++w)
                    window = window || c.timeWait[w].side == s.side;
                TWLENS_ENGINE_CHECK(window, i);
                TWLENS_ENGINE_CHECK(s.state == TcpState::Closed, i);
            } else {
                TWLENS_ENGINE_CHECK(s.segment < c.segmentCount, i);
            }
        }
        // Each side's timeline runs forward in time (stateSpans and the teaching steps read it so).
        if (monotonic)
            for (Side side : {Side::Client, Side::Server}) {
                TimeNs last = kNoTime;
                for (const StateChange& s : a.statesOf(c)) {
                    if (s.side != side)
                        continue;
                    const TimeNs t = a.stateTime(c, s);
                    TWLENS_ENGINE_CHECK(last == kNoTime || last <= t, i);
                    last = t;
                }
            }
        // TIME_WAIT windows: at most one per side, each a forward interval.
        TWLENS_ENGINE_CHECK(c.timeWaitCount <= 2, i);
        for (std::uint8_t w = 0; w < c.timeWaitCount && w < 2; ++w) {
            const TimeWaitWindow& tw = c.timeWait[w];
            // Forward, and no longer than the TIME_WAIT length (a window that outlasted it by
            // minutes, or ended before it began, was reconstructor bug R1/R2, cd1b68e).
            TWLENS_ENGINE_CHECK(tw.end >= tw.start, i);
            TWLENS_ENGINE_CHECK(tw.end - tw.start <= a.settings.twLength(), i);
            bool entered = false; // the side's timeline has the TIME_WAIT the window belongs to
            for (const StateChange& s : a.statesOf(c))
                entered = entered || (s.side == tw.side && s.state == TcpState::TimeWait);
            TWLENS_ENGINE_CHECK(entered, i);
        }
        if (c.timeWaitCount == 2) {
            TWLENS_ENGINE_CHECK(c.timeWait[0].side != c.timeWait[1].side, i);
            TWLENS_ENGINE_CHECK(c.timeWait[0].start <= c.timeWait[1].start, i);
        }
        // Incarnation links: symmetric, on the same 4-tuple (+ VLANs), later in start order.
        if (c.nextIncarnation != kNoIndex) {
            TWLENS_ENGINE_CHECK(c.nextIncarnation < n && c.nextIncarnation > i, i);
            const Connection& nx = a.connections[c.nextIncarnation];
            TWLENS_ENGINE_CHECK(nx.previousIncarnation == i, i);
            TWLENS_ENGINE_CHECK(sameKey(c, nx), i);
        }
        if (c.previousIncarnation != kNoIndex) {
            TWLENS_ENGINE_CHECK(c.previousIncarnation < i, i);
            TWLENS_ENGINE_CHECK(a.connections[c.previousIncarnation].nextIncarnation == i, i);
        } else {
            TWLENS_ENGINE_CHECK(c.reuseGap == kNoTime, i);
        }
        TWLENS_ENGINE_CHECK(static_cast<int>(c.activeCloser) <= static_cast<int>(Closer::Both), i);
        TWLENS_ENGINE_CHECK(static_cast<int>(c.closeKind) <= static_cast<int>(CloseKind::HalfClosed), i);
    }
    TWLENS_ENGINE_CHECK(twlens::test::layoutProblem(a).empty(), 0);
    // Incarnations of one key are chained: no two unlinked connections share a key while a
    // later one of that key links back (each key's chain is its connections in start order).
    for (std::size_t i = 0; i < n; ++i) {
        const Connection& c = a.connections[i];
        if (c.nextIncarnation == kNoIndex)
            continue;
        for (std::size_t j = i + 1; j < c.nextIncarnation; ++j)
            TWLENS_ENGINE_CHECK(!sameKey(c, a.connections[j]), i);
    }
}

// Whether a text states a negative amount ("-930.000 s", "(-2 ms"): a time told backwards.
inline bool negativeAmount(const std::string& text) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i)
        if (text[i] == '-' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '(') && text[i + 1] >= '0' && text[i + 1] <= '9')
            return true;
    return false;
}

// The hazard pass (core/hazards/detect_hazards.h): sorted by connection then time, ranges right,
// evidence from the connection's own packets.
inline void checkHazards(const Analysis& a, bool monotonic) {
    const std::size_t n = a.connections.size();
    for (std::size_t h = 0; h < a.hazards.size(); ++h) {
        const Hazard& z = a.hazards[h];
        if (monotonic && negativeAmount(z.summary)) {
            std::fprintf(stderr, "engine fuzz: hazard %zu: %s\n", h, z.summary.c_str());
            broken("a hazard's summary states no negative time on a forward-running capture", h);
        }
        TWLENS_ENGINE_CHECK(z.connection < n, h);
        TWLENS_ENGINE_CHECK(!z.kind.empty() && !z.summary.empty() && !z.reference.empty(), h);
        TWLENS_ENGINE_CHECK(static_cast<int>(z.severity) <= static_cast<int>(Severity::Critical), h);
        // The evidence is packets of this connection or of its neighbouring incarnations (a
        // TIME_WAIT socket's answer may be filed with the previous one).
        for (std::uint32_t frame : z.evidenceFrames) {
            bool found = false;
            for (std::uint32_t id : {z.connection, a.connections[z.connection].previousIncarnation,
                                     a.connections[z.connection].nextIncarnation}) {
                if (id >= n)
                    continue;
                for (const ControlSegment& seg : a.segmentsOf(a.connections[id]))
                    found = found || seg.frame == frame;
            }
            TWLENS_ENGINE_CHECK(found, h);
        }
        if (h > 0) {
            const Hazard& y = a.hazards[h - 1];
            TWLENS_ENGINE_CHECK(y.connection < z.connection || (y.connection == z.connection && y.ts <= z.ts), h);
        }
    }
    std::uint64_t covered = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const Connection& c = a.connections[i];
        if (c.hazardCount == 0)
            continue;
        TWLENS_ENGINE_CHECK(std::uint64_t{c.firstHazard} + c.hazardCount <= a.hazards.size(), i);
        for (std::uint32_t h = c.firstHazard; h < c.firstHazard + c.hazardCount; ++h)
            TWLENS_ENGINE_CHECK(a.hazards[h].connection == i, i);
        TWLENS_ENGINE_CHECK(c.firstHazard == 0 || a.hazards[c.firstHazard - 1].connection != i, i);
        TWLENS_ENGINE_CHECK(c.firstHazard + c.hazardCount == a.hazards.size() ||
                                a.hazards[c.firstHazard + c.hazardCount].connection != i, i);
        covered += c.hazardCount;
    }
    TWLENS_ENGINE_CHECK(covered == a.hazards.size(), covered);
}

inline bool sameHazards(const std::vector<Hazard>& x, const std::vector<Hazard>& y) {
    if (x.size() != y.size())
        return false;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i].kind != y[i].kind || x[i].connection != y[i].connection || x[i].ts != y[i].ts ||
            x[i].severity != y[i].severity || x[i].summary != y[i].summary || x[i].evidenceFrames != y[i].evidenceFrames)
            return false;
    return true;
}

// RFC 4180 records of the CSV: every record has the header's field count; one per connection.
inline void checkCsv(const std::string& csv, std::size_t connections) {
    std::size_t records = 0, fields = 1, headerFields = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < csv.size(); ++i) {
        const char ch = csv[i];
        if (quoted) {
            if (ch == '"') {
                if (i + 1 < csv.size() && csv[i + 1] == '"')
                    ++i;
                else
                    quoted = false;
            }
            continue;
        }
        if (ch == '"')
            quoted = true;
        else if (ch == ',')
            ++fields;
        else if (ch == '\r') {
            TWLENS_ENGINE_CHECK(i + 1 < csv.size() && csv[i + 1] == '\n', i);
            ++i;
            if (records == 0)
                headerFields = fields;
            else
                TWLENS_ENGINE_CHECK(fields == headerFields, records);
            ++records;
            fields = 1;
        } else {
            TWLENS_ENGINE_CHECK(ch != '\n', i); // a bare LF outside quotes
        }
    }
    TWLENS_ENGINE_CHECK(!quoted, csv.size());
    TWLENS_ENGINE_CHECK(records == connections + 1, records);
}

inline void checkJson(const Analysis& a, const std::string& json) {
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(json.data(), static_cast<qsizetype>(json.size())), &err);
    if (err.error != QJsonParseError::NoError) {
        std::fprintf(stderr, "engine fuzz: JSON does not parse at %d: %s\n", err.offset,
                     err.errorString().toLocal8Bit().constData());
        broken("JSON parses");
    }
    TWLENS_ENGINE_CHECK(doc.isObject(), 0);
    const QJsonObject root = doc.object();
    TWLENS_ENGINE_CHECK(root.value(QStringLiteral("schema")).toString() == QLatin1String(kJsonSchema.data(), static_cast<qsizetype>(kJsonSchema.size())), 0);
    const QJsonArray conns = root.value(QStringLiteral("connections")).toArray();
    TWLENS_ENGINE_CHECK(static_cast<std::size_t>(conns.size()) == a.connections.size(), static_cast<std::uint64_t>(conns.size()));
    const QJsonArray hazards = root.value(QStringLiteral("hazards")).toArray();
    TWLENS_ENGINE_CHECK(static_cast<std::size_t>(hazards.size()) == a.hazards.size(), static_cast<std::uint64_t>(hazards.size()));
    // Each connection's entry says what the model says (times to the microsecond: doubles).
    const auto near = [](const QJsonValue& v, TimeNs t) {
        return t == kNoTime ? v.isNull() : v.isDouble() && std::abs(v.toDouble() - toSeconds(t)) < 1e-6;
    };
    for (qsizetype i = 0; i < conns.size(); ++i) {
        const Connection& c = a.connections[static_cast<std::size_t>(i)];
        const QJsonObject o = conns[i].toObject();
        TWLENS_ENGINE_CHECK(o.value(QStringLiteral("id")).toInteger(-1) == i, i);
        TWLENS_ENGINE_CHECK(near(o.value(QStringLiteral("start")), c.start) && near(o.value(QStringLiteral("end")), c.end), i);
        TWLENS_ENGINE_CHECK(static_cast<std::size_t>(o.value(QStringLiteral("hazards")).toArray().size()) == c.hazardCount, i);
        const QJsonArray tw = o.value(QStringLiteral("time_wait")).toArray();
        TWLENS_ENGINE_CHECK(tw.size() == c.timeWaitCount, i);
        for (qsizetype w = 0; w < tw.size() && w < 2; ++w) {
            const QJsonObject x = tw[w].toObject();
            TWLENS_ENGINE_CHECK(near(x.value(QStringLiteral("start")), c.timeWait[static_cast<std::size_t>(w)].start) &&
                                    near(x.value(QStringLiteral("end")), c.timeWait[static_cast<std::size_t>(w)].end), i);
        }
        const QJsonObject states = o.value(QStringLiteral("states")).toObject();
        std::size_t client = 0, server = 0;
        for (const StateChange& sc : a.statesOf(c))
            (sc.side == Side::Client ? client : server) += 1;
        TWLENS_ENGINE_CHECK(static_cast<std::size_t>(states.value(QStringLiteral("client")).toArray().size()) == client &&
                                static_cast<std::size_t>(states.value(QStringLiteral("server")).toArray().size()) == server, i);
        const QJsonValue prev = o.value(QStringLiteral("previous_incarnation"));
        TWLENS_ENGINE_CHECK(c.previousIncarnation == kNoIndex ? prev.isNull() : prev.toInteger(-1) == c.previousIncarnation, i);
    }
}

// The presentation of one connection: teaching steps and ladder rows name real segments and
// hazards, TIME_WAIT brackets sit on real rows, state spans run forward.
inline void checkPresentation(const Analysis& a, std::uint32_t id, bool monotonic, std::vector<StateSpan>& spans) {
    if (id >= a.connections.size())
        return;
    const Connection& c = a.connections[id];
    const Ladder L = buildLadder(a, id);
    TWLENS_ENGINE_CHECK(L.connection == id, id);
    std::size_t segmentRows = 0;
    std::vector<std::uint32_t> annotated;
    for (std::size_t r = 0; r < L.rows.size(); ++r) {
        const LadderRow& row = L.rows[r];
        if (row.kind != LadderRow::Kind::TimerExpiry)
            TWLENS_ENGINE_CHECK(row.segment < c.segmentCount, id);
        if (row.kind == LadderRow::Kind::Segment)
            ++segmentRows;
        if (monotonic && r > 0)
            TWLENS_ENGINE_CHECK(L.rows[r - 1].ts <= row.ts, id);
        for (std::uint32_t h : row.hazards) {
            TWLENS_ENGINE_CHECK(h >= c.firstHazard && h < c.firstHazard + c.hazardCount, id);
            annotated.push_back(h);
        }
        (void)describeRow(row);
    }
    TWLENS_ENGINE_CHECK(segmentRows == c.segmentCount, id);
    TWLENS_ENGINE_CHECK(annotated.size() == c.hazardCount, id); // every hazard on exactly one row
    TWLENS_ENGINE_CHECK(L.timeWaits.size() == c.timeWaitCount, id);
    for (const LadderTimeWait& tw : L.timeWaits)
        TWLENS_ENGINE_CHECK(tw.firstRow <= tw.lastRow && tw.lastRow < L.rows.size(), id);

    const std::vector<TeachingStep> steps = buildTeachingSteps(a, id);
    // One step for each kept segment and for each TIME_WAIT timer that fired.
    std::size_t segmentSteps = 0, timerSteps = 0, timers = 0;
    for (const TeachingStep& st : steps)
        (st.kind == TeachingStep::Kind::Segment ? segmentSteps : timerSteps) += 1;
    for (const StateChange& sc : a.statesOf(c))
        timers += sc.segment == StateChange::kTimerSegment;
    TWLENS_ENGINE_CHECK(segmentSteps == c.segmentCount, id);
    TWLENS_ENGINE_CHECK(timerSteps == timers, id);
    for (std::size_t k = 0; k < steps.size(); ++k) {
        const TeachingStep& st = steps[k];
        if (st.kind == TeachingStep::Kind::Segment) {
            TWLENS_ENGINE_CHECK(st.segment < c.segmentCount, id);
            TWLENS_ENGINE_CHECK(stepSegment(a, id, st).has_value(), id);
        } else {
            TWLENS_ENGINE_CHECK(!stepSegment(a, id, st).has_value(), id);
        }
        // Topics may be empty (a FIN the peer does not process teaches nothing); none twice.
        for (std::size_t t = 0; t < st.topics.size(); ++t)
            TWLENS_ENGINE_CHECK(std::count(st.topics.begin(), st.topics.end(), st.topics[t]) == 1, id);
        for (std::uint32_t h : st.hazards)
            TWLENS_ENGINE_CHECK(h < a.hazards.size() && a.hazards[h].connection == id, id);
        if (monotonic && k > 0)
            TWLENS_ENGINE_CHECK(steps[k - 1].ts <= st.ts, id);
        for (TeachingTopic t : st.topics)
            TWLENS_ENGINE_CHECK(!teachingTopicName(t).empty(), id);
    }
    (void)statePaths(a, id);
    (void)connectionTransitions(a, id);
    const TimeNs end = captureEndOf(a);
    for (Side side : {Side::Client, Side::Server}) {
        stateSpans(a, c, side, end, spans);
        for (const StateSpan& s : spans)
            TWLENS_ENGINE_CHECK(s.from <= s.to, id);
    }
}

inline void checkConcurrency(const Analysis& a) {
    const std::vector<CountPoint> series = timeWaitConcurrency(a);
    std::size_t windows = 0;
    for (const Connection& c : a.connections)
        windows += c.timeWaitCount;
    for (std::size_t k = 0; k < series.size(); ++k) {
        TWLENS_ENGINE_CHECK(series[k].count <= windows, k);
        if (k > 0)
            TWLENS_ENGINE_CHECK(series[k - 1].ts < series[k].ts, k);
    }
    if (!series.empty())
        TWLENS_ENGINE_CHECK(series.back().count == 0, series.size()); // every window closes
    const CountPeak peak = peakOf(series);
    const TeardownStats stats = teardownStats(a);
    TWLENS_ENGINE_CHECK(stats.connections == a.connections.size(), stats.connections);
    TWLENS_ENGINE_CHECK(stats.timeWaitWindows == windows, stats.timeWaitWindows);
    TWLENS_ENGINE_CHECK(stats.peak.count <= windows, stats.peak.count);
    // The text summary's peak (core/output) and the plot's series (core/presentation) count the
    // same half-open windows: the same peak, first reached at the same time.
    TWLENS_ENGINE_CHECK(stats.peak.count == peak.count, stats.peak.count);
    TWLENS_ENGINE_CHECK(stats.peak.at == peak.at, stats.peak.count);
    (void)thinForPlot(series, 64);
}

} // namespace twlens::fuzz::engine
