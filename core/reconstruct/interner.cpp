// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/reconstruct/interner.h"

#include <bit>

namespace twlens::recon {

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

std::uint32_t AddressInterner::add(const IpAddress& a, std::uint32_t emptySlot) {
    const auto index = static_cast<std::uint32_t>(store_.size());
    store_.push_back(a);
    slots_[emptySlot] = Slot{a, index};
    if (store_.size() * 2 > slots_.size()) // load factor 1/2: short probe sequences
        grow();
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
