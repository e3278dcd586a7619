// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/hazards/hazard_support.h"

#include <algorithm>
#include <cstdio>

namespace twlens::hazards {

int firstFin(std::span<const ControlSegment> segs, Side side) {
    return findFrom(segs, 0, side, [](const ControlSegment& s) { return isFin(s); });
}

std::optional<std::uint32_t> finSequence(std::span<const ControlSegment> segs, Side side) {
    const int i = firstFin(segs, side);
    if (i < 0)
        return std::nullopt;
    const ControlSegment& f = segs[static_cast<std::size_t>(i)];
    return f.seq + f.payload;
}

std::optional<std::uint32_t> lastTsVal(std::span<const ControlSegment> segs, Side side) {
    std::optional<std::uint32_t> best;
    for (const ControlSegment& s : segs)
        if (!isTapCopy(s) && s.from() == side && (s.meta & ControlSegment::HasTimestamp))
            if (!best || tsNewer(s.tsVal, *best))
                best = s.tsVal;
    return best;
}

void ConnectionBlock::load(const Analysis& a, std::span<const Connection> connections) {
    connections_ = connections;
    at_.clear();
    std::size_t total = 0;
    for (const Connection& c : connections) {
        at_.push_back(total);
        total += c.segmentCount;
    }
    segments_.resize(total);
    for (std::size_t i = 0; i < connections.size(); ++i)
        a.segments.decodeInto(connections[i].firstSegment, connections[i].segmentCount, segments_.data() + at_[i]);
}

SynAnswer synAnswer(const Analysis& a, const Connection& n, std::span<const ControlSegment> segs) {
    SynAnswer r;
    r.syn = findFrom(segs, 0, Side::Client, isSyn);
    if (r.syn < 0)
        return r;
    const TimeNs synTs = segs[static_cast<std::size_t>(r.syn)].ts;
    r.synAck = findFrom(segs, r.syn + 1, Side::Server, isSynAck);
    const int synEnd = r.synAck >= 0 ? r.synAck : static_cast<int>(segs.size());
    for (int i = r.syn; i < synEnd; ++i)
        if (!isTapCopy(segs[static_cast<std::size_t>(i)]) && segs[static_cast<std::size_t>(i)].from() == Side::Client &&
            isSyn(segs[static_cast<std::size_t>(i)]))
            ++r.synCount;
    const TimeNs synAckTs = r.synAck >= 0 ? segs[static_cast<std::size_t>(r.synAck)].ts : INT64_MAX;
    const auto kindOf = [](const ControlSegment& s) -> char {
        return isSynAck(s) ? 'S' : isRst(s) ? 'R' : (s.flags & tcpflag::ACK) ? 'A' : 0;
    };
    r.answer = findFrom(segs, r.syn + 1, Side::Server, [](const ControlSegment&) { return true; });
    if (r.answer >= 0)
        r.answerKind = kindOf(segs[static_cast<std::size_t>(r.answer)]);
    Side clientInReject = Side::Client;
    if (r.answerKind != 'A' && r.answerKind != 'R' && n.previousIncarnation != kNoIndex) {
        // Look for the rejection in the previous incarnation, between the SYN and the SYN-ACK.
        const Connection& p = a.connections[n.previousIncarnation];
        const bool sameRoles = n.clientPort == p.clientPort && n.clientAddr == p.clientAddr;
        const Side pServer = sameRoles ? Side::Server : Side::Client;
        const auto psegs = a.segmentsOf(p);
        const int i = findFrom(psegs, 0, pServer, [&](const ControlSegment& s) { return s.ts >= synTs && s.ts <= synAckTs; });
        if (i >= 0 && kindOf(psegs[static_cast<std::size_t>(i)]) != 'S' && kindOf(psegs[static_cast<std::size_t>(i)]) != 0) {
            r.previousSegs = psegs;
            r.answer = i;
            r.answerKind = kindOf(psegs[static_cast<std::size_t>(i)]);
            r.answerInPrevious = true;
            clientInReject = other(pServer);
        }
    }
    if (r.answerKind == 'A') {
        const auto rs = r.rejectSegs(segs);
        const std::uint32_t ackValue = rs[static_cast<std::size_t>(r.answer)].ack;
        const TimeNs ansTs = rs[static_cast<std::size_t>(r.answer)].ts;
        r.clientRst = findFrom(rs, r.answer + 1, clientInReject,
                               [&](const ControlSegment& s) { return isRst(s) && s.seq == ackValue; });
        // Only a RST before the next SYN answers that ACK.
        const int nextSyn = findFrom(segs, r.syn + 1, Side::Client, [&](const ControlSegment& s) { return isSyn(s) && s.ts >= ansTs; });
        if (r.clientRst >= 0 && nextSyn >= 0 && segs[static_cast<std::size_t>(nextSyn)].ts < rs[static_cast<std::size_t>(r.clientRst)].ts)
            r.clientRst = -1;
    }
    if (r.answerKind == 'A' || r.answerKind == 'R') {
        const auto rs = r.rejectSegs(segs);
        const TimeNs after = rs[static_cast<std::size_t>(r.clientRst >= 0 ? r.clientRst : r.answer)].ts;
        r.retry = findFrom(segs, r.syn + 1, Side::Client, [&](const ControlSegment& s) { return isSyn(s) && s.ts >= after; });
    }
    return r;
}

std::string endpoint(const Analysis& a, const Connection& c, Side side) {
    const IpAddress& ip = side == Side::Client ? a.clientIp(c) : a.serverIp(c);
    const std::uint16_t port = side == Side::Client ? c.clientPort : c.serverPort;
    const std::string text = ip.toString();
    return (text.find(':') != std::string::npos ? "[" + text + "]" : text) + ":" + std::to_string(port);
}

std::string tupleText(const Analysis& a, const Connection& c) {
    return endpoint(a, c, Side::Client) + " -> " + endpoint(a, c, Side::Server);
}

std::string sideName(Side s) { return s == Side::Client ? "client" : "server"; }

std::string duration(TimeNs d) {
    char buf[48];
    const double s = toSeconds(d);
    if (d < 0)
        std::snprintf(buf, sizeof buf, "%.3f s", s);
    else if (d >= kNsPerSecond)
        std::snprintf(buf, sizeof buf, "%.3f s", s);
    else if (d >= kNsPerMs)
        std::snprintf(buf, sizeof buf, "%.1f ms", s * 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.0f us", s * 1e6);
    return buf;
}

std::string frameRef(const ControlSegment& s) { return "frame " + std::to_string(s.frame); }

Hazard& HazardList::add(std::string kind, const Connection& c, TimeNs ts, Severity severity, std::string reference,
                        std::string summary) {
    Hazard h;
    h.kind = std::move(kind);
    h.connection = c.id;
    h.ts = ts;
    h.severity = severity;
    h.reference = std::move(reference);
    h.summary = std::move(summary);
    out_.push_back(std::move(h));
    return out_.back();
}

void HazardList::frames(Hazard& h, std::span<const ControlSegment> segs, std::initializer_list<int> indices) {
    for (int i : indices)
        if (i >= 0 && i < static_cast<int>(segs.size())) {
            const std::uint32_t f = segs[static_cast<std::size_t>(i)].frame;
            if (std::find(h.evidenceFrames.begin(), h.evidenceFrames.end(), f) == h.evidenceFrames.end())
                h.evidenceFrames.push_back(f);
        }
}

} // namespace twlens::hazards
