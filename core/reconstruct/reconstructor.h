// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <memory>
#include <span>

#include "core/model/analysis.h"
#include "core/model/segment.h"

namespace twlens {

// Turns the segment stream of all captures into connections: incarnations of each 4-tuple
// (+ VLAN IDs), roles, kept control segments, per-side RFC 9293 state timelines, TIME_WAIT
// windows, active closer, close kind, FIN retransmissions and lost final ACKs.
// Memory grows with connections, not packets. Feed segments in capture order, then finish().
class Reconstructor final : public SegmentSink {
public:
    explicit Reconstructor(Analysis& out); // reads out.settings; writes connections, segments, states, addresses
    ~Reconstructor() override;
    Reconstructor(const Reconstructor&) = delete;
    Reconstructor& operator=(const Reconstructor&) = delete;

    void segments(std::span<const Segment> batch) override;
    std::uint64_t connectionCount() const;
    // Closes the books: every connection still open is finalised as seen at the end of the input.
    // With threads = 2 the Finaliser shares its work with a second thread (same result).
    void finish(unsigned threads = 1);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace twlens
