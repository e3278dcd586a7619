// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/progress_printer.h"

#include <cstdio>
#include <string_view>

namespace twlens::cli {

ProgressPrinter::ProgressPrinter(std::vector<std::string> paths) : paths_(std::move(paths)) {}

ProgressPrinter::~ProgressPrinter() { clear(); }

void ProgressPrinter::progress(const ImportProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(200))
        return;
    last_ = now;
    // The file name only: a long path would wrap the line and defeat the carriage return.
    std::string_view name = p.input < paths_.size() ? std::string_view(paths_[p.input]) : std::string_view();
    if (const auto slash = name.rfind('/'); slash != std::string_view::npos && slash + 1 < name.size())
        name.remove_prefix(slash + 1);
    const double pct = p.bytesTotal ? 100.0 * static_cast<double>(p.bytesDone) / static_cast<double>(p.bytesTotal) : 0.0;
    // \r and "erase to end of line" (ECMA-48 EL) keep the line from growing stale characters.
    std::fprintf(stderr, "\r\x1b[Ktwlens-cli: %u/%u %.*s %.0f%%, %llu packets, %llu connections", p.input + 1,
                 p.inputCount, static_cast<int>(name.size()), name.data(), pct, static_cast<unsigned long long>(p.packets),
                 static_cast<unsigned long long>(p.connections));
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressPrinter::clear() {
    if (!drawn_)
        return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

} // namespace twlens::cli
