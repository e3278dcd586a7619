// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <compare>
#include <cstdint>

#include "core/model/ip_address.h"

namespace twlens {

// What one ephemeral range is shared toward (facts §5): from one local IP to one remote IP and
// port only the local port varies, so each such triple has the whole range to itself.
struct Destination {
    IpAddress local;
    IpAddress remote;
    std::uint16_t remotePort = 0;

    auto operator<=>(const Destination&) const = default;
    bool operator==(const Destination&) const = default;
};

} // namespace twlens
