// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exhaustion/port_budget.h"

#include <algorithm>
#include <bitset>
#include <charconv>
#include <memory>

namespace twlens {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

bool parsePort(std::string_view s, unsigned& out) {
    s = trim(s);
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && out <= 65535;
}

} // namespace

PortBudget portBudget(std::uint16_t low, std::uint16_t high, std::string_view reserved) {
    PortBudget b;
    b.rangePorts = high >= low ? static_cast<std::uint32_t>(high - low) + 1u : 0u;
    std::string_view rest = trim(reserved);
    if (rest.empty()) { // the usual case, and what-if sliders call this often
        b.usable = b.rangePorts;
        return b;
    }
    // One bit a port: 8 KiB, and overlapping items count once without sorting intervals.
    auto marked = std::make_unique<std::bitset<65536>>();
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (item.empty())
            continue;
        unsigned first = 0, last = 0;
        const auto dash = item.find('-');
        const bool ok = dash == std::string_view::npos
                            ? (parsePort(item, first) && (last = first, true))
                            : (parsePort(item.substr(0, dash), first) && parsePort(item.substr(dash + 1), last) &&
                               first <= last);
        if (!ok) {
            b.problems.push_back("cannot read reserved ports '" + std::string(item) + "'");
            continue;
        }
        const unsigned from = std::max<unsigned>(first, low);
        const unsigned to = std::min<unsigned>(last, high);
        for (unsigned p = from; p <= to && b.rangePorts > 0; ++p)
            marked->set(p);
    }
    b.reservedInRange = static_cast<std::uint32_t>(marked->count());
    b.usable = b.rangePorts - b.reservedInRange;
    return b;
}

} // namespace twlens
