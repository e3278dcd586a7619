// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/findings/counter_findings.h"

#include <string_view>

#include "core/findings/finding_text.h"
#include "core/output/time_format.h"
#include "core/snapshots/counter_names.h"

namespace twlens {

using namespace findings;

namespace {

struct CounterSpan {
    const SocketSnapshot* first = nullptr;
    const SocketSnapshot* last = nullptr;
    std::int64_t firstValue = 0, lastValue = 0;
};

CounterSpan spanOf(const Analysis& a, std::string_view name) {
    CounterSpan c;
    for (const SocketSnapshot& s : a.snapshots) {
        const auto it = s.counters.find(name);
        if (it == s.counters.end())
            continue;
        if (!c.first) {
            c.first = &s;
            c.firstValue = it->second;
        }
        c.last = &s;
        c.lastValue = it->second;
    }
    return c;
}

std::string valueText(std::string_view name, const CounterSpan& c) {
    std::string t = std::string(name) + " = " + std::to_string(c.lastValue);
    if (c.first != c.last && c.first->ts != kNoTime && c.last->ts != kNoTime)
        t += " (" + std::string(c.lastValue >= c.firstValue ? "+" : "") + std::to_string(c.lastValue - c.firstValue) +
             " between " + utcText(c.first->ts) + " and " + utcText(c.last->ts) + ")";
    return t;
}

std::string evidenceOf(const Analysis& a, std::string_view name, const CounterSpan& c) {
    std::string ev = inputPath(a, c.last->input);
    if (c.last->ts != kNoTime)
        ev += " (" + utcText(c.last->ts) + ")";
    return ev + ": " + std::string(name) + " " + std::to_string(c.lastValue);
}

} // namespace

void addCounterFindings(const Analysis& a, std::vector<Finding>& out) {
    if (const CounterSpan c = spanOf(a, counters::kTimeWaitOverflow); c.last && c.lastValue > 0) {
        const Settings& s = a.settings;
        Finding f;
        f.kind = "time_wait_overflow";
        f.severity = Severity::Warning;
        f.summary = valueText(counters::kTimeWaitOverflow, c) +
                    ": the TIME_WAIT table was full (net.ipv4.tcp_max_tw_buckets" +
                    (s.maxTwBuckets.value >= 0 ? " = " + std::to_string(s.maxTwBuckets.value) : std::string()) +
                    ") and closing sockets were destroyed without TIME_WAIT; a retransmitted FIN from the peer then "
                    "gets a RST, and old duplicate segments are no longer caught.";
        f.evidence = evidenceOf(a, counters::kTimeWaitOverflow, c);
        if (s.maxTwBuckets.value >= 0)
            f.evidence += "; " + sysctlEvidence(a, "net.ipv4.tcp_max_tw_buckets", s.maxTwBuckets.source,
                                                std::to_string(s.maxTwBuckets.value));
        out.push_back(std::move(f));
    }
    if (const CounterSpan c = spanOf(a, counters::kTimeWaitRecycled); c.last && c.lastValue > 0) {
        Finding f;
        f.kind = "tw_reuse_happened";
        f.severity = Severity::Info;
        f.summary = valueText(counters::kTimeWaitRecycled, c) +
                    ": connect() reused ports still in TIME_WAIT, through net.ipv4.tcp_tw_reuse or for sockets bound to "
                    "a port before connect() (despite its name this counter has nothing to do with the removed "
                    "tcp_tw_recycle).";
        f.evidence = evidenceOf(a, counters::kTimeWaitRecycled, c);
        out.push_back(std::move(f));
    }
}

} // namespace twlens
