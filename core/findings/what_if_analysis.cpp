// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/findings/what_if_analysis.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "core/exhaustion/exhaustion_pass.h"
#include "core/findings/finding_text.h"
#include "core/findings/findings_pass.h"

namespace twlens {

namespace {

// Every kind computeFindings() produces: replaced, the others' findings kept.
constexpr std::array<std::string_view, 12> kOwnKinds{
    "exhaustion_verdict",         "exhaustion_fixes",    "tcp_tw_recycle_present",   "tcp_tw_reuse_loopback_only",
    "tcp_tw_reuse_server_side",   "tcp_fin_timeout_not_time_wait", "narrow_port_range", "reserved_ports_unreadable",
    "time_wait_overflow",         "tw_reuse_happened",   "time_wait_agreement",      "what_if"};

std::string describe(const WhatIf& w, const Settings& s) {
    std::string t;
    auto add = [&](const std::string& part) { t += (t.empty() ? "" : ", ") + part; };
    if (w.portLow || w.portHigh)
        add("port range " + std::to_string(s.portLow.value) + "-" + std::to_string(s.portHigh.value));
    if (w.twReuse)
        add("tcp_tw_reuse = " + std::to_string(*w.twReuse));
    if (w.twSeconds)
        add("TIME_WAIT " + findings::fixed(*w.twSeconds, 1) + " s");
    if (w.reuseFactor > 1.0)
        add(findings::fixed(w.reuseFactor, w.reuseFactor == static_cast<double>(static_cast<long>(w.reuseFactor)) ? 0 : 1) +
            " requests per connection (new-connection rates divided by it)");
    return t;
}

} // namespace

Analysis analysisWithWhatIf(const Analysis& measured, const WhatIf& w) {
    Analysis a = measured;
    if (w.neutral())
        return a;
    Settings& s = a.settings;
    if (w.portLow)
        s.portLow = {*w.portLow, "what-if"};
    if (w.portHigh)
        s.portHigh = {*w.portHigh, "what-if"};
    if (w.twReuse)
        s.twReuse = {*w.twReuse, "what-if"};
    if (w.twSeconds)
        s.twSeconds = {*w.twSeconds, "what-if"};
    // project() reads the what-if values from the settings now; only the reuse factor remains.
    WhatIf rest;
    rest.reuseFactor = w.reuseFactor;
    // Ports in use under the what-if, to first order: TIME_WAIT ports scale with its length,
    // and every count with the number of connections (1 / reuse factor); never above the range.
    const double twScale = measured.settings.twSeconds.value > 0 ? s.twSeconds.value / measured.settings.twSeconds.value : 1.0;
    const double n = std::max(w.reuseFactor, 1.0);
    for (Exhaustion& e : a.exhaustion) {
        e = project(std::move(e), s, rest);
        e.exhaustedAt = kNoTime;
        // With tcp_tw_reuse a TIME_WAIT port older than the delay is connect()'s again.
        const double held = e.twReuseActive
                                 ? std::min(1.0, s.twReuseDelayMs.value / 1000.0 / std::max(s.twSeconds.value, 0.001))
                                 : 1.0;
        auto scale = [&](std::uint32_t& inUse, std::uint32_t& tw) {
            const double t = tw * twScale * held / n;
            const double u = (inUse - std::min(inUse, tw)) / n + t;
            tw = static_cast<std::uint32_t>(std::min<double>(std::ceil(t), e.usablePorts));
            inUse = static_cast<std::uint32_t>(std::min<double>(std::ceil(u), e.usablePorts));
        };
        scale(e.peakPortsInUse, e.peakTimeWait);
        for (ExhaustionSeriesPoint& p : e.series)
            scale(p.portsInUse, p.timeWait);
    }
    std::sort(a.exhaustion.begin(), a.exhaustion.end(), moreAtRisk);

    std::erase_if(a.findings, [](const Finding& f) {
        return std::find(kOwnKinds.begin(), kOwnKinds.end(), f.kind) != kOwnKinds.end();
    });
    Finding note;
    note.kind = "what_if";
    note.severity = Severity::Info;
    note.summary = "What-if: " + describe(w, s) +
                   ". The exhaustion figures below are projections from the measured load, not measurements.";
    note.evidence = "what-if";
    a.findings.push_back(std::move(note));
    computeFindings(a);
    return a;
}

} // namespace twlens
