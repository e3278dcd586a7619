// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <exception>
#include <thread>
#include <utility>

namespace twlens {

// Runs `aside` on a second thread while `here` runs on this one, and returns once both are done.
// An exception from `aside` is rethrown here after `here` has finished, as if the two had run in
// series; one from `here` propagates once `aside` is done (the thread is joined first). For work
// that only reads what the other writes nothing of.
template <typename Aside, typename Here>
void runBeside(Aside&& aside, Here&& here) {
    std::exception_ptr asideFailed;
    {
        std::jthread thread([&aside, &asideFailed] {
            try {
                std::forward<Aside>(aside)();
            } catch (...) {
                asideFailed = std::current_exception();
            }
        });
        std::forward<Here>(here)();
    }
    if (asideFailed)
        std::rethrow_exception(asideFailed);
}

} // namespace twlens
