#include "stridelab/ingest/ingest_session.hpp"

#include <boost/asio/post.hpp>
#include <set>

#include "session_impl.hpp"
#include "stridelab/core/error.hpp"

namespace stridelab::ingest {

namespace detail {
SessionCore::SessionCore(SampleSink& s, const SessionOptions& o)
    : sink(s), options(o), wall_start(std::chrono::system_clock::now()), queue(o.queue_capacity) {}

void SessionCore::push_control(std::size_t sensor, QueueItem::Kind kind, ControlEvent e) {
  QueueItem item;
  item.kind = kind;
  item.sensor = static_cast<std::uint32_t>(sensor);
  item.control = std::make_unique<ControlEvent>(std::move(e));
  if (!queue.try_push(&item, 1)) {
    std::lock_guard lock(stats_mutex);
    ++slots[sensor].stats.queue_overflows;
  }
}

void SessionCore::message(std::size_t sensor, const std::string& text) {
  ControlEvent e;
  e.message = text;
  push_control(sensor, QueueItem::Kind::kMessage, std::move(e));
}

// The delivery thread: hands queued events to the sink, consecutive samples of one sensor as
// one span, and gives the sink a tick at least every 100 ms.
void SessionCore::deliver_loop() {
  std::vector<QueueItem> items;
  std::vector<TimedSample> batch;
  std::vector<std::uint64_t> delivered(slots.size(), 0);
  std::size_t batch_sensor = 0;
  auto last_idle = std::chrono::steady_clock::now();
  bool failed = false;
  auto guarded = [&](auto&& call) {
    if (failed) return;
    try {
      call();
    } catch (...) {
      failed = true;
      std::lock_guard lock(sink_error_mutex);
      sink_error = std::current_exception();
    }
  };
  auto flush_batch = [&] {
    if (batch.empty()) return;
    guarded([&] { sink.on_samples(batch_sensor, batch); });
    delivered[batch_sensor] += batch.size();
    batch.clear();
  };
  while (queue.pop_all(items, 0.1)) {
    for (QueueItem& item : items) {
      if (item.kind == QueueItem::Kind::kSample) {
        if (!batch.empty() && batch_sensor != item.sensor) flush_batch();
        batch_sensor = item.sensor;
        batch.push_back(item.sample);
        continue;
      }
      flush_batch();
      ControlEvent& e = *item.control;
      switch (item.kind) {
        case QueueItem::Kind::kGap:
          e.gap.index = delivered[item.sensor];
          guarded([&] { sink.on_gap(item.sensor, e.gap); });
          break;
        case QueueItem::Kind::kInfo:
          guarded([&] { sink.on_sensor_info(item.sensor, e.info); });
          break;
        case QueueItem::Kind::kMessage:
          guarded([&] { sink.on_link_event(item.sensor, e.message); });
          break;
        case QueueItem::Kind::kSample:
          break;
      }
    }
    flush_batch();
    const auto now = std::chrono::steady_clock::now();
    if (now - last_idle >= std::chrono::milliseconds(100) || items.empty()) {
      last_idle = now;
      guarded([&] { sink.on_idle(); });
    }
  }
}

}  // namespace detail

IngestSession::IngestSession(SampleSink& sink, const SessionOptions& options)
    : impl_(std::make_unique<SessionCore>(sink, options)) {}

IngestSession::~IngestSession() {
  try {
    stop();
  } catch (...) {
  }
}

std::size_t IngestSession::add_source(const SourceConfig& config) {
  if (impl_->running) throw Error("ingest: add_source() after start()");
  protocol::make_decoder(config.protocol, config.decoder);  // throws for unknown protocols
  std::set<std::string> names;
  for (const SensorSlot& s : impl_->slots) names.insert(s.info.name);
  std::string name = config.name.empty() ? to_string(config.placement) : config.name;
  if (names.count(name)) {
    if (!config.name.empty()) throw Error("two sensors are both called '" + name + "'");
    for (int k = 2; names.count(name); ++k)
      name = to_string(config.placement) + "_" + std::to_string(k);
  }
  clock::ClockParams cp = impl_->options.clock;
  cp.tick_hz = 1e6;  // SensorLink feeds the 32-bit µs device clock and the sample index
  cp.tick_bits = 32;
  cp.ticks_count_samples = false;
  cp.sequence_bits = 0;
  SensorSlot slot(cp);
  slot.info.name = name;
  slot.info.placement = config.placement;
  slot.info.device_model = config.protocol + " device";
  slot.info.nominal_rate_hz = config.protocol == "stridelab" ? 0.0 : config.decoder.nominal_rate_hz;
  slot.stats.sensor = name;
  slot.stats.source = config.describe();
  slot.stats.protocol = config.protocol;
  impl_->slots.push_back(std::move(slot));
  const std::size_t index = impl_->links.size();
  impl_->links.push_back(std::make_unique<SensorLink>(*impl_, index, config));
  return index;
}

std::vector<SensorInfo> IngestSession::sensor_infos() const {
  std::vector<SensorInfo> out;
  for (const SensorSlot& s : impl_->slots) out.push_back(s.info);
  return out;
}

void IngestSession::start() {
  SessionCore& m = *impl_;
  if (m.running) return;
  if (m.links.empty()) throw Error("ingest: no sources");
  m.running = true;
  m.work.emplace(m.io.get_executor());
  for (auto& link : m.links) {
    link->source = make_byte_source(m.io, link->config, *link, m.clock);
    boost::asio::post(m.io, [source = link->source.get()] { source->start(); });
  }
  m.delivery_thread = std::thread([&m] { m.deliver_loop(); });
  m.io_thread = std::thread([&m] { m.io.run(); });
}

void IngestSession::stop() {
  SessionCore& m = *impl_;
  if (!m.running) return;
  boost::asio::post(m.io, [&m] {
    for (auto& link : m.links) link->source->stop();
    m.work.reset();
  });
  m.io_thread.join();  // run() returns once the cancelled operations have completed
  const double now = m.clock.now_s();
  for (auto& link : m.links) link->finish(now);
  m.queue.close();
  m.delivery_thread.join();
  m.running = false;
}

bool IngestSession::running() const {
  return impl_->running;
}

std::vector<LinkStats> IngestSession::stats() const {
  const double now = impl_->clock.now_s();
  std::lock_guard lock(impl_->stats_mutex);
  std::vector<LinkStats> out;
  for (const SensorSlot& s : impl_->slots) {
    out.push_back(s.stats);
    out.back().last_data_age_s = s.last_rx_s < 0 ? -1.0 : now - s.last_rx_s;
  }
  return out;
}

std::exception_ptr IngestSession::sink_error() const {
  std::lock_guard lock(impl_->sink_error_mutex);
  return impl_->sink_error;
}

double IngestSession::now_s() const {
  return impl_->clock.now_s();
}

std::chrono::system_clock::time_point IngestSession::start_wall_time() const {
  return impl_->wall_start;
}

}  // namespace stridelab::ingest
