#pragma once
// Fuzz invariants of the Axivity CWA reader (src/storage/cwa_reader.cpp), shared by the
// libFuzzer target and the GoogleTest of the normal build: any bytes either give a clear
// stridelab::Error or a recording that validates (equal lengths, strictly increasing time,
// finite values, gaps inside the samples).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace stridelab::storage::fuzz {

// A valid CWA file of `blocks` data blocks (AX6 layout when `gyro`, else AX3 packed).
std::string make_cwa(int blocks, bool gyro, std::uint32_t seed);

// Rewrites the checksum word of every 512-byte block after the header so the blocks pass it
// (lets damage reach the layout and timing code).
void fix_checksums(std::string& bytes);

// Empty string when every invariant holds, else what broke.
std::string check_cwa(std::string_view bytes);

// One fuzz input: byte 0 picks raw mode (the rest is the file) or structured mode (a valid file
// damaged by flips, cuts and insertions driven by the rest, checksums fixed or not).
std::string fuzz_cwa_one(std::span<const std::uint8_t> input);

}  // namespace stridelab::storage::fuzz
