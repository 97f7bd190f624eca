#pragma once
// A session's figures from named cells: a row of batch's recordings.csv, or the summary JSON
// of an analysis flattened the same way ("pelvic_drop_left_deg.mean" -> "5.1"). Private.
#include <map>
#include <string>

#include "stridelab/history/history.hpp"

namespace stridelab::history {

using Cells = std::map<std::string, std::string>;

// The cell as a number; NaN when it is missing or empty. Throws Error on other text.
double cell_number(const Cells& cells, const std::string& key);
// Activity, steps and every metric's Figure (gait_minutes and identity are the caller's).
void fill_figures(Session& session, const Cells& cells);

}  // namespace stridelab::history
