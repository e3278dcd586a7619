// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QAbstractTableModel>
#include <memory>

#include "core/model/analysis.h"

namespace twlens {

// The connections of one immutable Analysis as table rows. Nothing is copied: every cell is
// formatted on request from the model (Wireshark packet_list_model / heaptrack ResultData style),
// so 500k connections cost no QStrings until they scroll into view.
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

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Sorting without QVariants: negative, zero or positive like strcmp, for the proxy.
    int compare(int leftRow, int rightRow, int column) const;
    // The contract spelling of a cell as the CSV/JSON would write it (used for "copy").
    QString text(int row, int column) const;

private:
    double sortKey(const Connection& c, int column) const;
    std::shared_ptr<const Analysis> analysis_;
    TimeNs origin_ = 0;
};

} // namespace twlens
