/*
 * stridelab_proto.h - stridelab sensor wire protocol, version 1 (see SPEC.md).
 *
 * Header-only C99 encoder for firmware: no heap, nothing from libc beyond <stdint.h> and
 * <string.h>, every output goes into a caller-provided buffer. Each slp_encode_* function
 * writes one complete frame, COBS( header | payload | CRC-32C ) followed by the 0x00
 * delimiter, and returns its length in bytes, or 0 if the buffer is too small or the message
 * is invalid (in which case the buffer content is unspecified).
 *
 * Also here: CRC-16/CCITT-FALSE and CRC-32C, a COBS decoder and a small byte-at-a-time
 * receiver so firmware can parse the host's COMMAND frames.
 *
 * Multi-byte fields are little-endian on the wire regardless of the CPU; floats are IEEE-754
 * binary32 (every MCU this targets).
 */
#ifndef STRIDELAB_PROTO_H
#define STRIDELAB_PROTO_H

#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Sizes ------------------------------------------------------------------------------ */
#define SLP_PROTOCOL_VERSION 1u
#define SLP_HEADER_BYTES 8u     /* version u8 | type u8 | seq u16 | t_dev_us u32 */
#define SLP_CRC_BYTES 4u        /* CRC-32C, little-endian */
#define SLP_MAX_FRAME_BYTES 1024u /* decoded frame: header + payload + CRC */
#define SLP_MAX_PAYLOAD_BYTES (SLP_MAX_FRAME_BYTES - SLP_HEADER_BYTES - SLP_CRC_BYTES)
/* COBS adds at most one byte per 254 plus one: 1029 bytes for a 1024-byte frame. */
#define SLP_MAX_ENCODED_BYTES (SLP_MAX_FRAME_BYTES + SLP_MAX_FRAME_BYTES / 254u + 1u)
#define SLP_MAX_WIRE_BYTES (SLP_MAX_ENCODED_BYTES + 1u) /* with the 0x00 delimiter */

/* ---- Message types ---------------------------------------------------------------------- */
#define SLP_TYPE_DEVICE_INFO 0x01u /* device -> host */
#define SLP_TYPE_IMU_BATCH 0x02u   /* device -> host */
#define SLP_TYPE_STATUS 0x03u      /* device -> host */
#define SLP_TYPE_COMMAND 0x10u     /* host -> device */
#define SLP_TYPE_ACK 0x11u         /* device -> host */

/* Payload lengths (exact; any other length is a format error). */
#define SLP_DEVICE_INFO_PAYLOAD 74u
#define SLP_STATUS_PAYLOAD 10u
#define SLP_COMMAND_PAYLOAD 5u
#define SLP_ACK_PAYLOAD 8u
#define SLP_BATCH_FIXED_PAYLOAD 10u /* channels, count, first_index, period_ns */

/* Channel bits (IMU_BATCH.channels, DEVICE_INFO.channels). Order on the wire: acc, gyr, mag. */
#define SLP_CH_ACC 0x01u
#define SLP_CH_GYR 0x02u
#define SLP_CH_MAG 0x04u
#define SLP_CH_ALL (SLP_CH_ACC | SLP_CH_GYR | SLP_CH_MAG)

/* Sensor placement hint (DEVICE_INFO.placement). */
#define SLP_PLACEMENT_UNKNOWN 0u
#define SLP_PLACEMENT_PELVIS 1u
#define SLP_PLACEMENT_UPPER_TRUNK 2u
#define SLP_PLACEMENT_OTHER 3u

/* DEVICE_INFO.flags */
#define SLP_INFO_BOOT 0x01u /* sent at boot: seq, sample index and device clock restarted */

/* STATUS.flags */
#define SLP_STATUS_STREAMING 0x01u
#define SLP_STATUS_CHARGING 0x02u
#define SLP_STATUS_LOW_BATTERY 0x04u
#define SLP_STATUS_SENSOR_FAULT 0x08u
#define SLP_STATUS_FIFO_OVERFLOW 0x10u /* the device dropped samples since the last STATUS */
#define SLP_BATTERY_PCT_UNKNOWN 255u
#define SLP_TEMPERATURE_UNKNOWN (-32768)

/* COMMAND opcodes */
#define SLP_CMD_START 0x01u
#define SLP_CMD_STOP 0x02u
#define SLP_CMD_SET_RATE 0x03u /* arg = sample rate in mHz */
#define SLP_CMD_REQUEST_INFO 0x04u

/* ACK result codes */
#define SLP_ACK_OK 0u
#define SLP_ACK_UNKNOWN_COMMAND 1u
#define SLP_ACK_BAD_ARGUMENT 2u
#define SLP_ACK_BUSY 3u
#define SLP_ACK_NOT_SUPPORTED 4u
#define SLP_ACK_DEVICE_ERROR 5u

/* Compile-time check that float is 32 bits (IEEE-754 binary32 is assumed). */
typedef char slp_float_is_32_bits[(sizeof(float) == 4) ? 1 : -1];

/* ---- Messages --------------------------------------------------------------------------- */
typedef struct {
  uint8_t flags;            /* SLP_INFO_* */
  char model[16];           /* ASCII, NUL-padded (need not be NUL-terminated when 16 long) */
  char device_id[16];       /* serial number or other unique id */
  char firmware[16];        /* firmware version */
  uint32_t sample_rate_mhz; /* nominal output rate, millihertz (200 Hz = 200000) */
  uint8_t channels;         /* SLP_CH_* the device streams */
  uint8_t placement;        /* SLP_PLACEMENT_* */
  uint16_t acc_fs_g;        /* accelerometer full scale, +/- g */
  uint16_t gyr_fs_dps;      /* gyroscope full scale, +/- deg/s */
  uint16_t mag_fs_ut;       /* magnetometer full scale, +/- uT (0 = none) */
  float acc_scale;          /* m/s^2 per LSB */
  float gyr_scale;          /* rad/s per LSB */
  float mag_scale;          /* uT per LSB */
} slp_device_info;

typedef struct {
  uint8_t channels;     /* SLP_CH_* present in every sample (non-zero) */
  uint8_t count;        /* samples in this batch, >= 1 */
  uint32_t first_index; /* sample counter of the first sample (wraps at 2^32) */
  uint32_t period_ns;   /* sample period, ns; sample i is at t_first + i * period */
  float acc_scale;      /* m/s^2 per LSB (sent only if SLP_CH_ACC) */
  float gyr_scale;      /* rad/s per LSB (sent only if SLP_CH_GYR) */
  float mag_scale;      /* uT per LSB (sent only if SLP_CH_MAG) */
  /* count samples, sample-major; per sample x,y,z of each present channel in the order
   * acc, gyr, mag. */
  const int16_t* samples;
} slp_imu_batch;

typedef struct {
  uint16_t battery_mv;      /* mV, 0 = unknown */
  uint8_t battery_pct;      /* 0..100, SLP_BATTERY_PCT_UNKNOWN = unknown */
  uint8_t flags;            /* SLP_STATUS_* */
  int16_t temperature_cdeg; /* 0.01 degC, SLP_TEMPERATURE_UNKNOWN = unknown */
  uint32_t dropped_samples; /* cumulative samples the device measured but could not send */
} slp_status;

typedef struct {
  uint8_t opcode; /* SLP_CMD_* */
  uint32_t arg;   /* SET_RATE: mHz; otherwise 0 */
} slp_command;

typedef struct {
  uint16_t acked_seq; /* seq of the COMMAND frame being answered */
  uint8_t opcode;     /* its opcode */
  uint8_t result;     /* SLP_ACK_* */
  uint32_t value;     /* SET_RATE: the rate now in effect, mHz; otherwise 0 */
} slp_ack;

/* ---- CRCs --------------------------------------------------------------------------------- */

/* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, xorout 0. Check 0x29B1.
 * Not used by protocol v1 frames; kept for bridges and tools that need it. */
static inline uint16_t slp_crc16_ccitt_false(const uint8_t* data, size_t n) {
  uint16_t crc = 0xFFFFu;
  size_t i;
  int bit;
  for (i = 0; i < n; ++i) {
    crc = (uint16_t)(crc ^ ((uint16_t)data[i] << 8));
    for (bit = 0; bit < 8; ++bit)
      crc = (uint16_t)((crc & 0x8000u) ? (((unsigned)crc << 1) ^ 0x1021u) : ((unsigned)crc << 1));
  }
  return crc;
}

/* CRC-32C (Castagnoli): poly 0x1EDC6F41 reflected (0x82F63B78), init 0xFFFFFFFF, reflected
 * in/out, xorout 0xFFFFFFFF. Check ("123456789") 0xE3069283. Nibble table: 64 bytes of
 * constants, two lookups per byte. */
static inline uint32_t slp_crc32c_nibble(uint32_t state, uint8_t nibble) {
  static const uint32_t table[16] = {
      0x00000000u, 0x105EC76Fu, 0x20BD8EDEu, 0x30E349B1u, 0x417B1DBCu, 0x5125DAD3u,
      0x61C69362u, 0x7198540Du, 0x82F63B78u, 0x92A8FC17u, 0xA24BB5A6u, 0xB21572C9u,
      0xC38D26C4u, 0xD3D3E1ABu, 0xE330A81Au, 0xF36E6F75u};
  return (state >> 4) ^ table[(state ^ nibble) & 0x0Fu];
}

/* Running form: start with state 0xFFFFFFFF, feed bytes, final CRC = state ^ 0xFFFFFFFF. */
static inline uint32_t slp_crc32c_update(uint32_t state, const uint8_t* data, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) {
    state = slp_crc32c_nibble(state, (uint8_t)(data[i] & 0x0Fu));
    state = slp_crc32c_nibble(state, (uint8_t)(data[i] >> 4));
  }
  return state;
}

static inline uint32_t slp_crc32c(const uint8_t* data, size_t n) {
  return slp_crc32c_update(0xFFFFFFFFu, data, n) ^ 0xFFFFFFFFu;
}

/* ---- Frame writer: CRC and COBS in one pass, no scratch buffer ----------------------------- */
typedef struct {
  uint8_t* out;
  size_t cap;
  size_t len;        /* bytes written so far (including the reserved code byte) */
  size_t code_pos;   /* where the open block's code byte goes */
  uint8_t code;      /* 1 + data bytes in the open block */
  uint8_t block_open;
  uint8_t overflow;
  uint32_t crc;      /* running CRC-32C state */
} slp__writer;

static inline void slp__w_reserve(slp__writer* w) {
  if (w->len >= w->cap) {
    w->overflow = 1;
    return;
  }
  w->code_pos = w->len++;
  w->code = 1;
  w->block_open = 1;
}

static inline void slp__w_init(slp__writer* w, uint8_t* out, size_t cap) {
  w->out = out;
  w->cap = cap;
  w->len = 0;
  w->code_pos = 0;
  w->code = 1;
  w->block_open = 0;
  w->overflow = 0;
  w->crc = 0xFFFFFFFFu;
  slp__w_reserve(w);
}

/* One byte into the COBS stream (not into the CRC). A 254-byte block is closed with code 0xFF
 * and the next block is opened only if more data follows, so no trailing 0x01 is emitted. */
static inline void slp__w_cobs(slp__writer* w, uint8_t b) {
  if (w->overflow) return;
  if (!w->block_open) slp__w_reserve(w);
  if (w->overflow) return;
  if (b == 0) {
    w->out[w->code_pos] = w->code;
    slp__w_reserve(w);
    return;
  }
  if (w->len >= w->cap) {
    w->overflow = 1;
    return;
  }
  w->out[w->len++] = b;
  if (++w->code == 0xFFu) {
    w->out[w->code_pos] = w->code;
    w->block_open = 0;
  }
}

static inline void slp__w_u8(slp__writer* w, uint8_t b) {
  w->crc = slp_crc32c_update(w->crc, &b, 1);
  slp__w_cobs(w, b);
}
static inline void slp__w_u16(slp__writer* w, uint16_t v) {
  slp__w_u8(w, (uint8_t)(v & 0xFFu));
  slp__w_u8(w, (uint8_t)(v >> 8));
}
static inline void slp__w_u32(slp__writer* w, uint32_t v) {
  slp__w_u16(w, (uint16_t)(v & 0xFFFFu));
  slp__w_u16(w, (uint16_t)(v >> 16));
}
static inline void slp__w_i16(slp__writer* w, int16_t v) { slp__w_u16(w, (uint16_t)v); }
static inline void slp__w_f32(slp__writer* w, float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  slp__w_u32(w, bits);
}
static inline void slp__w_text16(slp__writer* w, const char* s) {
  int i, ended = 0;
  for (i = 0; i < 16; ++i) {
    if (!ended && s[i] == '\0') ended = 1;
    slp__w_u8(w, ended ? (uint8_t)0 : (uint8_t)s[i]);
  }
}
static inline void slp__w_header(slp__writer* w, uint8_t type, uint16_t seq, uint32_t t_dev_us) {
  slp__w_u8(w, (uint8_t)SLP_PROTOCOL_VERSION);
  slp__w_u8(w, type);
  slp__w_u16(w, seq);
  slp__w_u32(w, t_dev_us);
}

/* Appends the CRC, closes COBS, appends the delimiter. Returns the frame length or 0. */
static inline size_t slp__w_finish(slp__writer* w) {
  uint32_t crc = w->crc ^ 0xFFFFFFFFu;
  int i;
  for (i = 0; i < 4; ++i) slp__w_cobs(w, (uint8_t)((crc >> (8 * i)) & 0xFFu));
  if (w->overflow) return 0;
  if (w->block_open) w->out[w->code_pos] = w->code;
  if (w->len >= w->cap) return 0;
  w->out[w->len++] = 0x00u;
  return w->len;
}

/* ---- Encoders --------------------------------------------------------------------------- */

static inline uint8_t slp_channel_count(uint8_t channels) {
  return (uint8_t)(((channels & SLP_CH_ACC) ? 1 : 0) + ((channels & SLP_CH_GYR) ? 1 : 0) +
                   ((channels & SLP_CH_MAG) ? 1 : 0));
}

/* Payload bytes of an IMU_BATCH with these channels and count. */
static inline size_t slp_batch_payload_bytes(uint8_t channels, uint8_t count) {
  size_t per_sample = 6u * slp_channel_count(channels);
  return SLP_BATCH_FIXED_PAYLOAD + 4u * slp_channel_count(channels) + per_sample * count;
}

/* Largest batch that fits in one frame (82 samples of acc+gyr, 55 of acc+gyr+mag). */
static inline uint8_t slp_max_batch_samples(uint8_t channels) {
  size_t per_sample = 6u * slp_channel_count(channels);
  size_t room = SLP_MAX_PAYLOAD_BYTES - SLP_BATCH_FIXED_PAYLOAD - 4u * slp_channel_count(channels);
  size_t n;
  if (per_sample == 0) return 0;
  n = room / per_sample;
  return (uint8_t)(n > 255u ? 255u : n);
}

/* Any frame from an already-built payload (max SLP_MAX_PAYLOAD_BYTES). */
static inline size_t slp_encode_frame(uint8_t* out, size_t cap, uint8_t type, uint16_t seq,
                                      uint32_t t_dev_us, const uint8_t* payload, size_t n) {
  slp__writer w;
  size_t i;
  if (n > SLP_MAX_PAYLOAD_BYTES) return 0;
  slp__w_init(&w, out, cap);
  slp__w_header(&w, type, seq, t_dev_us);
  for (i = 0; i < n; ++i) slp__w_u8(&w, payload[i]);
  return slp__w_finish(&w);
}

/* t_dev_us: device time when the frame was built. */
static inline size_t slp_encode_device_info(uint8_t* out, size_t cap, uint16_t seq,
                                            uint32_t t_dev_us, const slp_device_info* m) {
  slp__writer w;
  slp__w_init(&w, out, cap);
  slp__w_header(&w, SLP_TYPE_DEVICE_INFO, seq, t_dev_us);
  slp__w_u8(&w, (uint8_t)SLP_PROTOCOL_VERSION);
  slp__w_u8(&w, m->flags);
  slp__w_text16(&w, m->model);
  slp__w_text16(&w, m->device_id);
  slp__w_text16(&w, m->firmware);
  slp__w_u32(&w, m->sample_rate_mhz);
  slp__w_u8(&w, m->channels);
  slp__w_u8(&w, m->placement);
  slp__w_u16(&w, m->acc_fs_g);
  slp__w_u16(&w, m->gyr_fs_dps);
  slp__w_u16(&w, m->mag_fs_ut);
  slp__w_f32(&w, m->acc_scale);
  slp__w_f32(&w, m->gyr_scale);
  slp__w_f32(&w, m->mag_scale);
  return slp__w_finish(&w);
}

/* t_first_us: device time of the batch's first sample (goes into the header). */
static inline size_t slp_encode_imu_batch(uint8_t* out, size_t cap, uint16_t seq,
                                          uint32_t t_first_us, const slp_imu_batch* m) {
  slp__writer w;
  size_t i, values;
  if (m->channels == 0 || (m->channels & ~SLP_CH_ALL) != 0) return 0;
  if (m->count == 0 || m->count > slp_max_batch_samples(m->channels)) return 0;
  slp__w_init(&w, out, cap);
  slp__w_header(&w, SLP_TYPE_IMU_BATCH, seq, t_first_us);
  slp__w_u8(&w, m->channels);
  slp__w_u8(&w, m->count);
  slp__w_u32(&w, m->first_index);
  slp__w_u32(&w, m->period_ns);
  if (m->channels & SLP_CH_ACC) slp__w_f32(&w, m->acc_scale);
  if (m->channels & SLP_CH_GYR) slp__w_f32(&w, m->gyr_scale);
  if (m->channels & SLP_CH_MAG) slp__w_f32(&w, m->mag_scale);
  values = (size_t)m->count * 3u * slp_channel_count(m->channels);
  for (i = 0; i < values && !w.overflow; ++i) slp__w_i16(&w, m->samples[i]);
  return slp__w_finish(&w);
}

static inline size_t slp_encode_status(uint8_t* out, size_t cap, uint16_t seq,
                                       uint32_t t_dev_us, const slp_status* m) {
  slp__writer w;
  slp__w_init(&w, out, cap);
  slp__w_header(&w, SLP_TYPE_STATUS, seq, t_dev_us);
  slp__w_u16(&w, m->battery_mv);
  slp__w_u8(&w, m->battery_pct);
  slp__w_u8(&w, m->flags);
  slp__w_i16(&w, m->temperature_cdeg);
  slp__w_u32(&w, m->dropped_samples);
  return slp__w_finish(&w);
}

/* Host side: seq is the host's own frame counter; t_dev_us is the host's clock (or 0). */
static inline size_t slp_encode_command(uint8_t* out, size_t cap, uint16_t seq,
                                        uint32_t t_dev_us, const slp_command* m) {
  slp__writer w;
  slp__w_init(&w, out, cap);
  slp__w_header(&w, SLP_TYPE_COMMAND, seq, t_dev_us);
  slp__w_u8(&w, m->opcode);
  slp__w_u32(&w, m->arg);
  return slp__w_finish(&w);
}

static inline size_t slp_encode_ack(uint8_t* out, size_t cap, uint16_t seq, uint32_t t_dev_us,
                                    const slp_ack* m) {
  slp__writer w;
  slp__w_init(&w, out, cap);
  slp__w_header(&w, SLP_TYPE_ACK, seq, t_dev_us);
  slp__w_u16(&w, m->acked_seq);
  slp__w_u8(&w, m->opcode);
  slp__w_u8(&w, m->result);
  slp__w_u32(&w, m->value);
  return slp__w_finish(&w);
}

/* ---- Receiving (firmware side: commands from the host) ------------------------------------- */

/* COBS-decodes one frame (without its 0x00 delimiter). Returns the decoded length, or 0 if
 * the input is not valid COBS or does not fit in cap. */
static inline size_t slp_cobs_decode(const uint8_t* in, size_t n, uint8_t* out, size_t cap) {
  size_t i = 0, len = 0, k;
  while (i < n) {
    uint8_t code = in[i++];
    if (code == 0 || (size_t)(code - 1) > n - i || (size_t)(code - 1) > cap - len) return 0;
    for (k = 1; k < code; ++k) {
      if (in[i] == 0) return 0;
      out[len++] = in[i++];
    }
    if (code != 0xFFu && i < n) {
      if (len >= cap) return 0;
      out[len++] = 0;
    }
  }
  return len;
}

static inline uint16_t slp__rd_u16(const uint8_t* p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t slp__rd_u32(const uint8_t* p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Checks a decoded frame's length, version and CRC. Returns 1 if it is intact. */
static inline int slp_frame_intact(const uint8_t* frame, size_t n) {
  if (n < SLP_HEADER_BYTES + SLP_CRC_BYTES || n > SLP_MAX_FRAME_BYTES) return 0;
  if (frame[0] != SLP_PROTOCOL_VERSION) return 0;
  return slp_crc32c(frame, n - SLP_CRC_BYTES) == slp__rd_u32(frame + n - SLP_CRC_BYTES);
}

/* Parses a decoded COMMAND frame. Returns 1 on success (seq and command filled), else 0. */
static inline int slp_parse_command(const uint8_t* frame, size_t n, uint16_t* seq,
                                    slp_command* cmd) {
  if (n != SLP_HEADER_BYTES + SLP_COMMAND_PAYLOAD + SLP_CRC_BYTES) return 0;
  if (!slp_frame_intact(frame, n) || frame[1] != SLP_TYPE_COMMAND) return 0;
  *seq = slp__rd_u16(frame + 2);
  cmd->opcode = frame[8];
  cmd->arg = slp__rd_u32(frame + 9);
  return 1;
}

/* Byte-at-a-time receiver with a fixed buffer, for the device's input. Frames longer than
 * SLP_RX_CAPACITY encoded bytes are dropped (commands are 19 bytes on the wire). */
#ifndef SLP_RX_CAPACITY
#define SLP_RX_CAPACITY 64u
#endif
typedef struct {
  uint8_t buf[SLP_RX_CAPACITY];
  size_t len;
  uint8_t overflow;
} slp_receiver;

static inline void slp_receiver_init(slp_receiver* r) {
  r->len = 0;
  r->overflow = 0;
}

/* Feeds one byte. When it completes a frame, decodes it into frame (cap bytes) and returns the
 * decoded length; otherwise (or for a broken frame) returns 0. */
static inline size_t slp_receiver_push(slp_receiver* r, uint8_t byte, uint8_t* frame,
                                       size_t cap) {
  size_t n;
  if (byte != 0) {
    if (r->len < SLP_RX_CAPACITY)
      r->buf[r->len++] = byte;
    else
      r->overflow = 1;
    return 0;
  }
  n = (r->overflow || r->len == 0) ? 0 : slp_cobs_decode(r->buf, r->len, frame, cap);
  slp_receiver_init(r);
  return n;
}

#ifdef __cplusplus
}
#endif

#endif /* STRIDELAB_PROTO_H */
