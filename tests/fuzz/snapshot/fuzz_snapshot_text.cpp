// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the snapshot text importers (built with TWLENS_BUILD_FUZZERS=ON, clang):
//   build/fuzz/tests/fuzz/snapshot/fuzz_snapshot_text tests/data/snapshots/real tests/data/snapshots/handmade
#include "snapshot_fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)twlens::fuzz::runSnapshotFuzzStep(data, size);
    return 0;
}
