// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <compare>
#include <cstddef>
#include <cstdint>
#include <unordered_map>

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

struct DestinationHash {
    std::size_t operator()(const Destination& d) const noexcept {
        const IpAddressHash h;
        return h(d.local) ^ (h(d.remote) * 0x9E3779B97F4A7C15ULL) ^ d.remotePort;
    }
};

// Hash maps keyed by destination: a capture can hold tens of thousands of them, and the pass
// sorts its result anyway (exhaustion_pass.h).
template <typename T>
using DestinationMap = std::unordered_map<Destination, T, DestinationHash>;

} // namespace twlens
