// SPDX-License-Identifier: GPL-3.0-or-later
// twlens-cli: a thin front end over the shared analysis. Subcommands dispatch on argv[1] so
// render and report sit beside analyze.
#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "cli/analyze_command.h"
#include "cli/arguments.h"
#ifdef TWLENS_HAVE_FIGURES
#include "cli/render_command.h"
#include "cli/report_command.h"
#endif

namespace {

int run(int argc, char** argv) {
    using namespace twlens::cli;
    std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::fputs("twlens-cli: missing command (see twlens-cli --help)\n", stderr);
        return kExitUsage;
    }
    const std::string_view command = args.front();
    const std::span<const std::string_view> rest(args.data() + 1, args.size() - 1);
    if (command == "analyze")
        return runAnalyze(rest);
#ifdef TWLENS_HAVE_FIGURES
    if (command == "render")
        return runRender(rest);
    if (command == "report")
        return runReport(rest);
#else
    if (command == "render" || command == "report") {
        std::fprintf(stderr, "twlens-cli: %.*s needs a build with the GUI (TWLENS_BUILD_GUI=ON)\n",
                     static_cast<int>(command.size()), command.data());
        return kExitUsage;
    }
#endif
    if (command == "-h" || command == "--help" || command == "help") {
        std::fputs(usageText().data(), stdout);
        return kExitOk;
    }
    if (command == "--version" || command == "-V") {
        std::printf("twlens-cli %s\n", TWLENS_VERSION);
        return kExitOk;
    }
    std::fprintf(stderr, "twlens-cli: unknown command '%.*s' (commands: analyze, render, report; see twlens-cli --help)\n",
                 static_cast<int>(command.size()), command.data());
    return kExitUsage;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::bad_alloc&) {
        std::fputs("twlens-cli: internal error: out of memory\n", stderr);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "twlens-cli: internal error: %s\n", e.what());
    } catch (...) {
        std::fputs("twlens-cli: internal error: unknown exception\n", stderr);
    }
    return twlens::cli::kExitInternal;
}
