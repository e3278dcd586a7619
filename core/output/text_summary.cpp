// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/output/text_summary.h"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <string>

#include "core/output/contract_names.h"
#include "core/output/teardown_stats.h"
#include "core/output/time_format.h"
#include "core/presentation/exhaustion_projection.h"

namespace twlens {

namespace {

constexpr std::size_t kMaxHolders = 5;
constexpr std::size_t kMaxExhaustion = 10;
constexpr std::size_t kMaxFindings = 15;

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string hostPort(const IpAddress& ip, std::uint16_t port) {
    return ip.isV4() ? ip.toString() + ":" + std::to_string(port) : "[" + ip.toString() + "]:" + std::to_string(port);
}

std::string connectionText(const Analysis& a, std::uint32_t id) {
    if (id >= a.connections.size())
        return "#" + std::to_string(id);
    const Connection& c = a.connections[id];
    return "#" + std::to_string(id) + " " + hostPort(a.clientIp(c), c.clientPort) + " -> " +
           hostPort(a.serverIp(c), c.serverPort);
}

std::string rate(double perSecond) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f/s", perSecond);
    return buf;
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
    return buf;
}

std::string withSource(const std::string& value, const std::string& source) { return value + " (" + source + ")"; }

class Summary {
public:
    Summary(const Analysis& a, std::ostream& out) : a_(a), out_(out), s_(teardownStats(a)) {}

    void write() {
        verdict();
        inputs();
        connections();
        timeWait();
        lostFinalAcks();
        reuse();
        hazards();
        snapshots();
        findings();
        settings();
    }

private:
    void line(const std::string& text) { out_ << text << '\n'; }

    // Exhaustion first: running out of ports is the outage an SRE is paged for. Destinations at
    // risk (exhausted, or projected to be) come first, earliest first; calm ones are only counted,
    // since a capture of many clients has thousands of them (all are in the JSON).
    void exhaustionVerdict() {
        std::vector<const Exhaustion*> order;
        for (const Exhaustion& e : a_.exhaustion)
            order.push_back(&e);
        const auto when = [](const Exhaustion* e) { return e->exhaustedAt != kNoTime ? e->exhaustedAt : e->projectedExhaustionAt; };
        std::stable_sort(order.begin(), order.end(), [&](const Exhaustion* x, const Exhaustion* y) {
            if ((x->exhaustedAt != kNoTime) != (y->exhaustedAt != kNoTime))
                return x->exhaustedAt != kNoTime;
            if (exhaustedOrProjected(*x) != exhaustedOrProjected(*y))
                return exhaustedOrProjected(*x);
            if (exhaustedOrProjected(*x))
                return when(x) < when(y);
            return static_cast<double>(x->peakPortsInUse) / usablePortsOf(*x) > static_cast<double>(y->peakPortsInUse) / usablePortsOf(*y);
        });
        std::size_t shown = 0, risky = 0;
        for (const Exhaustion* e : order)
            risky += exhaustedOrProjected(*e);
        for (const Exhaustion* e : order) {
            if (shown == kMaxExhaustion || (!exhaustedOrProjected(*e) && (risky > 0 || shown > 0)))
                break;
            ++shown;
            const std::string route = e->localIp.toString() + " -> " + hostPort(e->remoteIp, e->remotePort);
            const std::uint32_t ports = usablePortsOf(*e);
            if (e->exhaustedAt != kNoTime)
                line("  PORTS EXHAUSTED " + route + " at " + utcText(e->exhaustedAt) + ": all " +
                     std::to_string(ports) + " ports held (" + std::to_string(e->peakTimeWait) + " in TIME_WAIT)");
            else if (e->projectedExhaustionAt != kNoTime)
                line("  PORTS RUN OUT " + route + " at " + utcText(e->projectedExhaustionAt) + " at the current trend: peak " +
                     std::to_string(e->peakPortsInUse) + " of " + std::to_string(ports) + " in use");
            else
                line("  Ports: busiest " + route + " peak " + std::to_string(e->peakPortsInUse) + " of " +
                     std::to_string(ports) + " in use (" + percent(e->peakPortsInUse, ports) + "), no exhaustion");
            line("    new connections: peak " + rate(e->newConnectionsPerSecondPeak) + ", sustainable " +
                 rate(e->maxSustainableRatePerSecond));
        }
        if (order.size() > shown) {
            const std::size_t rest = order.size() - shown;
            const std::size_t restRisky = risky > shown ? risky - shown : 0;
            line("  ... " + plural(rest, "more destination", "more destinations") + ", " +
                 (restRisky ? std::to_string(restRisky) + " of them at risk" : std::string("none at risk")) +
                 " (all in the JSON \"exhaustion\" list)");
        }
    }

    void verdict() {
        line("twlens: " + plural(s_.connections, "TCP connection", "TCP connections") + " in " +
             plural(a_.inputs.size(), "input", "inputs"));
        exhaustionVerdict();
        if (s_.connections == 0) {
            line("  No TCP connections found.");
        } else {
            line("  Closed first by: client " + std::to_string(s_.closers[1]) + ", server " +
                 std::to_string(s_.closers[2]) + ", both (simultaneous) " + std::to_string(s_.closers[3]) +
                 "; ended by RST " + std::to_string(s_.closeKinds[static_cast<std::size_t>(CloseKind::Rst)]) +
                 ", still open " + std::to_string(s_.closeKinds[static_cast<std::size_t>(CloseKind::Open)]));
            if (s_.timeWaitWindows == 0)
                line("  TIME_WAIT: none seen");
            else
                line("  TIME_WAIT: " + plural(s_.timeWaitWindows, "window", "windows") + " (client side " +
                     std::to_string(s_.timeWaitBySide[0]) + ", server side " + std::to_string(s_.timeWaitBySide[1]) +
                     "), peak " + std::to_string(s_.peak.count) + " at once at " + utcText(s_.peak.at));
            line("  Lost final ACKs: " + std::to_string(s_.lostFinalAck) + "; reused 4-tuples: " +
                 std::to_string(s_.reused) + " (" + std::to_string(s_.reusedWithinTimeWait) + " within the " +
                 durationText(a_.settings.twLength()) + " TIME_WAIT)");
        }
        if (a_.hazards.empty()) {
            line("  Hazards: none");
        } else {
            std::uint64_t bySeverity[3] = {0, 0, 0};
            for (const Hazard& h : a_.hazards)
                ++bySeverity[static_cast<std::size_t>(h.severity)];
            line("  Hazards: " + std::to_string(a_.hazards.size()) + " (critical " + std::to_string(bySeverity[2]) +
                 ", warning " + std::to_string(bySeverity[1]) + ", info " + std::to_string(bySeverity[0]) + ")");
            std::string kinds = "    most severe first:";
            for (std::size_t i = 0; i < s_.hazards.size() && i < kMaxHolders; ++i)
                kinds += (i ? ", " : " ") + s_.hazards[i].kind + " " + std::to_string(s_.hazards[i].count);
            if (s_.hazards.size() > kMaxHolders)
                kinds += ", " + std::to_string(s_.hazards.size() - kMaxHolders) + " more kinds";
            line(kinds);
        }
        if (s_.warnings)
            line("  Input warnings: " + std::to_string(s_.warnings) + " (listed under Inputs)");
        line("");
    }

    void inputs() {
        line("Inputs");
        for (const InputInfo& in : a_.inputs) {
            std::string t = "  " + in.path + ": " + std::string(inputKindName(in.kind));
            if (in.compressed)
                t += " (gzip)";
            if (in.kind == InputKind::Pcap || in.kind == InputKind::Pcapng || in.packets > 0) {
                t += ", " + plural(in.packets, "packet", "packets") + " (" + std::to_string(in.tcpPackets) + " TCP)";
                if (in.firstTs != kNoTime && in.lastTs != kNoTime)
                    t += ", " + utcText(in.firstTs) + " + " + durationText(in.lastTs - in.firstTs);
            }
            line(t);
            const std::uint64_t skipped = in.nonTcpPackets + in.ipFragments + in.undecodable;
            if (skipped)
                line("    not analysed: " + std::to_string(in.nonTcpPackets) + " non-TCP, " +
                     std::to_string(in.ipFragments) + " IP fragments, " + std::to_string(in.undecodable) +
                     " undecodable");
            for (const InputWarning& w : in.warnings)
                line("    warning: " + w.text());
        }
        line("");
    }

    void connections() {
        if (s_.connections == 0)
            return;
        line("Connections: " + std::to_string(s_.connections));
        line("  handshake seen " + std::to_string(s_.synSeen) + ", started mid-stream " +
             std::to_string(s_.midStream) + ", roles guessed " + std::to_string(s_.rolesInferred) +
             ", one direction only " + std::to_string(s_.oneSided));
        line("  active closer: client " + std::to_string(s_.closers[1]) + ", server " + std::to_string(s_.closers[2]) +
             ", both " + std::to_string(s_.closers[3]) + ", none " + std::to_string(s_.closers[0]));
        std::string kinds = "  close kind:";
        for (CloseKind k : {CloseKind::Fin, CloseKind::Rst, CloseKind::Simultaneous, CloseKind::HalfClosed,
                            CloseKind::Open}) {
            kinds += " " + std::string(closeKindName(k)) + " " + std::to_string(s_.closeKinds[static_cast<std::size_t>(k)]);
            if (k != CloseKind::Open)
                kinds += ",";
        }
        line(kinds);
        line("");
    }

    void timeWait() {
        if (s_.connections == 0)
            return;
        line("TIME_WAIT (" + durationText(a_.settings.twLength()) + " per window, " + a_.settings.twSeconds.source + ")");
        line("  windows: " + std::to_string(s_.timeWaitWindows) + " (client side " +
             std::to_string(s_.timeWaitBySide[0]) + ", server side " + std::to_string(s_.timeWaitBySide[1]) + ")");
        if (s_.timeWaitWindows == 0) {
            line("");
            return;
        }
        line("  ended: expired " + std::to_string(s_.timeWaitByEnd[0]) + ", 4-tuple reused " +
             std::to_string(s_.timeWaitByEnd[1]) + ", killed by RST " + std::to_string(s_.timeWaitByEnd[2]));
        std::string peak = "  peak: " + std::to_string(s_.peak.count) + " at once from " + utcText(s_.peak.at);
        if (s_.peak.until != kNoTime)
            peak += " for " + durationText(s_.peak.until - s_.peak.at);
        line(peak);
        std::string holders = "  held by:";
        for (std::size_t i = 0; i < s_.timeWaitHolders.size() && i < kMaxHolders; ++i) {
            const auto& h = s_.timeWaitHolders[i];
            holders += (i ? ", " : " ") + a_.addresses[h.address].toString() + " (" + std::to_string(h.windows) + ")";
        }
        if (s_.timeWaitHolders.size() > kMaxHolders)
            holders += ", " + std::to_string(s_.timeWaitHolders.size() - kMaxHolders) + " more hosts";
        line(holders);
        line("");
    }

    void lostFinalAcks() {
        if (s_.connections == 0)
            return;
        line("Lost final ACKs: " + std::to_string(s_.lostFinalAck) + " (FIN retransmissions: " +
             std::to_string(s_.finRetransmissions) + ")");
        for (std::uint32_t id : s_.lostFinalAckExamples)
            line("  " + connectionText(a_, id) + ": FIN retransmitted " +
                 plural(a_.connections[id].finRetransmissions, "time", "times"));
        if (s_.lostFinalAck > s_.lostFinalAckExamples.size())
            line("  ... " + std::to_string(s_.lostFinalAck - s_.lostFinalAckExamples.size()) + " more");
        line("");
    }

    void reuse() {
        if (s_.connections == 0)
            return;
        std::string t = "Reused 4-tuples: " + std::to_string(s_.reused);
        // A negative gap (a SYN while the previous incarnation was still closing) is said as such.
        const auto gapText = [](TimeNs g) {
            return g >= 0 ? durationText(g) : durationText(-g) + " before the previous close";
        };
        if (s_.minReuseGap != kNoTime)
            t += " (gap " + gapText(s_.minReuseGap) +
                 (s_.maxReuseGap != s_.minReuseGap ? " to " + gapText(s_.maxReuseGap) : std::string()) + "; " +
                 std::to_string(s_.reusedWithinTimeWait) + " within " + durationText(a_.settings.twLength()) + ")";
        line(t);
        for (std::uint32_t id : s_.reuseExamples) {
            const Connection& c = a_.connections[id];
            // A negative gap: the SYN came while the previous incarnation was still closing
            // (its last teardown segment answered this SYN, as in syn_to_last_ack).
            const std::string previous = "#" + std::to_string(c.previousIncarnation);
            line("  " + connectionText(a_, id) + ": reopened " +
                 (c.reuseGap >= 0 ? durationText(c.reuseGap) + " after " + previous + " closed"
                                  : durationText(-c.reuseGap) + " before " + previous + " closed (it was still closing)"));
        }
        line("");
    }

    void hazards() {
        if (s_.hazards.empty())
            return;
        line("Hazards: " + std::to_string(a_.hazards.size()));
        for (const auto& g : s_.hazards) {
            const Hazard& first = a_.hazards[g.examples.front()];
            line("  " + g.kind + ": " + std::to_string(g.count) + ", worst " + std::string(severityName(g.worst)) +
                 (first.reference.empty() ? "" : " (" + first.reference + ")"));
            for (std::uint32_t i : g.examples) {
                const Hazard& h = a_.hazards[i];
                line("    " + (h.connection == kNoIndex ? std::string() : "#" + std::to_string(h.connection) + " ") +
                     utcText(h.ts) + ": " + h.summary);
            }
            if (g.count > g.examples.size())
                line("    ... " + std::to_string(g.count - g.examples.size()) + " more");
        }
        line("");
    }

    void snapshots() {
        if (s_.snapshots == 0)
            return;
        std::string t = "Snapshots: " + std::to_string(s_.snapshots);
        if (s_.firstSnapshot != kNoTime)
            t += ", " + utcText(s_.firstSnapshot) + " + " + durationText(s_.lastSnapshot - s_.firstSnapshot);
        line(t);
        if (s_.snapshotTimeWaitMax >= 0) {
            const SocketSnapshot& snap = a_.snapshots[s_.snapshotTimeWaitMaxAt];
            const std::string source = snap.input < a_.inputs.size() ? a_.inputs[snap.input].path : std::string("?");
            line("  most TIME_WAIT sockets: " + std::to_string(s_.snapshotTimeWaitMax) + " in " + source +
                 (snap.ts != kNoTime ? " at " + utcText(snap.ts) : std::string()));
            std::string dests;
            for (std::size_t i = 0; i < snap.timeWaitByDestination.size() && i < kMaxHolders; ++i) {
                const DestinationCount& d = snap.timeWaitByDestination[i];
                dests += (i ? ", " : " ") + hostPort(d.remoteIp, d.remotePort) + " (" + std::to_string(d.count) + ")";
            }
            if (!dests.empty())
                line("    toward:" + dests);
        } else {
            line("  no snapshot tells the TIME_WAIT count");
        }
        line("");
    }

    void findings() {
        if (a_.findings.empty())
            return;
        line("Findings: " + std::to_string(a_.findings.size()));
        std::vector<const Finding*> sorted;
        for (const Finding& f : a_.findings)
            sorted.push_back(&f);
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const Finding* x, const Finding* y) { return x->severity > y->severity; });
        for (std::size_t i = 0; i < sorted.size() && i < kMaxFindings; ++i) {
            line("  [" + std::string(severityName(sorted[i]->severity)) + "] " + sorted[i]->summary);
            if (!sorted[i]->evidence.empty())
                line("    evidence: " + sorted[i]->evidence);
        }
        if (sorted.size() > kMaxFindings)
            line("  ... " + std::to_string(sorted.size() - kMaxFindings) + " more (all in the JSON \"findings\" list)");
        line("");
    }

    void settings() {
        const Settings& st = a_.settings;
        char tw[32];
        std::snprintf(tw, sizeof tw, "%g", st.twSeconds.value);
        line("Settings: TIME_WAIT " + withSource(std::string(tw) + " s", st.twSeconds.source) + ", ports " +
             withSource(std::to_string(st.portLow.value) + "-" + std::to_string(st.portHigh.value), st.portLow.source) +
             ", tcp_tw_reuse " + withSource(std::to_string(st.twReuse.value), st.twReuse.source) + ", tcp_rfc1337 " +
             withSource(std::to_string(st.rfc1337.value), st.rfc1337.source));
    }

    const Analysis& a_;
    std::ostream& out_;
    TeardownStats s_;
};

} // namespace

void writeTextSummary(const Analysis& analysis, std::ostream& out) { Summary(analysis, out).write(); }

} // namespace twlens
