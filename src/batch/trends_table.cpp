#include "trends_table.hpp"

namespace stridelab::batch {

const std::vector<std::string>& trend_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c{"start_s", "end_s", "steps", "good_steps", "cadence_spm"};
    // The summary's {mean, sd, n} figures, flattened as in recordings.csv.
    for (const char* metric :
         {"pelvic_drop_left_deg", "pelvic_drop_right_deg", "trunk_rotation_deg", "contact_time_s",
          "step_time_left_s", "step_time_right_s"})
      for (const char* field : {".mean", ".sd", ".n"}) c.push_back(std::string(metric) + field);
    c.push_back("step_time_asymmetry_pct");
    c.push_back("turn_fraction");
    return c;
  }();
  return columns;
}

void add_trend_rows(const nlohmann::json& summary, const NamedCells& leading,
                    std::vector<NamedCells>& rows) {
  if (!summary.is_object() || !summary.contains("trends")) return;
  const nlohmann::json& trends = summary["trends"];
  if (!trends.is_object() || !trends.contains("windows") || !trends["windows"].is_array()) return;
  for (const auto& window : trends["windows"]) {
    NamedCells row = leading;
    flatten_json(window, "", row);
    rows.push_back(std::move(row));
  }
}

TextTable trends_table(const std::vector<NamedCells>& rows,
                       const std::vector<std::string>& leading) {
  std::vector<std::string> columns = leading;
  columns.insert(columns.end(), trend_columns().begin(), trend_columns().end());
  return build_table(rows, columns, columns);
}

}  // namespace stridelab::batch
