// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <algorithm>
#include <cstddef>
#include <span>

#include "core/model/segment.h"

namespace twlens {

// A SegmentSink that lends its own preallocated batch buffers, so an importer can decode straight
// into them (no copy, no allocation). Importers that know of it (the capture importer) ask for a
// buffer, fill a prefix of it and hand it back; others just call segments(), which copies.
class BatchSink : public SegmentSink {
public:
    // A writable buffer for the next batch; stays valid until commitBatch().
    virtual std::span<Segment> acquireBatch() = 0;
    // Hands over the first `count` segments of the buffer from the last acquireBatch().
    virtual void commitBatch(std::size_t count) = 0;

    void segments(std::span<const Segment> batch) override {
        while (!batch.empty()) {
            const std::span<Segment> buffer = acquireBatch();
            const std::size_t n = std::min(buffer.size(), batch.size());
            std::copy_n(batch.begin(), n, buffer.begin());
            commitBatch(n);
            batch = batch.subspan(n);
        }
    }
};

} // namespace twlens
