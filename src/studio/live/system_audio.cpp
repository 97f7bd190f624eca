#include "studio/live/system_audio.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

#ifdef STRIDELAB_HAVE_QT_AUDIO
#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QIODevice>
#include <QMediaDevices>
#include <QMetaObject>
#include <QObject>
#endif

namespace stridelab::studio {

double tone_hz(CueTone tone) {
  return tone == CueTone::kLeft ? 660.0 : tone == CueTone::kRight ? 990.0 : 1760.0;
}

double tone_s(CueTone tone) {
  return tone == CueTone::kBeat ? 0.02 : 0.08;
}

QByteArray render_tone(CueTone tone, int rate, int channels, PcmFormat kind) {
  if (rate <= 0 || channels <= 0) return {};
  const int n = static_cast<int>(std::lround(tone_s(tone) * rate));
  const int edge = std::max(1, static_cast<int>(0.005 * rate));
  const int bytes = kind == PcmFormat::kInt16 ? 2 : 4;
  QByteArray out(n * channels * bytes, Qt::Uninitialized);
  char* p = out.data();
  for (int i = 0; i < n; ++i) {
    double gain = 0.5;  // −6 dBFS: audible over a treadmill, not harsh
    if (i < edge) gain *= 0.5 - 0.5 * std::cos(M_PI * i / edge);
    if (n - 1 - i < edge) gain *= 0.5 - 0.5 * std::cos(M_PI * (n - 1 - i) / edge);
    const double v = gain * std::sin(2.0 * M_PI * tone_hz(tone) * i / rate);
    for (int c = 0; c < channels; ++c, p += bytes) {
      if (kind == PcmFormat::kInt16) {
        const auto s = static_cast<std::int16_t>(std::lround(v * 32767.0));
        std::memcpy(p, &s, sizeof s);
      } else if (kind == PcmFormat::kInt32) {
        const auto s = static_cast<std::int32_t>(std::lround(v * 2147483647.0));
        std::memcpy(p, &s, sizeof s);
      } else {
        const auto s = static_cast<float>(v);
        std::memcpy(p, &s, sizeof s);
      }
    }
  }
  return out;
}

#ifdef STRIDELAB_HAVE_QT_AUDIO
namespace {

// Push mode on the GUI thread: queue() (any thread) posts the tone there and returns.
class QtAudio final : public QObject, public AudioSink {
 public:
  explicit QtAudio(const QAudioDevice& device) {
    QAudioFormat f;
    f.setSampleRate(44100);
    f.setChannelCount(1);
    f.setSampleFormat(QAudioFormat::Int16);
    if (!device.isFormatSupported(f)) f = device.preferredFormat();
    const auto kind = f.sampleFormat();
    if (kind != QAudioFormat::Int16 && kind != QAudioFormat::Int32 && kind != QAudioFormat::Float)
      return;  // 8-bit only: stay silent (ok() is false)
    const PcmFormat pcm = kind == QAudioFormat::Int16   ? PcmFormat::kInt16
                          : kind == QAudioFormat::Int32 ? PcmFormat::kInt32
                                                        : PcmFormat::kFloat;
    for (CueTone t : {CueTone::kLeft, CueTone::kRight, CueTone::kBeat})
      pcm_[static_cast<int>(t)] = render_tone(t, f.sampleRate(), f.channelCount(), pcm);
    sink_ = new QAudioSink(device, f, this);
    io_ = sink_->start();
  }
  bool ok() const { return io_ != nullptr && !pcm_[0].isEmpty(); }
  void queue(CueTone tone, double) override {
    QMetaObject::invokeMethod(
        this, [this, tone] { io_->write(pcm_[static_cast<int>(tone)]); }, Qt::QueuedConnection);
  }

 private:
  QAudioSink* sink_ = nullptr;
  QIODevice* io_ = nullptr;
  QByteArray pcm_[3];
};

}  // namespace

std::unique_ptr<AudioSink> make_system_audio() {
  const QAudioDevice device = QMediaDevices::defaultAudioOutput();
  if (device.isNull()) return nullptr;
  auto audio = std::make_unique<QtAudio>(device);
  if (!audio->ok()) return nullptr;
  return audio;
}
#else
std::unique_ptr<AudioSink> make_system_audio() {
  return nullptr;
}
#endif

}  // namespace stridelab::studio
