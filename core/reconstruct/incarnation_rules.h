// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>

#include "core/model/segment.h"
#include "core/model/time.h"
#include "core/reconstruct/live_connection.h"

namespace twlens::recon {

// How long a key may stay silent before a SYN with a new ISN is taken as a new incarnation even
// though the previous one never closed. 60 s: an orphaned FIN_WAIT_2 socket is gone after
// tcp_fin_timeout (60 s by default), a client's SYN retries give up after about 127 s, and an
// idle ESTABLISHED socket still holding its port could not send a SYN with a new ISN anyway; a
// minute of silence followed by a fresh SYN is a new connect() on the same 4-tuple.
inline constexpr TimeNs kSilenceNs = 60 * kNsPerSecond;

// Linux TCP_RTO_MIN (include/net/tcp.h): no retransmission timer fires sooner.
inline constexpr TimeNs kLinuxRtoMinNs = 200 * kNsPerMs;

// Two captured copies of one transmitted datagram (a tap or a merged capture seeing it twice)
// are byte-identical; a retransmission never is on IPv4 (a new IP ID) and, with timestamps,
// carries a new tsVal. The public captures show copies up to 5.6 ms apart
// (arkime-wireshark-retrans.pcap: frames 1/10, same IP ID) and 100-240 us apart
// (tcpdump-pptp.pcap), while the shortest retransmission timer of a common stack is
// kLinuxRtoMinNs. 10 ms separates the two with room on both sides.
inline constexpr TimeNs kTapDuplicateWindowNs = 10 * kNsPerMs;

// A SYN without ACK on a key that already has a live connection: does it start a new
// incarnation? (RFC 9293 §3.4: a new connection picks a new ISN; a retransmitted SYN keeps it.)
//  - same ISN as the side's earlier SYN: a retransmission, same connection;
//  - the previous incarnation closed (FINs both ways, or a RST): a new connection;
//  - the previous one was silent for kSilenceNs: a new connection;
//  - the sender had sent nothing but SYNs (its handshake never completed): it abandoned that
//    attempt (a SYN_SENT socket retransmits its SYN with the same ISN, tcp_retransmit_skb), so a
//    new ISN is a new connect() (arkime-tcp_handshake_synthetic.pcap ports 40003 and 40013);
//  - otherwise (an established, active connection) the SYN is an anomaly inside it (RFC 5961
//    §4: answered with a challenge ACK) and stays there for the hazard detectors.
bool startsNewIncarnation(const LiveConnection& live, int dir, const Segment& syn);

// Which key endpoint is the client. The SYN's sender; else the receiver of a SYN-ACK; else a
// guess (rolesInferred = true): a port below 1024 against one at or above it is the server; else
// the lower port is the server (clients take ephemeral ports, 32768-60999 on Linux, 49152-65535
// per RFC 6335, which are above almost every service port); equal ports: the first sender is
// the client.
int clientDirection(const LiveConnection& live, bool& rolesInferred);

} // namespace twlens::recon
