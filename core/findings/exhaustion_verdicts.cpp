// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/findings/exhaustion_verdicts.h"

#include <algorithm>
#include <cmath>

#include "core/exhaustion/reuse_rules.h"
#include "core/exhaustion/what_if.h"
#include "core/findings/finding_text.h"
#include "core/output/time_format.h"

namespace twlens {

using namespace findings;

namespace {

double fillOf(const Exhaustion& e) {
    return e.usablePorts ? static_cast<double>(e.peakPortsInUse) / e.usablePorts : 1.0;
}

// "20 ports / 60 s TIME_WAIT" or "20 ports / 1000 ms tcp_tw_reuse delay": what the sustainable
// rate is made of.
std::string limitText(const Exhaustion& e, const Settings& s) {
    std::string t = std::to_string(e.usablePorts) + " ports / ";
    if (e.twReuseActive)
        return t + std::to_string(s.twReuseDelayMs.value) + " ms tcp_tw_reuse delay";
    return t + fixed(s.twSeconds.value, s.twSeconds.value == std::floor(s.twSeconds.value) ? 0 : 1) +
           " s TIME_WAIT";
}

std::string evidenceOf(const Analysis& a, const Exhaustion& e) {
    const Settings& s = a.settings;
    std::string ev;
    if (const std::string path = inputPath(a, e.firstInput); !path.empty())
        ev = path + "; ";
    ev += sysctlEvidence(a, "net.ipv4.ip_local_port_range", s.portLow.source,
                         std::to_string(s.portLow.value) + " " + std::to_string(s.portHigh.value));
    if (!s.reservedPorts.value.empty())
        ev += "; " + sysctlEvidence(a, "net.ipv4.ip_local_reserved_ports", s.reservedPorts.source, s.reservedPorts.value);
    return ev;
}

Finding verdict(const Analysis& a, const Exhaustion& e) {
    const Settings& s = a.settings;
    Finding f;
    f.kind = "exhaustion_verdict";
    f.evidence = evidenceOf(a, e);
    const std::string dest = destinationText(e);
    const std::string rates = "new connections peaked at " + rateText(e.newConnectionsPerSecondPeak) + " against a sustainable " +
                              rateText(e.maxSustainableRatePerSecond) + " (" + limitText(e, s) + ")";
    const double rate = e.newConnectionsPerSecondPeak;
    if (e.exhaustedAt != kNoTime) {
        f.severity = Severity::Critical;
        f.summary = "Ephemeral ports exhausted " + dest + " at " + utcText(e.exhaustedAt) + ": all " +
                    std::to_string(e.usablePorts) + " usable ports held (up to " + std::to_string(e.peakTimeWait) +
                    " in TIME_WAIT), so connect() fails with EADDRNOTAVAIL; " + rates;
        if (rate > 0.0)
            f.summary += "; at that rate " + std::to_string(e.usablePorts) + " ports last " +
                         durationText(fromSeconds(e.usablePorts / rate)) + " from empty";
    } else if (e.projectedExhaustionAt != kNoTime) {
        f.severity = Severity::Warning;
        f.summary = "Ephemeral ports " + dest + " run out at " + utcText(e.projectedExhaustionAt) +
                    " at the peak rate: " + rates + "; from an empty range that rate uses up all " +
                    std::to_string(e.usablePorts) + " ports in " + durationText(fromSeconds(e.usablePorts / rate));
    } else {
        const double fill = fillOf(e);
        f.severity = fill >= 0.5 ? Severity::Warning : Severity::Info;
        const double hold = portHoldSeconds(e.twReuseActive, s.twSeconds.value, s.twReuseDelayMs.value);
        f.summary = "Ephemeral ports " + dest + ": peak " + std::to_string(e.peakPortsInUse) + " of " +
                    std::to_string(e.usablePorts) + " usable ports in use (" + percentText(fill) + "), " +
                    std::to_string(e.peakTimeWait) + " in TIME_WAIT; " + rates +
                    ": no exhaustion at this rate (sustained, it would hold about rate x hold time = " +
                    fixed(rate * hold, 0) + " ports)";
    }
    return f;
}

} // namespace

bool atRisk(const Exhaustion& e) {
    return e.exhaustedAt != kNoTime || e.projectedExhaustionAt != kNoTime || fillOf(e) >= 0.5;
}

void addExhaustionVerdicts(const Analysis& a, std::vector<Finding>& out) {
    // a.exhaustion is sorted most at risk first, so the at-risk entries lead.
    std::size_t shown = 0;
    while (shown < a.exhaustion.size() && shown < kMaxVerdicts && atRisk(a.exhaustion[shown]))
        ++shown;
    if (shown == 0 && !a.exhaustion.empty())
        shown = 1; // nothing at risk: the busiest destination speaks for all
    for (std::size_t i = 0; i < shown; ++i)
        out.push_back(verdict(a, a.exhaustion[i]));
    if (a.exhaustion.size() <= shown)
        return;
    std::uint32_t peak = 0;
    double fill = 0.0;
    std::size_t risky = 0;
    for (std::size_t i = shown; i < a.exhaustion.size(); ++i) {
        const Exhaustion& e = a.exhaustion[i];
        peak = std::max(peak, e.peakPortsInUse);
        fill = std::max(fill, fillOf(e));
        risky += atRisk(e) ? 1 : 0;
    }
    Finding f;
    f.kind = "exhaustion_verdict";
    f.severity = risky ? Severity::Warning : Severity::Info;
    const std::size_t rest = a.exhaustion.size() - shown;
    f.summary = std::to_string(rest) + (rest == 1 ? " more destination" : " more destinations") + ": at most " +
                std::to_string(peak) + " ports in use toward any of them (" + percentText(fill) +
                " of the usable ports), " + std::to_string(risky) + " at risk";
    f.evidence = "exhaustion entries " + std::to_string(shown + 1) + "-" + std::to_string(a.exhaustion.size());
    out.push_back(std::move(f));
}

void addExhaustionFixes(const Analysis& a, std::vector<Finding>& out) {
    const auto worst = std::find_if(a.exhaustion.begin(), a.exhaustion.end(), atRisk);
    if (worst == a.exhaustion.end())
        return;
    const Settings& s = a.settings;
    const Exhaustion& e = *worst;
    const double sustainable = e.maxSustainableRatePerSecond;
    std::string text = "Fixes for running out of ephemeral ports toward " + destinationText(e) + ", best first: ";
    // 1. Fewer connections for the same requests.
    text += "1) reuse connections (HTTP keep-alive, connection pools)";
    if (sustainable > 0.0 && e.newConnectionsPerSecondPeak > sustainable) {
        const double n = std::ceil(e.newConnectionsPerSecondPeak / sustainable);
        text += ": " + fixed(n, 0) + " or more requests per connection bring the peak " +
                rateText(e.newConnectionsPerSecondPeak) + " under the sustainable " + rateText(sustainable);
    }
    text += "; 2) let the side that can afford TIME_WAIT close first (a server's TIME_WAIT uses no ephemeral "
            "ports: its side of the 4-tuple is fixed)";
    text += "; 3) more 4-tuples: a wider net.ipv4.ip_local_port_range, more destination ports or IPs, more "
            "source IPs (each (source IP, destination IP, port) has the whole range)";
    // 4. tcp_tw_reuse, with what it would give here.
    WhatIf reuseAll;
    reuseAll.twReuse = 1;
    const Exhaustion withReuse = project(e, s, reuseAll);
    if (e.twReuseActive) {
        text += "; 4) tcp_tw_reuse is already active toward it";
    } else if (!e.timestampsSeen) {
        text += "; 4) net.ipv4.tcp_tw_reuse = 1 for outgoing connections would not help here: it needs TCP "
                "timestamps, which these connections did not carry";
    } else {
        text += "; 4) net.ipv4.tcp_tw_reuse = 1 for outgoing connections (connect() may take a TIME_WAIT port " +
                std::to_string(s.twReuseDelayMs.value) + " ms into its TIME_WAIT; needs TCP timestamps): sustainable " +
                rateText(withReuse.maxSustainableRatePerSecond);
        if (twReuseApplies(2, e.localIp, e.remoteIp, true))
            text += " (the default 2 would do the same here: it covers loopback destinations)";
    }
    text += "; never net.ipv4.tcp_tw_recycle (removed in Linux 4.12; it broke clients behind NAT)";
    Finding f;
    f.kind = "exhaustion_fixes";
    f.severity = Severity::Warning;
    f.summary = std::move(text);
    f.evidence = evidenceOf(a, e) + "; " +
                 sysctlEvidence(a, "net.ipv4.tcp_tw_reuse", s.twReuse.source, std::to_string(s.twReuse.value));
    out.push_back(std::move(f));
}

} // namespace twlens
