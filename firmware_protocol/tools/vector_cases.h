/*
 * The test-vector cases, shared by the generator (tools/gen_test_vectors.c), which writes
 * test_vectors/vectors.json once, and by the C encoder test (tests/test_stridelab_proto.c),
 * which re-encodes every case and compares with the committed hex. C99, host only.
 */
#ifndef STRIDELAB_VECTOR_CASES_H
#define STRIDELAB_VECTOR_CASES_H

#include <stdio.h>
#include <string.h>

#include "stridelab_proto.h"

enum vc_kind { VC_MSG, VC_RAW };
enum vc_mutation {
  VC_OK,           /* frame as encoded */
  VC_BAD_CRC,      /* lowest CRC bit flipped before COBS: valid COBS, wrong CRC */
  VC_TRUNCATE_MID, /* last 5 encoded bytes removed, delimiter kept */
  VC_NO_DELIMITER, /* first half of the encoded frame only, at the end of the stream */
  VC_OVERSIZE,     /* 1025-byte frame with a correct CRC (one byte over the maximum) */
  VC_SWALLOWED     /* encoded normally, but lost inside the preceding over-long run */
};

#define VC_MAX_ITEMS 5
#define VC_MAX_VALUES (55 * 9)

typedef struct {
  int kind;     /* enum vc_kind */
  int mutation; /* enum vc_mutation */
  uint8_t type;
  uint16_t seq;
  uint32_t t_dev_us;
  slp_device_info info;
  slp_imu_batch batch;
  int16_t values[VC_MAX_VALUES]; /* batch.samples points here */
  slp_status status;
  slp_command command;
  slp_ack ack;
  uint8_t raw_byte; /* VC_RAW: raw_len copies of raw_byte */
  size_t raw_len;
} vc_item;

typedef struct {
  const char* name;
  const char* description;
  vc_item items[VC_MAX_ITEMS];
  int n_items;
  /* What a decoder must report after the whole wire (and end of input). */
  int frames_rejected; /* CRC + COBS + format + oversize failures */
  int crc_failures;    /* -1 = not pinned down (depends on where a cut lands) */
  int oversize_frames;
  int truncated_frames;
  int missing_frames;
  int missing_samples;
} vc_case;

#define VC_MAX_CASES 20

static const float vc_acc_scale_16g = (float)(16.0 * 9.80665 / 32768.0);
static const float vc_gyr_scale_2000dps = (float)(2000.0 * 3.14159265358979323846 / 180.0 / 32768.0);
static const float vc_mag_scale = 0.15f;

static vc_case vc_cases[VC_MAX_CASES];

static vc_item* vc_add(vc_case* c, uint8_t type, uint16_t seq, uint32_t t_dev_us) {
  vc_item* it = &c->items[c->n_items++];
  memset(it, 0, sizeof *it);
  it->kind = VC_MSG;
  it->mutation = VC_OK;
  it->type = type;
  it->seq = seq;
  it->t_dev_us = t_dev_us;
  it->batch.samples = it->values;
  return it;
}

/* A 200 Hz acc+gyr batch whose values follow a simple deterministic pattern. */
static vc_item* vc_add_batch(vc_case* c, uint16_t seq, uint32_t t_first, uint32_t first_index,
                             uint8_t count) {
  vc_item* it = vc_add(c, SLP_TYPE_IMU_BATCH, seq, t_first);
  int i;
  it->batch.channels = SLP_CH_ACC | SLP_CH_GYR;
  it->batch.count = count;
  it->batch.first_index = first_index;
  it->batch.period_ns = 5000000u;
  it->batch.acc_scale = vc_acc_scale_16g;
  it->batch.gyr_scale = vc_gyr_scale_2000dps;
  for (i = 0; i < count * 6; ++i)
    it->values[i] = (int16_t)((int)((first_index * 6u + (uint32_t)i) * 37u % 4001u) - 2000);
  return it;
}

static void vc_device_info(slp_device_info* d, uint8_t flags) {
  memset(d, 0, sizeof *d);
  d->flags = flags;
  strncpy(d->model, "stridelab-ref", sizeof d->model);
  strncpy(d->device_id, "SL-000042", sizeof d->device_id);
  strncpy(d->firmware, "1.0.0", sizeof d->firmware);
  d->sample_rate_mhz = 200000u;
  d->channels = SLP_CH_ACC | SLP_CH_GYR;
  d->placement = SLP_PLACEMENT_PELVIS;
  d->acc_fs_g = 16;
  d->gyr_fs_dps = 2000;
  d->mag_fs_ut = 0;
  d->acc_scale = vc_acc_scale_16g;
  d->gyr_scale = vc_gyr_scale_2000dps;
  d->mag_scale = 0.0f;
}

static vc_case* vc_new(int* n, const char* name, const char* description) {
  vc_case* c = &vc_cases[(*n)++];
  memset(c, 0, sizeof *c);
  c->name = name;
  c->description = description;
  return c;
}

/* Fills vc_cases; returns how many. */
static int vc_make_cases(void) {
  int n = 0, i;
  vc_case* c;
  vc_item* it;

  c = vc_new(&n, "worked_example_imu_batch",
             "SPEC.md worked example: one acc+gyr sample, acc (0,0,2048) = +1 g on z, gyr "
             "(0,0,256) = 15.625 deg/s on z, seq 1, t = 1 s");
  it = vc_add(c, SLP_TYPE_IMU_BATCH, 1, 1000000u);
  it->batch.channels = SLP_CH_ACC | SLP_CH_GYR;
  it->batch.count = 1;
  it->batch.first_index = 0;
  it->batch.period_ns = 5000000u;
  it->batch.acc_scale = vc_acc_scale_16g;
  it->batch.gyr_scale = vc_gyr_scale_2000dps;
  it->values[2] = 2048;
  it->values[5] = 256;

  c = vc_new(&n, "device_info_boot",
             "DEVICE_INFO sent at boot (flag 0x01): NUL-padded strings give many 0x00 bytes");
  it = vc_add(c, SLP_TYPE_DEVICE_INFO, 0, 1500u);
  vc_device_info(&it->info, SLP_INFO_BOOT);

  c = vc_new(&n, "device_info_full_strings",
             "DEVICE_INFO with 16-character strings (no terminating NUL on the wire) and mag");
  it = vc_add(c, SLP_TYPE_DEVICE_INFO, 513, 123456789u);
  vc_device_info(&it->info, 0);
  memcpy(it->info.model, "ABCDEFGHIJKLMNOP", 16);
  memcpy(it->info.device_id, "0123456789abcdef", 16);
  memcpy(it->info.firmware, "fw-2.10.3-rc1+gx", 16);
  it->info.channels = SLP_CH_ALL;
  it->info.placement = SLP_PLACEMENT_UPPER_TRUNK;
  it->info.sample_rate_mhz = 104000u;
  it->info.mag_fs_ut = 4900;
  it->info.mag_scale = vc_mag_scale;

  c = vc_new(&n, "imu_batch_max_size",
             "largest frame: 55 acc+gyr+mag samples = exactly 1024 decoded bytes; sample bytes "
             "are all non-zero so COBS emits full 254-byte blocks (code 0xFF)");
  it = vc_add(c, SLP_TYPE_IMU_BATCH, 0x1234, 0x01020304u);
  it->batch.channels = SLP_CH_ALL;
  it->batch.count = 55;
  it->batch.first_index = 0x11223344u;
  it->batch.period_ns = 1000000u;
  it->batch.acc_scale = vc_acc_scale_16g;
  it->batch.gyr_scale = vc_gyr_scale_2000dps;
  it->batch.mag_scale = vc_mag_scale;
  for (i = 0; i < 55 * 9; ++i) {
    /* both bytes in 0x01..0xFF: low byte 1 + i % 255, high byte 0x81 + i % 120 */
    uint16_t v = (uint16_t)((1 + i % 255) | ((0x81 + i % 120) << 8));
    it->values[i] = (int16_t)v;
  }

  c = vc_new(&n, "imu_batch_zeros",
             "20 acc+gyr samples of all-zero raw values: a payload made mostly of 0x00 bytes");
  it = vc_add(c, SLP_TYPE_IMU_BATCH, 7, 2000000u);
  it->batch.channels = SLP_CH_ACC | SLP_CH_GYR;
  it->batch.count = 20;
  it->batch.first_index = 100;
  it->batch.period_ns = 5000000u;
  it->batch.acc_scale = vc_acc_scale_16g;
  it->batch.gyr_scale = vc_gyr_scale_2000dps;

  c = vc_new(&n, "imu_batch_acc_only_extremes",
             "acc-only batch with raw values -32768, -1, 0, 1, 32767 (sign handling)");
  it = vc_add(c, SLP_TYPE_IMU_BATCH, 8, 3000000u);
  it->batch.channels = SLP_CH_ACC;
  it->batch.count = 2;
  it->batch.first_index = 5;
  it->batch.period_ns = 9615385u; /* 104 Hz */
  it->batch.acc_scale = vc_acc_scale_16g;
  it->values[0] = -32768;
  it->values[1] = -1;
  it->values[2] = 0;
  it->values[3] = 1;
  it->values[4] = 32767;
  it->values[5] = -2048;

  c = vc_new(&n, "status", "STATUS: 3.912 V, 87 %, streaming + charging, 31.25 degC, 12 dropped");
  it = vc_add(c, SLP_TYPE_STATUS, 300, 60000000u);
  it->status.battery_mv = 3912;
  it->status.battery_pct = 87;
  it->status.flags = SLP_STATUS_STREAMING | SLP_STATUS_CHARGING;
  it->status.temperature_cdeg = 3125;
  it->status.dropped_samples = 12;

  c = vc_new(&n, "status_unknowns", "STATUS with unknown battery and temperature, negative range");
  it = vc_add(c, SLP_TYPE_STATUS, 301, 60500000u);
  it->status.battery_pct = SLP_BATTERY_PCT_UNKNOWN;
  it->status.temperature_cdeg = SLP_TEMPERATURE_UNKNOWN;
  it->status.flags = SLP_STATUS_LOW_BATTERY | SLP_STATUS_FIFO_OVERFLOW;

  c = vc_new(&n, "commands", "host commands START, SET_RATE 200 Hz, REQUEST_INFO, STOP");
  it = vc_add(c, SLP_TYPE_COMMAND, 1, 0);
  it->command.opcode = SLP_CMD_START;
  it = vc_add(c, SLP_TYPE_COMMAND, 2, 0);
  it->command.opcode = SLP_CMD_SET_RATE;
  it->command.arg = 200000u;
  it = vc_add(c, SLP_TYPE_COMMAND, 3, 0);
  it->command.opcode = SLP_CMD_REQUEST_INFO;
  it = vc_add(c, SLP_TYPE_COMMAND, 4, 0);
  it->command.opcode = SLP_CMD_STOP;

  c = vc_new(&n, "acks", "ACK of SET_RATE (ok, 200 Hz in effect) and of an unknown command");
  it = vc_add(c, SLP_TYPE_ACK, 40, 7000000u);
  it->ack.acked_seq = 2;
  it->ack.opcode = SLP_CMD_SET_RATE;
  it->ack.result = SLP_ACK_OK;
  it->ack.value = 200000u;
  it = vc_add(c, SLP_TYPE_ACK, 41, 7000100u);
  it->ack.acked_seq = 5;
  it->ack.opcode = 0x7F;
  it->ack.result = SLP_ACK_UNKNOWN_COMMAND;

  c = vc_new(&n, "seq_and_time_wrap",
             "seq 65534, 65535, 0 and device time crossing 2^32 us: no frames or samples missing, "
             "time unwraps to 4294960000, 4294980000, 4295000000 us");
  vc_add_batch(c, 65534, 4294960000u, 1000, 4);
  vc_add_batch(c, 65535, (uint32_t)(4294960000u + 20000u), 1004, 4);
  vc_add_batch(c, 0, (uint32_t)(4294960000u + 40000u), 1008, 4);

  c = vc_new(&n, "seq_gap", "seq 10, 11, 14: 2 frames (8 samples) missing before seq 14");
  vc_add_batch(c, 10, 100000u, 0, 4);
  vc_add_batch(c, 11, 120000u, 4, 4);
  vc_add_batch(c, 14, 180000u, 16, 4);
  c->missing_frames = 2;
  c->missing_samples = 8;

  c = vc_new(&n, "bad_crc",
             "three batches; the middle one has its CRC's lowest bit flipped: it must be rejected "
             "and counted as 1 missing frame / 4 missing samples");
  vc_add_batch(c, 20, 200000u, 40, 4);
  it = vc_add_batch(c, 21, 220000u, 44, 4);
  it->mutation = VC_BAD_CRC;
  vc_add_batch(c, 22, 240000u, 48, 4);
  c->frames_rejected = 1;
  c->crc_failures = 1;
  c->missing_frames = 1;
  c->missing_samples = 4;

  c = vc_new(&n, "truncated_mid_stream",
             "the middle frame lost its last 5 encoded bytes (delimiter kept): rejected");
  vc_add_batch(c, 30, 300000u, 60, 4);
  it = vc_add_batch(c, 31, 320000u, 64, 4);
  it->mutation = VC_TRUNCATE_MID;
  vc_add_batch(c, 32, 340000u, 68, 4);
  c->frames_rejected = 1;
  c->crc_failures = -1;
  c->missing_frames = 1;
  c->missing_samples = 4;

  c = vc_new(&n, "truncated_at_end",
             "a good frame, then the first half of a frame with no delimiter: at end of input the "
             "decoder reports 1 truncated frame");
  vc_add_batch(c, 50, 500000u, 100, 4);
  it = vc_add_batch(c, 51, 520000u, 104, 4);
  it->mutation = VC_NO_DELIMITER;
  c->truncated_frames = 1;

  c = vc_new(&n, "oversize_frame",
             "a good frame, then a 1025-byte frame with a correct CRC (one byte over the "
             "maximum): rejected as oversize and counted as 1 missing frame; the next decodes");
  vc_add_batch(c, 59, 590000u, 116, 4);
  it = vc_add(c, SLP_TYPE_STATUS, 60, 0);
  it->mutation = VC_OVERSIZE;
  vc_add_batch(c, 61, 620000u, 120, 4);
  c->frames_rejected = 1;
  c->crc_failures = 0;
  c->oversize_frames = 1;
  c->missing_frames = 1;

  c = vc_new(&n, "garbage_run",
             "2000 bytes of 0xA5 with no delimiter, then batch seq 70, then seq 71: the garbage "
             "and seq 70 form one over-long run that is dropped with bounded memory (seq 70 is "
             "lost with it); seq 71 decodes");
  it = vc_add(c, 0, 0, 0);
  it->kind = VC_RAW;
  it->raw_byte = 0xA5;
  it->raw_len = 2000;
  it = vc_add_batch(c, 70, 700000u, 140, 4);
  it->mutation = VC_SWALLOWED;
  vc_add_batch(c, 71, 720000u, 144, 4);
  c->frames_rejected = 1;
  c->crc_failures = 0;
  c->oversize_frames = 1;

  c = vc_new(&n, "idle_delimiters",
             "extra 0x00 bytes before, between and after frames (a sender flushing the "
             "receiver): empty frames are ignored, not errors");
  it = vc_add(c, 0, 0, 0);
  it->kind = VC_RAW;
  it->raw_byte = 0x00;
  it->raw_len = 2;
  vc_add_batch(c, 80, 800000u, 160, 2);
  it = vc_add(c, 0, 0, 0);
  it->kind = VC_RAW;
  it->raw_byte = 0x00;
  it->raw_len = 3;
  vc_add_batch(c, 81, 810000u, 162, 2);

  return n;
}

/* Encodes one item as it appears on the wire (with its mutation). Returns bytes or 0. */
static size_t vc_encode_ok(const vc_item* it, uint8_t* out, size_t cap) {
  switch (it->type) {
    case SLP_TYPE_DEVICE_INFO: return slp_encode_device_info(out, cap, it->seq, it->t_dev_us, &it->info);
    case SLP_TYPE_IMU_BATCH: return slp_encode_imu_batch(out, cap, it->seq, it->t_dev_us, &it->batch);
    case SLP_TYPE_STATUS: return slp_encode_status(out, cap, it->seq, it->t_dev_us, &it->status);
    case SLP_TYPE_COMMAND: return slp_encode_command(out, cap, it->seq, it->t_dev_us, &it->command);
    case SLP_TYPE_ACK: return slp_encode_ack(out, cap, it->seq, it->t_dev_us, &it->ack);
    default: return 0;
  }
}

/* COBS only (no CRC added), plus delimiter: for frames the encoder would refuse to make. */
static size_t vc_cobs_frame(const uint8_t* raw, size_t n, uint8_t* out, size_t cap) {
  slp__writer w;
  size_t i;
  slp__w_init(&w, out, cap);
  for (i = 0; i < n; ++i) slp__w_cobs(&w, raw[i]);
  if (w.overflow) return 0;
  if (w.block_open) w.out[w.code_pos] = w.code;
  if (w.len >= cap) return 0;
  out[w.len++] = 0;
  return w.len;
}

static size_t vc_encode_item(const vc_item* it, uint8_t* out, size_t cap) {
  static uint8_t tmp[2 * SLP_MAX_WIRE_BYTES], raw[2 * SLP_MAX_WIRE_BYTES];
  size_t n, m, i;
  uint32_t crc;
  if (it->kind == VC_RAW) {
    if (it->raw_len > cap) return 0;
    memset(out, it->raw_byte, it->raw_len);
    return it->raw_len;
  }
  switch (it->mutation) {
    case VC_OK:
    case VC_SWALLOWED: return vc_encode_ok(it, out, cap);
    case VC_BAD_CRC:
      n = vc_encode_ok(it, tmp, sizeof tmp);
      m = n ? slp_cobs_decode(tmp, n - 1, raw, sizeof raw) : 0;
      if (m == 0) return 0;
      raw[m - 4] ^= 0x01u; /* lowest bit of the CRC's first (least significant) byte */
      return vc_cobs_frame(raw, m, out, cap);
    case VC_TRUNCATE_MID:
      n = vc_encode_ok(it, out, cap);
      if (n < 7) return 0;
      out[n - 6] = 0x00u; /* drop 5 bytes: the delimiter moves up */
      return n - 5;
    case VC_NO_DELIMITER:
      n = vc_encode_ok(it, out, cap);
      return n / 2;
    case VC_OVERSIZE:
      m = SLP_MAX_FRAME_BYTES + 1u;
      raw[0] = (uint8_t)SLP_PROTOCOL_VERSION;
      raw[1] = it->type;
      raw[2] = (uint8_t)(it->seq & 0xFFu);
      raw[3] = (uint8_t)(it->seq >> 8);
      for (i = 0; i < 4; ++i) raw[4 + i] = (uint8_t)(it->t_dev_us >> (8 * i));
      for (i = SLP_HEADER_BYTES; i < m - 4; ++i) raw[i] = (uint8_t)(i * 7u + 3u);
      crc = slp_crc32c(raw, m - 4);
      for (i = 0; i < 4; ++i) raw[m - 4 + i] = (uint8_t)(crc >> (8 * i));
      return vc_cobs_frame(raw, m, out, cap);
    default: return 0;
  }
}

/* The whole wire stream of a case. Returns bytes or 0. */
static size_t vc_encode_case(const vc_case* c, uint8_t* out, size_t cap) {
  size_t len = 0, n;
  int i;
  for (i = 0; i < c->n_items; ++i) {
    n = vc_encode_item(&c->items[i], out + len, cap - len);
    if (n == 0) return 0;
    len += n;
  }
  return len;
}

static void vc_hex(const uint8_t* p, size_t n, char* out) {
  static const char digits[] = "0123456789abcdef";
  size_t i;
  for (i = 0; i < n; ++i) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 0x0Fu];
  }
  out[2 * n] = '\0';
}

#endif /* STRIDELAB_VECTOR_CASES_H */
