// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/findings/time_wait_agreement.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "core/findings/finding_text.h"
#include "core/output/time_format.h"

namespace twlens {

using namespace findings;

namespace {

// A 4-tuple from one side, by interned address (Analysis::addresses) and port: 12 bytes, no
// allocation, so the windows can sit in one sorted vector.
struct TupleKey {
    std::uint32_t local = 0;
    std::uint32_t remote = 0;
    std::uint16_t localPort = 0;
    std::uint16_t remotePort = 0;
    auto operator<=>(const TupleKey&) const = default;
};

struct KeyedWindow {
    TupleKey key;
    TimeNs start, end;
};

struct CaptureSpan {
    TimeNs first = kNoTime, last = kNoTime;
};

CaptureSpan captureSpan(const Analysis& a) {
    CaptureSpan s;
    for (const InputInfo& in : a.inputs) {
        if ((in.kind != InputKind::Pcap && in.kind != InputKind::Pcapng) || in.firstTs == kNoTime)
            continue;
        s.first = s.first == kNoTime ? in.firstTs : std::min(s.first, in.firstTs);
        s.last = std::max(s.last, in.lastTs);
    }
    return s;
}

} // namespace

std::vector<TimeWaitAgreement> compareTimeWait(const Analysis& a, TimeNs tol) {
    std::vector<TimeWaitAgreement> out;
    const CaptureSpan span = captureSpan(a);
    if (span.first == kNoTime)
        return out;
    auto comparable = [&](const SocketSnapshot& s) {
        return !s.sockets.empty() && s.ts != kNoTime && s.ts >= span.first && s.ts <= span.last &&
               s.stateCounts[static_cast<std::size_t>(TcpState::TimeWait)] >= 0;
    };
    if (std::none_of(a.snapshots.begin(), a.snapshots.end(), comparable))
        return out; // nothing to compare: spare indexing every TIME_WAIT window
    // Only windows open somewhere within tolerance of a compared snapshot can match a row or be
    // counted as missing from one: the others are never indexed (a long capture has millions).
    std::vector<TimeNs> times;
    for (const SocketSnapshot& s : a.snapshots)
        if (comparable(s))
            times.push_back(s.ts);
    std::sort(times.begin(), times.end());
    auto nearSome = [&](TimeNs start, TimeNs end) {
        const auto it = std::lower_bound(times.begin(), times.end(), start == kNoTime ? kNoTime : start - tol);
        return it != times.end() && end != kNoTime && *it < end + tol;
    };
    std::vector<KeyedWindow> windows;
    for (const Connection& c : a.connections)
        for (std::uint8_t i = 0; i < c.timeWaitCount && i < c.timeWait.size(); ++i) {
            const TimeWaitWindow& w = c.timeWait[i];
            if (!nearSome(w.start, w.end))
                continue;
            const bool client = w.side == Side::Client;
            windows.push_back({{client ? c.clientAddr : c.serverAddr, client ? c.serverAddr : c.clientAddr,
                                client ? c.clientPort : c.serverPort, client ? c.serverPort : c.clientPort},
                               w.start, w.end});
        }
    std::sort(windows.begin(), windows.end(),
              [](const KeyedWindow& x, const KeyedWindow& y) { return x.key < y.key; });
    // A snapshot row names addresses as text-parsed IPs: find their interned index, when any
    // window uses them (a row whose address no window uses cannot match one).
    std::unordered_map<IpAddress, std::uint32_t, IpAddressHash> index;
    for (const KeyedWindow& w : windows) {
        index.emplace(a.addresses[w.key.local], w.key.local);
        index.emplace(a.addresses[w.key.remote], w.key.remote);
    }
    auto indexOf = [&](const IpAddress& ip) {
        const auto it = index.find(ip);
        return it == index.end() ? std::optional<std::uint32_t>{} : std::optional<std::uint32_t>{it->second};
    };
    auto byKey = [](const KeyedWindow& w, const TupleKey& k) { return w.key < k; };
    const TimeNs twLength = a.settings.twLength();
    // localIn[address] == i: a row of snapshot i has it as its local address (no clearing per
    // snapshot: a long capture has many addresses and many snapshots).
    std::vector<std::uint32_t> localIn(a.addresses.size(), UINT32_MAX);
    std::vector<TupleKey> rows;
    for (std::uint32_t i = 0; i < a.snapshots.size(); ++i) {
        const SocketSnapshot& s = a.snapshots[i];
        if (!comparable(s))
            continue;
        TimeWaitAgreement r;
        r.snapshot = i;
        r.ts = s.ts;
        rows.clear();
        for (const SocketRow& row : s.sockets) {
            const auto li = indexOf(row.localIp);
            if (li && !row.localIp.isUnspecified())
                localIn[*li] = i;
            if (row.state != TcpState::TimeWait)
                continue;
            const auto ri = indexOf(row.remoteIp);
            bool near = false;
            if (li && ri) {
                const TupleKey k{*li, *ri, row.localPort, row.remotePort};
                rows.push_back(k);
                for (auto it = std::lower_bound(windows.begin(), windows.end(), k, byKey);
                     it != windows.end() && it->key == k && !near; ++it)
                    near = it->start <= s.ts + tol && it->end > s.ts - tol;
            }
            // ss -o / netstat -o: the remaining timer dates an unexplained row's TIME_WAIT start.
            // ss prints whole seconds above a few seconds ("59sec" for 59.9 s), hence 1 s of slack.
            const bool before = row.timerKind == 3 && row.timerMs >= 0 &&
                                s.ts - (twLength - row.timerMs * kNsPerMs) < span.first - kNsPerSecond - tol;
            ++(near ? r.matched : before ? r.beforeCapture : r.onlySnapshot);
        }
        std::sort(rows.begin(), rows.end());
        // Each 4-tuple counts once, however many of its windows are open at ts.
        for (std::size_t j = 0; j < windows.size();) {
            const TupleKey k = windows[j].key;
            const bool skip = localIn[k.local] != i || std::binary_search(rows.begin(), rows.end(), k);
            bool sure = false;
            for (; j < windows.size() && windows[j].key == k; ++j)
                sure = sure || (windows[j].start <= s.ts - tol && windows[j].end > s.ts + tol);
            r.onlyPredicted += !skip && sure ? 1 : 0;
        }
        out.push_back(r);
    }
    return out;
}

void addTimeWaitAgreement(const Analysis& a, std::vector<Finding>& out) {
    const std::vector<TimeWaitAgreement> all = compareTimeWait(a);
    if (all.empty())
        return;
    std::uint64_t matched = 0, onlyPredicted = 0, onlySnapshot = 0, before = 0;
    const TimeWaitAgreement* firstOff = nullptr;
    for (const TimeWaitAgreement& r : all) {
        matched += r.matched;
        onlyPredicted += r.onlyPredicted;
        onlySnapshot += r.onlySnapshot;
        before += r.beforeCapture;
        if (!firstOff && (r.onlyPredicted || r.onlySnapshot))
            firstOff = &r;
    }
    Finding f;
    f.kind = "time_wait_agreement";
    f.severity = firstOff ? Severity::Warning : Severity::Info;
    f.summary = "TIME_WAIT predicted from the captures vs seen in " + std::to_string(all.size()) + " snapshot" +
                (all.size() == 1 ? "" : "s") + ": " + std::to_string(matched) + " matched, " +
                std::to_string(onlyPredicted) + " only predicted, " + std::to_string(onlySnapshot) + " only in a snapshot";
    if (before)
        f.summary += " (" + std::to_string(before) + " began before the capture, not compared)";
    f.summary += firstOff ? ": the capture and the socket table disagree (packets missed, another interface, or "
                            "TIME_WAIT cut short)"
                          : ": the capture explains the kernel's TIME_WAIT sockets";
    const TimeWaitAgreement& cited = firstOff ? *firstOff : all.front();
    const SocketSnapshot& s = a.snapshots[cited.snapshot];
    f.evidence = inputPath(a, s.input) + " (" + utcText(s.ts) + "): " + std::to_string(cited.matched) + " matched, " +
                 std::to_string(cited.onlyPredicted) + " only predicted, " + std::to_string(cited.onlySnapshot) +
                 " only in the snapshot";
    out.push_back(std::move(f));
}

} // namespace twlens
