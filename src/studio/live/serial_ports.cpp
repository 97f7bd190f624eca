#include "studio/live/serial_ports.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <system_error>

namespace stridelab::studio {
namespace {

namespace fs = std::filesystem;

std::string read_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' '))
    line.pop_back();
  return line;
}

// Fills the USB fields from /sys/class/tty/<name>/device: the USB device directory is the
// first ancestor holding idVendor (the tty hangs off an interface of it).
void add_usb_description(SerialPortInfo& port, const fs::path& sys_tty_root) {
  const std::string name = fs::path(port.device).filename().string();
  std::error_code ec;
  fs::path dir = fs::canonical(sys_tty_root / name / "device", ec);
  if (ec) return;
  for (int depth = 0; depth < 6 && !dir.empty() && dir != dir.root_path();
       ++depth, dir = dir.parent_path()) {
    if (!fs::exists(dir / "idVendor", ec)) continue;
    port.manufacturer = read_line(dir / "manufacturer");
    port.product = read_line(dir / "product");
    port.serial_number = read_line(dir / "serial");
    port.vid_pid = read_line(dir / "idVendor") + ":" + read_line(dir / "idProduct");
    return;
  }
}

bool is_usb_tty_name(const std::string& name) {
  return name.rfind("ttyUSB", 0) == 0 || name.rfind("ttyACM", 0) == 0;
}

}  // namespace

std::string SerialPortInfo::description() const {
  std::string text;
  if (!manufacturer.empty()) text = manufacturer;
  if (!product.empty()) text += (text.empty() ? "" : " ") + product;
  if (!serial_number.empty()) text += " (" + serial_number + ")";
  if (text.empty()) text = "serial port";
  return text + " — " + device;
}

std::vector<SerialPortInfo> list_serial_ports(const fs::path& dev_root,
                                              const fs::path& sys_tty_root) {
  std::vector<SerialPortInfo> ports;
  std::set<std::string> covered;  // kernel devices already listed through a by-id link
  std::error_code ec;
  const fs::path by_id = dev_root / "serial" / "by-id";
  if (fs::is_directory(by_id, ec)) {
    std::vector<fs::path> links;
    for (const auto& entry : fs::directory_iterator(by_id, ec)) links.push_back(entry.path());
    std::sort(links.begin(), links.end());
    for (const fs::path& link : links) {
      SerialPortInfo port;
      port.path = link.string();
      const fs::path target = fs::weakly_canonical(link, ec);
      port.device = ec ? link.string() : target.string();
      add_usb_description(port, sys_tty_root);
      covered.insert(port.device);
      ports.push_back(std::move(port));
    }
  }
  std::vector<fs::path> plain;
  for (const auto& entry : fs::directory_iterator(dev_root, ec))
    if (is_usb_tty_name(entry.path().filename().string())) plain.push_back(entry.path());
  std::sort(plain.begin(), plain.end());
  for (const fs::path& dev : plain) {
    const fs::path real = fs::weakly_canonical(dev, ec);
    if (covered.count(ec ? dev.string() : real.string())) continue;
    SerialPortInfo port;
    port.path = port.device = dev.string();
    add_usb_description(port, sys_tty_root);
    ports.push_back(std::move(port));
  }
  return ports;
}

}  // namespace stridelab::studio
