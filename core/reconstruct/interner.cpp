// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/reconstruct/interner.h"

#include <bit>
#include <cstring>

namespace twlens::recon {

namespace {
constexpr std::uint32_t kEmpty = UINT32_MAX;

// Multiplicative (Fibonacci) hashing: the table index is the top bits of a 64-bit product, which
// every input bit reaches, so no finaliser is needed. Two multiplies instead of IpAddressHash's
// two fmix64 rounds: this runs for both addresses of every packet.
std::uint32_t slotHash(const IpAddress& a, unsigned shift) {
    std::uint64_t lo, hi;
    std::memcpy(&lo, a.bytes.data(), 8);
    std::memcpy(&hi, a.bytes.data() + 8, 8);
    return static_cast<std::uint32_t>(((lo * 0xC2B2AE3D27D4EB4FULL) ^ hi) * 0x9E3779B97F4A7C15ULL >> shift);
}
} // namespace

AddressInterner::AddressInterner(std::vector<IpAddress>& store) : store_(store) {
    std::size_t capacity = 1024;
    while (capacity < store_.size() * 2 + 2)
        capacity *= 2;
    slots_.assign(capacity, Slot{IpAddress{}, kEmpty});
    mask_ = static_cast<std::uint32_t>(capacity - 1);
    shift_ = 64 - static_cast<unsigned>(std::countr_zero(capacity));
    for (std::uint32_t i = 0; i < store_.size(); ++i) // addresses the analysis already holds
        place(slots_, mask_, shift_, store_[i], i);
}

void AddressInterner::place(std::vector<Slot>& slots, std::uint32_t mask, unsigned shift, const IpAddress& a,
                            std::uint32_t index) {
    std::uint32_t pos = slotHash(a, shift);
    while (slots[pos].index != kEmpty)
        pos = (pos + 1) & mask;
    slots[pos] = Slot{a, index};
}

std::uint32_t AddressInterner::intern(const IpAddress& a) {
    std::uint32_t pos = slotHash(a, shift_);
    std::uint32_t index;
    for (;;) {
        Slot& s = slots_[pos];
        if (s.index == kEmpty) {
            index = static_cast<std::uint32_t>(store_.size());
            store_.push_back(a);
            s = Slot{a, index};
            if (store_.size() * 2 > slots_.size()) // load factor 1/2: short probe sequences
                grow();
            break;
        }
        if (s.address == a) {
            index = s.index;
            break;
        }
        pos = (pos + 1) & mask_;
    }
    return index;
}

void AddressInterner::grow() {
    std::vector<Slot> bigger(slots_.size() * 2, Slot{IpAddress{}, kEmpty});
    const std::uint32_t mask = static_cast<std::uint32_t>(bigger.size() - 1);
    const unsigned shift = shift_ - 1;
    for (const Slot& s : slots_)
        if (s.index != kEmpty)
            place(bigger, mask, shift, s.address, s.index);
    slots_.swap(bigger);
    mask_ = mask;
    shift_ = shift;
}

VlanInterner::VlanInterner(std::vector<std::uint64_t>& store) : store_(store) {
    if (store_.empty())
        store_.push_back(0);
}

std::uint32_t VlanInterner::slowIntern(std::uint64_t stack) {
    std::uint32_t index = 0;
    for (; index < store_.size(); ++index)
        if (store_[index] == stack)
            break;
    if (index == store_.size())
        store_.push_back(stack);
    lastStack_ = stack;
    lastIndex_ = index;
    return index;
}

} // namespace twlens::recon
