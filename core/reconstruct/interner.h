// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <vector>

#include "core/model/ip_address.h"

namespace twlens::recon {

// Interns IP addresses into Analysis::addresses: each distinct address is stored once and named
// by a 32-bit index (heaptrack's indices.h idea), so connection keys stay 16 bytes. Open
// addressing over a power-of-two table whose slots hold the address next to its index (20 bytes
// a slot): a lookup reads one slot instead of a slot and then the address in the analysis's
// vector, two dependent loads for each of a packet's two addresses. Nothing is allocated per
// packet.
class AddressInterner {
public:
    explicit AddressInterner(std::vector<IpAddress>& store);
    std::uint32_t intern(const IpAddress& a);

private:
    void grow();
    struct Slot {
        IpAddress address;
        std::uint32_t index; // kEmpty or index into store_
    };
    static void place(std::vector<Slot>& slots, std::uint32_t mask, unsigned shift, const IpAddress& a, std::uint32_t index);
    std::vector<IpAddress>& store_;
    std::vector<Slot> slots_;
    std::uint32_t mask_ = 0;
    unsigned shift_ = 64; // 64 - log2(slots_.size()): a slot is the hash's top bits
};

// Interns Segment::vlanStack values into Analysis::vlanStacks ([0] = untagged). Captures carry a
// handful of VLAN stacks, so a linear scan behind a one-entry cache is the fast path.
class VlanInterner {
public:
    explicit VlanInterner(std::vector<std::uint64_t>& store);
    std::uint32_t intern(std::uint64_t stack) {
        if (stack == 0)
            return 0;
        if (stack == lastStack_)
            return lastIndex_;
        return slowIntern(stack);
    }

private:
    std::uint32_t slowIntern(std::uint64_t stack);
    std::vector<std::uint64_t>& store_;
    std::uint64_t lastStack_ = 0;
    std::uint32_t lastIndex_ = 0;
};

} // namespace twlens::recon
