// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;
class QStackedWidget;
class QTreeWidget;

namespace twlens {

class SelectionState;

// Socket snapshots (ss, netstat, /proc/net/*): socket states over time, TIME_WAIT by destination
// for one snapshot, and the findings (sysctl advice, trends). With no snapshot loaded it says how
// to get one instead of showing empty axes.
class SnapshotView : public QWidget {
    Q_OBJECT
public:
    explicit SnapshotView(SelectionState* selection, QWidget* parent = nullptr);
    QCustomPlot* plot() const { return plot_; }
    QTreeWidget* destinations() const { return destinations_; }
    QTreeWidget* findings() const { return findings_; }

protected:
    void changeEvent(QEvent*) override;

private:
    void onAnalysisChanged();
    void showSnapshot(int index);

    SelectionState* selection_;
    QStackedWidget* stack_;
    QLabel* empty_;
    QCustomPlot* plot_;
    QComboBox* snapshot_;
    QTreeWidget* destinations_;
    QTreeWidget* findings_;
};

} // namespace twlens
