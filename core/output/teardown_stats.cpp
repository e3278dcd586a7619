// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/output/teardown_stats.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "core/support/run_beside.h"

namespace twlens {

TimeWaitPeak timeWaitPeak(const Analysis& a) {
    // A window that lasts the whole TIME_WAIT length (one that expired: nearly all) ends in the
    // order it starts, so one sorted array of such starts gives their ends too (start + length);
    // only the windows cut short (4-tuple reused, RST) keep their starts and ends apart. One big
    // sort instead of two, 8 bytes a window instead of 16 (475k windows at 500k connections:
    // ~17 ms and 3.8 MB less at the text summary's peak), rather than one array of (time, delta)
    // pairs, whose sort was once most of the summary's time. Reserved for the most a connection
    // can hold (two windows): only the pages written count, and no pass to count them first.
    const TimeNs length = a.settings.twLength();
    std::vector<TimeNs> whole, cutStarts, cutEnds;
    whole.reserve(a.connections.size() * std::tuple_size_v<decltype(Connection::timeWait)>);
    for (const Connection& c : a.connections)
        for (std::uint8_t i = 0; i < c.timeWaitCount; ++i) {
            const TimeWaitWindow& w = c.timeWait[i];
            // Half-open [start, end): an empty window (end == start: the 4-tuple reused by a SYN
            // stamped with the final ACK's time, a coarse capture clock) holds nothing. Counted, its
            // end -- merged before the start at equal times -- would close a window not yet open and
            // wrap `open` below zero (a peak of 2^64 - 1). end < start is not a window either.
            if (w.end <= w.start)
                continue;
            // The difference in unsigned arithmetic: end > start, so it is exact, and no signed
            // overflow whatever the capture's clock said.
            if (static_cast<std::uint64_t>(w.end) - static_cast<std::uint64_t>(w.start) == static_cast<std::uint64_t>(length)) {
                whole.push_back(w.start);
            } else {
                cutStarts.push_back(w.start);
                cutEnds.push_back(w.end);
            }
        }
    std::sort(whole.begin(), whole.end());
    std::sort(cutStarts.begin(), cutStarts.end());
    std::sort(cutEnds.begin(), cutEnds.end());

    // Two streams of starts (whole, cut) and two of ends (whole + length, cut), merged.
    struct Stream {
        const std::vector<TimeNs>& times;
        TimeNs offset; // whole windows' ends: start + length (their stored end: no overflow)
        std::size_t at = 0;
        bool done() const { return at == times.size(); }
        TimeNs head() const { return times[at] + offset; }
    };
    Stream wholeStarts{whole, 0}, cutStartStream{cutStarts, 0}, wholeEnds{whole, length}, cutEndStream{cutEnds, 0};
    const auto earlier = [](Stream& x, Stream& y) -> Stream* {
        if (x.done())
            return y.done() ? nullptr : &y;
        return y.done() || x.head() <= y.head() ? &x : &y;
    };
    TimeWaitPeak peak;
    std::uint64_t open = 0;
    bool atPeak = false;
    for (;;) {
        Stream* start = earlier(wholeStarts, cutStartStream);
        Stream* end = earlier(wholeEnds, cutEndStream);
        if (!start && !end)
            break;
        // At equal times an end goes before a start, which makes the windows half-open.
        if (!start || (end && end->head() <= start->head())) {
            if (atPeak && open == peak.count) {
                peak.until = end->head();
                atPeak = false;
            }
            --open;
            ++end->at;
        } else {
            ++open;
            if (open > peak.count) {
                peak = {open, start->head(), kNoTime};
                atPeak = true;
            }
            ++start->at;
        }
    }
    return peak;
}

TeardownStats teardownStats(const Analysis& a) {
    TeardownStats s;
    s.connections = a.connections.size();
    const TimeNs twLength = a.settings.twLength();
    std::vector<std::uint64_t> holders(a.addresses.size()); // TIME_WAIT windows by address index
    std::vector<std::pair<TimeNs, std::uint32_t>> gaps;
    const auto count = [&] {
        for (const Connection& c : a.connections) {
            s.synSeen += c.has(Connection::SynSeen);
            s.rolesInferred += c.has(Connection::RolesInferred);
            s.oneSided += c.has(Connection::OneSided);
            s.midStream += c.has(Connection::MidStream);
            ++s.closers[static_cast<std::size_t>(c.activeCloser)];
            ++s.closeKinds[static_cast<std::size_t>(c.closeKind)];
            s.finRetransmissions += c.finRetransmissions;
            for (std::uint8_t i = 0; i < c.timeWaitCount; ++i) {
                const TimeWaitWindow& w = c.timeWait[i];
                ++s.timeWaitWindows;
                ++s.timeWaitBySide[static_cast<std::size_t>(w.side)];
                ++s.timeWaitByEnd[static_cast<std::size_t>(w.reason)];
                const std::uint32_t holder = w.side == Side::Client ? c.clientAddr : c.serverAddr;
                if (holder >= holders.size()) // an Analysis assembled by hand may name more addresses
                    holders.resize(holder + 1);
                ++holders[holder];
            }
            if (c.has(Connection::LostFinalAck)) {
                ++s.lostFinalAck;
                if (s.lostFinalAckExamples.size() < TeardownStats::kExamples)
                    s.lostFinalAckExamples.push_back(c.id);
            }
            if (c.previousIncarnation != kNoIndex) {
                ++s.reused;
                if (c.reuseGap != kNoTime) {
                    gaps.emplace_back(c.reuseGap, c.id);
                    s.reusedWithinTimeWait += c.reuseGap < twLength;
                    s.minReuseGap = s.minReuseGap == kNoTime ? c.reuseGap : std::min(s.minReuseGap, c.reuseGap);
                    s.maxReuseGap = s.maxReuseGap == kNoTime ? c.reuseGap : std::max(s.maxReuseGap, c.reuseGap);
                }
            }
        }
    };
    // The TIME_WAIT peak (a sort of every window's start) is independent of the counts: on big
    // inputs it runs beside them (on 500k connections the sort alone takes ~17 ms).
    constexpr std::size_t kPeakAsideFrom = 1u << 16;
    const auto peak = [&] { s.peak = timeWaitPeak(a); };
    if (a.connections.size() >= kPeakAsideFrom) {
        runBeside(peak, count);
    } else {
        peak();
        count();
    }

    for (std::uint32_t addr = 0; addr < holders.size(); ++addr)
        if (holders[addr] > 0)
            s.timeWaitHolders.push_back({addr, holders[addr]});
    std::sort(s.timeWaitHolders.begin(), s.timeWaitHolders.end(), [&](const auto& x, const auto& y) {
        return x.windows != y.windows ? x.windows > y.windows : a.addresses[x.address] < a.addresses[y.address];
    });

    const std::size_t nGaps = std::min(gaps.size(), TeardownStats::kExamples);
    std::partial_sort(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(nGaps), gaps.end());
    for (std::size_t i = 0; i < nGaps; ++i)
        s.reuseExamples.push_back(gaps[i].second);

    // Hazards by kind; the examples are the most severe, earliest first.
    std::map<std::string, std::vector<std::uint32_t>, std::less<>> byKind;
    for (std::uint32_t i = 0; i < a.hazards.size(); ++i)
        byKind[a.hazards[i].kind].push_back(i);
    for (auto& [kind, idx] : byKind) {
        TeardownStats::HazardGroup g;
        g.kind = kind;
        g.count = idx.size();
        std::stable_sort(idx.begin(), idx.end(), [&](std::uint32_t x, std::uint32_t y) {
            const Hazard& hx = a.hazards[x];
            const Hazard& hy = a.hazards[y];
            return hx.severity != hy.severity ? hx.severity > hy.severity : hx.ts < hy.ts;
        });
        g.worst = a.hazards[idx.front()].severity;
        idx.resize(std::min(idx.size(), TeardownStats::kExamples));
        g.examples = std::move(idx);
        s.hazards.push_back(std::move(g));
    }
    std::stable_sort(s.hazards.begin(), s.hazards.end(), [](const auto& x, const auto& y) {
        return x.worst != y.worst ? x.worst > y.worst : x.count > y.count;
    });

    for (std::uint32_t i = 0; i < a.snapshots.size(); ++i) {
        const SocketSnapshot& snap = a.snapshots[i];
        ++s.snapshots;
        if (snap.ts != kNoTime) {
            s.firstSnapshot = s.firstSnapshot == kNoTime ? snap.ts : std::min(s.firstSnapshot, snap.ts);
            s.lastSnapshot = s.lastSnapshot == kNoTime ? snap.ts : std::max(s.lastSnapshot, snap.ts);
        }
        std::int64_t tw = snap.stateCounts[static_cast<std::size_t>(TcpState::TimeWait)];
        if (tw < 0)
            tw = snap.timeWaitTotal;
        if (tw > s.snapshotTimeWaitMax) {
            s.snapshotTimeWaitMax = tw;
            s.snapshotTimeWaitMaxAt = i;
        }
    }
    for (const InputInfo& in : a.inputs)
        s.warnings += in.warnings.size();
    return s;
}

} // namespace twlens
