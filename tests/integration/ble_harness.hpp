#pragma once
// Bluetooth LE without a radio: a private dbus-daemon standing in for the system bus, and
// tests/ble/mock_bluez.py (a BlueZ look-alike) on it. The test process exports the bus as
// DBUS_SYSTEM_BUS_ADDRESS, so every stridelab it starts talks to the mock. Both children are
// killed by their ChildProcess destructors, also when an assertion ends the test early.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace stridelab::testing {

inline const char* kDbusDaemon = "/usr/bin/dbus-daemon";
inline const char* kSystemPython = "/usr/bin/python3";  // Debian's, with python3-dbus/gi

// Why the BLE tests cannot run here (empty: they can).
inline std::string ble_harness_missing() {
  if (!std::filesystem::exists(kDbusDaemon)) return "no /usr/bin/dbus-daemon (apt dbus-daemon)";
  if (!std::filesystem::exists(kSystemPython)) return "no /usr/bin/python3";
  const ProcessResult r =
      run_process({kSystemPython, "-c", "import dbus, dbus.service, gi.repository.GLib"}, {}, 30);
  if (r.status != 0) return "python3-dbus / python3-gi missing: " + r.err;
  return {};
}

class MockBluez {
 public:
  // Starts the bus and the mock (mock_args: --frames F, --mute, ...); fails the test if
  // either does not come up.
  MockBluez(const std::filesystem::path& dir, const std::vector<std::string>& mock_args) {
    const auto conf = dir / "bus.conf";
    std::ofstream(conf)
        << R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=)"
        << dir.string() << R"(</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)";
    bus_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kDbusDaemon, "--config-file=" + conf.string(), "--nofork",
                                 "--print-address=1"},
        (dir / "dbus.err").string());
    const auto address = bus_->read_line(10.0);
    if (!address || address->empty()) {
      ADD_FAILURE() << "dbus-daemon printed no address";
      return;
    }
    address_ = *address;
    ::setenv("DBUS_SYSTEM_BUS_ADDRESS", address_.c_str(), 1);
    std::vector<std::string> args = {
        kSystemPython, std::string(STRIDELAB_SOURCE_DIR) + "/tests/ble/mock_bluez.py"};
    args.insert(args.end(), mock_args.begin(), mock_args.end());
    mock_ = std::make_unique<ChildProcess>(args, (dir / "mock.err").string());
    const auto ready = mock_->read_line(20.0);
    if (ready != std::optional<std::string>("ready")) {
      ADD_FAILURE() << "mock_bluez did not start (see " << (dir / "mock.err") << ")";
      return;
    }
    up_ = true;
  }
  ~MockBluez() {
    mock_.reset();  // the mock first: nothing should see the bus vanish under a live service
    bus_.reset();
    ::unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
  }
  bool up() const { return up_; }
  // A property of a mock object as Python prints it ("True", "-58"), read over the bus.
  std::string property(const std::string& path, const std::string& iface,
                       const std::string& name) const {
    const ProcessResult r = run_process(
        {kSystemPython, "-c",
         "import dbus, sys; o = dbus.SystemBus().get_object('org.bluez', sys.argv[1]); "
         "print(o.Get(sys.argv[2], sys.argv[3], dbus_interface='org.freedesktop.DBus.Properties'))",
         path, iface, name},
        {}, 30);
    return r.status == 0 ? r.out.substr(0, r.out.find_last_not_of('\n') + 1) : "error: " + r.err;
  }
  const std::string& address() const { return address_; }
  ChildProcess& mock() { return *mock_; }

 private:
  std::unique_ptr<ChildProcess> bus_, mock_;
  std::string address_;
  bool up_ = false;
};

}  // namespace stridelab::testing
