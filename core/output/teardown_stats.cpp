// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/output/teardown_stats.h"

#include <algorithm>
#include <map>
#include <span>
#include <tuple>
#include <utility>

#include "core/support/radix_sort.h"
#include "core/support/run_beside.h"

namespace twlens {

namespace {

// A TIME_WAIT window that lasts the whole TIME_WAIT length (one that expired: nearly all) ends in
// the order it starts, so one sorted array of such starts gives their ends too (start + length);
// only the windows cut short (4-tuple reused, RST) keep their starts and ends apart. One big sort
// instead of two, 8 bytes a window instead of 16, rather than one array of (time, delta) pairs,
// whose sort was once most of the summary's time.
struct WindowTimes {
    std::vector<TimeNs> whole, cutStarts, cutEnds;

    void add(const TimeWaitWindow& w, TimeNs length) {
        // Half-open [start, end): an empty window (end == start: the 4-tuple reused by a SYN
        // stamped with the final ACK's time, a coarse capture clock) holds nothing. Counted, its
        // end -- merged before the start at equal times -- would close a window not yet open and
        // wrap `open` below zero (a peak of 2^64 - 1). end < start is not a window either.
        if (w.end <= w.start)
            return;
        // The difference in unsigned arithmetic: end > start, so it is exact, and no signed
        // overflow whatever the capture's clock said.
        if (static_cast<std::uint64_t>(w.end) - static_cast<std::uint64_t>(w.start) == static_cast<std::uint64_t>(length)) {
            whole.push_back(w.start);
        } else {
            cutStarts.push_back(w.start);
            cutEnds.push_back(w.end);
        }
    }
    void append(const WindowTimes& o) {
        whole.insert(whole.end(), o.whole.begin(), o.whole.end());
        cutStarts.insert(cutStarts.end(), o.cutStarts.begin(), o.cutStarts.end());
        cutEnds.insert(cutEnds.end(), o.cutEnds.begin(), o.cutEnds.end());
    }
};

// Windows are half-open [start, end): at equal times an end goes before a start.
TimeWaitPeak peakOf(WindowTimes& t, TimeNs length) {
    std::vector<TimeNs> scratch;
    radixSortInt64(t.whole, scratch);
    radixSortInt64(t.cutStarts, scratch);
    radixSortInt64(t.cutEnds, scratch);

    // Two streams of starts (whole, cut) and two of ends (whole + length, cut), merged.
    struct Stream {
        const std::vector<TimeNs>& times;
        TimeNs offset; // whole windows' ends: start + length (their stored end: no overflow)
        std::size_t at = 0;
        bool done() const { return at == times.size(); }
        TimeNs head() const { return times[at] + offset; }
    };
    Stream wholeStarts{t.whole, 0}, cutStartStream{t.cutStarts, 0}, wholeEnds{t.whole, length}, cutEndStream{t.cutEnds, 0};
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

// What one pass over a run of connections finds: the counts, each address' TIME_WAIT windows,
// the reuse gaps, the first lost final ACKs and every window's times. Two runs' tallies add up
// to the tally of both, in order.
struct Tally {
    std::uint64_t synSeen = 0, rolesInferred = 0, oneSided = 0, midStream = 0;
    std::array<std::uint64_t, 4> closers{};
    std::array<std::uint64_t, 5> closeKinds{};
    std::uint64_t finRetransmissions = 0;
    std::uint64_t timeWaitWindows = 0;
    std::array<std::uint64_t, 2> timeWaitBySide{};
    std::array<std::uint64_t, 3> timeWaitByEnd{};
    std::vector<std::uint64_t> holders; // TIME_WAIT windows by address index
    std::uint64_t lostFinalAck = 0;
    std::vector<std::uint32_t> lostFinalAckExamples;
    std::uint64_t reused = 0, reusedWithinTimeWait = 0;
    TimeNs minReuseGap = kNoTime, maxReuseGap = kNoTime;
    std::vector<std::pair<TimeNs, std::uint32_t>> gaps;
    WindowTimes windows;

    void count(const Analysis& a, std::span<const Connection> run) {
        const TimeNs twLength = a.settings.twLength();
        holders.assign(a.addresses.size(), 0);
        // Reserved for the most a connection can hold (two windows): only the pages written count.
        windows.whole.reserve(run.size() * std::tuple_size_v<decltype(Connection::timeWait)>);
        for (const Connection& c : run) {
            synSeen += c.has(Connection::SynSeen);
            rolesInferred += c.has(Connection::RolesInferred);
            oneSided += c.has(Connection::OneSided);
            midStream += c.has(Connection::MidStream);
            ++closers[static_cast<std::size_t>(c.activeCloser)];
            ++closeKinds[static_cast<std::size_t>(c.closeKind)];
            finRetransmissions += c.finRetransmissions;
            for (std::uint8_t i = 0; i < c.timeWaitCount; ++i) {
                const TimeWaitWindow& w = c.timeWait[i];
                ++timeWaitWindows;
                ++timeWaitBySide[static_cast<std::size_t>(w.side)];
                ++timeWaitByEnd[static_cast<std::size_t>(w.reason)];
                const std::uint32_t holder = w.side == Side::Client ? c.clientAddr : c.serverAddr;
                if (holder >= holders.size()) // an Analysis assembled by hand may name more addresses
                    holders.resize(holder + 1);
                ++holders[holder];
                windows.add(w, twLength);
            }
            if (c.has(Connection::LostFinalAck)) {
                ++lostFinalAck;
                if (lostFinalAckExamples.size() < TeardownStats::kExamples)
                    lostFinalAckExamples.push_back(c.id);
            }
            if (c.previousIncarnation != kNoIndex) {
                ++reused;
                if (c.reuseGap != kNoTime) {
                    gaps.emplace_back(c.reuseGap, c.id);
                    reusedWithinTimeWait += c.reuseGap < twLength;
                    minReuseGap = minReuseGap == kNoTime ? c.reuseGap : std::min(minReuseGap, c.reuseGap);
                    maxReuseGap = maxReuseGap == kNoTime ? c.reuseGap : std::max(maxReuseGap, c.reuseGap);
                }
            }
        }
    }

    // Adds the tally of the connections right after this one's.
    void append(Tally&& o) {
        synSeen += o.synSeen;
        rolesInferred += o.rolesInferred;
        oneSided += o.oneSided;
        midStream += o.midStream;
        for (std::size_t i = 0; i < closers.size(); ++i)
            closers[i] += o.closers[i];
        for (std::size_t i = 0; i < closeKinds.size(); ++i)
            closeKinds[i] += o.closeKinds[i];
        finRetransmissions += o.finRetransmissions;
        timeWaitWindows += o.timeWaitWindows;
        for (std::size_t i = 0; i < timeWaitBySide.size(); ++i)
            timeWaitBySide[i] += o.timeWaitBySide[i];
        for (std::size_t i = 0; i < timeWaitByEnd.size(); ++i)
            timeWaitByEnd[i] += o.timeWaitByEnd[i];
        if (o.holders.size() > holders.size())
            holders.resize(o.holders.size());
        for (std::size_t i = 0; i < o.holders.size(); ++i)
            holders[i] += o.holders[i];
        lostFinalAck += o.lostFinalAck;
        for (std::uint32_t id : o.lostFinalAckExamples)
            if (lostFinalAckExamples.size() < TeardownStats::kExamples)
                lostFinalAckExamples.push_back(id);
        reused += o.reused;
        reusedWithinTimeWait += o.reusedWithinTimeWait;
        for (TimeNs g : {o.minReuseGap, o.maxReuseGap})
            if (g != kNoTime) {
                minReuseGap = minReuseGap == kNoTime ? g : std::min(minReuseGap, g);
                maxReuseGap = maxReuseGap == kNoTime ? g : std::max(maxReuseGap, g);
            }
        gaps.insert(gaps.end(), o.gaps.begin(), o.gaps.end());
        windows.append(o.windows);
        o = {};
    }
};

} // namespace

TimeWaitPeak timeWaitPeak(const Analysis& a) {
    const TimeNs length = a.settings.twLength();
    WindowTimes t;
    t.whole.reserve(a.connections.size() * std::tuple_size_v<decltype(Connection::timeWait)>);
    for (const Connection& c : a.connections)
        for (std::uint8_t i = 0; i < c.timeWaitCount; ++i)
            t.add(c.timeWait[i], length);
    return peakOf(t, length);
}

TeardownStats teardownStats(const Analysis& a) {
    TeardownStats s;
    s.connections = a.connections.size();
    // One pass over the connections gathers every figure and window; on big inputs its two halves
    // run on two threads (the pass streams every Connection from memory: on 500k connections,
    // 84 MB, ~45 ms on one thread, which was most of the summary's time).
    constexpr std::size_t kHalvesFrom = 1u << 16;
    const std::span<const Connection> all(a.connections);
    Tally tally;
    if (all.size() >= kHalvesFrom) {
        Tally second;
        const std::size_t half = all.size() / 2;
        runBeside([&] { second.count(a, all.subspan(half)); }, [&] { tally.count(a, all.first(half)); });
        tally.append(std::move(second));
    } else {
        tally.count(a, all);
    }
    s.synSeen = tally.synSeen;
    s.rolesInferred = tally.rolesInferred;
    s.oneSided = tally.oneSided;
    s.midStream = tally.midStream;
    s.closers = tally.closers;
    s.closeKinds = tally.closeKinds;
    s.finRetransmissions = tally.finRetransmissions;
    s.timeWaitWindows = tally.timeWaitWindows;
    s.timeWaitBySide = tally.timeWaitBySide;
    s.timeWaitByEnd = tally.timeWaitByEnd;
    s.lostFinalAck = tally.lostFinalAck;
    s.lostFinalAckExamples = std::move(tally.lostFinalAckExamples);
    s.reused = tally.reused;
    s.reusedWithinTimeWait = tally.reusedWithinTimeWait;
    s.minReuseGap = tally.minReuseGap;
    s.maxReuseGap = tally.maxReuseGap;
    s.peak = peakOf(tally.windows, a.settings.twLength());
    const std::vector<std::uint64_t>& holders = tally.holders;
    std::vector<std::pair<TimeNs, std::uint32_t>>& gaps = tally.gaps;

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
