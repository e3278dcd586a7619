// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/reconstruct/reconstructor.h"

#include "core/reconstruct/finaliser.h"
#include "core/reconstruct/segment_tracker.h"

namespace twlens {

struct Reconstructor::Impl {
    explicit Impl(Analysis& a) : out(a), tracker(a) {}
    Analysis& out;
    recon::SegmentTracker tracker;
    bool finished = false;
};

Reconstructor::Reconstructor(Analysis& out) : d(std::make_unique<Impl>(out)) {}
Reconstructor::~Reconstructor() = default;

void Reconstructor::segments(std::span<const Segment> batch) {
    if (!d->finished)
        d->tracker.add(batch);
}

std::uint64_t Reconstructor::connectionCount() const { return d->tracker.connectionCount(); }

void Reconstructor::finish(unsigned threads) {
    if (d->finished)
        return;
    d->finished = true;
    // The live records' chunks are freed first (finaliseAll): the pool keeps only as many of
    // them as the Finaliser will write over, and the rest goes back to the kernel.
    d->tracker.blocks().expect(recon::Finaliser::blocksWritten(d->tracker.connectionCount(), d->tracker.kept().size()));
    d->tracker.finaliseAll();
    recon::Finaliser(d->tracker, d->out, threads).run();
}

} // namespace twlens
