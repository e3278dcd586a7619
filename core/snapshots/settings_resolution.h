// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>
#include <vector>

#include "core/model/input_info.h"
#include "core/model/settings.h"
#include "core/model/snapshot.h"

namespace twlens {

// The settings an analysis runs with: command-line/GUI overrides first, then sysctl lines read
// from the inputs, then the Linux defaults. Each value records where it came from
// ("command line", "sysctl.txt:14", "default"). Unparseable sysctl values keep the default and
// add a message to `problems`.
Settings resolveSettings(const SysctlTable& sysctl, const std::vector<InputInfo>& inputs,
                         const SettingsOverrides& overrides, std::vector<std::string>* problems = nullptr);

} // namespace twlens
