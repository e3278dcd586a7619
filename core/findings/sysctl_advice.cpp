// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/findings/sysctl_advice.h"

#include "core/exhaustion/port_budget.h"
#include "core/exhaustion/reuse_rules.h"
#include "core/findings/exhaustion_verdicts.h"
#include "core/findings/finding_text.h"

namespace twlens {

using namespace findings;

namespace {

void twRecycle(const Analysis& a, std::vector<Finding>& out) {
    const auto it = a.sysctl.find("net.ipv4.tcp_tw_recycle");
    if (it == a.sysctl.end())
        return;
    const bool on = it->second.value.find_first_not_of("0 \t\r") != std::string::npos;
    Finding f;
    f.kind = "tcp_tw_recycle_present";
    f.severity = on ? Severity::Warning : Severity::Info;
    f.summary = "net.ipv4.tcp_tw_recycle is set, but it was removed in Linux 4.12: remove it from sysctl.conf "
                "(kernels since then have no such setting). When on it dropped SYNs whose TCP timestamp was older than the "
                "last one seen from the same IP, which broke clients behind NAT. For outgoing connections use "
                "tcp_tw_reuse = 1 instead.";
    f.evidence = sysctlEvidence(a, it->first, "", "");
    out.push_back(std::move(f));
}

void twReuseLoopbackOnly(const Analysis& a, std::vector<Finding>& out) {
    const Settings& s = a.settings;
    if (s.twReuse.value != 2)
        return;
    const Exhaustion* first = nullptr;
    std::size_t count = 0;
    for (const Exhaustion& e : a.exhaustion)
        if (atRisk(e) && !twReuseApplies(2, e.localIp, e.remoteIp, true)) {
            first = first ? first : &e;
            ++count;
        }
    if (!first)
        return;
    Finding f;
    f.kind = "tcp_tw_reuse_loopback_only";
    f.severity = Severity::Warning;
    f.summary = "net.ipv4.tcp_tw_reuse = 2 reuses TIME_WAIT ports for loopback connections only, so it does "
                "nothing for " + destinationText(*first) +
                (count > 1 ? " and " + std::to_string(count - 1) + " other destinations at risk" : std::string()) +
                ". 1 enables it for all outgoing connections (with TCP timestamps); it never helps a server's "
                "incoming connections.";
    f.evidence = sysctlEvidence(a, "net.ipv4.tcp_tw_reuse", s.twReuse.source, "2");
    out.push_back(std::move(f));
}

void twReuseServerSide(const Analysis& a, std::vector<Finding>& out) {
    const Settings& s = a.settings;
    if (s.twReuse.value != 1 || s.twReuse.source == "default")
        return;
    std::uint64_t client = 0, server = 0;
    for (const Connection& c : a.connections)
        for (std::uint8_t i = 0; i < c.timeWaitCount && i < c.timeWait.size(); ++i)
            ++(c.timeWait[i].side == Side::Client ? client : server);
    if (server == 0 || client != 0)
        return;
    Finding f;
    f.kind = "tcp_tw_reuse_server_side";
    f.severity = Severity::Info;
    f.summary = "All " + std::to_string(server) + " TIME_WAIT windows in the captures are on the server side "
                "(the server closes first). net.ipv4.tcp_tw_reuse only affects connect(), so it does nothing "
                "for them; a server's TIME_WAIT sockets use no ephemeral ports (its side of the 4-tuple is fixed).";
    f.evidence = sysctlEvidence(a, "net.ipv4.tcp_tw_reuse", s.twReuse.source, "1");
    out.push_back(std::move(f));
}

void finTimeout(const Analysis& a, std::vector<Finding>& out) {
    const Settings& s = a.settings;
    if (s.finTimeout.source == "default" || s.finTimeout.value >= 60)
        return;
    Finding f;
    f.kind = "tcp_fin_timeout_not_time_wait";
    f.severity = Severity::Info;
    f.summary = "net.ipv4.tcp_fin_timeout = " + std::to_string(s.finTimeout.value) +
                " does not shorten TIME_WAIT: it only limits how long an orphaned socket (closed by the "
                "application) waits in FIN_WAIT_2 for the peer's FIN. TIME_WAIT lasts a fixed 60 s on Linux "
                "(TCP_TIMEWAIT_LEN), whatever this value.";
    f.evidence = sysctlEvidence(a, "net.ipv4.tcp_fin_timeout", s.finTimeout.source, std::to_string(s.finTimeout.value));
    out.push_back(std::move(f));
}

void portRange(const Analysis& a, std::vector<Finding>& out) {
    const Settings& s = a.settings;
    const PortBudget b = portBudget(s.portLow.value, s.portHigh.value, s.reservedPorts.value);
    const std::string rangeEvidence =
        sysctlEvidence(a, "net.ipv4.ip_local_port_range", s.portLow.source,
                       std::to_string(s.portLow.value) + " " + std::to_string(s.portHigh.value));
    const std::string reservedEvidence =
        s.reservedPorts.value.empty()
            ? std::string()
            : sysctlEvidence(a, "net.ipv4.ip_local_reserved_ports", s.reservedPorts.source, s.reservedPorts.value);
    if (!b.problems.empty()) {
        Finding f;
        f.kind = "reserved_ports_unreadable";
        f.severity = Severity::Warning;
        f.summary = "Parts of net.ipv4.ip_local_reserved_ports could not be read and were not counted as reserved: ";
        for (std::size_t i = 0; i < b.problems.size(); ++i)
            f.summary += (i ? "; " : "") + b.problems[i];
        f.evidence = reservedEvidence;
        out.push_back(std::move(f));
    }
    if (b.usable >= kDefaultPortCount)
        return;
    Finding f;
    f.kind = "narrow_port_range";
    f.severity = Severity::Warning;
    f.summary = "Only " + std::to_string(b.usable) + " usable ephemeral ports (" + std::to_string(s.portLow.value) +
                "-" + std::to_string(s.portHigh.value) +
                (b.reservedInRange ? ", " + std::to_string(b.reservedInRange) + " of them reserved" : std::string()) +
                "): each destination sustains at most " +
                rateText(maxSustainableRate(b.usable, s.twSeconds.value)) +
                " new connections without TIME_WAIT reuse (ports / " + fixed(s.twSeconds.value, 0) +
                " s TIME_WAIT); the default 32768-60999 gives 28232 ports, about 470/s with 60 s.";
    f.evidence = rangeEvidence + (reservedEvidence.empty() ? std::string() : "; " + reservedEvidence);
    out.push_back(std::move(f));
}

} // namespace

void addSysctlAdvice(const Analysis& a, std::vector<Finding>& out) {
    twRecycle(a, out);
    twReuseLoopbackOnly(a, out);
    twReuseServerSide(a, out);
    finTimeout(a, out);
    portRange(a, out);
}

} // namespace twlens
