// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

#include <optional>

#include "core/model/exhaustion.h"
#include "core/model/settings.h"
#include "gui/views/what_if.h"

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace twlens {

class SelectionState;

// Ports in use per destination over time (Analysis::exhaustion[].series), the usable-port limit
// and the projection, with what-if controls that call core's project() live (a projection starts
// from the measured entry every time). "Re-run" analyses the inputs again with the same values as
// settings overrides. Without per-destination figures it plots how many TIME_WAIT windows were
// open over time (all connections), so the view is never blank.
class ExhaustionView : public QWidget {
    Q_OBJECT
public:
    explicit ExhaustionView(SelectionState* selection, QWidget* parent = nullptr);
    QCustomPlot* plot() const { return plot_; }
    WhatIfParameters parameters() const;
    void setParameters(const WhatIfParameters& p);
    QString statusText() const;
    // The projection on show for the selected destination (nullopt: the measured figures).
    const std::optional<Exhaustion>& projection() const { return projection_; }

signals:
    // "Re-run": analyse the inputs again with these values as settings overrides.
    void rerunRequested(const twlens::SettingsOverrides& overrides);

protected:
    void changeEvent(QEvent*) override;

private:
    void onAnalysisChanged();
    void replot();
    void project();
    void followTimeRange();

    SelectionState* selection_;
    QCustomPlot* plot_;
    QComboBox* destination_;
    QSpinBox* portLow_;
    QSpinBox* portHigh_;
    QComboBox* twReuse_;
    QDoubleSpinBox* twSeconds_;
    QDoubleSpinBox* reuseFactor_;
    QPushButton* apply_;
    QLabel* status_;
    std::optional<Exhaustion> projection_;
    bool following_ = false;
};

} // namespace twlens
