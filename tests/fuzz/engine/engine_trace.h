// SPDX-License-Identifier: GPL-3.0-or-later
// Diagnosis for engine fuzz reproducers: the generated segments and the reconstruction, printed.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/model/analysis.h"
#include "core/model/segment.h"
#include "core/model/tcp_flags.h"

namespace twlens::fuzz::engine {

// ---------------------------------------------------------------------------------------------
// Diagnosis: with TWLENS_ENGINE_TRACE set, a run prints the segments it generated and the
// reconstruction (to stderr), so a reproducer can be read without a debugger.

inline bool tracing() {
    static const bool on = std::getenv("TWLENS_ENGINE_TRACE") != nullptr;
    return on;
}

inline void traceSegments(const std::vector<Segment>& segs, const Settings& st) {
    std::fprintf(stderr, "settings: tw %.9g s, rfc1337 %d, tw_reuse %d, ports %u-%u\n", st.twSeconds.value,
                 st.rfc1337.value, st.twReuse.value, st.portLow.value, st.portHigh.value);
    const TimeNs t0 = segs.empty() ? 0 : segs.front().ts;
    for (const Segment& s : segs)
        std::fprintf(stderr, "  in%u #%llu %+.9f %s:%u > %s:%u %-12s seq=%u ack=%u len=%u ts=%s%u hash=%08x%s\n",
                     s.input, static_cast<unsigned long long>(s.frame), toSeconds(s.ts - t0), s.src.toString().c_str(),
                     s.srcPort, s.dst.toString().c_str(), s.dstPort, flagsToString(s.flags).c_str(), s.seq, s.ack,
                     s.payloadLen, s.hasTimestamp ? "" : "-", s.tsVal, s.contentHash, s.optionsTruncated ? " cut" : "");
}

inline void traceAnalysis(const Analysis& a) {
    const TimeNs t0 = a.connections.empty() ? 0 : a.connections.front().start;
    for (const Connection& c : a.connections) {
        std::fprintf(stderr, "conn %u %s:%u > %s:%u vlan %u start %+.9f end %+.9f prev %d next %d closer %d close %d flags %#x\n",
                     c.id, a.clientIp(c).toString().c_str(), c.clientPort, a.serverIp(c).toString().c_str(), c.serverPort,
                     c.vlan, toSeconds(c.start - t0), toSeconds(c.end - t0), static_cast<int>(c.previousIncarnation),
                     static_cast<int>(c.nextIncarnation), static_cast<int>(c.activeCloser), static_cast<int>(c.closeKind),
                     c.flags);
        const auto segs = a.segmentsOf(c);
        for (std::size_t k = 0; k < segs.size(); ++k) {
            const ControlSegment& s = segs[k];
            std::fprintf(stderr, "   [%zu] %+.9f %s %-12s seq=%u ack=%u len=%u frame %u meta %#x\n", k, toSeconds(s.ts - t0),
                         s.from() == Side::Client ? "C>" : "<S", flagsToString(s.flags).c_str(), s.seq, s.ack, s.payload,
                         s.frame, s.meta);
        }
        for (const StateChange& s : a.statesOf(c))
            std::fprintf(stderr, "   %s %s @%s\n", s.side == Side::Client ? "client" : "server",
                         std::string(stateName(s.state)).c_str(),
                         s.segment == StateChange::kTimerSegment ? "timer" : std::to_string(s.segment).c_str());
        for (std::uint8_t w = 0; w < c.timeWaitCount && w < 2; ++w)
            std::fprintf(stderr, "   TIME_WAIT %s %+.9f .. %+.9f reason %d\n",
                         c.timeWait[w].side == Side::Client ? "client" : "server", toSeconds(c.timeWait[w].start - t0),
                         toSeconds(c.timeWait[w].end - t0), static_cast<int>(c.timeWait[w].reason));
    }
}

} // namespace twlens::fuzz::engine
