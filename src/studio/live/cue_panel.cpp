#include "studio/live/cue_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

#include <cmath>

#include "stridelab/report/palette.hpp"
#include "studio/live/live_engine.hpp"

namespace stridelab::studio {
namespace {

constexpr int kFlashMs = 350;  // long enough to see from a treadmill, short of the next step

QDoubleSpinBox* spin(double lo, double hi, double value, const QString& suffix, double step) {
  auto* s = new QDoubleSpinBox();
  s->setRange(lo, hi);
  s->setDecimals(1);
  s->setSingleStep(step);
  s->setValue(value);
  s->setSuffix(suffix);
  return s;
}

double off_if_zero(double v) {
  return v > 0.0 ? v : std::nan("");
}

}  // namespace

CuePanel::CuePanel(LiveEngine& engine, AudioSink* audio, QWidget* parent)
    : QFrame(parent), engine_(engine), audio_(audio) {
  setObjectName("tile");
  auto* layout = new QHBoxLayout(this);
  auto* form = new QGridLayout();
  form->addWidget(new QLabel(tr("Drop limit L / R")), 0, 0);
  drop_left_ = spin(0, 20, 0, tr(" °"), 0.5);
  drop_right_ = spin(0, 20, 0, tr(" °"), 0.5);
  drop_left_->setSpecialValueText(tr("off"));
  drop_right_->setSpecialValueText(tr("off"));
  form->addWidget(drop_left_, 0, 1);
  form->addWidget(drop_right_, 0, 2);
  cadence_mode_ = new QComboBox();
  cadence_mode_->addItems({tr("Cadence: off"), tr("Cadence band"), tr("Baseline +")});
  form->addWidget(cadence_mode_, 1, 0);
  cadence_low_ = spin(40, 240, 100, tr(" spm"), 1);
  cadence_high_ = spin(40, 240, 120, tr(" spm"), 1);
  cadence_pct_ = spin(-30, 30, 10, tr(" %"), 1);
  form->addWidget(cadence_low_, 1, 1);
  form->addWidget(cadence_high_, 1, 2);
  form->addWidget(cadence_pct_, 1, 3);
  metronome_on_ = new QCheckBox(tr("Metronome"));
  metronome_spm_ = spin(40, 240, 110, tr(" spm"), 1);
  form->addWidget(metronome_on_, 2, 0);
  form->addWidget(metronome_spm_, 2, 1);
  auto* apply_button = new QPushButton(tr("Apply cues"));
  form->addWidget(apply_button, 2, 2);
  layout->addLayout(form);

  readout_ = new QLabel(QStringLiteral("–"));
  readout_->setObjectName("cueReadout");
  readout_->setAlignment(Qt::AlignCenter);
  readout_->setMinimumWidth(260);
  QFont big = readout_->font();
  big.setPointSize(30);
  big.setBold(true);
  readout_->setFont(big);
  layout->addWidget(readout_, 1);
  counts_ = new QLabel(tr("no cues set"));
  counts_->setObjectName("muted");
  layout->addWidget(counts_);

  metronome_ = new QTimer(this);
  metronome_->setTimerType(Qt::PreciseTimer);
  connect(metronome_, &QTimer::timeout, this, [this] {
    if (audio_) audio_->queue(CueTone::kBeat, engine_.latest_time_s());
  });
  unflash_ = new QTimer(this);
  unflash_->setSingleShot(true);
  connect(unflash_, &QTimer::timeout, this, [this] {
    flashing_ = false;
    readout_->setStyleSheet(QString());
  });
  connect(apply_button, &QPushButton::clicked, this, &CuePanel::apply);
  auto mode_changed = [this] {
    const int m = cadence_mode_->currentIndex();
    cadence_low_->setVisible(m == 1);
    cadence_high_->setVisible(m == 1);
    cadence_pct_->setVisible(m == 2);
  };
  connect(cadence_mode_, &QComboBox::currentIndexChanged, this, mode_changed);
  mode_changed();
}

CueSettings CuePanel::settings() const {
  CueSettings s;
  s.drop_left_deg = off_if_zero(drop_left_->value());
  s.drop_right_deg = off_if_zero(drop_right_->value());
  if (cadence_mode_->currentIndex() == 1) {
    s.cadence_low_spm = cadence_low_->value();
    s.cadence_high_spm = cadence_high_->value();
  } else if (cadence_mode_->currentIndex() == 2) {
    s.cadence_change_pct = cadence_pct_->value();
  }
  if (metronome_on_->isChecked()) s.metronome_spm = metronome_spm_->value();
  return s;
}

void CuePanel::setSettings(const CueSettings& s) {
  drop_left_->setValue(std::isfinite(s.drop_left_deg) ? s.drop_left_deg : 0.0);
  drop_right_->setValue(std::isfinite(s.drop_right_deg) ? s.drop_right_deg : 0.0);
  const bool band = std::isfinite(s.cadence_low_spm) || std::isfinite(s.cadence_high_spm);
  cadence_mode_->setCurrentIndex(std::isfinite(s.cadence_change_pct) ? 2 : band ? 1 : 0);
  if (band) {
    cadence_low_->setValue(std::isfinite(s.cadence_low_spm) ? s.cadence_low_spm : 40);
    cadence_high_->setValue(std::isfinite(s.cadence_high_spm) ? s.cadence_high_spm : 240);
  }
  if (std::isfinite(s.cadence_change_pct)) cadence_pct_->setValue(s.cadence_change_pct);
  metronome_on_->setChecked(std::isfinite(s.metronome_spm));
  if (std::isfinite(s.metronome_spm)) metronome_spm_->setValue(s.metronome_spm);
}

void CuePanel::apply() {
  engine_.set_cue_settings(settings());
  cued_[0] = cued_[1] = 0;
  updateMetronome();
  counts_->setText(countsText());
}

void CuePanel::updateMetronome() {
  const CueSettings s = settings();
  if (!std::isfinite(s.metronome_spm)) {
    metronome_->stop();
    return;
  }
  metronome_->start(static_cast<int>(std::lround(60000.0 / s.metronome_spm)));
}

bool CuePanel::metronomeRunning() const {
  return metronome_->isActive();
}

void CuePanel::refresh() {
  std::vector<dsp::ProvisionalStep> rows;
  std::vector<Cue> cues;
  engine_.take_new_rows(rows, cues);
  if (rows.empty()) return;
  // The newest row, or the newest cued one: the flash and the numbers shown belong together
  // (the UI may take several rows at once).
  const Cue* cue = nullptr;
  for (const Cue& c : cues) {
    ++cued_[c.side == Side::kLeft ? 0 : 1];
    cue = &c;
  }
  const dsp::ProvisionalStep* shown = &rows.back();
  if (cue)
    for (const auto& r : rows)
      if (r.step.time_s == cue->time_s) shown = &r;
  const Step& s = shown->step;
  const QString side = s.side == Side::kLeft ? tr("L") : s.side == Side::kRight ? tr("R") : "?";
  auto num = [](double v, int decimals) {
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("–");
  };
  readout_->setText(
      tr("%1  %2°  %3 spm").arg(side, num(s.pelvic_drop_deg, 1), num(s.cadence_spm, 0)));
  if (cue) {
    flash(cue->side);
    last_flash_text_ = readout_->text();
  }
  counts_->setText(countsText());
}

void CuePanel::flash(Side side) {
  const QColor c = side == Side::kLeft ? report::left_color() : report::right_color();
  readout_->setStyleSheet(
      QStringLiteral("background: %1; color: white; border-radius: 6px;").arg(c.name()));
  flashing_ = true;
  ++flash_count_;
  unflash_->start(kFlashMs);
}

QString CuePanel::countsText() const {
  const auto minutes = engine_.cue_minutes();
  auto share = [](const dsp::CueMinute& m) {
    const double v = m.share_within();
    return std::isfinite(v) ? QStringLiteral("%1 %").arg(std::lround(100 * v))
                            : QStringLiteral("–");
  };
  QString text = tr("Cued  L %1 · R %2").arg(cued_[0]).arg(cued_[1]);
  if (!minutes.empty()) text += tr("\nWithin limits, this minute: %1").arg(share(minutes.back()));
  if (minutes.size() >= 2) text += tr("\nlast minute: %1").arg(share(minutes[minutes.size() - 2]));
  const double baseline = engine_.baseline_cadence_spm();
  if (std::isfinite(baseline)) text += tr("\nBaseline %1 spm").arg(std::lround(baseline));
  return text;
}

QString CuePanel::readoutText() const {
  return readout_->text();
}

}  // namespace stridelab::studio
