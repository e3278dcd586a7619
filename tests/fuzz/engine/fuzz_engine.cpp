// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target over the analysis engine: structured TCP segment sequences (engine_fuzz_harness.h)
// through the reconstructor, the hazard/exhaustion/findings passes, the writers and the presentation.
//   cmake --preset fuzz -B build/fuzz && cmake --build build/fuzz --target fuzz_engine
//   build/fuzz/tests/fuzz/engine/fuzz_engine -max_total_time=600 -rss_limit_mb=2048 -timeout=10 \
//       <scratch corpus dir> tests/fuzz/engine/corpus
#include <cstddef>
#include <cstdint>

#include "engine_fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    twlens::fuzz::engine::runEngine(data, size);
    return 0;
}
