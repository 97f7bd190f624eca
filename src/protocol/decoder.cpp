#include "stridelab/protocol/decoder.hpp"

#include <iterator>

#include "stridelab/core/error.hpp"
#include "stridelab/protocol/movesense.hpp"
#include "stridelab/protocol/stridelab_decoder.hpp"
#include "stridelab/protocol/witmotion.hpp"

namespace stridelab::protocol {

void DecoderOutput::clear() {
  samples.clear();
  gaps.clear();
  device_infos.clear();
  statuses.clear();
  acks.clear();
  commands.clear();
}

bool DecoderOutput::empty() const {
  return samples.empty() && gaps.empty() && device_infos.empty() && statuses.empty() &&
         acks.empty() && commands.empty();
}

namespace {
template <typename T>
void move_append(std::vector<T>& from, std::vector<T>& to) {
  if (to.empty()) {
    to.swap(from);
  } else {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  }
  from.clear();
}
}  // namespace

void Decoder::drain(DecoderOutput& out) {
  move_append(pending_.samples, out.samples);
  move_append(pending_.gaps, out.gaps);
  move_append(pending_.device_infos, out.device_infos);
  move_append(pending_.statuses, out.statuses);
  move_append(pending_.acks, out.acks);
  move_append(pending_.commands, out.commands);
}

std::vector<std::string> decoder_protocols() {
  return {"stridelab", "witmotion", "witmotion-ble", "movesense"};
}

std::unique_ptr<Decoder> make_decoder(std::string_view protocol, const DecoderParams& params) {
  if (protocol == "stridelab") return std::make_unique<StridelabDecoder>(params);
  if (protocol == "witmotion") return std::make_unique<WitSerialDecoder>(params);
  if (protocol == "witmotion-ble") return std::make_unique<WitBleDecoder>(params);
  if (protocol == "movesense") return std::make_unique<MovesenseDecoder>(params);
  throw Error("unknown sensor protocol '" + std::string(protocol) +
              "' (expected stridelab, witmotion, witmotion-ble or movesense)");
}

bool reads_notification_records(std::string_view protocol) {
  return protocol == "movesense";
}

}  // namespace stridelab::protocol
