// `stridelab scan`: lists the Bluetooth LE sensors BlueZ hears (name, address, RSSI, kind),
// so the address or name can be given to `record --ble`.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "cli/command.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/ingest/ble.hpp"

namespace stridelab::cli {
namespace {

void register_scan(CLI::App& app) {
  auto* cmd = app.add_subcommand("scan", "List nearby Bluetooth LE sensors (BlueZ)");
  auto seconds = std::make_shared<double>(5.0);
  cmd->add_option("--seconds", *seconds, "How long to listen, s (default 5)");
  cmd->callback([seconds] {
    if (!(*seconds >= 0) || *seconds > 600) throw Exit{kExitUsage, "scan: --seconds 0..600"};
    std::vector<ingest::BleDevice> devices;
    try {
      devices = ingest::ble_scan(*seconds);
    } catch (const Error& e) {
      throw Exit{kExitError, std::string("scan: ") + e.what()};
    }
    std::size_t sensors = 0, width = 20;  // names as long as "Movesense 220330000122" fit
    for (const auto& d : devices) width = std::max(width, d.name.size());
    std::cout << fmt::format("{:<{}} {:<17} {:>5}  {}\n", "NAME", width, "ADDRESS", "RSSI", "KIND");
    for (const auto& d : devices) {
      if (d.kind != ingest::BleKind::kUnknown) ++sensors;
      std::cout << fmt::format("{:<{}} {:<17} {:>5}  {}\n", d.name.empty() ? "-" : d.name, width,
                               d.address, d.has_rssi ? std::to_string(d.rssi_dbm) : "-",
                               ingest::to_string(d.kind));
    }
    std::cerr << fmt::format("scan: {} device(s), {} known sensor(s)\n", devices.size(), sensors);
  });
}

}  // namespace
STRIDELAB_COMMAND("scan", register_scan);
}  // namespace stridelab::cli
