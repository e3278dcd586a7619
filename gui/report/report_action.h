// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>

#include "core/model/analysis.h"

class QWidget;

namespace twlens {

// GUI File > Create report…: asks where to save (HTML or PDF), writes the report, and says so
// in a message box when it fails.
void createReportDialog(QWidget* parent, const Analysis& a, const QStringList& inputs);

} // namespace twlens
