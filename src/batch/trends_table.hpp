#pragma once
// The per-minute trends table (docs/FILE_FORMAT.md "Trends table CSV"): one row per trend
// window of the summary JSON (`trends.windows`). `stridelab analyze --trends-csv` and the
// batch's minutes.csv are both built here, so the two cannot drift apart.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "table.hpp"

namespace stridelab::batch {

// (column, cell text) pairs of one row.
using NamedCells = std::vector<std::pair<std::string, std::string>>;

// The trend columns in table order: start_s, end_s, steps, good_steps, cadence_spm, then
// `<metric>.mean`, `.sd`, `.n` per metric, step_time_asymmetry_pct, turn_fraction.
const std::vector<std::string>& trend_columns();

// Appends one row per window in `summary`'s `trends.windows` (none when it has no trends),
// each opened by `leading` (the batch's recording_id).
void add_trend_rows(const nlohmann::json& summary, const NamedCells& leading,
                    std::vector<NamedCells>& rows);

// The table: `leading` columns, then every trend column (also without rows), then any key
// the schema does not know (a newer version's) alphabetically.
TextTable trends_table(const std::vector<NamedCells>& rows,
                       const std::vector<std::string>& leading = {});

}  // namespace stridelab::batch
