#include "stridelab/ingest/source_config.hpp"

#include <charconv>

#include "stridelab/core/error.hpp"
#include "stridelab/ingest/ble.hpp"

namespace stridelab::ingest {

namespace {

unsigned parse_unsigned(std::string_view text, unsigned max, std::string_view what,
                        std::string_view spec) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value > max)
    throw Error("bad " + std::string(what) + " '" + std::string(text) + "' in '" +
                std::string(spec) + "'");
  return value;
}

// Splits "HOST:PORT" at the last colon (so "[::1]:9000" keeps its brackets apart).
std::pair<std::string, unsigned short> host_port(std::string_view spec, bool host_optional) {
  const auto colon = spec.rfind(':');
  if (colon == std::string_view::npos) {
    if (!host_optional) throw Error("expected HOST:PORT, got '" + std::string(spec) + "'");
    return {"127.0.0.1", static_cast<unsigned short>(parse_unsigned(spec, 65535, "port", spec))};
  }
  std::string host(spec.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) throw Error("empty host in '" + std::string(spec) + "'");
  return {host,
          static_cast<unsigned short>(parse_unsigned(spec.substr(colon + 1), 65535, "port", spec))};
}

}  // namespace

std::string_view to_string(TransportKind kind) {
  switch (kind) {
    case TransportKind::kSerial:
      return "serial";
    case TransportKind::kTcp:
      return "tcp";
    case TransportKind::kUdp:
      return "udp";
    case TransportKind::kBle:
      return "ble";
  }
  return "?";
}

std::string SourceConfig::describe() const {
  switch (kind) {
    case TransportKind::kSerial:
      return "serial " + device + "@" + std::to_string(baud);
    case TransportKind::kTcp:
      return "tcp " + host + ":" + std::to_string(port);
    case TransportKind::kUdp:
      return "udp " + host + ":" + std::to_string(port);
    case TransportKind::kBle:
      return "ble " + device;
  }
  return "?";
}

SourceConfig serial_source(std::string_view spec) {
  SourceConfig c;
  c.kind = TransportKind::kSerial;
  const auto colon = spec.rfind(':');
  if (colon != std::string_view::npos && colon + 1 < spec.size() &&
      spec.substr(colon + 1).find_first_not_of("0123456789") == std::string_view::npos) {
    c.device = std::string(spec.substr(0, colon));
    c.baud = parse_unsigned(spec.substr(colon + 1), 100000000, "baud rate", spec);
    if (c.baud == 0) throw Error("bad baud rate 0 in '" + std::string(spec) + "'");
  } else {
    c.device = std::string(spec);
  }
  if (c.device.empty()) throw Error("empty serial device in '" + std::string(spec) + "'");
  return c;
}

SourceConfig tcp_source(std::string_view spec) {
  SourceConfig c;
  c.kind = TransportKind::kTcp;
  std::tie(c.host, c.port) = host_port(spec, false);
  if (c.port == 0) throw Error("TCP port 0 in '" + std::string(spec) + "'");
  return c;
}

SourceConfig udp_source(std::string_view spec) {
  SourceConfig c;
  c.kind = TransportKind::kUdp;
  std::tie(c.host, c.port) = host_port(spec, true);
  return c;
}

std::string_view ble_protocol(BleKind kind) {
  switch (kind) {
    case BleKind::kWitMotion:
      return "witmotion-ble";
    case BleKind::kStridelabNus:
      return "stridelab";
    case BleKind::kMovesense:
      return "movesense";
    case BleKind::kUnknown:
      break;
  }
  return {};
}

SourceConfig ble_source(std::string_view spec) {
  SourceConfig c;
  c.kind = TransportKind::kBle;
  c.device = std::string(spec);
  c.protocol = "witmotion-ble";
  if (c.device.empty()) throw Error("empty BLE device address or name");
  // Refused here, before a session starts with a link it cannot open.
  if (!ble_supported())
    throw Error("this stridelab was built without Bluetooth LE (needs libsdbus-c++-dev)");
  return c;
}

}  // namespace stridelab::ingest
