// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/exhaustion/destination.h"
#include "core/model/analysis.h"

namespace twlens {

// Whether a socket row is the connecting side of a connection, holding a port connect() took
// from the ephemeral range. A snapshot has no SYN to tell who connected, so the rule is:
//  - not LISTEN, and a concrete remote port (not the * of an unconnected socket);
//  - the local port lies in the ephemeral range [portLow, portHigh]: only such ports compete for
//    the range (a port bound explicitly outside it, or a server's well-known port, does not);
//  - the local port is not one the same snapshot shows listening: an accepted socket shares its
//    listener's port, which matters when a server listens inside the ephemeral range.
// TIME_WAIT rows count: the kernel keeps their ports out of connect()'s reach (facts §5).
bool isConnectingSocket(const SocketRow& row, std::uint16_t portLow, std::uint16_t portHigh,
                        std::span<const std::uint16_t> listeningPorts);

struct SnapshotPorts {
    std::vector<ExhaustionSeriesPoint> points; // by time: ports in use and TIME_WAIT among them
    std::uint32_t peakTimeWait = 0;
    std::uint32_t firstInput = UINT32_MAX;     // the input of the first snapshot that showed it
};

// Per destination, one point for each dated socket listing (ss, netstat, /proc/net/tcp) that
// shows TIME_WAIT (a listing that hides it, `ss -tn` without -a, would undercount) and was taken
// on the destination's host, i.e. shows a socket with the destination's local IP; a listing of
// that host without any socket toward the destination is a point at 0. Listings at the same
// instant (ss and /proc/net/tcp read together) merge into one point with the larger counts.
DestinationMap<SnapshotPorts> snapshotPortsByDestination(const Analysis& a, std::uint16_t portLow,
                                                               std::uint16_t portHigh);

} // namespace twlens
