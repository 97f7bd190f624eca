#pragma once
// The BLE transport (ble.cpp), for make_byte_source; absent when built without sdbus-c++.
#include <memory>

#include "stridelab/ingest/byte_source.hpp"

namespace stridelab::ingest {

std::unique_ptr<ByteSource> make_ble_source(boost::asio::io_context& io, const SourceConfig& config,
                                            ByteHandler& handler, const SessionClock& clock);

}  // namespace stridelab::ingest
