// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/output/teardown_stats.h"

#include <algorithm>
#include <exception>
#include <map>
#include <tuple>
#include <thread>
#include <utility>

namespace twlens {

TimeWaitPeak timeWaitPeak(const Analysis& a) {
    // Starts and ends in two sorted arrays (8 bytes an event) merged in one pass, rather than one
    // array of (time, delta) pairs: on 500k connections the pairs' sort was most of the text
    // summary's time. Reserved for the most a connection can hold (two windows): only the pages
    // written count, and no pass over the connections to count them first.
    std::vector<TimeNs> starts, ends;
    starts.reserve(a.connections.size() * std::tuple_size_v<decltype(Connection::timeWait)>);
    ends.reserve(starts.capacity());
    for (const Connection& c : a.connections)
        for (std::uint8_t i = 0; i < c.timeWaitCount; ++i) {
            const TimeWaitWindow& w = c.timeWait[i];
            // Half-open [start, end): an empty window (end == start: the 4-tuple reused by a SYN
            // stamped with the final ACK's time, a coarse capture clock) holds nothing. Counted, its
            // end -- merged before the start at equal times -- would close a window not yet open and
            // wrap `open` below zero (a peak of 2^64 - 1). end < start is not a window either.
            if (w.end <= w.start)
                continue;
            starts.push_back(w.start);
            ends.push_back(w.end);
        }
    // Two independent sorts: on big inputs the ends are sorted on a second thread (475k windows
    // each at 500k connections, ~17 ms a sort, most of the text summary's time).
    constexpr std::size_t kSortAsideFrom = 1u << 16;
    {
        std::jthread aside;
        if (ends.size() >= kSortAsideFrom)
            aside = std::jthread([&ends] { std::sort(ends.begin(), ends.end()); });
        else
            std::sort(ends.begin(), ends.end());
        std::sort(starts.begin(), starts.end());
    }
    TimeWaitPeak peak;
    std::uint64_t open = 0;
    bool atPeak = false;
    std::size_t si = 0, ei = 0;
    while (si < starts.size() || ei < ends.size()) {
        // At equal times an end goes before a start, which makes the windows half-open.
        if (si == starts.size() || (ei < ends.size() && ends[ei] <= starts[si])) {
            if (atPeak && open == peak.count) {
                peak.until = ends[ei];
                atPeak = false;
            }
            --open;
            ++ei;
        } else {
            ++open;
            if (open > peak.count) {
                peak = {open, starts[si], kNoTime};
                atPeak = true;
            }
            ++si;
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
    // The TIME_WAIT peak (two sorts of every window's times) is independent of the counts below:
    // on big inputs it runs beside them (~20 ms of the text summary's ~55 on 500k connections).
    constexpr std::size_t kPeakAsideFrom = 1u << 16;
    std::exception_ptr peakFailed;
    std::jthread peakAside;
    if (a.connections.size() >= kPeakAsideFrom)
        peakAside = std::jthread([&a, &s, &peakFailed] {
            try {
                s.peak = timeWaitPeak(a);
            } catch (...) {
                peakFailed = std::current_exception(); // rethrown on this thread, as in series
            }
        });
    else
        s.peak = timeWaitPeak(a);

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
    if (peakAside.joinable()) {
        peakAside.join();
        if (peakFailed)
            std::rethrow_exception(peakFailed);
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
