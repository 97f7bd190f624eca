#pragma once
// Movesense sensors through the GATT SensorData Protocol ("GSP", the gatt_sensordata_app
// firmware). Facts: shared PROTOCOLS.md §3b; movesense.com/docs/esw/gatt_sensordata_protocol;
// the Movesense API's meas/imu.yaml (IMU9Data: Timestamp u32 ms of the first measurement,
// ArrayAcc m/s², ArrayGyro °/s, ArrayMagn) and the official Python client (packet layout).
//
// The host writes [0x01, ref] + "/Meas/IMU9/<rate>" to 34800001 and gets notifications on
// 34800002: [type][ref][payload]. type 1 = command result (u16 status, big-endian), 2 = DATA,
// 3 = DATA_PART2 (the rest of the DATA before it, when a packet exceeds one notification).
// An IMU9 data payload is u32 LE timestamp, then n acc, n gyro and n mag float32 LE triplets.
//
// GSP packets carry no length or checksum: a packet is a notification. The BLE transport
// therefore hands this decoder "notification records" (reads_notification_records()).
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "stridelab/core/types.hpp"
#include "stridelab/protocol/decoder.hpp"

namespace stridelab::protocol {

namespace movesense {
inline constexpr std::uint8_t kHello = 0x00, kSubscribe = 0x01, kUnsubscribe = 0x02;
inline constexpr std::uint8_t kCommandResult = 0x01, kData = 0x02, kDataPart2 = 0x03;
inline constexpr std::size_t kSampleBytes = 36;   // IMU9: acc + gyro + mag, 3 × 3 float32
inline constexpr std::size_t kMaxNotify = 514;    // ATT_MTU 517 − 3, the largest BLE allows
inline constexpr std::size_t kGspNotify = 158;    // the firmware's MTU 161 − 3
inline constexpr std::uint8_t kReference = 0x53;  // our subscription's client reference
inline constexpr double kDefaultRateHz = 104.0;   // the rate the official client uses
}  // namespace movesense

// IMU sample rates the Movesense API offers (13 … 1666 Hz).
const std::vector<double>& movesense_rates();
// Throws Error naming the offered rates when rate_hz is not one of them.
void check_movesense_rate(double rate_hz);
// [0x01, ref] + "/Meas/IMU9/<rate>" and [0x02, ref].
std::vector<std::uint8_t> movesense_subscribe_command(double rate_hz,
                                                      std::uint8_t ref = movesense::kReference);
std::vector<std::uint8_t> movesense_unsubscribe_command(std::uint8_t ref = movesense::kReference);

// One IMU9 packet (samples taken at t_first_ms, then every 1/rate) as the sensor notifies it:
// one DATA notification, or DATA + DATA_PART2 when it exceeds max_notify bytes.
std::vector<std::vector<std::uint8_t>> encode_movesense_imu9(
    std::uint32_t t_first_ms, std::span<const ImuSample> samples,
    std::size_t max_notify = movesense::kGspNotify, std::uint8_t ref = movesense::kReference);

// A notification record: u16 LE length, then the notification's bytes (see decoder.hpp).
void append_notification_record(std::span<const std::uint8_t> notification,
                                std::vector<std::uint8_t>& out);

// Decodes notification records of a /Meas/IMU9 subscription at params.nominal_rate_hz.
// A DATA packet whose data is not a whole number of samples waits for its DATA_PART2 (the
// firmware's 158-byte split never leaves whole samples: 152 = 4.2 × 36). Sample indices come
// from the timestamps, so a lost packet is a gap of the samples it held; device time is the
// connection's first timestamp + index / rate.
class MovesenseDecoder final : public Decoder {
 public:
  explicit MovesenseDecoder(const DecoderParams& params = {});
  std::string_view protocol() const override { return "movesense"; }
  std::size_t buffered_bytes() const override { return buffer_.size(); }
  bool has_device_clock() const override { return true; }
  SensorInfo sensor_info() const override;
  // Last command result the sensor sent (HTTP-like: 200 OK, 404, 501 bad rate); 0 = none.
  int last_command_status() const { return last_status_; }

 private:
  void do_feed(std::span<const std::uint8_t> bytes) override;
  void do_finish() override;
  void on_record(const std::uint8_t* p, std::size_t n);
  void drop_held();
  void on_packet(const std::vector<std::uint8_t>& packet);  // [type][ref][ts][arrays]

  DecoderParams params_;
  std::vector<std::uint8_t> buffer_;  // a record not yet complete
  std::vector<std::uint8_t> held_;    // DATA waiting for its DATA_PART2
  int last_status_ = 0;
  void push_gap(std::uint64_t missing, double before_s, double after_s, const char* cause);

  bool have_packet_ = false;
  std::uint32_t last_raw_ts_ = 0;
  std::size_t last_count_ = 0;  // samples in the previous packet
  std::uint64_t next_index_ = 0;
  double t0_s_ = 0.0;  // device time of index 0
};

}  // namespace stridelab::protocol
