// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "core/model/progress.h"

namespace twlens::cli {

// Progress on one stderr line, redrawn at most every 200 ms; only used when stderr is a
// terminal, so logs and pipes never see carriage returns.
class ProgressPrinter final : public ImportObserver {
public:
    explicit ProgressPrinter(std::vector<std::string> paths);
    ~ProgressPrinter() override;
    void progress(const ImportProgress& p) override;
    void clear(); // erase the line before anything else is printed

private:
    std::vector<std::string> paths_;
    std::chrono::steady_clock::time_point last_{};
    bool drawn_ = false;
};

} // namespace twlens::cli
