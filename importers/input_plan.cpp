// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/input_plan.h"

#include "importers/snapshot/collector_bundle.h"

namespace twlens {

Result<InputPlan> expandInputs(const std::vector<std::string>& paths) {
    InputPlan plan;
    plan.inputs.reserve(paths.size());
    for (const std::string& p : paths) {
        auto bundle = addCollectorBundle(p, plan); // a twlens-collect bundle expands into its members
        if (!bundle)
            return bundle.error();
        if (!*bundle)
            plan.inputs.push_back({p, p, kNoTime, {}});
    }
    return plan;
}

} // namespace twlens
