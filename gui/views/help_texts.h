// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace twlens {

// The teaching words, kept in resources/help (written from the project's TCP teardown facts
// document): short tooltips by key, and one HTML explanation per hazard kind.
class HelpTexts {
public:
    // The tooltip for `key` (e.g. "column.active_closer", "state.TIME_WAIT"); empty when unknown.
    // The "settings.*" ones also explain each setting in the incident report (gui/report).
    static QString tooltip(const QString& key);
    // The explanation of a hazard kind (":/help/<kind>.html"), or the generic text.
    static QString hazardExplanation(const QString& kind);
    // Any help page by name (":/help/<name>.html"); empty when missing.
    static QString page(const QString& name);
};

} // namespace twlens
