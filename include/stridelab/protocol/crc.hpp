#pragma once
// The protocol's names for the checksums of the one checksum module, stridelab/core/crc.hpp
// (CRC-32C on every stridelab frame; firmware_protocol/SPEC.md section 4).
#include "stridelab/core/crc.hpp"

namespace stridelab::protocol {

using stridelab::crc16_ccitt_false;
using stridelab::crc32c;

namespace detail {
using stridelab::crc_detail::crc32c_hardware;
using stridelab::crc_detail::crc32c_hardware_available;
using stridelab::crc_detail::crc32c_portable;
}  // namespace detail

}  // namespace stridelab::protocol
