#pragma once
// The history figure (`stridelab history --png`): one panel per metric with each session's
// mean ± SD, the trend line and its change per week against the minimal detectable change,
// and the weekly volume as bars. QPainter only, like the report.
#include <QImage>
#include <QString>

#include <filesystem>
#include <vector>

#include "stridelab/history/history.hpp"

namespace stridelab::report {

struct RenderedHistory {
  std::vector<QString> texts;  // every text drawn, in drawing order
};

inline constexpr int kHistoryWidth = 1600;  // px
inline constexpr int kHistoryHeight = 1200;

QImage render_history_image(const history::History& h, RenderedHistory* rendered = nullptr);
// Throws stridelab::Error naming the file if it cannot be written.
void write_history_png(const std::filesystem::path& path, const history::History& h,
                       RenderedHistory* rendered = nullptr);

}  // namespace stridelab::report
