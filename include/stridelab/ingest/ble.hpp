#pragma once
// Bluetooth LE through BlueZ (the org.bluez D-Bus API on the system bus, or on the bus
// DBUS_SYSTEM_BUS_ADDRESS names): finding sensors. Streaming from one is a transport like the
// others (TransportKind::kBle, make_byte_source). Linux only; without sdbus-c++ at build time
// ble_supported() is false and the calls throw.
#include <string>
#include <string_view>
#include <vector>

namespace stridelab::ingest {

// What a device is, from its advertised services (or its name where it advertises none).
enum class BleKind { kWitMotion, kStridelabNus, kMovesense, kUnknown };
std::string_view to_string(BleKind kind);
BleKind ble_kind(const std::vector<std::string>& service_uuids, std::string_view name);
// The decoder a sensor of this kind needs (record --protocol); empty for kUnknown.
std::string_view ble_protocol(BleKind kind);

struct BleDevice {
  std::string name;     // empty when the device did not advertise one
  std::string address;  // "D4:36:39:7A:11:2C"
  int rssi_dbm = 0;     // last advertisement's signal; 0 when unknown (e.g. already connected)
  bool has_rssi = false;
  BleKind kind = BleKind::kUnknown;
};

bool ble_supported();
// Discovers for `seconds` on the first powered adapter and lists every device BlueZ knows
// (heard now or remembered), strongest first. Throws Error with a hint when BlueZ is not
// reachable (bluetoothd not running, no permission, no adapter).
std::vector<BleDevice> ble_scan(double seconds);

}  // namespace stridelab::ingest
