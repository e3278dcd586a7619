// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/model/result.h"
#include "core/model/time.h"

namespace twlens {

// One file the analysis will read: a path given by the user, or (once bundles are expanded)
// a member of a collector bundle.
struct PlannedInput {
    std::string path;              // what to open
    std::string displayPath;       // what InputInfo::path, warnings and errors call it
    TimeNs indexTime = kNoTime;    // a bundle member's time from the bundle index
    std::vector<std::string> notes; // the bundle index's notes (skipped parts), on its first member
};

// The inputs of one analysis, in the order the user gave them.
struct InputPlan {
    std::vector<PlannedInput> inputs;
    std::vector<std::shared_ptr<void>> keepAlive; // unpacked bundle members stay on disk while the plan lives
};

// Step (a) of analyzeFiles(): turns the user's paths into the files to read. Today each path
// is one input as it is; collector bundles (a directory or .tar.gz) expand here into their
// member files. An Error names the path that cannot be expanded and why.
Result<InputPlan> expandInputs(const std::vector<std::string>& paths);

} // namespace twlens
