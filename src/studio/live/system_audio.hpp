#pragma once
// The cue tones on the system's default audio output (Qt Multimedia, qt6-multimedia-dev), when
// the build has it and the machine has an output device; else make_system_audio() returns
// null and the Live tab keeps its NullAudioSink (CI, headless boards).
#include <QByteArray>

#include <memory>

#include "studio/live/cue_audio.hpp"

namespace stridelab::studio {

// Frequency and length of a tone (cue_audio.hpp), Hz and s.
double tone_hz(CueTone tone);
double tone_s(CueTone tone);
// PCM formats a tone can be rendered in (what audio devices offer, less 8-bit).
enum class PcmFormat { kInt16, kInt32, kFloat };
// The tone as interleaved PCM, the same on every channel, with 5 ms raised-cosine edges so it
// does not click. Empty if rate_hz or channels is not positive.
QByteArray render_tone(CueTone tone, int rate_hz, int channels, PcmFormat format);

std::unique_ptr<AudioSink> make_system_audio();

}  // namespace stridelab::studio
