#pragma once
// Shared bits of the studio tests: bundled recordings, a temp folder, waiting on the event loop.
#include <QApplication>
#include <QElapsedTimer>
#include <QString>

#include <filesystem>
#include <functional>
#include <string>

namespace stridelab::test {

inline std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(STRIDELAB_SOURCE_DIR) / relative;
}
inline QString qsource(const std::string& relative) {
  return QString::fromStdString(source_path(relative).string());
}
inline std::filesystem::path out_dir() {
  const auto dir = std::filesystem::path(STRIDELAB_BINARY_DIR) / "tests" / "studio_out";
  std::filesystem::create_directories(dir);
  return dir;
}

// Runs the event loop until pred() holds or timeout_ms passes; returns pred().
inline bool wait_until(const std::function<bool()>& pred, int timeout_ms) {
  QElapsedTimer timer;
  timer.start();
  while (!pred() && timer.elapsed() < timeout_ms) {
    QApplication::processEvents(QEventLoop::AllEvents, 20);
    QApplication::sendPostedEvents();
  }
  return pred();
}

}  // namespace stridelab::test
