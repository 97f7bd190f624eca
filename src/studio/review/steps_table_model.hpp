#pragma once
// The steps table (DESIGN.md column order) as a Qt model: one row per step, numbers sortable
// as numbers, the side told apart by colour and by its word.
#include <QAbstractTableModel>

#include <vector>

#include "stridelab/core/steps.hpp"

namespace stridelab::studio {

class StepsTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column {
    kIndex,
    kTime,
    kSide,
    kStepTime,
    kCadence,
    kPelvicDrop,
    kTrunkRotation,
    kContactTime,
    kFlags,
    kSideConfidence,
    kColumnCount
  };
  static constexpr int kSortRole = Qt::UserRole + 1;  // numeric value for sorting

  using QAbstractTableModel::QAbstractTableModel;
  void setSteps(std::vector<Step> steps);
  const std::vector<Step>& steps() const { return steps_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::vector<Step> steps_;
};

}  // namespace stridelab::studio
