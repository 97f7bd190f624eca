#include "stridelab/ingest/fault_injection.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "stridelab/core/error.hpp"

namespace stridelab::ingest {

namespace {

double parse_number(std::string_view text, std::string_view item) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) || v < 0)
    throw Error("--faults: bad value in '" + std::string(item) + "'");
  return v;
}

double probability(std::string_view text, std::string_view item) {
  const double p = parse_number(text, item);
  if (p > 1) throw Error("--faults: probability above 1 in '" + std::string(item) + "'");
  return p;
}

}  // namespace

double parse_duration_s(std::string_view text) {
  double scale = 1.0;
  if (text.ends_with("ms")) {
    scale = 1e-3;
    text.remove_suffix(2);
  } else if (text.ends_with("s")) {
    text.remove_suffix(1);
  }
  return parse_number(text, text) * scale;
}

FaultParams parse_faults(std::string_view spec, std::uint64_t seed) {
  FaultParams p;
  p.seed = seed;
  while (!spec.empty()) {
    const auto comma = spec.find(',');
    const std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      throw Error("--faults: expected NAME=VALUE, got '" + std::string(item) + "'");
    const std::string_view name = item.substr(0, eq), value = item.substr(eq + 1);
    if (name == "drop") {
      p.drop = probability(value, item);
    } else if (name == "corrupt") {
      p.corrupt = probability(value, item);
    } else if (name == "noise") {
      p.noise = probability(value, item);
    } else if (name == "disconnect") {
      p.disconnect_every_s = parse_duration_s(value);
    } else if (name == "down") {
      p.down_s = parse_duration_s(value);
    } else {
      throw Error("--faults: unknown fault '" + std::string(name) +
                  "' (expected drop, corrupt, noise, disconnect, down)");
    }
  }
  return p;
}

FaultInjector::FaultInjector(const FaultParams& params)
    : params_(params), rng_(params.seed), corrupt_gap_(params.corrupt > 0 ? params.corrupt : 0.5) {
  bytes_to_next_flip_ =
      params_.corrupt > 0 ? corrupt_gap_(rng_) : std::numeric_limits<std::uint64_t>::max();
}

FaultInjector::Outcome FaultInjector::apply(std::vector<std::uint8_t>& frame) {
  Outcome o;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  if (params_.drop > 0 && unit(rng_) < params_.drop) {
    o.dropped = true;
    frame.clear();
    return o;
  }
  // Byte flips at geometric spacing: the same stream of flips whatever the frame sizes.
  for (std::size_t i = 0; i < frame.size(); ++i) {
    if (bytes_to_next_flip_ > 0) {
      --bytes_to_next_flip_;
      continue;
    }
    frame[i] ^= static_cast<std::uint8_t>(1 + rng_() % 255);
    ++o.corrupted;
    if (i + 1 == frame.size()) o.last_byte_hit = true;
    bytes_to_next_flip_ = corrupt_gap_(rng_);
  }
  if (params_.noise > 0 && unit(rng_) < params_.noise) {
    std::vector<std::uint8_t> garbage(1 + rng_() % 16);
    for (auto& b : garbage) b = static_cast<std::uint8_t>(rng_());
    frame.insert(frame.begin(), garbage.begin(), garbage.end());
    o.garbage_before = true;
    o.garbage_ends_with_zero = garbage.back() == 0;
  }
  return o;
}

}  // namespace stridelab::ingest
