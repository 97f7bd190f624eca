#pragma once
// Plausibility check of the units a CSV was read with: gravity must look like 1 g, angular
// rate like a human body. Catches g-labelled-as-m/s² (and the reverse) before the analysis
// produces confident nonsense. Private to the storage stage.
#include <string>

#include "storage/csv_columns.hpp"
#include "stridelab/core/types.hpp"

namespace stridelab::storage::csv {

// `sensor` holds acc/gyr already converted to SI with map's units. Throws Error naming the
// unit that looks right and how to override (--acc-unit / --gyr-unit, CsvOptions).
void check_units(const ColumnMap& map, const SensorData& sensor, const std::string& where);

}  // namespace stridelab::storage::csv
