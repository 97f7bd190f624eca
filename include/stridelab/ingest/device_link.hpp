#pragma once
// The device side of a link, for `stridelab emulate`: a pseudo-terminal pair (the recorder
// opens the slave like a USB serial port), a TCP listener on 127.0.0.1 (like a WiFi/BLE
// bridge) or a UDP sender. Plain POSIX, independent of the receiving transports it tests.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

namespace stridelab::ingest {

class DeviceLink {
 public:
  virtual ~DeviceLink() = default;
  // Where a recorder finds the device, e.g. "pty: /dev/pts/7", "tcp: 127.0.0.1:40123".
  virtual std::string address() const = 0;
  // Someone is reading: pty slave opened, TCP client connected (accepted here), UDP always.
  virtual bool reader_present() = 0;
  // Writes all bytes, waiting up to timeout_s for room. False if they could not all be
  // written (no room, reader gone): the caller counts them as lost.
  virtual bool write(std::span<const std::uint8_t> bytes, double timeout_s) = 0;
  // Waits up to timeout_s until the reader has taken everything written (pty: before the
  // master closes, unread bytes would be discarded).
  virtual void drain(double timeout_s) = 0;
  virtual void unplug() = 0;  // pty: the device node vanishes; TCP: connection and port close
  virtual void plug() = 0;    // back again (pty: a new node, the link path re-pointed)
};

// link: optional symlink kept pointing at the current slave (a stable device path).
std::unique_ptr<DeviceLink> make_pty_link(const std::filesystem::path& link = {});
// port 0: an ephemeral port (address() tells which).
std::unique_ptr<DeviceLink> make_tcp_link(const std::string& bind_address, unsigned short port);
std::unique_ptr<DeviceLink> make_udp_link(const std::string& host, unsigned short port);

}  // namespace stridelab::ingest
