// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/findings/finding_text.h"

#include <array>
#include <charconv>
#include <cmath>

namespace twlens::findings {

std::string fixed(double v, int decimals) {
    std::array<char, 64> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
    return {buf.data(), r.ptr};
}

std::string rateText(double perSecond) {
    const double a = std::fabs(perSecond);
    return fixed(perSecond, a >= 10.0 ? 1 : (a >= 1.0 ? 2 : 3)) + "/s";
}

std::string percentText(double fraction) {
    const double p = fraction * 100.0;
    return fixed(p, p >= 10.0 || p == 0.0 ? 0 : 1) + "%";
}

std::string destinationText(const Exhaustion& e) {
    const std::string remote = e.remoteIp.isV4() ? e.remoteIp.toString() : "[" + e.remoteIp.toString() + "]";
    return e.localIp.toString() + " -> " + remote + ":" + std::to_string(e.remotePort);
}

std::string inputPath(const Analysis& a, std::uint32_t input) {
    return input < a.inputs.size() ? a.inputs[input].path : std::string();
}

bool fromSysctl(const Analysis& a, std::string_view key) {
    return a.sysctl.find(key) != a.sysctl.end();
}

std::string sysctlEvidence(const Analysis& a, std::string_view key, std::string_view settingSource,
                           std::string_view valueInUse) {
    const auto it = a.sysctl.find(key);
    if (it != a.sysctl.end() && settingSource != "command line" && settingSource != "what-if") {
        std::string path = inputPath(a, it->second.input);
        if (path.empty())
            path = "sysctl";
        return path + ":" + std::to_string(it->second.line) + ": " + std::string(key) + " = " + it->second.value;
    }
    return std::string(settingSource) + ": " + std::string(key) + " = " + std::string(valueInUse);
}

} // namespace twlens::findings
