// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <memory>
#include <span>

#include "core/model/segment.h"
#include "importers/batch_sink.h"

namespace twlens {

// Collects decoded segments into fixed-size batches for a SegmentSink. With a BatchSink the
// segments are decoded straight into the sink's buffers; otherwise into one buffer allocated
// once per input. Either way nothing is allocated per packet.
class SegmentBatcher {
public:
    static constexpr std::size_t kBatchSize = 1024;

    explicit SegmentBatcher(SegmentSink* sink) : sink_(sink), direct_(dynamic_cast<BatchSink*>(sink)) {
        if (!direct_) {
            own_ = std::make_unique<Segment[]>(kBatchSize);
            buffer_ = {own_.get(), kBatchSize};
        }
    }
    SegmentBatcher(const SegmentBatcher&) = delete;
    SegmentBatcher& operator=(const SegmentBatcher&) = delete;
    ~SegmentBatcher() { flush(); }

    // The slot the next segment is decoded into; it only counts once keep() is called.
    Segment& slot() {
        if (used_ == buffer_.size())
            refill();
        return buffer_[used_];
    }
    void keep() { ++used_; }

    // Hands what has been kept so far to the sink.
    void flush() {
        if (!sink_) {
            used_ = 0;
            return;
        }
        if (direct_) {
            if (acquired_) {
                direct_->commitBatch(used_);
                acquired_ = false;
                buffer_ = {};
            }
        } else if (used_ > 0) {
            sink_->segments(buffer_.first(used_));
        }
        used_ = 0;
    }

private:
    void refill() {
        flush();
        if (direct_) {
            buffer_ = direct_->acquireBatch();
            acquired_ = true;
        }
    }

    SegmentSink* sink_ = nullptr;
    BatchSink* direct_ = nullptr;
    std::unique_ptr<Segment[]> own_;
    std::span<Segment> buffer_;
    std::size_t used_ = 0;
    bool acquired_ = false;
};

} // namespace twlens
