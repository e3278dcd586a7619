// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "importers/batch_sink.h"

namespace twlens {

// Hands segment batches from the reading thread to a consumer (the reconstructor) running on
// its own thread, so decoding and analysis overlap and wall time approaches the slower of the
// two. A fixed ring of preallocated batches sits between them: the importer decodes straight
// into a free slot (BatchSink::acquireBatch), the consumer takes full slots in order. Nothing is
// allocated after construction. One producer, one consumer.
class SegmentRing final : public BatchSink {
public:
    static constexpr std::size_t kDefaultSlots = 8;
    static constexpr std::size_t kDefaultBatch = 1024;

    // `consumer` is called on the ring's thread; `count`, when given, is called there after each
    // batch and its value is published for progress reports (e.g. connections so far).
    explicit SegmentRing(SegmentSink& consumer, std::function<std::uint64_t()> count = {},
                         std::size_t slots = kDefaultSlots, std::size_t batch = kDefaultBatch);
    ~SegmentRing() override;
    SegmentRing(const SegmentRing&) = delete;
    SegmentRing& operator=(const SegmentRing&) = delete;

    std::span<Segment> acquireBatch() override;   // blocks while every slot is full
    void commitBatch(std::size_t count) override;

    // Waits until the consumer has taken every committed batch, stops its thread, and rethrows
    // what the consumer threw, if anything. Called once, on the producer's thread.
    void finish();

    // The consumer's latest count, as a plain value owned by the producer's thread (refreshed in
    // acquireBatch): what ImportContext::connectionsSoFar can point at.
    const std::uint64_t* countForProducer() const { return &producerCount_; }

private:
    void consume();

    SegmentSink& consumer_;
    std::function<std::uint64_t()> count_;
    const std::size_t slotCount_;
    const std::size_t batch_;
    std::unique_ptr<Segment[]> storage_;
    std::vector<std::size_t> used_;     // segments committed in each slot

    std::mutex m_;
    std::condition_variable filled_;    // producer -> consumer
    std::condition_variable drained_;   // consumer -> producer
    std::uint64_t produced_ = 0;        // slots committed (monotonic)
    std::uint64_t consumed_ = 0;        // slots given back (monotonic)
    bool acquired_ = false;
    bool closing_ = false;
    std::exception_ptr failure_;

    std::atomic<std::uint64_t> countPublished_{0};
    std::uint64_t producerCount_ = 0;
    std::thread thread_;
};

} // namespace twlens
