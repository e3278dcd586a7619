// SPDX-License-Identifier: GPL-3.0-or-later
// The analysis pipeline both front ends run: inputs -> snapshots and settings -> captures through
// the reconstructor -> later passes. Each step is one function below, in the order they run.
#include "importers/analyze_files.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "core/findings/findings_pass.h"
#include "core/hazards/detect_hazards.h"
#include "core/reconstruct/reconstructor.h"
#include "core/snapshots/settings_resolution.h"
#include "core/support/run_beside.h"
#include "importers/capture/pcap_importer.h"
#include "importers/input_plan.h"
#include "importers/registry.h"
#include "importers/segment_ring.h"

namespace twlens {

namespace {

// Below this many bytes of captures a second thread costs more than it saves.
constexpr std::uint64_t kThreadedFromBytes = 4u << 20;

struct Job {
    PlannedInput input;
    const Importer* importer = nullptr;
    std::uint16_t index = 0;              // into Analysis::inputs
    std::optional<TimeNs> firstPacket;    // captures only
};

bool isCapture(InputKind k) { return k == InputKind::Pcap || k == InputKind::Pcapng; }

Error fail(const PlannedInput& in, const std::string& why) { return Error{in.displayPath + ": " + why}; }

// Detects every input by content and registers its InputInfo, in the order given.
Result<std::vector<Job>> detectInputs(const InputPlan& plan, Analysis& a) {
    std::vector<Job> jobs;
    if (plan.inputs.size() > UINT16_MAX)
        return Error{"too many inputs (" + std::to_string(plan.inputs.size()) + "); at most 65535"};
    for (const PlannedInput& in : plan.inputs) {
        std::string whyNot;
        const Importer* imp = ImporterRegistry::builtin().detect(in.path, &whyNot);
        if (!imp) // missing, unreadable, a directory that is not a bundle, or an unknown format
            return fail(in, whyNot);
        InputInfo info;
        info.path = in.displayPath;
        info.kind = imp->kind();
        for (const std::string& note : in.notes) // a collector bundle's notes on what it skipped
            info.warnings.push_back({InputWarning::kNone, InputWarning::kNone, note});
        a.inputs.push_back(std::move(info));
        jobs.push_back({in, imp, static_cast<std::uint16_t>(a.inputs.size() - 1), std::nullopt});
    }
    return jobs;
}

ImportContext contextFor(const Job& job, Analysis& a, ImportObserver* observer, std::stop_token stop) {
    ImportContext ctx;
    ctx.inputIndex = job.index;
    ctx.inputCount = static_cast<std::uint32_t>(a.inputs.size());
    ctx.info = &a.inputs[job.index];
    ctx.observer = observer;
    ctx.stop = std::move(stop);
    ctx.indexTime = job.input.indexTime;
    return ctx;
}

std::optional<Error> outcomeError(const Job& job, const ImportOutcome& outcome) {
    if (outcome.status == ImportStatus::Cancelled)
        return Error{"cancelled"};
    if (outcome.status == ImportStatus::Failed)
        return fail(job.input, outcome.error);
    return std::nullopt;
}

// Step (b): snapshots and sysctl lines, before any capture, because they set the settings.
std::optional<Error> readSnapshots(const std::vector<Job>& jobs, Analysis& a, ImportObserver* observer,
                                   std::stop_token stop) {
    for (const Job& job : jobs) {
        if (isCapture(job.importer->kind()))
            continue;
        ImportContext ctx = contextFor(job, a, observer, stop);
        ctx.snapshots = &a.snapshots;
        ctx.sysctl = &a.sysctl;
        if (auto e = outcomeError(job, job.importer->read(job.input.path, ctx)))
            return e;
    }
    std::stable_sort(a.snapshots.begin(), a.snapshots.end(),
                     [](const SocketSnapshot& x, const SocketSnapshot& y) { return x.ts < y.ts; });
    return std::nullopt;
}

// Step (c): overrides, then sysctl inputs, then Linux defaults. A value that cannot be read is a
// warning on the input it came from ("path:line: cannot read ...").
void resolveAnalysisSettings(Analysis& a, const SettingsOverrides& overrides) {
    std::vector<std::string> problems;
    a.settings = resolveSettings(a.sysctl, a.inputs, overrides, &problems);
    for (std::string& p : problems) {
        auto owner = std::find_if(a.inputs.begin(), a.inputs.end(), [&](const InputInfo& in) {
            return p.size() > in.path.size() && p.compare(0, in.path.size(), in.path) == 0 && p[in.path.size()] == ':';
        });
        if (owner == a.inputs.end())
            owner = std::find_if(a.inputs.begin(), a.inputs.end(),
                                 [](const InputInfo& in) { return in.kind == InputKind::Sysctl; });
        if (owner == a.inputs.end())
            continue; // settings problems need a sysctl input; there is always one when there are problems
        owner->warnings.push_back({InputWarning::kNone, InputWarning::kNone, std::move(p)});
    }
}

// Reads the captures in order of their first packet so the reconstructor sees one timeline.
// Captures without packets go last (they only contribute their InputInfo).
Result<std::vector<const Job*>> orderCaptures(std::vector<Job>& jobs) {
    std::vector<const Job*> captures;
    for (Job& job : jobs) {
        if (!isCapture(job.importer->kind()))
            continue;
        auto first = firstPacketTime(job.input.path);
        if (!first) // cannot be opened at all: the whole analysis stops here, naming the file
            return fail(job.input, first.error().message);
        job.firstPacket = *first;
        captures.push_back(&job);
    }
    std::stable_sort(captures.begin(), captures.end(), [](const Job* x, const Job* y) {
        if (x->firstPacket.has_value() != y->firstPacket.has_value())
            return x->firstPacket.has_value();
        return x->firstPacket.value_or(0) < y->firstPacket.value_or(0);
    });
    return captures;
}

bool useSecondThread(const std::vector<const Job*>& captures) {
    // TWLENS_PIPELINE=single|threaded forces the choice (benchmarks compare the two).
    if (const char* force = std::getenv("TWLENS_PIPELINE")) {
        if (std::strcmp(force, "single") == 0)
            return false;
        if (std::strcmp(force, "threaded") == 0)
            return true;
    }
    std::uint64_t bytes = 0;
    for (const Job* job : captures) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(job->input.path, ec);
        if (!ec)
            bytes += size;
    }
    return bytes >= kThreadedFromBytes;
}

// Step (d): every capture through one reconstructor. With big inputs the reading and decoding
// runs here and the reconstructor on a second thread, fed through a ring of preallocated
// batches (SegmentRing), so the wall time approaches the slower of the two.
std::optional<Error> readCaptures(const std::vector<const Job*>& captures, Analysis& a, ImportObserver* observer,
                                  std::stop_token stop) {
#if defined(__GLIBC__)
    // The reconstructor's stores grow in 256-688 KiB chunks and the Finaliser frees them as it
    // moves their contents into the result, so the two are never both resident. glibc raises its
    // mmap threshold (up to 32 MiB) each time a larger mmap'd block is freed (a grown vector's old
    // buffer), after which such chunks come from the heap and freeing them returns nothing to the
    // system: the store and the result are then both resident (+80 MB RSS at 500k connections).
    // Setting the threshold explicitly (to glibc's default) turns that adjustment off.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    Reconstructor reconstructor(a);
    std::uint64_t packetsSoFar = 0;
    std::uint64_t connectionsSoFar = 0;
    std::unique_ptr<SegmentRing> ring;
    if (useSecondThread(captures))
        ring = std::make_unique<SegmentRing>(reconstructor, [&reconstructor] { return reconstructor.connectionCount(); });

    std::optional<Error> error;
    for (const Job* job : captures) {
        ImportContext ctx = contextFor(*job, a, observer, stop);
        ctx.packetsSoFar = &packetsSoFar;
        if (ring) {
            ctx.segments = ring.get();
            ctx.connectionsSoFar = ring->countForProducer();
        } else {
            ctx.segments = &reconstructor;
            ctx.connectionsSoFar = &connectionsSoFar;
        }
        error = outcomeError(*job, job->importer->read(job->input.path, ctx));
        if (!ring)
            connectionsSoFar = reconstructor.connectionCount();
        if (error)
            break;
    }
    if (ring)
        ring->finish(); // every batch handed over is analysed before the books close
    if (error)
        return error;
    reconstructor.finish(ring ? 2 : 1); // big inputs: the books close on two threads too
    return std::nullopt;
}

// Below this many connections the passes take well under a millisecond: no second thread.
constexpr std::size_t kThreadedPassesFrom = 4096;

// Step (e): the passes over the reconstructed connections. Each later pass (hazards, exhaustion,
// findings) adds its one call here, in the order it needs.
//
// The hazard pass and the exhaustion-and-findings pass are independent, so on big inputs they run
// on two threads. Both only read what reading the captures produced (settings, inputs,
// connections, segments, states, addresses, snapshots: every detector, computeExhaustion's
// collectors and the findings take a const Analysis&). What each writes, nothing the other reads:
// detectHazards writes Analysis::hazards and each Connection's firstHazard/hazardCount (plain
// members, separate memory locations from the fields the exhaustion pass reads);
// computeExhaustionAndFindings writes Analysis::exhaustion and Analysis::findings, and no finding
// looks at hazards. The results are the same as in series.
void runAnalysisPasses(Analysis& a) {
    const char* force = std::getenv("TWLENS_PIPELINE");
    if (a.connections.size() < kThreadedPassesFrom || (force && std::strcmp(force, "single") == 0)) {
        detectHazards(a);
        computeExhaustionAndFindings(a);
        return;
    }
    runBeside([&a] { detectHazards(a); }, [&a] { computeExhaustionAndFindings(a); });
}

} // namespace

Result<std::shared_ptr<const Analysis>> analyzeFiles(const AnalyzeRequest& request, ImportObserver* observer,
                                                     std::stop_token stop) {
    // (a) the user's paths -> the files to read (collector bundles expand into their members)
    auto plan = expandInputs(request.paths);
    if (!plan)
        return plan.error();
    auto analysis = std::make_shared<Analysis>();
    auto jobs = detectInputs(*plan, *analysis);
    if (!jobs)
        return jobs.error();

    // (b) snapshots and sysctl lines first
    if (auto e = readSnapshots(*jobs, *analysis, observer, stop))
        return *e;
    // (c) the settings every verdict depends on
    resolveAnalysisSettings(*analysis, request.overrides);

    // (d) the captures, in time order, through one reconstructor
    auto captures = orderCaptures(*jobs);
    if (!captures)
        return captures.error();
    if (auto e = readCaptures(*captures, *analysis, observer, stop))
        return *e;
    if (stop.stop_requested())
        return Error{"cancelled"};

    // (e) later passes
    runAnalysisPasses(*analysis);
    return std::shared_ptr<const Analysis>(std::move(analysis));
}

} // namespace twlens
