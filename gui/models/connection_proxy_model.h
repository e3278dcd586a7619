// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QSortFilterProxyModel>
#include <memory>

#include "core/presentation/connection_filter.h"

namespace twlens {

class ConnectionTableModel;
class SelectionState;

// Filters the connection table with core's ConnectionFilter (address, port, hazard, closer ...);
// sorting is the table model's own (sort() passes it on). In the workspace it follows the
// SelectionState's filter (evaluated there once for every view); on its own (setFilterText) it
// evaluates the filter itself.
class ConnectionProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ConnectionProxyModel(ConnectionTableModel* source, QObject* parent = nullptr);
    void setFilterText(const QString& text);
    // Accept exactly the connections that pass the selection's filter (nullptr: stop following).
    void followFilter(const SelectionState* selection);
    // The selection's filter changed: map again in one layout change. invalidateFilter() would
    // remove or insert each run of rows separately, and a scattered filter (hazard:any over 530k
    // connections: 531 runs) makes the view's header shift its sections once per run.
    void selectionFilterChanged() { invalidate(); }
    const ConnectionFilter& filter() const { return filter_; }
    // Re-creates the matcher after the source model got a new analysis.
    void analysisChanged();
    // The table model orders its rows; this proxy keeps its source's order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    ConnectionTableModel* source_;
    const SelectionState* selection_ = nullptr;
    ConnectionFilter filter_;
    std::unique_ptr<ConnectionMatcher> matcher_;
};

} // namespace twlens
