/*
 * Writes test_vectors/vectors.json from the C encoder: every case of vector_cases.h as wire
 * hex, per-frame hex, and the decoded content a decoder must produce. Run once; the output is
 * committed and checked by the C encoder test and the C++ decoder test.
 *
 *   gen_test_vectors > firmware_protocol/test_vectors/vectors.json
 */
#include <stdio.h>

#include "vector_cases.h"

static const char* mutation_name(int m) {
  switch (m) {
    case VC_OK: return "ok";
    case VC_BAD_CRC: return "bad_crc";
    case VC_TRUNCATE_MID: return "truncated_mid";
    case VC_NO_DELIMITER: return "no_delimiter";
    case VC_OVERSIZE: return "oversize";
    case VC_SWALLOWED: return "swallowed";
    default: return "?";
  }
}

static void print_text16(const char* key, const char* s) {
  int i;
  printf("\"%s\": \"", key);
  for (i = 0; i < 16 && s[i] != '\0'; ++i) putchar(s[i]);
  printf("\"");
}

static void print_message(const vc_item* it) {
  int i, j, per;
  printf("        {\"seq\": %u, \"t_dev_us\": %lu, ", (unsigned)it->seq, (unsigned long)it->t_dev_us);
  switch (it->type) {
    case SLP_TYPE_DEVICE_INFO:
      printf("\"type\": \"device_info\", \"protocol_version\": %u, \"flags\": %u, ",
             SLP_PROTOCOL_VERSION, (unsigned)it->info.flags);
      print_text16("model", it->info.model);
      printf(", ");
      print_text16("device_id", it->info.device_id);
      printf(", ");
      print_text16("firmware", it->info.firmware);
      printf(", \"sample_rate_mhz\": %lu, \"channels\": %u, \"placement\": %u, "
             "\"acc_fs_g\": %u, \"gyr_fs_dps\": %u, \"mag_fs_ut\": %u, \"acc_scale\": %.9g, "
             "\"gyr_scale\": %.9g, \"mag_scale\": %.9g}",
             (unsigned long)it->info.sample_rate_mhz, (unsigned)it->info.channels,
             (unsigned)it->info.placement, (unsigned)it->info.acc_fs_g,
             (unsigned)it->info.gyr_fs_dps, (unsigned)it->info.mag_fs_ut,
             (double)it->info.acc_scale, (double)it->info.gyr_scale, (double)it->info.mag_scale);
      break;
    case SLP_TYPE_IMU_BATCH:
      per = 3 * slp_channel_count(it->batch.channels);
      printf("\"type\": \"imu_batch\", \"channels\": %u, \"count\": %u, \"first_index\": %lu, "
             "\"period_ns\": %lu, \"acc_scale\": %.9g, \"gyr_scale\": %.9g, \"mag_scale\": %.9g, "
             "\"samples\": [",
             (unsigned)it->batch.channels, (unsigned)it->batch.count,
             (unsigned long)it->batch.first_index, (unsigned long)it->batch.period_ns,
             (double)((it->batch.channels & SLP_CH_ACC) ? it->batch.acc_scale : 0.0f),
             (double)((it->batch.channels & SLP_CH_GYR) ? it->batch.gyr_scale : 0.0f),
             (double)((it->batch.channels & SLP_CH_MAG) ? it->batch.mag_scale : 0.0f));
      for (i = 0; i < it->batch.count; ++i) {
        printf("%s[", i ? ", " : "");
        for (j = 0; j < per; ++j) printf("%s%d", j ? ", " : "", it->batch.samples[i * per + j]);
        printf("]");
      }
      printf("]}");
      break;
    case SLP_TYPE_STATUS:
      printf("\"type\": \"status\", \"battery_mv\": %u, \"battery_pct\": %u, \"flags\": %u, "
             "\"temperature_cdeg\": %d, \"dropped_samples\": %lu}",
             (unsigned)it->status.battery_mv, (unsigned)it->status.battery_pct,
             (unsigned)it->status.flags, (int)it->status.temperature_cdeg,
             (unsigned long)it->status.dropped_samples);
      break;
    case SLP_TYPE_COMMAND:
      printf("\"type\": \"command\", \"opcode\": %u, \"arg\": %lu}", (unsigned)it->command.opcode,
             (unsigned long)it->command.arg);
      break;
    case SLP_TYPE_ACK:
      printf("\"type\": \"ack\", \"acked_seq\": %u, \"opcode\": %u, \"result\": %u, "
             "\"value\": %lu}",
             (unsigned)it->ack.acked_seq, (unsigned)it->ack.opcode, (unsigned)it->ack.result,
             (unsigned long)it->ack.value);
      break;
    default: printf("}"); break;
  }
}

int main(void) {
  static uint8_t wire[16384];
  static char hex[2 * sizeof wire + 1];
  int n_cases = vc_make_cases(), ci, ii, first;
  printf("{\n  \"protocol_version\": %u,\n", SLP_PROTOCOL_VERSION);
  printf("  \"generator\": \"firmware_protocol/tools/gen_test_vectors.c (C encoder "
         "stridelab_proto.h)\",\n");
  printf("  \"note\": \"wire_hex is the byte stream (frames with their 0x00 delimiters); "
         "expect.messages lists what a decoder must output, in order\",\n");
  printf("  \"vectors\": [\n");
  for (ci = 0; ci < n_cases; ++ci) {
    const vc_case* c = &vc_cases[ci];
    size_t len = vc_encode_case(c, wire, sizeof wire);
    int frames_ok = 0;
    if (len == 0) {
      fprintf(stderr, "case %s failed to encode\n", c->name);
      return 1;
    }
    vc_hex(wire, len, hex);
    printf("    {\n      \"name\": \"%s\",\n      \"description\": \"%s\",\n", c->name,
           c->description);
    printf("      \"wire_hex\": \"%s\",\n      \"frames\": [\n", hex);
    for (ii = 0; ii < c->n_items; ++ii) {
      const vc_item* it = &c->items[ii];
      size_t n = vc_encode_item(it, wire, sizeof wire);
      vc_hex(wire, n, hex);
      printf("        {\"kind\": \"%s\", \"bytes\": %lu, \"hex\": \"%s\"}%s\n",
             it->kind == VC_RAW ? "raw" : mutation_name(it->mutation), (unsigned long)n, hex,
             ii + 1 < c->n_items ? "," : "");
      if (it->kind == VC_MSG && it->mutation == VC_OK) ++frames_ok;
    }
    printf("      ],\n      \"expect\": {\n");
    printf("        \"frames_ok\": %d, \"frames_rejected\": %d, ", frames_ok, c->frames_rejected);
    if (c->crc_failures >= 0) printf("\"crc_failures\": %d, ", c->crc_failures);
    printf("\"oversize_frames\": %d, \"truncated_frames\": %d, \"missing_frames\": %d, "
           "\"missing_samples\": %d,\n",
           c->oversize_frames, c->truncated_frames, c->missing_frames, c->missing_samples);
    printf("        \"messages\": [\n");
    first = 1;
    for (ii = 0; ii < c->n_items; ++ii) {
      const vc_item* it = &c->items[ii];
      if (it->kind != VC_MSG || it->mutation != VC_OK) continue;
      if (!first) printf(",\n");
      first = 0;
      print_message(it);
    }
    printf("\n        ]\n      }\n    }%s\n", ci + 1 < n_cases ? "," : "");
  }
  printf("  ]\n}\n");
  return 0;
}
