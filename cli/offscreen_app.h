// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QApplication>
#include <memory>

namespace twlens::cli {

// The QApplication render and report draw with: Qt's offscreen platform (no display needed on a
// server or in CI; set before the application reads it, over whatever the environment asks
// for), and only Qt's critical messages passed on to stderr.
std::unique_ptr<QApplication> makeOffscreenApplication();

} // namespace twlens::cli
