// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <fstream>
#include <memory>
#include <ostream>
#include <string>

#include "core/model/result.h"

namespace twlens::cli {

// Where --json / --csv write. "-" is stdout. A regular file is written to a temporary file in
// the same directory and renamed over OUT at commit(), so a failed run leaves neither a
// half-written document nor a truncated earlier one. Non-regular targets (/dev/stdout, a FIFO)
// are written in place. Opened before the analysis so that a bad path fails at once.
class OutputFile {
public:
    static Result<std::unique_ptr<OutputFile>> open(const std::string& path);
    ~OutputFile(); // removes the temporary file unless committed

    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    std::ostream& stream();
    const std::string& path() const { return path_; }
    // Flushes and moves the temporary file into place; an Error names the file and why.
    Result<bool> commit();

private:
    OutputFile() = default;
    std::string path_;
    std::string tempPath_;   // empty when writing in place or to stdout
    std::ofstream file_;
    bool toStdout_ = false;
    bool committed_ = false;
};

} // namespace twlens::cli
