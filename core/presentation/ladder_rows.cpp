// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/ladder_rows.h"

#include <algorithm>

#include "core/model/tcp_flags.h"
#include "core/presentation/labels.h"
#include "core/presentation/state_spans.h"

namespace twlens {

Ladder buildLadder(const Analysis& a, std::uint32_t id) {
    Ladder L;
    if (id >= a.connections.size())
        return L;
    const Connection& c = a.connections[id];
    L.connection = id;
    L.client = labels::endpoint(a.clientIp(c), c.clientPort);
    L.server = labels::endpoint(a.serverIp(c), c.serverPort);
    const auto segs = a.segmentsOf(c);

    // Relative numbers as Wireshark shows them: from the side's ISN when its SYN was captured,
    // else from the first sequence number seen from that side.
    std::array<std::uint32_t, 2> base{};
    std::array<bool, 2> haveBase{false, false};
    for (const ControlSegment& s : segs) {
        const auto side = static_cast<std::size_t>(s.from());
        if ((s.flags & tcpflag::SYN) && !L.isnSeen[side]) {
            L.isnSeen[side] = true;
            base[side] = s.seq;
            haveBase[side] = true;
        }
    }
    for (const ControlSegment& s : segs) {
        const auto side = static_cast<std::size_t>(s.from());
        if (!haveBase[side]) {
            base[side] = s.seq;
            haveBase[side] = true;
        }
    }

    std::vector<std::size_t> rowOfSegment(segs.size(), 0);
    L.rows.reserve(segs.size() + 4);
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const ControlSegment& s = segs[i];
        if (s.dataBefore > 0) {
            LadderRow d;
            d.kind = LadderRow::Kind::DataPhase;
            d.ts = s.ts;
            d.segment = static_cast<std::uint32_t>(i);
            d.dataSegments = s.dataBefore;
            L.rows.push_back(std::move(d));
        }
        LadderRow r;
        r.ts = s.ts;
        r.segment = static_cast<std::uint32_t>(i);
        r.from = s.from();
        r.flags = s.flags;
        r.meta = s.meta;
        const auto side = static_cast<std::size_t>(s.from());
        r.relSeq = s.seq - base[side];
        r.relAck = s.ack - base[1 - side];
        r.payload = s.payload;
        r.frame = s.frame;
        rowOfSegment[i] = L.rows.size();
        L.rows.push_back(std::move(r));
    }

    // States: each entry sits on the row of the segment that caused it; a timer expiry gets its
    // own row at the TIME_WAIT window's end.
    std::vector<LadderRow> timerRows;
    for (const StateChange& sc : a.statesOf(c)) {
        const auto side = static_cast<std::size_t>(sc.side);
        if (sc.segment == StateChange::kTimerSegment) {
            LadderRow t;
            t.kind = LadderRow::Kind::TimerExpiry;
            t.ts = a.stateTime(c, sc, segs);
            t.from = sc.side;
            t.enters[side] = sc.state;
            timerRows.push_back(std::move(t));
        } else if (sc.segment < segs.size()) {
            L.rows[rowOfSegment[sc.segment]].enters[side] = sc.state;
        }
    }
    for (LadderRow& t : timerRows) {
        const auto at = std::upper_bound(L.rows.begin(), L.rows.end(), t.ts,
                                         [](TimeNs ts, const LadderRow& r) { return ts < r.ts; });
        L.rows.insert(at, std::move(t));
    }

    for (std::uint32_t h = c.firstHazard; h < c.firstHazard + c.hazardCount && h < a.hazards.size(); ++h) {
        const TimeNs ts = a.hazards[h].ts;
        auto at = std::upper_bound(L.rows.begin(), L.rows.end(), ts,
                                   [](TimeNs t, const LadderRow& r) { return t < r.ts; });
        if (at != L.rows.begin())
            --at;
        if (at != L.rows.end())
            at->hazards.push_back(h);
    }

    const TimeNs captureEnd = captureEndOf(a);
    for (std::uint8_t i = 0; i < c.timeWaitCount; ++i) {
        const TimeWaitWindow& w = c.timeWait[i];
        LadderTimeWait tw;
        tw.side = w.side;
        tw.start = w.start;
        tw.end = w.end;
        tw.reason = w.reason;
        tw.pastCaptureEnd = w.end > captureEnd;
        const auto sideIdx = static_cast<std::size_t>(w.side);
        tw.firstRow = L.rows.empty() ? 0 : L.rows.size() - 1;
        tw.lastRow = tw.firstRow;
        // The row where this side entered TIME_WAIT last (a re-ACKed FIN restarts the window).
        for (std::size_t r = 0; r < L.rows.size(); ++r)
            if (L.rows[r].enters[sideIdx] == TcpState::TimeWait)
                tw.firstRow = r;
        for (std::size_t r = tw.firstRow; r < L.rows.size(); ++r) {
            tw.lastRow = r;
            if (r > tw.firstRow && L.rows[r].enters[sideIdx] != TcpState::None)
                break;
        }
        L.timeWaits.push_back(tw);
    }
    return L;
}

std::string describeRow(const LadderRow& r) {
    switch (r.kind) {
    case LadderRow::Kind::DataPhase:
        return std::to_string(r.dataSegments) + (r.dataSegments == 1 ? " data segment" : " data segments");
    case LadderRow::Kind::TimerExpiry:
        return "TIME-WAIT timer expired";
    case LadderRow::Kind::Segment:
        break;
    }
    std::string text = flagsToString(r.flags);
    text += " seq=" + std::to_string(r.relSeq);
    if (r.flags & tcpflag::ACK)
        text += " ack=" + std::to_string(r.relAck);
    if (r.payload > 0)
        text += " len=" + std::to_string(r.payload);
    return text;
}

} // namespace twlens
