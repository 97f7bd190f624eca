#include "stridelab/ingest/link_stats.hpp"

#include <fmt/format.h>

namespace stridelab::ingest {

std::string format_link_stats(const LinkStats& s) {
  std::string state = s.connected ? "ok" : (s.connects == 0 ? "waiting" : "DOWN");
  std::string line = fmt::format("{} {} {:.1f} Hz", s.sensor, state, s.rate_hz);
  line += fmt::format(" {} smp", s.samples);
  if (s.missing_samples)
    line += fmt::format(" gaps {} ({} missing)", s.sequence_gaps, s.missing_samples);
  if (s.frames_rejected) line += fmt::format(" bad frames {}", s.frames_rejected);
  if (s.reconnects) line += fmt::format(" reconnects {}", s.reconnects);
  if (s.queue_overflows) line += fmt::format(" OVERFLOW {}", s.queue_overflows);
  if (s.samples) line += fmt::format(" lat {:.1f}±{:.1f} ms", s.latency_ms, s.jitter_ms);
  if (s.has_rssi) line += fmt::format(" {} dBm", s.rssi_dbm);
  return line;
}

}  // namespace stridelab::ingest
