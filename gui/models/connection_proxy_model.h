// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QSortFilterProxyModel>
#include <memory>

#include "core/presentation/connection_filter.h"

namespace twlens {

class ConnectionTableModel;

// Filters the connection table with core's ConnectionFilter (address, port, hazard, closer ...)
// and sorts with the table model's QVariant-free compare().
class ConnectionProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ConnectionProxyModel(ConnectionTableModel* source, QObject* parent = nullptr);
    void setFilterText(const QString& text);
    const ConnectionFilter& filter() const { return filter_; }
    // Re-creates the matcher after the source model got a new analysis.
    void analysisChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    ConnectionTableModel* source_;
    ConnectionFilter filter_;
    std::unique_ptr<ConnectionMatcher> matcher_;
};

} // namespace twlens
