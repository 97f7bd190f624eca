#pragma once
// What one sensor link is: where its bytes come from (serial device, TCP bridge, UDP port,
// BLE device), which protocol they speak, and how the sensor is to be named in the recording.
// Each source has its own settings; several run at once.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stridelab/core/types.hpp"
#include "stridelab/protocol/decoder.hpp"

namespace stridelab::ingest {

enum class TransportKind { kSerial, kTcp, kUdp, kBle };
std::string_view to_string(TransportKind kind);

struct Backoff {
  double initial_s = 0.1;  // first retry after this long, s
  double max_s = 2.0;      // doubling stops here, s
};

struct SourceConfig {
  TransportKind kind = TransportKind::kSerial;
  std::string device;      // serial: device path (a stable symlink works), e.g. /dev/ttyUSB0;
                           // BLE: address (D4:36:39:7A:11:2C) or advertised name
  unsigned baud = 115200;  // serial: baud rate (raw 8N1, no flow control)
  std::string host = "127.0.0.1";      // TCP: bridge address; UDP: local address to bind
  unsigned short port = 0;             // TCP: bridge port; UDP: local port
  std::string protocol = "stridelab";  // decoder name (protocol::make_decoder)
  protocol::DecoderParams decoder;     // WitMotion rate and ranges
  std::string name;                    // sensor name in the recording; empty: from placement/order
  Placement placement = Placement::kPelvis;
  bool placement_given = false;  // false: the device's own placement (DEVICE_INFO) wins
  Backoff backoff;
  double idle_timeout_s = 3.0;      // no bytes for this long = link lost (0: never), s
  double connect_timeout_s = 10.0;  // BLE: Connect/StartNotify unanswered this long = failed, s
  // BLE: commands written on every connection before subscribing (WitMotion: to 0xFFE9;
  // stridelab: to NUS RX), ble_write_gap_s apart.
  std::vector<std::vector<std::uint8_t>> ble_writes;
  double ble_write_gap_s = 0.1;

  // Human-readable address, e.g. "serial /dev/ttyUSB0@115200", "tcp 127.0.0.1:9000".
  std::string describe() const;
};

// Parses the CLI forms; throw Error naming the bad text.
SourceConfig serial_source(std::string_view spec);  // "DEV" or "DEV:BAUD"
SourceConfig tcp_source(std::string_view spec);     // "HOST:PORT"
SourceConfig udp_source(std::string_view spec);     // "PORT" or "ADDR:PORT" (default 127.0.0.1)
SourceConfig ble_source(std::string_view spec);     // "ADDRESS" or "NAME"; protocol witmotion-ble

}  // namespace stridelab::ingest
