// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/segment_ring.h"

namespace twlens {

SegmentRing::SegmentRing(SegmentSink& consumer, std::function<std::uint64_t()> count, std::size_t slots,
                         std::size_t batch)
    : consumer_(consumer), count_(std::move(count)), slotCount_(slots ? slots : 1), batch_(batch ? batch : 1),
      storage_(std::make_unique<Segment[]>(slotCount_ * batch_)), used_(slotCount_, 0) {
    thread_ = std::thread([this] { consume(); });
}

SegmentRing::~SegmentRing() {
    if (thread_.joinable()) {
        {
            std::lock_guard lock(m_);
            closing_ = true;
        }
        filled_.notify_one();
        thread_.join();
    }
}

std::span<Segment> SegmentRing::acquireBatch() {
    producerCount_ = countPublished_.load(std::memory_order_relaxed);
    std::unique_lock lock(m_);
    // produced_ - consumed_ slots are full or being consumed; the next one must be free.
    drained_.wait(lock, [this] { return produced_ - consumed_ < slotCount_; });
    acquired_ = true;
    const std::size_t slot = static_cast<std::size_t>(produced_ % slotCount_);
    return {storage_.get() + slot * batch_, batch_};
}

void SegmentRing::commitBatch(std::size_t count) {
    {
        std::lock_guard lock(m_);
        if (!acquired_)
            return;
        acquired_ = false;
        used_[static_cast<std::size_t>(produced_ % slotCount_)] = count < batch_ ? count : batch_;
        ++produced_;
    }
    filled_.notify_one();
}

void SegmentRing::consume() {
    std::unique_lock lock(m_);
    for (;;) {
        filled_.wait(lock, [this] { return consumed_ < produced_ || closing_; });
        if (consumed_ == produced_) // closing and drained
            return;
        const std::size_t slot = static_cast<std::size_t>(consumed_ % slotCount_);
        const std::size_t n = used_[slot];
        const bool failed = static_cast<bool>(failure_);
        lock.unlock();
        // The slot is ours until consumed_ moves on: the producer waits for it before reuse.
        if (!failed && n > 0) {
            try {
                consumer_.segments({storage_.get() + slot * batch_, n});
                if (count_)
                    countPublished_.store(count_(), std::memory_order_relaxed);
            } catch (...) {
                lock.lock();
                failure_ = std::current_exception(); // keep draining so the producer never blocks
                lock.unlock();
            }
        }
        lock.lock();
        ++consumed_;
        drained_.notify_one();
    }
}

void SegmentRing::finish() {
    if (!thread_.joinable())
        return;
    {
        std::lock_guard lock(m_);
        closing_ = true;
    }
    filled_.notify_one();
    thread_.join();
    producerCount_ = countPublished_.load(std::memory_order_relaxed);
    if (failure_)
        std::rethrow_exception(failure_);
}

} // namespace twlens
