#include "stridelab/core/cues.hpp"

namespace stridelab {

const char* to_string(CueKind k) {
  switch (k) {
    case CueKind::kDrop:
      return "drop";
    case CueKind::kCadenceLow:
      return "cadence_low";
    case CueKind::kCadenceHigh:
      return "cadence_high";
  }
  return "drop";
}

}  // namespace stridelab
