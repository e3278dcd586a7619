// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <vector>

#include "core/reconstruct/connection_key.h"
#include "core/reconstruct/live_connection.h"

namespace twlens::recon {

// The hash table from connection key to live record: open addressing with linear probing over a
// power-of-two array of 8-byte slots (the high 32 bits of the hash as a tag, 32-bit index of the
// live record), load factor at most 0.7, and backward-shift deletion (no tombstones, so probe
// sequences stay short however many connections come and go). The home slot is the tag's low
// bits, so deletion and growth find every entry's home from its slot alone, without reading its
// live record (rehashing its key would cost a cache miss per entry shifted); and the tag lets a
// probe skip a non-matching slot without touching its live record. No std::unordered_map on the
// per-packet path: one slot read and, usually, one live-record read per packet. At 0.7 rather
// than 1/2 the table stays at 2^18 slots for the 161k live records of a 500k-connection capture
// instead of doubling to 2^19 (2 MB less at the end of reading, the analysis' peak) with no
// measurable cost: the probe mostly ends in the home slot's cache line either way.
class ConnectionTable {
public:
    static constexpr std::uint32_t kNotFound = UINT32_MAX;

    explicit ConnectionTable(const LivePool& pool);

    std::uint32_t find(const ConnKey& key, std::uint64_t hash) const {
        const std::uint32_t tag = tagOf(hash);
        std::uint32_t pos = tag & mask_;
        for (;;) {
            const Slot& s = slots_[pos];
            if (s.live == kNotFound)
                return kNotFound;
            if (s.tag == tag && pool_[s.live].key == key)
                return s.live;
            pos = (pos + 1) & mask_;
        }
    }
    void prefetch(std::uint64_t hash) const { __builtin_prefetch(&slots_[tagOf(hash) & mask_]); }
    static std::uint32_t tagOf(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32); }

    // The key must not be present.
    void insert(std::uint64_t hash, std::uint32_t live);
    // Points the entry of a key (present) at another live record: a new incarnation takes over.
    void replace(const ConnKey& key, std::uint64_t hash, std::uint32_t live);
    void erase(const ConnKey& key, std::uint64_t hash);

    std::size_t size() const { return count_; }
    std::size_t bytesAllocated() const { return slots_.capacity() * sizeof(Slot); }

private:
    struct Slot {
        std::uint32_t tag = 0;
        std::uint32_t live = kNotFound;
    };
    std::uint32_t slotOf(const ConnKey& key, std::uint64_t hash) const;
    void grow();

    const LivePool& pool_;
    std::vector<Slot> slots_;
    std::uint32_t mask_ = 0;
    std::size_t count_ = 0;
};

} // namespace twlens::recon
