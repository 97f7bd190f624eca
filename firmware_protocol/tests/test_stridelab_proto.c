/*
 * C99 test of stridelab_proto.h: CRC check values, COBS examples from PROTOCOLS.md, the
 * encoder against the committed test vectors, buffer-size handling and the command receiver.
 *
 *   test_stridelab_proto <path to test_vectors/vectors.json>
 */
#include <stdio.h>
#include <stdlib.h>

#include "../tools/vector_cases.h"

static int failures = 0;

#define CHECK(cond)                                                       \
  do {                                                                    \
    if (!(cond)) {                                                        \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                         \
    }                                                                     \
  } while (0)

static int bytes_equal(const uint8_t* a, size_t na, const uint8_t* b, size_t nb) {
  return na == nb && memcmp(a, b, na) == 0;
}

static void test_crc_check_values(void) {
  const uint8_t check[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  uint32_t state;
  CHECK(slp_crc16_ccitt_false(check, 9) == 0x29B1u);
  CHECK(slp_crc32c(check, 9) == 0xE3069283u);
  state = slp_crc32c_update(0xFFFFFFFFu, check, 4);
  state = slp_crc32c_update(state, check + 4, 5);
  CHECK((state ^ 0xFFFFFFFFu) == 0xE3069283u);
  CHECK(slp_crc32c(check, 0) == 0x00000000u);
}

static void check_cobs(const uint8_t* in, size_t n, const uint8_t* expect, size_t n_expect) {
  uint8_t out[600], back[600];
  size_t len = vc_cobs_frame(in, n, out, sizeof out);
  CHECK(bytes_equal(out, len, expect, n_expect));
  CHECK(len > 0 && slp_cobs_decode(out, len - 1, back, sizeof back) == n);
  CHECK(memcmp(back, in, n) == 0);
}

/* PROTOCOLS.md section 4, COBS examples (delimiter shown as trailing 00). */
static void test_cobs_examples(void) {
  static const uint8_t a[] = {0x00}, ea[] = {0x01, 0x01, 0x00};
  static const uint8_t b[] = {0x00, 0x11, 0x00}, eb[] = {0x01, 0x02, 0x11, 0x01, 0x00};
  static const uint8_t c[] = {0x11, 0x22, 0x00, 0x33}, ec[] = {0x03, 0x11, 0x22, 0x02, 0x33, 0x00};
  static const uint8_t d[] = {0x11, 0x00, 0x22, 0x00}, ed[] = {0x02, 0x11, 0x02, 0x22, 0x01, 0x00};
  uint8_t run[255], expect[300], enc[300], back[300];
  size_t i;
  check_cobs(a, sizeof a, ea, sizeof ea);
  check_cobs(b, sizeof b, eb, sizeof eb);
  check_cobs(c, sizeof c, ec, sizeof ec);
  check_cobs(d, sizeof d, ed, sizeof ed);
  /* 254 non-zero bytes: one 0xFF block and no trailing 0x01 block. */
  for (i = 0; i < 255; ++i) run[i] = (uint8_t)(1 + i % 255);
  expect[0] = 0xFF;
  memcpy(expect + 1, run, 254);
  expect[255] = 0x00;
  check_cobs(run, 254, expect, 256);
  /* 255 non-zero bytes: 0xFF block then a 2-code block with the last byte. */
  expect[255] = 0x02;
  expect[256] = run[254];
  expect[257] = 0x00;
  check_cobs(run, 255, expect, 258);
  /* The decoder also accepts the variant with a trailing empty block (FF ... 01). */
  memcpy(enc, expect, 255);
  enc[255] = 0x01;
  CHECK(slp_cobs_decode(enc, 256, back, sizeof back) == 254);
  /* Invalid COBS: a code that points past the end; a 0x00 inside. */
  enc[0] = 0x05;
  enc[1] = 0x11;
  CHECK(slp_cobs_decode(enc, 2, back, sizeof back) == 0);
  enc[0] = 0x03;
  enc[1] = 0x00;
  enc[2] = 0x11;
  CHECK(slp_cobs_decode(enc, 3, back, sizeof back) == 0);
}

/* PROTOCOLS.md section 4 worked example: proposal frame with CRC-16/CCITT-FALSE = 0x6E56. */
static void test_protocols_md_worked_example(void) {
  static const uint8_t body[] = {0x01, 0x01, 0x00, 0x40, 0x42, 0x0F, 0x00, 0x00, 0x00, 0x00,
                                 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
  static const uint8_t wire[] = {0x03, 0x01, 0x01, 0x04, 0x40, 0x42, 0x0F, 0x01,
                                 0x01, 0x01, 0x01, 0x01, 0x02, 0x08, 0x01, 0x01,
                                 0x01, 0x01, 0x04, 0x01, 0x56, 0x6E, 0x00};
  uint8_t raw[32], out[40];
  uint16_t crc = slp_crc16_ccitt_false(body, sizeof body);
  CHECK(crc == 0x6E56u);
  memcpy(raw, body, sizeof body);
  raw[sizeof body] = (uint8_t)(crc & 0xFFu);
  raw[sizeof body + 1] = (uint8_t)(crc >> 8);
  CHECK(bytes_equal(out, vc_cobs_frame(raw, sizeof body + 2, out, sizeof out), wire, sizeof wire));
}

static char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  long n;
  char* s;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  s = (char*)malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
    free(s);
    s = NULL;
  }
  if (s) s[n] = '\0';
  fclose(f);
  return s;
}

/* Finds "wire_hex" of the vector with this name in the JSON text (simple scan). */
static const char* find_wire_hex(const char* json, const char* name, size_t* len) {
  char key[128];
  const char *p, *q;
  snprintf(key, sizeof key, "\"name\": \"%s\"", name);
  p = strstr(json, key);
  if (!p) return NULL;
  p = strstr(p, "\"wire_hex\": \"");
  if (!p) return NULL;
  p += strlen("\"wire_hex\": \"");
  q = strchr(p, '"');
  if (!q) return NULL;
  *len = (size_t)(q - p);
  return p;
}

static void test_vectors(const char* json) {
  static uint8_t wire[16384];
  static char hex[2 * sizeof wire + 1];
  int n_cases = vc_make_cases(), i, checked = 0;
  CHECK(n_cases >= 15);
  for (i = 0; i < n_cases; ++i) {
    size_t len = vc_encode_case(&vc_cases[i], wire, sizeof wire), hex_len = 0;
    const char* expect = find_wire_hex(json, vc_cases[i].name, &hex_len);
    CHECK(len > 0);
    CHECK(expect != NULL);
    if (!expect || len == 0) continue;
    vc_hex(wire, len, hex);
    if (hex_len != 2 * len || memcmp(hex, expect, hex_len) != 0) {
      fprintf(stderr, "vector %s: encoder output differs from vectors.json\n", vc_cases[i].name);
      ++failures;
    }
    ++checked;
  }
  printf("checked %d test vectors against the committed hex\n", checked);
}

/* Every valid frame: no 0x00 before the delimiter; exact-size buffer works, one byte less
 * gives 0 and nothing is written past the end. */
static void test_buffer_sizes(void) {
  static uint8_t out[SLP_MAX_WIRE_BYTES + 16];
  int n_cases = vc_make_cases(), ci, ii;
  size_t k, cap;
  for (ci = 0; ci < n_cases; ++ci) {
    for (ii = 0; ii < vc_cases[ci].n_items; ++ii) {
      const vc_item* it = &vc_cases[ci].items[ii];
      size_t len;
      if (it->kind != VC_MSG || it->mutation != VC_OK) continue;
      len = vc_encode_ok(it, out, sizeof out);
      CHECK(len > 0 && len <= SLP_MAX_WIRE_BYTES);
      for (k = 0; k + 1 < len; ++k) CHECK(out[k] != 0x00);
      CHECK(out[len - 1] == 0x00);
      for (cap = 0; cap < len; cap += (len > 64 ? 7 : 1)) {
        memset(out, 0xEE, sizeof out);
        CHECK(vc_encode_ok(it, out, cap) == 0);
        for (k = cap; k < sizeof out; ++k) CHECK(out[k] == 0xEE);
      }
      CHECK(vc_encode_ok(it, out, len - 1) == 0);
      CHECK(vc_encode_ok(it, out, len) == len);
    }
  }
}

static void test_batch_limits(void) {
  static int16_t values[300 * 9];
  static uint8_t out[2 * SLP_MAX_WIRE_BYTES];
  slp_imu_batch b;
  uint8_t raw[SLP_MAX_FRAME_BYTES + 8];
  size_t len;
  memset(&b, 0, sizeof b);
  b.samples = values;
  CHECK(slp_max_batch_samples(SLP_CH_ACC | SLP_CH_GYR) == 82);
  CHECK(slp_max_batch_samples(SLP_CH_ALL) == 55);
  CHECK(slp_max_batch_samples(SLP_CH_ACC) == 166);
  b.channels = SLP_CH_ACC | SLP_CH_GYR;
  b.count = 82;
  len = slp_encode_imu_batch(out, sizeof out, 0, 0, &b);
  CHECK(len > 0);
  CHECK(slp_cobs_decode(out, len - 1, raw, sizeof raw) ==
        SLP_HEADER_BYTES + slp_batch_payload_bytes(b.channels, 82) + SLP_CRC_BYTES);
  b.count = 83;
  CHECK(slp_encode_imu_batch(out, sizeof out, 0, 0, &b) == 0);
  b.count = 0;
  CHECK(slp_encode_imu_batch(out, sizeof out, 0, 0, &b) == 0);
  b.count = 1;
  b.channels = 0;
  CHECK(slp_encode_imu_batch(out, sizeof out, 0, 0, &b) == 0);
  b.channels = 0x08;
  CHECK(slp_encode_imu_batch(out, sizeof out, 0, 0, &b) == 0);
  CHECK(slp_encode_frame(out, sizeof out, SLP_TYPE_STATUS, 0, 0, raw,
                         SLP_MAX_PAYLOAD_BYTES + 1) == 0);
  memset(raw, 0x5A, sizeof raw);
  /* No 0x00 in header or payload: COBS needs its worst-case overhead, still within bounds. */
  len = slp_encode_frame(out, sizeof out, SLP_TYPE_STATUS, 0x0101, 0x01010101u, raw,
                         SLP_MAX_PAYLOAD_BYTES);
  CHECK(len >= SLP_MAX_FRAME_BYTES + 5u && len <= SLP_MAX_WIRE_BYTES);
}

static void test_receiver(void) {
  uint8_t wire[64], frame[64];
  slp_command cmd, got;
  slp_receiver rx;
  uint16_t seq = 0;
  size_t len, i, n = 0;
  int frames = 0;
  cmd.opcode = SLP_CMD_SET_RATE;
  cmd.arg = 100000u;
  len = slp_encode_command(wire, sizeof wire, 0x0102, 0, &cmd);
  CHECK(len == 19);
  slp_receiver_init(&rx);
  CHECK(slp_receiver_push(&rx, 0x00, frame, sizeof frame) == 0); /* idle delimiter */
  for (i = 0; i < len; ++i) {
    n = slp_receiver_push(&rx, wire[i], frame, sizeof frame);
    if (n) ++frames;
  }
  CHECK(frames == 1);
  CHECK(slp_parse_command(frame, n, &seq, &got) == 1);
  CHECK(seq == 0x0102 && got.opcode == SLP_CMD_SET_RATE && got.arg == 100000u);
  /* Any single flipped bit is caught by the CRC (or breaks the COBS). */
  for (i = 0; i + 1 < len; ++i) {
    int bit;
    for (bit = 0; bit < 8; ++bit) {
      size_t k, m = 0;
      wire[i] ^= (uint8_t)(1u << bit);
      slp_receiver_init(&rx);
      for (k = 0; k < len; ++k) {
        size_t r = slp_receiver_push(&rx, wire[k], frame, sizeof frame);
        if (r) m = r;
      }
      CHECK(m == 0 || slp_parse_command(frame, m, &seq, &got) == 0);
      wire[i] ^= (uint8_t)(1u << bit);
    }
  }
}

int main(int argc, char** argv) {
  char* json;
  if (argc < 2) {
    fprintf(stderr, "usage: %s vectors.json\n", argv[0]);
    return 2;
  }
  json = read_file(argv[1]);
  if (!json) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  test_crc_check_values();
  test_cobs_examples();
  test_protocols_md_worked_example();
  test_vectors(json);
  test_buffer_sizes();
  test_batch_limits();
  test_receiver();
  free(json);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("all C encoder checks passed\n");
  return 0;
}
