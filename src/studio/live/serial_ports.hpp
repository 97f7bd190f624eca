#pragma once
// Serial ports on this machine, for the connect panel (QSerialPort is not in the stack).
// Lists /dev/serial/by-id links (stable names that include the USB serial number, so a
// reconnect finds the same sensor even if it comes back as another ttyUSB), then any
// /dev/ttyUSB* and /dev/ttyACM* not already covered, with the USB description from sysfs.
#include <filesystem>
#include <string>
#include <vector>

namespace stridelab::studio {

struct SerialPortInfo {
  std::string path;          // what to open: the by-id link when there is one
  std::string device;        // the kernel device it points to, e.g. /dev/ttyUSB0
  std::string manufacturer;  // from sysfs, may be empty
  std::string product;
  std::string serial_number;
  std::string vid_pid;  // "0403:6001"
  // "FTDI FT232R USB UART (A50285BI) — /dev/ttyUSB0" for the port list.
  std::string description() const;
};

// The roots are parameters so tests can point them at a fake tree.
std::vector<SerialPortInfo> list_serial_ports(
    const std::filesystem::path& dev_root = "/dev",
    const std::filesystem::path& sys_tty_root = "/sys/class/tty");

}  // namespace stridelab::studio
