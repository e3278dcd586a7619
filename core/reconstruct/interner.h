// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <cstring>
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
    // Inline, with adding a new address out of line: a lookup that finds its address is the
    // per-packet case, and sharing a function with the insertion made it save and restore the
    // registers the insertion needs (a fifth of its instructions).
    std::uint32_t intern(const IpAddress& a) {
        std::uint32_t pos = slotHash(a, shift_);
        for (;;) {
            const Slot& s = slots_[pos];
            if (s.index == kEmpty)
                return add(a, pos);
            if (s.address == a)
                return s.index;
            pos = (pos + 1) & mask_;
        }
    }

private:
    static constexpr std::uint32_t kEmpty = UINT32_MAX;
    // Multiplicative (Fibonacci) hashing: the table index is the top bits of a 64-bit product, which
    // every input bit reaches, so no finaliser is needed. Two multiplies instead of IpAddressHash's
    // two fmix64 rounds: this runs for both addresses of every packet.
    static std::uint32_t slotHash(const IpAddress& a, unsigned shift) {
        std::uint64_t lo, hi;
        std::memcpy(&lo, a.bytes.data(), 8);
        std::memcpy(&hi, a.bytes.data() + 8, 8);
        return static_cast<std::uint32_t>(((lo * 0xC2B2AE3D27D4EB4FULL) ^ hi) * 0x9E3779B97F4A7C15ULL >> shift);
    }
    std::uint32_t add(const IpAddress& a, std::uint32_t emptySlot);
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
