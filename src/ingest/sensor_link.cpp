// What happens to the bytes of one link, on the io thread: decode, recognise the device,
// map device time to the common time base, queue for the sink.
#include <cmath>

#include "session_impl.hpp"

namespace stridelab::ingest {

void LinkMeter::add(double host_rx_s, double time_s, std::uint64_t n_samples) {
  if (window_start_s < 0) window_start_s = host_rx_s;
  window_count += n_samples;
  if (host_rx_s - window_start_s >= 1.0) {
    rate_hz = static_cast<double>(window_count) / (host_rx_s - window_start_s);
    window_start_s = host_rx_s;
    window_count = 0;
  }
  // Exponentially weighted latency statistics (~500 samples memory).
  const double latency = host_rx_s - time_s;
  if (!have_latency) {
    latency_mean_s = latency;
    have_latency = true;
  }
  constexpr double kAlpha = 0.002;
  const double d = latency - latency_mean_s;
  latency_mean_s += kAlpha * d;
  latency_var_s2 = (1 - kAlpha) * (latency_var_s2 + kAlpha * d * d);
}

SensorLink::SensorLink(SessionCore& session, std::size_t link_index,
                       const SourceConfig& link_config)
    : index(link_index), config(link_config), slot(link_index), session_(session) {}

void SensorLink::on_connected(const std::string& peer, double /*host_s*/) {
  decoder_ = protocol::make_decoder(config.protocol, config.decoder);
  counted_ = {};
  confirmed_id_.clear();
  ++connections_;
  failures_in_row_ = 0;
  SensorSlot& s = session_.slots[slot];
  s.fed_by = static_cast<int>(index);
  // A stream without a device clock counts its time from zero on every connection.
  if (connections_ > 1 && !decoder_->has_device_clock()) s.clock.mark_restart();
  {
    std::lock_guard lock(session_.stats_mutex);
    s.stats.connected = true;
    ++s.stats.connects;
    if (connections_ > 1) ++s.stats.reconnects;
  }
  session_.message(slot, "connected to " + peer);
}

void SensorLink::on_bytes(std::span<const std::uint8_t> bytes, double host_rx_s) {
  if (!decoder_) return;
  {
    std::lock_guard lock(session_.stats_mutex);
    session_.slots[slot].stats.bytes += bytes.size();
    session_.slots[slot].last_rx_s = host_rx_s;
  }
  decoder_->feed(bytes);
  process(host_rx_s);
}

void SensorLink::on_disconnected(const std::string& reason, double host_s) {
  if (decoder_) {
    decoder_->finish();
    process(host_s);
  }
  decoder_.reset();
  SensorSlot& s = session_.slots[slot];
  s.clock.mark_disconnect(host_s);
  if (s.fed_by == static_cast<int>(index)) s.fed_by = -1;
  {
    std::lock_guard lock(session_.stats_mutex);
    s.stats.connected = false;
    ++s.stats.disconnects;
    s.stats.last_error = reason;
  }
  session_.message(slot, "link lost (" + reason + "); reconnecting");
}

void SensorLink::on_connect_failed(const std::string& reason, double /*host_s*/) {
  {
    std::lock_guard lock(session_.stats_mutex);
    ++session_.slots[slot].stats.connect_failures;
    session_.slots[slot].stats.last_error = reason;
  }
  // Say it once per outage, not at every retry, and again only when the reason changes (a BLE
  // device first not seen, then seen but not answering).
  if (failures_in_row_++ == 0 || reason != last_failure_)
    session_.message(slot, reason + "; retrying");
  last_failure_ = reason;
}

void SensorLink::on_signal_strength(int rssi_dbm, double /*host_s*/) {
  std::lock_guard lock(session_.stats_mutex);
  session_.slots[slot].stats.has_rssi = true;
  session_.slots[slot].stats.rssi_dbm = rssi_dbm;
}

void SensorLink::finish(double host_s) {
  if (!decoder_) return;
  decoder_->finish();
  process(host_s);
}

void SensorLink::process(double host_rx_s) {
  decoder_->drain(out_);
  for (const protocol::DeviceInfo& info : out_.device_infos) bind_device(info.device_id);
  update_info();
  // One stamp per sample; the sample after a "device restart" gap opens a new clock epoch.
  stamps_.clear();
  std::size_t next_gap = 0;
  for (const protocol::DecodedSample& d : out_.samples) {
    clock::DeviceStamp stamp;
    // The decoders unwrap per connection; the model unwraps across connections, so it gets
    // the 32-bit µs clock the device sent.
    stamp.ticks = static_cast<std::uint64_t>(std::llround(d.device_time_s * 1e6)) & 0xFFFFFFFFull;
    stamp.host_rx_s = host_rx_s;
    stamp.sample_index = d.index;
    while (next_gap < out_.gaps.size() &&
           out_.gaps[next_gap].first_missing_index + out_.gaps[next_gap].missing_samples <=
               d.index) {
      stamp.restart |= out_.gaps[next_gap].cause == "device restart";
      ++next_gap;
    }
    stamps_.push_back(stamp);
  }
  session_.slots[slot].clock.update_batch(stamps_, mapped_);
  for (std::size_t i = 0; i < mapped_.size(); ++i)
    if (mapped_[i].accepted) deliver(out_.samples[i], mapped_[i], host_rx_s);
  add_decoder_stats();
  out_.clear();
}

void SensorLink::deliver(const protocol::DecodedSample& d, const clock::MappedStamp& m,
                         double host_rx_s) {
  SensorSlot& s = session_.slots[slot];
  QueueItem items[3];
  std::size_t n = 0;
  if (s.overflow_missing > 0) {
    ControlEvent e;
    e.gap.cause = "overflow";
    e.gap.missing = s.overflow_missing;
    e.gap.start_s = s.overflow_start_s;
    e.gap.end_s = m.time_s;
    items[n].kind = QueueItem::Kind::kGap;
    items[n].sensor = static_cast<std::uint32_t>(slot);
    items[n++].control = std::make_unique<ControlEvent>(std::move(e));
  }
  if (m.gap) {
    ControlEvent e;
    e.gap = *m.gap;
    items[n].kind = QueueItem::Kind::kGap;
    items[n].sensor = static_cast<std::uint32_t>(slot);
    items[n++].control = std::make_unique<ControlEvent>(std::move(e));
  }
  QueueItem& item = items[n++];
  item.kind = QueueItem::Kind::kSample;
  item.sensor = static_cast<std::uint32_t>(slot);
  item.sample.sample.time_s = m.time_s;
  item.sample.sample.acc = d.acc;
  item.sample.sample.gyr = d.gyr;
  item.sample.sample.mag = d.mag;
  item.sample.device_time_s = m.device_s;
  const bool queued = session_.queue.try_push(items, n);
  if (queued) {
    s.overflow_missing = 0;
    s.last_queued_s = m.time_s;
  } else if (s.overflow_missing++ == 0) {
    s.overflow_start_s = s.last_queued_s;
  }
  s.meter.add(host_rx_s, m.time_s, 1);
  std::lock_guard lock(session_.stats_mutex);
  LinkStats& st = s.stats;
  if (queued) ++st.samples;
  if (!queued) ++st.queue_overflows;
  if (m.gap) {
    if (m.gap->cause != "disconnect") ++st.sequence_gaps;
    st.missing_samples += m.gap->missing;
  }
}

// The device said who it is. A known device that shows up on another link takes its own
// sensor slot with it (SS#276: never trust the port order). When two devices swap ports,
// whichever says its id first swaps the two links' slots.
void SensorLink::bind_device(const std::string& device_id) {
  if (device_id.empty()) return;
  auto& slots = session_.slots;
  confirmed_id_ = device_id;
  if (slots[slot].device_id == device_id) return;
  for (std::size_t t = 0; t < slots.size(); ++t) {
    if (t == slot || slots[t].device_id != device_id) continue;
    const int other = slots[t].fed_by;
    if (other >= 0 && other != static_cast<int>(index) &&
        session_.links[static_cast<std::size_t>(other)]->confirmed_id_ == device_id) {
      session_.message(slot, "device " + device_id + " is also connected as '" +
                                 slots[t].info.name + "'; keeping this link as '" +
                                 slots[slot].info.name + "'");
      return;
    }
    const std::size_t from = slot;
    if (other >= 0 && other != static_cast<int>(index)) {
      session_.links[static_cast<std::size_t>(other)]->slot = from;  // not yet identified
      slots[from].fed_by = other;
    } else {
      slots[from].fed_by = -1;
    }
    slot = t;
    slots[t].fed_by = static_cast<int>(index);
    {
      std::lock_guard lock(session_.stats_mutex);
      slots[from].stats.connected = slots[from].fed_by >= 0;
      slots[t].stats.connected = true;
    }
    session_.message(t, "device " + device_id + " recognised on " + config.describe());
    return;
  }
  SensorSlot& current = slots[slot];
  if (!current.device_id.empty()) {
    // A different device on this link: a different clock, too.
    session_.message(slot, "device id changed from " + current.device_id + " to " + device_id);
    current.clock.mark_restart();
  }
  current.device_id = device_id;
  std::lock_guard lock(session_.stats_mutex);
  current.stats.device_id = device_id;
}

void SensorLink::update_info() {
  SensorSlot& s = session_.slots[slot];
  SensorInfo info = decoder_->sensor_info();
  info.name = s.info.name;
  if (config.placement_given) info.placement = s.info.placement;
  if (info.device_id.empty()) info.device_id = s.device_id;
  const SensorInfo& old = s.info;
  const bool changed =
      !s.info_sent || info.device_model != old.device_model || info.device_id != old.device_id ||
      info.firmware != old.firmware || info.nominal_rate_hz != old.nominal_rate_hz ||
      info.acc_range_ms2 != old.acc_range_ms2 || info.gyr_range_rads != old.gyr_range_rads ||
      info.has_gyr != old.has_gyr || info.has_mag != old.has_mag || info.placement != old.placement;
  if (!changed) return;
  // Only a stream that has said something about the device is worth reporting.
  if (!s.info_sent && out_.device_infos.empty() && out_.samples.empty()) return;
  s.info = info;
  s.info_sent = true;
  ControlEvent e;
  e.info = info;
  session_.push_control(slot, QueueItem::Kind::kInfo, std::move(e));
}

void SensorLink::add_decoder_stats() {
  const protocol::DecoderStats& now = decoder_->stats();
  SensorSlot& s = session_.slots[slot];
  std::lock_guard lock(session_.stats_mutex);
  LinkStats& st = s.stats;
  st.rate_hz = s.meter.rate_hz;
  st.latency_ms = s.meter.latency_mean_s * 1e3;
  st.jitter_ms = std::sqrt(s.meter.latency_var_s2) * 1e3;
  st.clock_skew_ppm = s.clock.stats().skew_ppm;
  st.stale_samples = s.clock.stats().stale;
  st.frames += now.frames_ok - counted_.frames_ok;
  st.frames_rejected += now.frames_rejected() - counted_.frames_rejected();
  st.crc_failures += now.crc_failures - counted_.crc_failures;
  st.bytes_skipped += now.bytes_skipped - counted_.bytes_skipped;
  st.missing_frames += now.missing_frames - counted_.missing_frames;
  st.device_restarts += now.device_restarts - counted_.device_restarts;
  counted_ = now;
}

}  // namespace stridelab::ingest
