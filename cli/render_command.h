// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <span>
#include <string_view>

namespace twlens::cli {

// `twlens-cli render ...`: `args` are the words after "render". Needs no display (offscreen Qt).
int runRender(std::span<const std::string_view> args);

} // namespace twlens::cli
