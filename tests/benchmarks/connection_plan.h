// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <vector>

#include "capture_rng.h"
#include "core/model/time.h"

namespace twlens::bench {

// How a synthetic connection ends.
enum class Teardown : std::uint8_t {
    ClientFin,    // client sends the first FIN: client is the active closer, enters TIME_WAIT
    ServerFin,    // server sends the first FIN
    ClientAbort,  // client sends RST|ACK after the data (SO_LINGER 0): no FIN, no TIME_WAIT
    ServerAbort,  // server sends RST|ACK after the request
    Refused,      // SYN answered by RST|ACK (nothing listening / backlog full)
};

inline bool isRst(Teardown t) { return t == Teardown::ClientAbort || t == Teardown::ServerAbort || t == Teardown::Refused; }

// One packet of a connection as the capture point sees it, before encoding.
struct PlannedPacket {
    TimeNs ts = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint32_t tsVal = 0;
    std::uint32_t tsEcr = 0;
    std::uint16_t payload = 0;
    std::uint16_t window = 0;
    std::uint16_t ipId = 0;
    std::uint8_t flags = 0;
    bool fromServer = false;
    bool timestamps = false;   // carries the RFC 7323 timestamp option
};

// Everything that decides a connection's packets. Addresses are IPv4 host order.
struct ConnectionSpec {
    std::uint32_t clientIp = 0;
    std::uint32_t serverIp = 0;
    std::uint16_t clientPort = 0;
    std::uint16_t serverPort = 0;
    TimeNs start = 0;               // the SYN
    TimeNs rtt = 0;                 // client <-> capture point (the capture sits at the servers)
    std::uint32_t clientIsn = 0;
    std::uint32_t serverIsn = 0;
    std::uint32_t clientTsOffset = 0;   // Linux randomises timestamps per address pair (4.10+)
    std::uint32_t serverTsOffset = 0;
    std::uint32_t packets = 20;     // target packet count (a lost final ACK adds one or two)
    Teardown teardown = Teardown::ClientFin;
    bool lostFinalAck = false;      // the active closer's last ACK is lost; the passive closer retransmits its FIN
    bool timestamps = true;
};

// What the rest of the capture needs to know about a planned connection.
struct PlanSummary {
    TimeNs lastTs = 0;
    std::uint32_t clientSeqEnd = 0; // client's SND.NXT at the end: a reopened 4-tuple starts beyond it
    std::uint32_t finRetransmissions = 0;
    bool finalAckSeen = false;      // lost final ACK: the capture saw the ACK before it was lost
    bool seqWraps = false;          // a side's sequence numbers crossed 2^32
};

// Fills `out` (cleared first) with the connection's packets in time order.
PlanSummary planConnection(const ConnectionSpec& spec, Rng& rng, std::vector<PlannedPacket>& out);

} // namespace twlens::bench
