// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace twlens {

// How many ports connect() may pick toward one destination: the ephemeral range
// (net.ipv4.ip_local_port_range) minus net.ipv4.ip_local_reserved_ports that fall inside it
// (facts §5; __inet_hash_connect skips inet_is_local_reserved_port()). Every port of the range
// stays usable otherwise: the parity split of the scan only changes the order (facts §5).
struct PortBudget {
    std::uint32_t rangePorts = 0;     // high - low + 1 (0 when low > high)
    std::uint32_t reservedInRange = 0;
    std::uint32_t usable = 0;         // rangePorts - reservedInRange
    std::vector<std::string> problems; // parts of the reserved list that could not be read
};

// `reserved` is the sysctl's text form: comma-separated ports and inclusive ranges,
// "1000,2000-2100" (proc_do_large_bitmap); blanks around the items are allowed, an empty text
// reserves nothing. Overlapping items count once.
PortBudget portBudget(std::uint16_t low, std::uint16_t high, std::string_view reserved);

} // namespace twlens
