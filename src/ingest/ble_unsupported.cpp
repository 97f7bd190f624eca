// Built without sdbus-c++: BLE is named in messages but not available.
#include "ble_transport.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/ingest/ble.hpp"

namespace stridelab::ingest {

namespace {
[[noreturn]] void unsupported() {
  throw Error("this stridelab was built without Bluetooth LE (needs libsdbus-c++-dev)");
}
}  // namespace

std::string_view to_string(BleKind kind) {
  return kind == BleKind::kWitMotion      ? "WitMotion"
         : kind == BleKind::kStridelabNus ? "stridelab-NUS"
         : kind == BleKind::kMovesense    ? "Movesense"
                                          : "unknown";
}
BleKind ble_kind(const std::vector<std::string>&, std::string_view) {
  return BleKind::kUnknown;
}
bool ble_supported() {
  return false;
}
std::vector<BleDevice> ble_scan(double) {
  unsupported();
}
std::unique_ptr<ByteSource> make_ble_source(boost::asio::io_context&, const SourceConfig&,
                                            ByteHandler&, const SessionClock&) {
  unsupported();
}

}  // namespace stridelab::ingest
