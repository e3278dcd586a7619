// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace twlens {

class MainWindow;

// `twlens --screenshot-dir DIR`: once the first analysis is on screen, saves the whole window
// and each docked view as PNG files in DIR (QWidget::grab), then quits. Used by
// gui/screenshots.sh for the README's pictures.
void installScreenshotMode(MainWindow* window, const QString& dir);

} // namespace twlens
