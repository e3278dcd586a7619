// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <string>

namespace twlens {

// TCP header control bits (RFC 9293 §3.1, RFC 3168 for ECE/CWR).
namespace tcpflag {
inline constexpr std::uint8_t FIN = 0x01;
inline constexpr std::uint8_t SYN = 0x02;
inline constexpr std::uint8_t RST = 0x04;
inline constexpr std::uint8_t PSH = 0x08;
inline constexpr std::uint8_t ACK = 0x10;
inline constexpr std::uint8_t URG = 0x20;
inline constexpr std::uint8_t ECE = 0x40;
inline constexpr std::uint8_t CWR = 0x80;
} // namespace tcpflag

// "SYN,ACK" style text, in the conventional order SYN, FIN, RST, PSH, ACK, URG, ECE, CWR.
std::string flagsToString(std::uint8_t flags);

// Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4: "all arithmetic on sequence numbers
// must be performed modulo 2**32"). a < b means a is before b within half the sequence space.
constexpr bool seqLt(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }
constexpr bool seqLeq(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) <= 0; }
constexpr bool seqGt(std::uint32_t a, std::uint32_t b) { return seqLt(b, a); }
constexpr bool seqGeq(std::uint32_t a, std::uint32_t b) { return seqLeq(b, a); }
constexpr std::uint32_t seqMax(std::uint32_t a, std::uint32_t b) { return seqLt(a, b) ? b : a; }

// Timestamp-value comparison for PAWS (RFC 7323 §5.3) uses the same modular rule.
constexpr bool tsNewer(std::uint32_t a, std::uint32_t b) { return seqGt(a, b); }

} // namespace twlens
