// SPDX-License-Identifier: GPL-3.0-or-later
// The one fuzzing step over the packet decoder, shared by the libFuzzer target and the replay
// test that runs the same step under plain CTest (gcc, no libFuzzer).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "importers/capture/link_layer.h"
#include "importers/capture/packet_decoder.h"

namespace twlens::fuzz {

// Input layout: byte 0 picks the link type (low nibble, modulo the supported list) and how much
// longer the frame was on the wire than captured (high nibble x 100 bytes, to exercise snaplen
// cuts); the rest is the captured frame. Checks the decoder's promises and traps if one breaks.
inline DecodeClass decodeOneFrame(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return DecodeClass::Undecodable;
    const std::span<const int> types = supportedLinkTypes();
    const int linkType = types[(data[0] & 0x0Fu) % types.size()];
    const std::span<const std::uint8_t> frame(data + 1, size - 1);
    const auto wire = static_cast<std::uint32_t>(frame.size() + (data[0] >> 4) * 100u);

    const LinkFrame link = decodeLinkLayer(frame, linkType);
    if ((link.payload == LinkFrame::Payload::Ipv4 || link.payload == LinkFrame::Payload::Ipv6) &&
        link.offset > frame.size())
        __builtin_trap();

    Segment s;
    const DecodeClass c = decodePacket(frame, wire, linkType, s);
    if (c == DecodeClass::Tcp) {
        if (s.payloadLen > wire)
            __builtin_trap();
        if (s.ipVersion != 4 && s.ipVersion != 6)
            __builtin_trap();
        if (s.vlanStack != link.vlanStack)
            __builtin_trap();
    }
    return c;
}

} // namespace twlens::fuzz
