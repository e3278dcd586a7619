// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QAbstractTableModel>
#include <memory>

#include "core/model/analysis.h"

namespace twlens {

// The connections of one immutable Analysis as table rows. Nothing is copied: every cell is
// formatted on request from the model (Wireshark packet_list_model / heaptrack ResultData style),
// so 500k connections cost no QStrings until they scroll into view. Rows are in connection
// order until sort() orders them by one column: a permutation sorted on keys computed once per
// row, far cheaper than a proxy comparing QModelIndexes (530k rows: ~180 ms there).
class ConnectionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Id,
        Client,
        Server,
        Start,
        Duration,
        ActiveCloser,
        CloseKind,
        TimeWaitSide,
        TimeWaitEnd,
        TimeWaitLength,
        FinRetransmissions,
        LostFinalAck,
        ReuseGap,
        Hazards,
        Packets,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole, ConnectionRole };

    explicit ConnectionTableModel(QObject* parent = nullptr);
    void setAnalysis(std::shared_ptr<const Analysis> analysis);
    const Analysis* analysis() const { return analysis_.get(); }
    // Row <-> connection index (identity until sorted).
    std::uint32_t connectionAt(int row) const { return order_.empty() ? std::uint32_t(row) : order_[std::size_t(row)]; }
    int rowOfConnection(std::uint32_t connection) const {
        return rowOf_.empty() ? int(connection) : int(rowOf_[connection]);
    }
    // Column < 0: back to connection order. Ties keep connection order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Two connections (indices) by one column, without QVariants: negative, zero or positive.
    int compare(std::uint32_t left, std::uint32_t right, int column) const;
    // The contract spelling of a cell as the CSV/JSON would write it.
    QString text(int row, int column) const;

private:
    double sortKey(const Connection& c, int column) const;
    std::shared_ptr<const Analysis> analysis_;
    TimeNs origin_ = 0;
    std::vector<std::uint32_t> order_; // row -> connection; empty: identity
    std::vector<std::uint32_t> rowOf_; // connection -> row; empty: identity
};

} // namespace twlens
