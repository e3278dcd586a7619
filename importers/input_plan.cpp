// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/input_plan.h"

namespace twlens {

Result<InputPlan> expandInputs(const std::vector<std::string>& paths) {
    InputPlan plan;
    plan.inputs.reserve(paths.size());
    for (const std::string& p : paths)
        plan.inputs.push_back({p, p, kNoTime});
    return plan;
}

} // namespace twlens
