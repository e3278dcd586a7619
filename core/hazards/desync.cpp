// SPDX-License-Identifier: GPL-3.0-or-later
// desync (RFC 1337 H2): one end acknowledges data the other never sent (an old ACK taken in
// after a reopening), and both answer each other's segments with ACKs the other finds
// unacceptable: zero-length ACKs with frozen seq/ack values going back and forth. On Linux each
// answer is rate-limited by tcp_invalid_ratelimit (500 ms), so they repeat about every 500 ms.
// Signature here: at least kMinRepeats identical zero-length ACKs from one end whose ACK value is
// beyond everything the other end was seen to send, while the other end repeats its own frozen
// zero-length ACK at least twice in the same span.
#include <map>
#include <utility>

#include "core/hazards/detectors.h"

namespace twlens::hazards {

namespace {
constexpr int kMinRepeats = 3;

struct Group {
    std::vector<int> idx;
};

std::optional<std::uint32_t> highestSent(std::span<const ControlSegment> segs, Side side) {
    std::optional<std::uint32_t> best;
    for (const ControlSegment& s : segs) {
        if (isTapCopy(s) || s.from() != side || isRst(s))
            continue;
        const std::uint32_t end = s.seq + s.payload + ((s.flags & tcpflag::SYN) ? 1u : 0u) + (isFin(s) ? 1u : 0u);
        if (!best || seqGt(end, *best))
            best = end;
    }
    return best;
}
} // namespace

void detectDesync(const Analysis& a, const ConnectionBlock& block, HazardList& out) {
    for (const Connection& c : block.connections()) {
        const auto segs = block.segmentsOf(c);
        // A frozen run needs kMinRepeats bare ACKs from one side: most connections carry fewer
        // (the handshake ACK and a final ACK or two), and are done without building groups.
        int bareAcks[2] = {0, 0};
        for (const ControlSegment& s : segs)
            if (!isTapCopy(s) && isBareAck(s))
                ++bareAcks[static_cast<int>(s.from())];
        if (bareAcks[0] < kMinRepeats && bareAcks[1] < kMinRepeats)
            continue;
        std::map<std::pair<std::uint32_t, std::uint32_t>, Group> groups[2];
        for (int i = 0; i < static_cast<int>(segs.size()); ++i) {
            const ControlSegment& s = segs[static_cast<std::size_t>(i)];
            if (!isTapCopy(s) && isBareAck(s))
                groups[static_cast<int>(s.from())][{s.seq, s.ack}].idx.push_back(i);
        }
        bool reported = false;
        for (Side x : {Side::Client, Side::Server}) {
            if (reported)
                break;
            const Side y = other(x);
            const auto ySent = highestSent(segs, y);
            if (!ySent)
                continue;
            for (const auto& [key, g] : groups[static_cast<int>(x)]) {
                if (static_cast<int>(g.idx.size()) < kMinRepeats || !seqGt(key.second, *ySent))
                    continue;
                const TimeNs from = segs[static_cast<std::size_t>(g.idx.front())].ts;
                const TimeNs to = segs[static_cast<std::size_t>(g.idx.back())].ts;
                const Group* answer = nullptr;
                for (const auto& [yk, yg] : groups[static_cast<int>(y)]) {
                    int inSpan = 0;
                    for (int j : yg.idx)
                        if (segs[static_cast<std::size_t>(j)].ts >= from && segs[static_cast<std::size_t>(j)].ts <= to + kNsPerSecond)
                            ++inSpan;
                    if (inSpan >= 2 && (!answer || yg.idx.size() > answer->idx.size()))
                        answer = &yg;
                }
                if (!answer)
                    continue;
                const ControlSegment& first = segs[static_cast<std::size_t>(g.idx.front())];
                const ControlSegment& ya = segs[static_cast<std::size_t>(answer->idx.front())];
                const TimeNs every = (to - from) / static_cast<TimeNs>(g.idx.size() - 1);
                std::string text = tupleText(a, c) + ": " + std::to_string(g.idx.size()) + " zero-length ACKs from the " + sideName(x) +
                                   " with frozen seq " + std::to_string(key.first) + " ack " + std::to_string(key.second) +
                                   ", beyond the " + sideName(y) + "'s highest sent sequence " + std::to_string(*ySent) +
                                   " (data never sent), answered by " + std::to_string(answer->idx.size()) +
                                   " frozen ACKs from the " + sideName(y) + " (seq " + std::to_string(ya.seq) + " ack " +
                                   std::to_string(ya.ack) + "), one every " + duration(every) + " over " + duration(to - from) +
                                   ": the ends are desynchronised";
                Hazard& h = out.add("desync", c, first.ts, Severity::Critical, "RFC 1337 H2; Linux tcp_invalid_ratelimit",
                                    std::move(text));
                for (int j : g.idx)
                    out.frames(h, segs, {j});
                for (int j : answer->idx)
                    out.frames(h, segs, {j});
                reported = true;
                break;
            }
        }
    }
}

} // namespace twlens::hazards
