// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <span>
#include <string_view>

namespace twlens::cli {

// `twlens-cli report ...`: `args` are the words after "report". Needs no display (offscreen Qt).
int runReport(std::span<const std::string_view> args);

} // namespace twlens::cli
