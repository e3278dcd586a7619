// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace twlens {

class ConnectionProxyModel;
class ConnectionTableModel;
class SelectionState;

// The connections table: filter box (core ConnectionFilter syntax), sortable columns, a column
// chooser on the header's context menu, copy as CSV. Follows and drives the shared selection.
class ConnectionsView : public QWidget {
    Q_OBJECT
public:
    explicit ConnectionsView(SelectionState* selection, QWidget* parent = nullptr);
    ConnectionTableModel* model() const { return model_; }
    ConnectionProxyModel* proxy() const { return proxy_; }
    QTableView* table() const { return table_; }
    QLineEdit* filterEdit() const { return filter_; }
    // The selected rows (or all visible rows) as CSV text, via core's CSV writer.
    QString csv(bool selectedOnly) const;
    void copyCsv(bool selectedOnly) const;

private:
    void onAnalysisChanged();
    void onConnectionSelected(std::uint32_t id);
    void showColumnMenu(const QPoint& pos);
    void updateCount();

    SelectionState* selection_;
    ConnectionTableModel* model_;
    ConnectionProxyModel* proxy_;
    QLineEdit* filter_;
    QLabel* count_;
    QTableView* table_;
    bool syncing_ = false;
};

} // namespace twlens
