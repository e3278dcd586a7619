// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target over the packet decoder (importers/capture/packet_decoder.h).
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_packet_decoder
//   build/fuzz/tests/fuzz/fuzz_packet_decoder tests/fuzz/corpus/packet -max_total_time=300
#include <cstddef>
#include <cstdint>

#include "packet_fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    twlens::fuzz::decodeOneFrame(data, size);
    return 0;
}
