// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDialog>

#include "core/model/settings.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace twlens {

// The knobs that change verdicts: TIME_WAIT length, port range, tcp_tw_reuse, tcp_rfc1337. Each
// shows the value in effect and where it came from (sysctl input line, command line or the Linux
// default); ticking "override" makes the value a SettingsOverrides entry and the analysis re-runs.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(const Settings& current, const SettingsOverrides& overrides, QWidget* parent = nullptr);
    SettingsOverrides overrides() const;

private:
    QCheckBox* overrideTw_;
    QDoubleSpinBox* tw_;
    QCheckBox* overridePorts_;
    QSpinBox* portLow_;
    QSpinBox* portHigh_;
    QCheckBox* overrideReuse_;
    QComboBox* reuse_;
    QCheckBox* overrideRfc_;
    QComboBox* rfc_;
};

} // namespace twlens
