// Compare tab (two sessions side by side) and the serial port list (on a fake /dev + sysfs).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "stridelab/pipeline/analyze_recording.hpp"
#include "stridelab/storage/recording_io.hpp"
#include "studio/compare/compare_tab.hpp"
#include "studio/live/serial_ports.hpp"
#include "studio_test_util.hpp"

namespace stridelab::studio {
namespace {

namespace fs = std::filesystem;

TEST(Compare, TableShowsBothSessionsAndTheChange) {
  const auto analyse = [](const char* file) {
    return pipeline::analyze_recording(storage::read_recording(test::source_path(file)), {});
  };
  const auto a = analyse("recordings/sim/walk_200hz.h5");
  const auto b = analyse("recordings/sim/run_200hz.h5");
  CompareTab tab;
  QString error;
  ASSERT_TRUE(tab.openFiles(test::qsource("recordings/sim/walk_200hz.h5"),
                            test::qsource("recordings/sim/run_200hz.h5"), &error))
      << error.toStdString();
  EXPECT_TRUE(
      tab.tableText("cadence", 0).startsWith(QString::number(a.summary.mean_cadence_spm, 'f', 1)));
  EXPECT_TRUE(
      tab.tableText("cadence", 1).startsWith(QString::number(b.summary.mean_cadence_spm, 'f', 1)));
  const double change = b.summary.mean_cadence_spm - a.summary.mean_cadence_spm;
  EXPECT_TRUE(tab.tableText("cadence", 2).startsWith("+" + QString::number(change, 'f', 1)))
      << tab.tableText("cadence", 2).toStdString();
  EXPECT_TRUE(
      tab.tableText("drop_left", 0)
          .startsWith(QString::asprintf("%.1f° ± %.1f°", a.summary.pelvic_drop_left_deg.mean,
                                        a.summary.pelvic_drop_left_deg.sd)));
  EXPECT_EQ(tab.tableText("steps", 1), QString::number(b.summary.steps));

  EXPECT_FALSE(tab.openSide(1, "/nonexistent/b.h5", &error));
  EXPECT_TRUE(error.contains("/nonexistent/b.h5"));
  EXPECT_EQ(tab.tableText("steps", 1), QString::number(b.summary.steps));  // B kept
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text << "\n";
}

TEST(SerialPorts, ByIdLinksComeFirstWithTheirUsbDescription) {
  const fs::path root = test::out_dir() / "fake_ports";
  fs::remove_all(root);
  const fs::path dev = root / "dev", sys = root / "sys";
  // Two adapters; ttyUSB0 has a by-id link, ttyACM0 does not.
  write(dev / "ttyUSB0", "");
  write(dev / "ttyACM0", "");
  write(dev / "ttyS0", "");  // not a USB port: not listed
  fs::create_directories(dev / "serial" / "by-id");
  fs::create_symlink("../../ttyUSB0",
                     dev / "serial" / "by-id" / "usb-FTDI_FT232R_A50285BI-if00-port0");
  const fs::path usb0 = sys / "devices" / "usb1" / "1-1";
  write(usb0 / "idVendor", "0403");
  write(usb0 / "idProduct", "6001");
  write(usb0 / "manufacturer", "FTDI");
  write(usb0 / "product", "FT232R USB UART");
  write(usb0 / "serial", "A50285BI");
  fs::create_directories(usb0 / "1-1:1.0" / "ttyUSB0");
  const fs::path usb1 = sys / "devices" / "usb1" / "1-2";
  write(usb1 / "idVendor", "2e8a");
  write(usb1 / "idProduct", "000a");
  write(usb1 / "product", "Pico");
  fs::create_directories(usb1 / "1-2:1.0");
  fs::create_directories(sys / "class" / "tty" / "ttyUSB0");
  fs::create_directories(sys / "class" / "tty" / "ttyACM0");
  fs::create_symlink(usb0 / "1-1:1.0" / "ttyUSB0", sys / "class" / "tty" / "ttyUSB0" / "device");
  fs::create_symlink(usb1 / "1-2:1.0", sys / "class" / "tty" / "ttyACM0" / "device");

  const auto ports = list_serial_ports(dev, sys / "class" / "tty");
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(fs::path(ports[0].path).filename(), "usb-FTDI_FT232R_A50285BI-if00-port0");
  EXPECT_EQ(fs::path(ports[0].device).filename(), "ttyUSB0");
  EXPECT_EQ(ports[0].vid_pid, "0403:6001");
  EXPECT_EQ(ports[0].serial_number, "A50285BI");
  EXPECT_NE(ports[0].description().find("FTDI FT232R USB UART (A50285BI)"), std::string::npos);
  EXPECT_EQ(fs::path(ports[1].path).filename(), "ttyACM0");
  EXPECT_EQ(ports[1].product, "Pico");
  EXPECT_EQ(ports[1].vid_pid, "2e8a:000a");

  EXPECT_TRUE(list_serial_ports(root / "missing", sys).empty());  // no /dev: empty, no throw
}

}  // namespace
}  // namespace stridelab::studio
