// Bluetooth LE through BlueZ's D-Bus API (sdbus-c++): the scan and the BLE transport.
//
// The transport runs on the session's io_context like the others: the bus socket is watched
// by a stream_descriptor and sd-bus's own timeouts (method-call deadlines) by a timer, so no
// extra thread exists and a device that never answers ends in a call timeout, not a hang.
// D-Bus callbacks only post work to the io_context: acting inside them could destroy the
// proxy that is running the callback.
#include "ble_transport.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <sdbus-c++/sdbus-c++.h>
#include <algorithm>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cctype>
#include <chrono>
#include <map>

#include "stridelab/core/error.hpp"
#include "stridelab/ingest/ble.hpp"
#include "stridelab/protocol/movesense.hpp"
#include "transport_base.hpp"

namespace stridelab::ingest {

namespace asio = boost::asio;

namespace {

constexpr const char* kBluez = "org.bluez";
constexpr const char* kObjectManager = "org.freedesktop.DBus.ObjectManager";
constexpr const char* kProperties = "org.freedesktop.DBus.Properties";
constexpr const char* kAdapter = "org.bluez.Adapter1";
constexpr const char* kDevice = "org.bluez.Device1";
constexpr const char* kCharacteristic = "org.bluez.GattCharacteristic1";

constexpr const char* kWitService = "0000ffe5-0000-1000-8000-00805f9a34fb";
constexpr const char* kWitNotify = "0000ffe4-0000-1000-8000-00805f9a34fb";
constexpr const char* kWitWrite = "0000ffe9-0000-1000-8000-00805f9a34fb";
constexpr const char* kNusService = "6e400001-b5a3-f393-e0a9-e50e24dcca9e";
constexpr const char* kNusRx = "6e400002-b5a3-f393-e0a9-e50e24dcca9e";
constexpr const char* kNusTx = "6e400003-b5a3-f393-e0a9-e50e24dcca9e";
constexpr const char* kGspService = "34802252-7185-4d5d-b431-630e7050e8f0";  // Movesense
constexpr const char* kGspWrite = "34800001-7185-4d5d-b431-630e7050e8f0";
constexpr const char* kGspNotify = "34800002-7185-4d5d-b431-630e7050e8f0";

using Properties = std::map<std::string, sdbus::Variant>;
using Interfaces = std::map<std::string, Properties>;
using ManagedObjects = std::map<sdbus::ObjectPath, Interfaces>;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

template <typename T>
T prop_or(const Properties& props, const std::string& name, T fallback) {
  const auto it = props.find(name);
  if (it == props.end()) return fallback;
  try {
    return it->second.get<T>();
  } catch (const sdbus::Error&) {
    return fallback;  // a property of an unexpected type is treated as absent
  }
}

const Properties* interface_of(const Interfaces& ifaces, const char* name) {
  const auto it = ifaces.find(name);
  return it == ifaces.end() ? nullptr : &it->second;
}

// The message users need when BlueZ itself cannot be reached.
std::string bluez_hint(const sdbus::Error& e) {
  std::string hint;
  if (e.getName() == "org.freedesktop.DBus.Error.ServiceUnknown" ||
      e.getName() == "org.freedesktop.DBus.Error.NameHasNoOwner")
    hint = " (is bluetoothd running? `systemctl status bluetooth`)";
  else if (e.getName() == "org.freedesktop.DBus.Error.AccessDenied")
    hint = " (is the user in the `bluetooth` group, or allowed by a polkit rule?)";
  return "BlueZ: " + e.getMessage() + hint;
}

std::chrono::microseconds micros(double s) {
  return std::chrono::microseconds(static_cast<std::int64_t>(s * 1e6));
}

// The characteristic that carries a protocol's samples.
const char* notify_uuid_for(const std::string& protocol) {
  if (protocol == "movesense") return kGspNotify;
  return protocol == "stridelab" ? kNusTx : kWitNotify;
}
// The characteristic configuration commands are written to.
const char* write_uuid_for(const std::string& protocol) {
  if (protocol == "movesense") return kGspWrite;
  return protocol == "stridelab" ? kNusRx : kWitWrite;
}
// What starts the stream once notifications are on (a Movesense sends only what the host
// subscribed to, and only to a host that listens), and what stops it.
std::vector<std::uint8_t> start_command_for(const SourceConfig& config) {
  if (config.protocol != "movesense") return {};
  return protocol::movesense_subscribe_command(config.decoder.nominal_rate_hz);
}
std::vector<std::uint8_t> stop_command_for(const SourceConfig& config) {
  if (config.protocol != "movesense") return {};
  return protocol::movesense_unsubscribe_command();
}

class BleSource final : public detail::TransportBase {
 public:
  BleSource(asio::io_context& io, const SourceConfig& config, ByteHandler& handler,
            const SessionClock& clock)
      : TransportBase(io, config, handler, clock), fd_(io), bus_timer_(io) {}
  ~BleSource() override { close_bus(); }

  void stop() override {
    TransportBase::stop();
    close_bus();
  }

 private:
  // Handlers that may run after this source is gone (posted, or cancelled late) check life_.
  template <typename F>
  auto guard(F f) {
    return [alive = std::weak_ptr<int>(life_), f = std::move(f)]() mutable {
      if (alive.lock()) f();
    };
  }
  template <typename F>
  auto guard_ec(F f) {
    return [alive = std::weak_ptr<int>(life_),
            f = std::move(f)](const boost::system::error_code& ec) mutable {
      if (alive.lock()) f(ec);
    };
  }
  // Posts f to run if this attempt is still the current one.
  template <typename F>
  void later(unsigned attempt, F f) {
    asio::post(io_, guard([this, attempt, f = std::move(f)]() mutable {
                 if (attempt == attempt_ && !stopped()) f();
               }));
  }

  // ---- the bus, driven by the io_context ------------------------------------------------
  bool open_bus() {
    if (bus_) return true;
    try {
      bus_ = sdbus::createSystemBusConnection();
      root_ = sdbus::createProxy(*bus_, kBluez, "/");
      fd_.assign(bus_->getEventLoopPollData().fd);
    } catch (const sdbus::Error& e) {
      close_bus();
      open_failed("cannot reach the system bus: " + e.getMessage());
      return false;
    }
    return true;
  }
  void close_bus() {
    close_link();
    if (discovering_ && root_ && adapter_) stop_discovery();
    discovering_ = false;
    boost::system::error_code ignored;
    fd_.cancel(ignored);
    if (fd_.is_open()) fd_.release();  // sd-bus owns the socket
    bus_timer_.cancel();
    adapter_.reset();
    root_.reset();
    bus_.reset();
    reading_ = writing_ = false;
  }
  // Runs whatever sd-bus has ready, then waits for the socket or the next deadline again.
  void pump() {
    if (!bus_) return;
    try {
      while (bus_->processPendingRequest()) {
      }
    } catch (const sdbus::Error& e) {
      const std::string reason = "system bus: " + e.getMessage();
      asio::post(io_, guard([this, reason] {
                   close_bus();
                   is_up() ? link_down(reason) : open_failed(reason);
                 }));
      return;
    }
    const auto poll = bus_->getEventLoopPollData();
    if (!reading_) {
      reading_ = true;
      fd_.async_wait(asio::posix::descriptor_base::wait_read,
                     guard_ec([this](const boost::system::error_code& ec) {
                       reading_ = false;
                       if (!ec) pump();
                     }));
    }
    if ((poll.events & POLLOUT) && !writing_) {
      writing_ = true;
      fd_.async_wait(asio::posix::descriptor_base::wait_write,
                     guard_ec([this](const boost::system::error_code& ec) {
                       writing_ = false;
                       if (!ec) pump();
                     }));
    }
    if (const auto rel = poll.getRelativeTimeout()) {
      bus_timer_.expires_after(*rel + std::chrono::milliseconds(1));
      bus_timer_.async_wait(guard_ec([this](const boost::system::error_code& ec) {
        if (!ec) pump();
      }));
    }
  }
  void kick() {
    asio::post(io_, guard([this] { pump(); }));
  }
  // ---- one connection attempt: find, connect, resolve, subscribe --------------------------
  void open_link() override {
    const unsigned attempt = ++attempt_;
    if (!open_bus()) return;
    read_objects(attempt, [this](const ManagedObjects& objects) { find_device(objects); });
  }

  // BlueZ's object tree, handed to `then` on the io thread (a D-Bus error fails the attempt).
  template <class Then>
  void read_objects(unsigned attempt, Then then) {
    root_->callMethodAsync("GetManagedObjects")
        .onInterface(kObjectManager)
        .withTimeout(micros(5.0))
        .uponReplyInvoke([this, attempt, then](const sdbus::Error* e, ManagedObjects objects) {
          std::string err = e ? bluez_hint(*e) : "";
          later(attempt, [this, err, then, objects = std::move(objects)] {
            if (!err.empty()) return open_failed(err);
            then(objects);
          });
        });
    kick();
  }

  void find_device(const ManagedObjects& objects) {
    const std::string wanted = lower(config_.device);
    std::string adapter;
    device_path_.clear();
    for (const auto& [path, ifaces] : objects) {
      if (const Properties* a = interface_of(ifaces, kAdapter)) {
        if (adapter.empty() && prop_or(*a, "Powered", false)) adapter = path;
      }
      if (const Properties* d = interface_of(ifaces, kDevice)) {
        if (lower(prop_or<std::string>(*d, "Address", "")) == wanted ||
            prop_or<std::string>(*d, "Name", "") == config_.device ||
            prop_or<std::string>(*d, "Alias", "") == config_.device) {
          device_path_ = path;
          device_name_ = prop_or<std::string>(*d, "Name", "");
          device_address_ = prop_or<std::string>(*d, "Address", "");
          device_kind_ = ble_kind(prop_or<std::vector<std::string>>(*d, "UUIDs", {}), device_name_);
          if (d->count("RSSI")) signal_strength(prop_or<std::int16_t>(*d, "RSSI", 0));
        }
      }
    }
    if (adapter.empty()) return open_failed("no powered Bluetooth adapter (BlueZ lists none)");
    if (device_path_.empty()) {
      // BlueZ lists only devices it has heard: listen for advertisements until it appears.
      start_discovery(adapter);
      return open_failed("BLE device '" + config_.device + "' not seen yet (scanning)");
    }
    if (discovering_) stop_discovery();  // connecting while scanning is slow on many chips
    connect_device();
  }

  void start_discovery(const std::string& adapter) {
    if (discovering_) return;
    discovering_ = true;
    adapter_ = sdbus::createProxy(*bus_, kBluez, adapter);
    adapter_->callMethodAsync("StartDiscovery")
        .onInterface(kAdapter)
        .uponReplyInvoke([](const sdbus::Error*) {});  // "already in progress" is fine
    kick();
  }
  void stop_discovery() {
    discovering_ = false;
    if (!adapter_) return;
    try {
      adapter_->callMethod("StopDiscovery").onInterface(kAdapter).dontExpectReply();
    } catch (const sdbus::Error&) {
    }
  }

  void connect_device() {
    const unsigned attempt = attempt_;
    device_ = sdbus::createProxy(*bus_, kBluez, device_path_);
    device_->uponSignal("PropertiesChanged")
        .onInterface(kProperties)
        .call([this, attempt](const std::string& iface, const Properties& changed,
                              const std::vector<std::string>&) {
          if (iface != kDevice) return;
          if (changed.count("RSSI")) {
            const int rssi = prop_or<std::int16_t>(changed, "RSSI", 0);
            later(attempt, [this, rssi] { signal_strength(rssi); });
          }
          if (prop_or(changed, "Connected", true)) return;
          later(attempt, [this] {
            if (is_up()) link_down("device disconnected");
          });
        });
    device_->finishRegistration();
    connect_started_s_ = std::chrono::steady_clock::now();
    device_->callMethodAsync("Connect")
        .onInterface(kDevice)
        .withTimeout(micros(config_.connect_timeout_s))
        .uponReplyInvoke([this, attempt](const sdbus::Error* e) {
          std::string err;
          if (e && (e->getName() == "org.freedesktop.DBus.Error.NoReply" ||
                    e->getName() == "org.freedesktop.DBus.Error.Timeout" ||
                    e->getName() == "org.freedesktop.DBus.Error.TimedOut"))
            err = fmt::format(
                "{} did not answer within {:g} s (out of range, switched off, or "
                "connected to another host?)",
                describe_device(), config_.connect_timeout_s);
          else if (e)
            err = "cannot connect to " + describe_device() + ": " + bluez_hint(*e);
          later(attempt, [this, err] {
            if (!err.empty()) return open_failed(err);
            resolve_services();
          });
        });
    kick();
  }

  // After Connect, BlueZ publishes the GATT objects and sets ServicesResolved; poll the
  // object tree until the characteristic is there (or the connect deadline passes).
  void resolve_services() {
    read_objects(attempt_, [this](const ManagedObjects& objects) { find_characteristic(objects); });
  }

  void find_characteristic(const ManagedObjects& objects) {
    bool resolved = false;
    std::string char_path, write_path;
    const std::string uuid = notify_uuid_for(config_.protocol);
    const std::string write_uuid = write_uuid_for(config_.protocol);
    for (const auto& [path, ifaces] : objects) {
      if (std::string(path) == device_path_) {
        if (const Properties* d = interface_of(ifaces, kDevice))
          resolved = prop_or(*d, "ServicesResolved", false);
      }
      const std::string p = path;
      if (p.rfind(device_path_ + "/", 0) != 0) continue;
      if (const Properties* c = interface_of(ifaces, kCharacteristic)) {
        const std::string u = lower(prop_or<std::string>(*c, "UUID", ""));
        if (u == uuid) char_path = p;
        if (u == write_uuid) write_path = p;
      }
    }
    if (char_path.empty()) {
      const double waited =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - connect_started_s_)
              .count();
      if (resolved || waited > config_.connect_timeout_s) {
        // The device's own kind says which protocol it does speak.
        const std::string_view speaks = ble_protocol(device_kind_);
        return open_failed(fmt::format(
            "{} has no {} characteristic {}{}", describe_device(), config_.protocol, uuid,
            speaks.empty() || speaks == config_.protocol
                ? ""
                : fmt::format(" (it is a {}: --protocol {})", to_string(device_kind_), speaks)));
      }
      retry_resolve_.expires_after(std::chrono::milliseconds(100));
      retry_resolve_.async_wait(
          guard_ec([this, attempt = attempt_](const boost::system::error_code& ec) {
            if (!ec && attempt == attempt_ && !stopped()) resolve_services();
          }));
      return;
    }
    write_path_ = write_path;
    try {
      start_command_ = start_command_for(config_);
    } catch (const Error& e) {
      return open_failed(e.what());  // e.g. a rate the sensor does not offer
    }
    if (!config_.ble_writes.empty() || !start_command_.empty()) {
      if (write_path.empty())
        return open_failed(fmt::format("{} has no {} write characteristic {}", describe_device(),
                                       config_.protocol, write_uuid));
      write_config(write_path, char_path, 0);
      return;
    }
    subscribe(char_path);
  }

  // Configuration before subscribing, so no sample arrives at the old settings; commands
  // go one at a time, ble_write_gap_s apart (WitMotion wants ~100 ms between them).
  void write_config(const std::string& write_path, const std::string& char_path, std::size_t next) {
    if (next == config_.ble_writes.size()) return subscribe(char_path);
    const unsigned attempt = attempt_;
    if (!writer_ || writer_->getObjectPath() != write_path)
      writer_ = sdbus::createProxy(*bus_, kBluez, write_path);
    writer_->callMethodAsync("WriteValue")
        .onInterface(kCharacteristic)
        .withArguments(config_.ble_writes[next], Properties{})
        .withTimeout(micros(config_.connect_timeout_s))
        .uponReplyInvoke([this, attempt, write_path, char_path, next](const sdbus::Error* e) {
          std::string err =
              e ? "cannot configure " + describe_device() + ": " + bluez_hint(*e) : "";
          later(attempt, [this, err, write_path, char_path, next] {
            if (!err.empty()) return open_failed(err);
            retry_resolve_.expires_after(micros(config_.ble_write_gap_s));
            retry_resolve_.async_wait(guard_ec([this, attempt = attempt_, write_path, char_path,
                                                next](const boost::system::error_code& ec) {
              if (!ec && attempt == attempt_ && !stopped())
                write_config(write_path, char_path, next + 1);
            }));
          });
        });
    kick();
  }

  void subscribe(const std::string& char_path) {
    const unsigned attempt = attempt_;
    char_ = sdbus::createProxy(*bus_, kBluez, char_path);
    char_->uponSignal("PropertiesChanged")
        .onInterface(kProperties)
        .call([this, attempt](const std::string& iface, const Properties& changed,
                              const std::vector<std::string>&) {
          if (iface != kCharacteristic) return;
          const auto it = changed.find("Value");
          if (it == changed.end()) return;
          auto value = it->second.get<std::vector<std::uint8_t>>();
          later(attempt, [this, value = std::move(value)] {
            if (!is_up()) return;
            const std::vector<std::uint8_t>* bytes = &value;
            if (records_) {  // keep the notification's boundary for the decoder
              record_.clear();
              protocol::append_notification_record(value, record_);
              bytes = &record_;
            }
            const std::size_t n = std::min(bytes->size(), read_buffer_.size());
            std::copy_n(bytes->begin(), n, read_buffer_.begin());
            bytes_in(n);
          });
        });
    char_->finishRegistration();
    char_->callMethodAsync("StartNotify")
        .onInterface(kCharacteristic)
        .withTimeout(micros(config_.connect_timeout_s))
        .uponReplyInvoke([this, attempt](const sdbus::Error* e) {
          std::string err =
              e ? "cannot subscribe to " + describe_device() + ": " + bluez_hint(*e) : "";
          later(attempt, [this, err] {
            if (!err.empty()) return open_failed(err);
            start_stream();
          });
        });
    kick();
  }

  // Notifications are on: ask for the stream where the protocol needs asking.
  void start_stream() {
    if (start_command_.empty()) return link_up(describe_device());
    const unsigned attempt = attempt_;
    if (!writer_ || writer_->getObjectPath() != write_path_)
      writer_ = sdbus::createProxy(*bus_, kBluez, write_path_);
    // Up before the reply: the first packets may arrive before it does.
    link_up(describe_device());
    writer_->callMethodAsync("WriteValue")
        .onInterface(kCharacteristic)
        .withArguments(start_command_, Properties{})
        .withTimeout(micros(config_.connect_timeout_s))
        .uponReplyInvoke([this, attempt](const sdbus::Error* e) {
          if (!e) return;
          const std::string err =
              "cannot start the stream of " + describe_device() + ": " + bluez_hint(*e);
          later(attempt, [this, err] {
            if (is_up()) link_down(err);
          });
        });
    kick();
  }

  void close_link() override {
    ++attempt_;  // replies still in flight belong to a finished attempt
    boost::system::error_code ignored;
    retry_resolve_.cancel();
    try {
      const std::vector<std::uint8_t> stop = stop_command_for(config_);
      if (writer_ && !stop.empty())
        writer_->callMethod("WriteValue")
            .onInterface(kCharacteristic)
            .withArguments(stop, Properties{})
            .dontExpectReply();
      if (char_) char_->callMethod("StopNotify").onInterface(kCharacteristic).dontExpectReply();
      if (device_) device_->callMethod("Disconnect").onInterface(kDevice).dontExpectReply();
    } catch (const sdbus::Error&) {
      // the bus is gone already: nothing to release
    }
    char_.reset();
    writer_.reset();
    device_.reset();
    if (bus_) kick();  // send the queued calls
  }

  std::string describe_device() const {
    if (device_address_.empty()) return "'" + config_.device + "'";
    return device_name_.empty() ? device_address_ : device_name_ + " " + device_address_;
  }

  std::shared_ptr<int> life_ = std::make_shared<int>(0);
  std::unique_ptr<sdbus::IConnection> bus_;
  std::unique_ptr<sdbus::IProxy> root_, adapter_, device_, char_, writer_;
  asio::posix::stream_descriptor fd_;
  asio::steady_timer bus_timer_;
  asio::steady_timer retry_resolve_{io_};
  bool reading_ = false, writing_ = false, discovering_ = false;
  unsigned attempt_ = 0;
  std::string device_path_, device_name_, device_address_, write_path_;
  BleKind device_kind_ = BleKind::kUnknown;  // from its advertised services or name
  std::chrono::steady_clock::time_point connect_started_s_;
  const bool records_ = protocol::reads_notification_records(config_.protocol);
  std::vector<std::uint8_t> record_;
  std::vector<std::uint8_t> start_command_;  // written once notifications are on
};

}  // namespace

std::string_view to_string(BleKind kind) {
  switch (kind) {
    case BleKind::kWitMotion:
      return "WitMotion";
    case BleKind::kStridelabNus:
      return "stridelab-NUS";
    case BleKind::kMovesense:
      return "Movesense";
    case BleKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

BleKind ble_kind(const std::vector<std::string>& service_uuids, std::string_view name) {
  for (const auto& u : service_uuids) {
    const std::string l = lower(u);
    if (l == kWitService) return BleKind::kWitMotion;
    if (l == kNusService) return BleKind::kStridelabNus;
    if (l == kGspService) return BleKind::kMovesense;
  }
  if (name.rfind("Movesense", 0) == 0) return BleKind::kMovesense;  // "Movesense 2203300…"
  // Some WitMotion firmware advertises no service list; its names start with "WT".
  if (name.rfind("WT", 0) == 0) return BleKind::kWitMotion;
  return BleKind::kUnknown;
}

bool ble_supported() {
  return true;
}

std::vector<BleDevice> ble_scan(double seconds) {
  try {
    auto bus = sdbus::createSystemBusConnection();
    auto root = sdbus::createProxy(*bus, kBluez, "/");
    ManagedObjects objects;
    root->callMethod("GetManagedObjects")
        .onInterface(kObjectManager)
        .withTimeout(micros(5.0))
        .storeResultsTo(objects);
    std::string adapter;
    for (const auto& [path, ifaces] : objects)
      if (const Properties* a = interface_of(ifaces, kAdapter))
        if (adapter.empty() && prop_or(*a, "Powered", false)) adapter = path;
    if (adapter.empty()) throw Error("no powered Bluetooth adapter (BlueZ lists none)");
    auto adapter_proxy = sdbus::createProxy(*bus, kBluez, adapter);
    bool started = false;
    try {
      adapter_proxy->callMethod("StartDiscovery").onInterface(kAdapter).withTimeout(micros(5.0));
      started = true;
    } catch (const sdbus::Error& e) {
      if (e.getName() != "org.bluez.Error.InProgress") throw;  // someone else scans: fine
    }
    // BlueZ collects what it hears into its object tree; drain our socket meanwhile so
    // the signals it sends do not pile up.
    const auto end = std::chrono::steady_clock::now() + micros(seconds);
    while (std::chrono::steady_clock::now() < end) {
      while (bus->processPendingRequest()) {
      }
      const auto poll_data = bus->getEventLoopPollData();
      pollfd p{poll_data.fd, poll_data.events, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0) + 1));
    }
    objects.clear();
    root->callMethod("GetManagedObjects")
        .onInterface(kObjectManager)
        .withTimeout(micros(5.0))
        .storeResultsTo(objects);
    if (started) {
      try {
        adapter_proxy->callMethod("StopDiscovery").onInterface(kAdapter).withTimeout(micros(5.0));
      } catch (const sdbus::Error&) {
      }
    }
    std::vector<BleDevice> found;
    for (const auto& [path, ifaces] : objects) {
      const Properties* d = interface_of(ifaces, kDevice);
      if (!d) continue;
      BleDevice dev;
      dev.name = prop_or<std::string>(*d, "Name", "");
      dev.address = prop_or<std::string>(*d, "Address", "");
      if (d->count("RSSI")) {
        dev.rssi_dbm = prop_or<std::int16_t>(*d, "RSSI", 0);
        dev.has_rssi = true;
      }
      dev.kind = ble_kind(prop_or<std::vector<std::string>>(*d, "UUIDs", {}), dev.name);
      found.push_back(std::move(dev));
    }
    std::stable_sort(found.begin(), found.end(), [](const BleDevice& a, const BleDevice& b) {
      if (a.has_rssi != b.has_rssi) return a.has_rssi;
      return a.rssi_dbm > b.rssi_dbm;
    });
    return found;
  } catch (const sdbus::Error& e) {
    throw Error(bluez_hint(e));
  }
}

std::unique_ptr<ByteSource> make_ble_source(asio::io_context& io, const SourceConfig& config,
                                            ByteHandler& handler, const SessionClock& clock) {
  return std::make_unique<BleSource>(io, config, handler, clock);
}

}  // namespace stridelab::ingest
