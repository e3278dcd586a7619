// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/findings/time_wait_agreement.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/findings/finding_text.h"
#include "core/output/time_format.h"

namespace twlens {

using namespace findings;

namespace {

struct FourTuple {
    IpAddress localIp;
    IpAddress remoteIp;
    std::uint16_t localPort = 0;
    std::uint16_t remotePort = 0;
    auto operator<=>(const FourTuple&) const = default;
};

struct Window {
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
    std::map<FourTuple, std::vector<Window>> windows;
    for (const Connection& c : a.connections)
        for (std::uint8_t i = 0; i < c.timeWaitCount && i < c.timeWait.size(); ++i) {
            const TimeWaitWindow& w = c.timeWait[i];
            const bool client = w.side == Side::Client;
            FourTuple k{client ? a.clientIp(c) : a.serverIp(c), client ? a.serverIp(c) : a.clientIp(c),
                        client ? c.clientPort : c.serverPort, client ? c.serverPort : c.clientPort};
            windows[k].push_back({w.start, w.end});
        }
    const TimeNs twLength = a.settings.twLength();
    for (std::uint32_t i = 0; i < a.snapshots.size(); ++i) {
        const SocketSnapshot& s = a.snapshots[i];
        if (!comparable(s))
            continue;
        TimeWaitAgreement r;
        r.snapshot = i;
        r.ts = s.ts;
        std::set<IpAddress> locals;
        std::set<FourTuple> rows;
        for (const SocketRow& row : s.sockets) {
            if (!row.localIp.isUnspecified())
                locals.insert(row.localIp);
            if (row.state != TcpState::TimeWait)
                continue;
            const FourTuple k{row.localIp, row.remoteIp, row.localPort, row.remotePort};
            rows.insert(k);
            const auto it = windows.find(k);
            const bool near = it != windows.end() && std::any_of(it->second.begin(), it->second.end(), [&](const Window& w) {
                                  return w.start <= s.ts + tol && w.end > s.ts - tol;
                              });
            // ss -o / netstat -o: the remaining timer dates an unexplained row's TIME_WAIT start.
            // ss prints whole seconds above a few seconds ("59sec" for 59.9 s), hence 1 s of slack.
            const bool before = row.timerKind == 3 && row.timerMs >= 0 &&
                                s.ts - (twLength - row.timerMs * kNsPerMs) < span.first - kNsPerSecond - tol;
            ++(near ? r.matched : before ? r.beforeCapture : r.onlySnapshot);
        }
        for (const auto& [k, list] : windows) {
            if (!locals.contains(k.localIp) || rows.contains(k))
                continue;
            const bool sure = std::any_of(list.begin(), list.end(), [&](const Window& w) {
                return w.start <= s.ts - tol && w.end > s.ts + tol;
            });
            r.onlyPredicted += sure ? 1 : 0;
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
