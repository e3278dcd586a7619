// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

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
// and the projection, with what-if controls. Without per-destination figures it plots how many
// TIME_WAIT windows were open over time (all connections), so the view is never blank.
class ExhaustionView : public QWidget {
    Q_OBJECT
public:
    explicit ExhaustionView(SelectionState* selection, QWidget* parent = nullptr);
    QCustomPlot* plot() const { return plot_; }
    void setProjector(WhatIfProjector projector);
    WhatIfParameters parameters() const;
    QString statusText() const;

signals:
    // No projector: the controls ask for the analysis to be run again with these settings.
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
    QSpinBox* reuseFactor_;
    QPushButton* apply_;
    QLabel* status_;
    WhatIfProjector projector_;
    bool following_ = false;
};

} // namespace twlens
