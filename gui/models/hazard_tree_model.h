// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QAbstractItemModel>
#include <memory>

#include "core/model/analysis.h"
#include "core/presentation/overview_summary.h"

namespace twlens {

// Hazards grouped by kind (core groupHazards): a group row per kind with its count and worst
// severity, one child per hazard with its summary, connection, time and reference.
class HazardTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Summary, Severity, Connection, Time, Reference, ColumnCount };
    enum Role { HazardRole = Qt::UserRole, KindRole };

    explicit HazardTreeModel(QObject* parent = nullptr);
    void setAnalysis(std::shared_ptr<const Analysis> analysis);
    // With the groups already made (ViewData::summary.hazardGroups): no pass over the hazards.
    void setAnalysis(std::shared_ptr<const Analysis> analysis, std::vector<HazardGroup> groups);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    QModelIndex indexOfHazard(std::uint32_t hazard) const;

private:
    static constexpr quintptr kGroup = ~quintptr(0);
    std::shared_ptr<const Analysis> analysis_;
    std::vector<HazardGroup> groups_;
    TimeNs origin_ = 0;
};

} // namespace twlens
