// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/reconstruct/connection_table.h"

namespace twlens::recon {

ConnectionTable::ConnectionTable(const LivePool& pool) : pool_(pool) {
    slots_.resize(1024);
    mask_ = 1023;
}

std::uint32_t ConnectionTable::slotOf(const ConnKey& key, std::uint64_t hash) const {
    const std::uint32_t tag = tagOf(hash);
    std::uint32_t pos = tag & mask_;
    for (;;) {
        const Slot& s = slots_[pos];
        if (s.live == kNotFound)
            return kNotFound;
        if (s.tag == tag && pool_[s.live].key == key)
            return pos;
        pos = (pos + 1) & mask_;
    }
}

void ConnectionTable::insert(std::uint64_t hash, std::uint32_t live) {
    if ((count_ + 1) * 10 > slots_.size() * 7)
        grow();
    std::uint32_t pos = tagOf(hash) & mask_;
    while (slots_[pos].live != kNotFound)
        pos = (pos + 1) & mask_;
    slots_[pos] = Slot{tagOf(hash), live};
    ++count_;
}

void ConnectionTable::replace(const ConnKey& key, std::uint64_t hash, std::uint32_t live) {
    const std::uint32_t pos = slotOf(key, hash);
    if (pos != kNotFound)
        slots_[pos].live = live;
}

void ConnectionTable::erase(const ConnKey& key, std::uint64_t hash) {
    std::uint32_t hole = slotOf(key, hash);
    if (hole == kNotFound)
        return;
    // Backward-shift deletion (Knuth 6.4 algorithm R): move later members of the probe run into
    // the hole when their home slot does not lie cyclically between the hole and their position.
    std::uint32_t pos = hole;
    for (;;) {
        pos = (pos + 1) & mask_;
        const Slot& s = slots_[pos];
        if (s.live == kNotFound)
            break;
        const std::uint32_t home = s.tag & mask_;
        const bool homeBetween = hole <= pos ? (hole < home && home <= pos) : (hole < home || home <= pos);
        if (!homeBetween) {
            slots_[hole] = s;
            hole = pos;
        }
    }
    slots_[hole] = Slot{};
    --count_;
}

void ConnectionTable::grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    const std::uint32_t mask = static_cast<std::uint32_t>(bigger.size() - 1);
    for (const Slot& s : slots_) {
        if (s.live == kNotFound)
            continue;
        std::uint32_t pos = s.tag & mask;
        while (bigger[pos].live != kNotFound)
            pos = (pos + 1) & mask;
        bigger[pos] = s;
    }
    slots_.swap(bigger);
    mask_ = mask;
}

} // namespace twlens::recon
