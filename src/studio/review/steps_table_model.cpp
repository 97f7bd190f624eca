#include "studio/review/steps_table_model.hpp"

#include <QBrush>
#include <QFont>

#include <cmath>

#include "stridelab/report/palette.hpp"

namespace stridelab::studio {
namespace {

QVariant number(double v, int decimals) {
  if (!std::isfinite(v)) return QString();  // "not measurable here", as in the CSV
  return QString::number(v, 'f', decimals);
}

double sort_value(const Step& s, int column, int row) {
  switch (column) {
    case StepsTableModel::kIndex:
      return row;
    case StepsTableModel::kTime:
      return s.time_s;
    case StepsTableModel::kSide:
      return static_cast<int>(s.side);
    case StepsTableModel::kStepTime:
      return s.step_time_s;
    case StepsTableModel::kCadence:
      return s.cadence_spm;
    case StepsTableModel::kPelvicDrop:
      return s.pelvic_drop_deg;
    case StepsTableModel::kTrunkRotation:
      return s.trunk_rotation_deg;
    case StepsTableModel::kContactTime:
      return s.contact_time_s;
    case StepsTableModel::kFlags:
      return s.flags;
    case StepsTableModel::kSideConfidence:
      return s.side_confidence;
    default:
      return 0;
  }
}

}  // namespace

void StepsTableModel::setSteps(std::vector<Step> steps) {
  beginResetModel();
  steps_ = std::move(steps);
  endResetModel();
}

int StepsTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(steps_.size());
}

int StepsTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant StepsTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const Step& s = steps_[static_cast<std::size_t>(index.row())];
  const int c = index.column();
  if (role == kSortRole) {
    const double v = sort_value(s, c, index.row());
    return std::isfinite(v) ? v : -1e300;  // empty cells sort first
  }
  if (role == Qt::DisplayRole) {
    switch (c) {
      case kIndex:
        return index.row() + 1;
      case kTime:
        return number(s.time_s, 3);
      case kSide:
        return report::side_name(s.side);
      case kStepTime:
        return number(s.step_time_s, 3);
      case kCadence:
        return number(s.cadence_spm, 1);
      case kPelvicDrop:
        return number(s.pelvic_drop_deg, 1);
      case kTrunkRotation:
        return number(s.trunk_rotation_deg, 1);
      case kContactTime:
        return number(s.contact_time_s, 3);
      case kFlags:
        return QString::fromStdString(flags_to_string(s.flags)).replace('|', ", ");
      case kSideConfidence:
        return number(s.side_confidence, 2);
    }
  }
  if (role == Qt::TextAlignmentRole)
    return c == kFlags || c == kSide ? int(Qt::AlignLeft | Qt::AlignVCenter)
                                     : int(Qt::AlignRight | Qt::AlignVCenter);
  if (c == kSide && role == Qt::ForegroundRole) return QBrush(report::side_color(s.side));
  if (c == kSide && role == Qt::FontRole) {
    QFont f;
    f.setBold(true);
    return f;
  }
  if (role == Qt::BackgroundRole && c == kSide) {
    QColor tint = report::side_color(s.side);
    tint.setAlpha(28);
    return QBrush(tint);
  }
  if (role == Qt::ForegroundRole && s.flags != kFlagNone && c == kFlags)
    return QBrush(QColor(0x9A, 0x5B, 0x00));
  if (role == Qt::ToolTipRole && c == kFlags && s.flags != kFlagNone)
    return tr(
        "Flagged steps are left out of the means when the flag makes the metric "
        "doubtful (turn, gap, clipping, unsure side, unusual timing).");
  return {};
}

QVariant StepsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kIndex:
      return tr("#");
    case kTime:
      return tr("time (s)");
    case kSide:
      return tr("stance");
    case kStepTime:
      return tr("step time (s)");
    case kCadence:
      return tr("cadence (steps/min)");
    case kPelvicDrop:
      return tr("pelvic drop (°)");
    case kTrunkRotation:
      return tr("trunk rotation (°)");
    case kContactTime:
      return tr("contact (s)");
    case kFlags:
      return tr("flags");
    case kSideConfidence:
      return tr("side conf.");
  }
  return {};
}

}  // namespace stridelab::studio
