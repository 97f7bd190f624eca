#pragma once
// Cues for gait retraining in the Live tab (issue 15): the clinician sets a pelvic-drop limit
// per side and/or a cadence band (steps/min, or +x % of the first minute's cadence) and a
// metronome. A step over a limit gets a short tone (per side, through the AudioSink, queued on
// the delivery thread by the LiveEngine) and flashes the large read-out, which is meant for a
// screen in front of a treadmill; the panel also counts cued steps per side and the share of
// steps within the limits in the current and the last minute.
#include <QFrame>

#include "stridelab/core/cues.hpp"
#include "studio/live/cue_audio.hpp"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTimer;

namespace stridelab::studio {

class LiveEngine;

class CuePanel : public QFrame {
  Q_OBJECT
 public:
  CuePanel(LiveEngine& engine, AudioSink* audio, QWidget* parent = nullptr);
  void setAudio(AudioSink* audio) { audio_ = audio; }  // the metronome's beats (not owned)

  // The form's settings, and setting the form (then apply() hands them to the engine).
  CueSettings settings() const;
  void setSettings(const CueSettings& s);
  void apply();
  // Takes the engine's new provisional rows and cues (the Live tab's timer calls it).
  void refresh();

  QString readoutText() const;
  bool flashing() const { return flashing_; }
  int flashCount() const { return flash_count_; }             // cued steps shown so far
  QString lastFlashText() const { return last_flash_text_; }  // the read-out then
  QString countsText() const;
  bool metronomeRunning() const;

 private:
  void flash(Side side);
  void updateMetronome();

  LiveEngine& engine_;
  AudioSink* audio_;
  QDoubleSpinBox *drop_left_ = nullptr, *drop_right_ = nullptr;
  QComboBox* cadence_mode_ = nullptr;
  QDoubleSpinBox *cadence_low_ = nullptr, *cadence_high_ = nullptr, *cadence_pct_ = nullptr;
  QCheckBox* metronome_on_ = nullptr;
  QDoubleSpinBox* metronome_spm_ = nullptr;
  QLabel* readout_ = nullptr;
  QLabel* counts_ = nullptr;
  QTimer* metronome_ = nullptr;
  QTimer* unflash_ = nullptr;
  bool flashing_ = false;
  int flash_count_ = 0;
  QString last_flash_text_;
  int cued_[2] = {0, 0};
};

}  // namespace stridelab::studio
