// The connect panel's Bluetooth LE row against the BlueZ look-alike on a private bus
// (tests/ble/mock_bluez.py, as the BLE integration tests use it): Scan lists the sensors with
// name, address, RSSI and kind without blocking the window, and choosing one gives the source
// `record --ble ADDRESS --protocol …` would.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QPushButton>
#include <QTimer>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "integration/ble_harness.hpp"
#include "stridelab/ingest/ble.hpp"
#include "studio/live/connect_panel.hpp"
#include "studio_test_util.hpp"

namespace stridelab::studio {
namespace {

TEST(ConnectPanelBle, ScanListsTheSensorsAndChoosingOneGivesItsBleSource) {
  if (!ingest::ble_supported()) GTEST_SKIP() << "built without sdbus-c++ (no BLE)";
  if (const std::string missing = testing::ble_harness_missing(); !missing.empty())
    GTEST_SKIP() << "BLE harness unavailable: " << missing;
  const auto dir = test::out_dir() / "connect_ble";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "frames.bin").close();  // the WitMotion has nothing to stream here
  testing::MockBluez bluez(dir, {"--frames", (dir / "frames.bin").string()});
  ASSERT_TRUE(bluez.up());

  ConnectPanel panel;
  panel.show();
  auto* link = panel.findChild<QComboBox*>("link");
  auto* devices = panel.findChild<QComboBox*>("bleDevices");
  auto* protocol = panel.findChild<QComboBox*>("protocol");
  auto* scan = panel.findChild<QPushButton*>("bleScan");
  ASSERT_TRUE(link && devices && protocol && scan);
  link->setCurrentIndex(3);
  EXPECT_EQ(link->currentText(), "Bluetooth LE");

  int found = -2;
  QString status;
  QObject::connect(&panel, &ConnectPanel::bleScanFinished, [&](int n) { found = n; });
  QObject::connect(&panel, &ConnectPanel::statusMessage, [&](const QString& m) { status = m; });
  // The window keeps running while BlueZ listens: a 50 ms timer must keep ticking.
  int ticks = 0;
  QTimer tick;
  QObject::connect(&tick, &QTimer::timeout, [&] { ++ticks; });
  tick.start(50);
  panel.scanBle(1.0);
  EXPECT_FALSE(scan->isEnabled());  // one scan at a time
  ASSERT_TRUE(test::wait_until([&] { return found != -2; }, 30000)) << "no scan result";
  tick.stop();
  EXPECT_GE(ticks, 8) << "the GUI thread was blocked during the scan";
  EXPECT_TRUE(scan->isEnabled());
  ASSERT_EQ(found, 4) << status.toStdString();
  EXPECT_EQ(status, "4 Bluetooth LE device(s) found");
  // Strongest first, as `stridelab scan` lists them.
  ASSERT_EQ(devices->count(), 4);
  EXPECT_EQ(devices->itemText(0), "WT901BLE68  D4:36:39:7A:11:2C  -58 dBm  WitMotion");
  EXPECT_EQ(devices->itemText(1), "Movesense 220330000122  0C:8C:DC:00:00:0A  -64 dBm  Movesense");
  EXPECT_EQ(devices->itemText(2), "stridelab-7f3a  C0:FF:EE:00:00:01  -71 dBm  stridelab-NUS");
  EXPECT_EQ(devices->itemText(3), "Headphones  11:22:33:44:55:66  -80 dBm  unknown");

  // Choosing a sensor picks its protocol; the source is record --ble's.
  devices->setCurrentIndex(1);
  EXPECT_EQ(protocol->currentData().toString(), "movesense");
  auto sources = panel.sources();
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].kind, ingest::TransportKind::kBle);
  EXPECT_EQ(sources[0].device, "0C:8C:DC:00:00:0A");
  EXPECT_EQ(sources[0].protocol, "movesense");
  EXPECT_EQ(sources[0].decoder.nominal_rate_hz, 104.0);
  EXPECT_EQ(sources[0].describe(), "ble 0C:8C:DC:00:00:0A");
  devices->setCurrentIndex(0);
  sources = panel.sources();
  EXPECT_EQ(sources[0].device, "D4:36:39:7A:11:2C");
  EXPECT_EQ(sources[0].protocol, "witmotion-ble");
  devices->setCurrentIndex(2);
  EXPECT_EQ(panel.sources()[0].protocol, "stridelab");
  // A name typed in is taken as it is.
  devices->setEditText("WT901BLE68");
  EXPECT_EQ(panel.sources()[0].device, "WT901BLE68");

  // BlueZ gone: the scan says why, the list stays usable.
  bluez.mock().signal(SIGTERM);
  ASSERT_TRUE(bluez.mock().wait(10.0).has_value());
  found = -2;
  panel.scanBle(0.2);
  ASSERT_TRUE(test::wait_until([&] { return found != -2; }, 30000));
  EXPECT_EQ(found, -1);
  EXPECT_TRUE(status.contains("bluetoothd running")) << status.toStdString();
  EXPECT_TRUE(scan->isEnabled());
}

}  // namespace
}  // namespace stridelab::studio
