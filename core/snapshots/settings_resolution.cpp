// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/snapshots/settings_resolution.h"

#include <charconv>
#include <string_view>

namespace twlens {

namespace {

std::string sourceOf(const SysctlValue& v, const std::vector<InputInfo>& inputs) {
    const std::string path = v.input < inputs.size() ? inputs[v.input].path : std::string("sysctl");
    return path + ":" + std::to_string(v.line);
}

template <typename T>
bool parseNumber(std::string_view s, T& out) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

template <typename T>
void fromSysctl(Setting<T>& setting, const SysctlTable& sysctl, std::string_view key,
                const std::vector<InputInfo>& inputs, std::vector<std::string>* problems) {
    const auto it = sysctl.find(key);
    if (it == sysctl.end())
        return;
    T value{};
    if (!parseNumber(it->second.value, value)) {
        if (problems)
            problems->push_back(sourceOf(it->second, inputs) + ": cannot read " + std::string(key) + " = '" +
                                it->second.value + "', using " + std::to_string(setting.value));
        return;
    }
    setting.value = value;
    setting.source = sourceOf(it->second, inputs);
}

} // namespace

Settings resolveSettings(const SysctlTable& sysctl, const std::vector<InputInfo>& inputs,
                         const SettingsOverrides& overrides, std::vector<std::string>* problems) {
    Settings s;
    fromSysctl(s.twReuse, sysctl, "net.ipv4.tcp_tw_reuse", inputs, problems);
    fromSysctl(s.rfc1337, sysctl, "net.ipv4.tcp_rfc1337", inputs, problems);
    fromSysctl(s.timestamps, sysctl, "net.ipv4.tcp_timestamps", inputs, problems);
    fromSysctl(s.twReuseDelayMs, sysctl, "net.ipv4.tcp_tw_reuse_delay", inputs, problems);
    fromSysctl(s.finTimeout, sysctl, "net.ipv4.tcp_fin_timeout", inputs, problems);
    fromSysctl(s.maxTwBuckets, sysctl, "net.ipv4.tcp_max_tw_buckets", inputs, problems);
    if (const auto it = sysctl.find("net.ipv4.ip_local_reserved_ports"); it != sysctl.end()) {
        s.reservedPorts.value = it->second.value;
        s.reservedPorts.source = sourceOf(it->second, inputs);
    }
    // "32768<TAB>60999" (facts §7): two numbers separated by white space.
    if (const auto it = sysctl.find("net.ipv4.ip_local_port_range"); it != sysctl.end()) {
        const std::string_view v = it->second.value;
        const auto gap = v.find_first_of(" \t");
        unsigned lo = 0, hi = 0;
        if (gap != std::string_view::npos && parseNumber(v.substr(0, gap), lo) &&
            parseNumber(v.substr(v.find_first_not_of(" \t", gap)), hi) && lo <= hi && hi <= 65535) {
            s.portLow = {static_cast<std::uint16_t>(lo), sourceOf(it->second, inputs)};
            s.portHigh = {static_cast<std::uint16_t>(hi), sourceOf(it->second, inputs)};
        } else if (problems) {
            problems->push_back(sourceOf(it->second, inputs) + ": cannot read net.ipv4.ip_local_port_range = '" +
                                it->second.value + "'");
        }
    }
    // TIME_WAIT length is not a sysctl on Linux (TCP_TIMEWAIT_LEN is a constant, facts §2), so only
    // an explicit override changes it.
    if (overrides.hasTwSeconds)
        s.twSeconds = {overrides.twSeconds, "command line"};
    if (overrides.hasPortRange) {
        s.portLow = {overrides.portLow, "command line"};
        s.portHigh = {overrides.portHigh, "command line"};
    }
    if (overrides.hasTwReuse)
        s.twReuse = {overrides.twReuse, "command line"};
    if (overrides.hasRfc1337)
        s.rfc1337 = {overrides.rfc1337, "command line"};
    return s;
}

} // namespace twlens
