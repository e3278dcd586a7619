// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/model/segment.h"

namespace twlens {

// What one captured frame turned out to be. Every frame gets exactly one class, so the counts
// in InputInfo add up to the packets read.
enum class DecodeClass : std::uint8_t {
    Tcp,         // `out` holds the segment
    NonTcp,      // not IP, or IP carrying something else (UDP, ICMP, ...)
    Fragment,    // an IPv4 or IPv6 fragment (first or later): counted, not reassembled
    Undecodable, // the headers we need are cut off by the snaplen, or malformed
};

// Decodes one frame: `captured` are the caplen bytes libpcap handed over, `wireLength` the
// frame's original length, `linkType` the interface's DLT. Pure: no state, no allocation, never
// reads outside `captured`. Fills everything of `out` except ts, frame and input (the caller
// knows those); `out` is only meaningful when the result is Tcp.
//
// Lengths come from the IP header, not from what was captured: a frame cut to 54 bytes still
// reports its real payload length (issue 2: snaplen-cut packets).
DecodeClass decodePacket(std::span<const std::uint8_t> captured, std::uint32_t wireLength, int linkType,
                         Segment& out);

// The hash behind Segment::contentHash, which decodePacket takes over a datagram's IP and TCP
// headers: fast, not cryptographic. Two frames with the same IP datagram bytes (a tap or a SPAN
// port seeing one packet twice) get the same value.
std::uint32_t hashBytes(const std::uint8_t* data, std::size_t size);

} // namespace twlens
