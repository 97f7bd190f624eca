// The Live tab: layout, and the 30 Hz refresh of traces, per-step charts and tiles. The side
// panel, connecting, recording and the link table are in live_tab_session.cpp.
#include "studio/live/live_tab.hpp"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QStandardPaths>
#include <QStyle>
#include <QTableWidget>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "stridelab/core/error.hpp"
#include "stridelab/core/version.hpp"
#include "stridelab/dsp/summary.hpp"
#include "stridelab/ingest/ingest_session.hpp"
#include "stridelab/report/palette.hpp"
#include "stridelab/report/report_renderer.hpp"
#include "studio/charts/chart.hpp"
#include "studio/live/connect_panel.hpp"
#include "studio/live/cue_panel.hpp"
#include "studio/live/system_audio.hpp"
#include "studio/style.hpp"
#include "studio/widgets/step_metric_chart.hpp"

namespace stridelab::studio {
namespace {

constexpr int kRefreshHz = 30;       // repaint rate, independent of the data rate
constexpr int kStatusEvery = 6;      // link table and record status at 5 Hz
constexpr double kStepFollowS = 90;  // per-step charts show the last 90 s

// Mean of the last n good values of a per-step metric.
double recent_mean(const std::vector<Step>& steps, double Step::*field, int n) {
  double sum = 0;
  int count = 0;
  for (auto it = steps.rbegin(); it != steps.rend() && count < n; ++it) {
    const double v = (*it).*field;
    if ((it->flags & dsp::SummaryAccumulator::kBadFlags) || !std::isfinite(v)) continue;
    sum += v;
    ++count;
  }
  return count ? sum / count : std::nan("");
}

}  // namespace

LiveTab::LiveTab(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(8, 8, 8, 8);
  auto* side = new QScrollArea();
  side->setWidget(buildSidePanel());
  side->setWidgetResizable(true);
  side->setFrameShape(QFrame::NoFrame);
  side->setFixedWidth(340);
  side->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  layout->addWidget(side);
  layout->addWidget(buildCharts(), 1);

  timer_ = new QTimer(this);
  timer_->setInterval(1000 / kRefreshHz);
  connect(timer_, &QTimer::timeout, this, &LiveTab::refresh);
  timer_->start();
}

LiveTab::~LiveTab() {
  disconnectAll();
}

QWidget* LiveTab::buildCharts() {
  auto* area = new QWidget();
  auto* layout = new QVBoxLayout(area);
  layout->setContentsMargins(0, 0, 0, 0);

  // Controls for the traces.
  auto* bar = new QHBoxLayout();
  bar->addWidget(new QLabel(tr("Signals of")));
  sensor_choice_ = new QComboBox();
  sensor_choice_->setMinimumWidth(120);
  bar->addWidget(sensor_choice_);
  bar->addSpacing(10);
  bar->addWidget(new QLabel(tr("last")));
  window_choice_ = new QComboBox();
  for (int s : {5, 10, 20, 60}) window_choice_->addItem(tr("%1 s").arg(s), s);
  window_choice_->setCurrentIndex(2);
  bar->addWidget(window_choice_);
  pause_ = new QPushButton(tr("Pause"));
  pause_->setCheckable(true);
  pause_->setToolTip(tr("Freeze the signal charts (recording and analysis go on)"));
  auto* clear = new QPushButton(tr("Clear"));
  clear->setToolTip(tr("Empty the charts (recording and analysis go on)"));
  bar->addWidget(pause_);
  bar->addWidget(clear);
  bar->addStretch(1);
  clock_label_ = new QLabel(tr("not connected"));
  clock_label_->setObjectName("muted");
  bar->addWidget(clock_label_);
  layout->addLayout(bar);

  // Live figures: running means, L and R in their colours with their names.
  auto* tiles = new QHBoxLayout();
  struct TileSpec {
    QString key, caption;
    QColor color;
  };
  const TileSpec specs[] = {
      {"drop_left", tr("Pelvic drop · Left stance"), report::left_color()},
      {"drop_right", tr("Pelvic drop · Right stance"), report::right_color()},
      {"cadence", tr("Cadence, last 10 steps"), style::kCadenceColor},
      {"trunk_rotation", tr("Trunk rotation, last 10"), style::kCadenceColor},
      {"steps", tr("Steps"), style::kCadenceColor},
  };
  for (const TileSpec& spec : specs) {
    auto* tile = new QFrame();
    tile->setObjectName("tile");
    auto* tl = new QVBoxLayout(tile);
    tl->setContentsMargins(10, 6, 10, 6);
    tl->setSpacing(0);
    auto* caption = new QLabel(spec.caption);
    caption->setObjectName("figureCaption");
    caption->setStyleSheet(QStringLiteral("color: %1;").arg(spec.color.name()));
    auto* value = new QLabel(QStringLiteral("–"));
    value->setObjectName("tileValue");
    value->setStyleSheet(QStringLiteral("color: %1;").arg(spec.color.name()));
    tl->addWidget(caption);
    tl->addWidget(value);
    tiles->addWidget(tile, 1);
    figures_.push_back({spec.key, value});
  }
  layout->addLayout(tiles);
  cue_panel_ = new CuePanel(engine_, &null_audio_);
  system_audio_ = make_system_audio();
  setAudio(nullptr);
  layout->addWidget(cue_panel_);

  acc_chart_ = charts::createChart();
  gyr_chart_ = charts::createChart();
  acc_chart_->setTitle(tr("Accelerometer (m/s²)"));
  gyr_chart_->setTitle(tr("Gyroscope (rad/s)"));
  for (charts::Chart* c : {acc_chart_.get(), gyr_chart_.get()}) {
    c->setAxisTitles(tr("time (s)"), QString());
    c->addSeries({"x", style::kAxisXColor, charts::SeriesKind::kLine, 1.0});
    c->addSeries({"y", style::kAxisYColor, charts::SeriesKind::kLine, 1.0});
    c->addSeries({"z", style::kAxisZColor, charts::SeriesKind::kLine, 1.0});
  }
  drop_chart_ = std::make_unique<StepMetricChart>(StepMetricChart::Metric::kPelvicDrop,
                                                  tr("Pelvic drop per step"));
  rotation_chart_ = std::make_unique<StepMetricChart>(StepMetricChart::Metric::kTrunkRotation,
                                                      tr("Trunk rotation per stride"));
  cadence_chart_ =
      std::make_unique<StepMetricChart>(StepMetricChart::Metric::kCadence, tr("Cadence trend"));
  auto* grid = new QGridLayout();
  grid->setSpacing(4);
  grid->addWidget(acc_chart_->widget(), 0, 0);
  grid->addWidget(gyr_chart_->widget(), 0, 1);
  grid->addWidget(drop_chart_->widget(), 1, 0);
  grid->addWidget(rotation_chart_->widget(), 1, 1);
  grid->addWidget(cadence_chart_->widget(), 2, 0, 1, 2);
  grid->setRowStretch(0, 4);
  grid->setRowStretch(1, 5);
  grid->setRowStretch(2, 3);
  layout->addLayout(grid, 1);

  connect(sensor_choice_, &QComboBox::currentIndexChanged, this,
          [this](int index) { shown_sensor_ = index < 0 ? 0 : static_cast<std::size_t>(index); });
  connect(window_choice_, &QComboBox::currentIndexChanged, this,
          [this](int) { engine_.set_window(window_choice_->currentData().toDouble()); });
  connect(pause_, &QPushButton::toggled, this, [this](bool paused) {
    engine_.set_paused(paused);
    pause_->setText(paused ? tr("Resume") : tr("Pause"));
  });
  connect(clear, &QPushButton::clicked, this, [this] {
    engine_.clear_display();
    steps_.clear();
    refreshSteps();
  });
  return area;
}

void LiveTab::updateSensorList() {
  const auto sensors = engine_.sensors();
  if (sensor_choice_->count() == static_cast<int>(sensors.size())) return;
  sensor_choice_->clear();
  for (const SensorInfo& s : sensors) sensor_choice_->addItem(QString::fromStdString(s.name));
  link_table_->setRowCount(static_cast<int>(sensors.size()));
}

QString LiveTab::figureText(const QString& key) const {
  for (const auto& [k, label] : figures_)
    if (k == key) return label->text();
  return {};
}

void LiveTab::setAudio(AudioSink* audio) {
  if (!audio) audio = system_audio_ ? system_audio_.get() : &null_audio_;
  engine_.set_audio(audio);
  cue_panel_->setAudio(audio);
}

void LiveTab::refresh() {
  refreshTraces();
  refreshSteps();
  cue_panel_->refresh();
  if (++tick_ % kStatusEvery == 0) refreshStatus();
}

void LiveTab::refreshTraces() {
  if (engine_.paused() || engine_.sensor_count() == 0) return;
  updateSensorList();
  const double latest = engine_.latest_time_s();
  const double window = engine_.window_s();
  for (int chart = 0; chart < 2; ++chart) {
    charts::Chart& c = chart == 0 ? *acc_chart_ : *gyr_chart_;
    double lo = 1e300, hi = -1e300;
    for (int axis = 0; axis < 3; ++axis) {
      QList<QPointF> points;
      engine_.copy_trace(shown_sensor_, static_cast<Channel>(chart * 3 + axis),
                         [&](double t, double v) {
                           points.append(QPointF(t, v));
                           lo = std::min(lo, v);
                           hi = std::max(hi, v);
                         });
      c.setPoints(axis, points);
    }
    c.setXRange(latest - window, latest);
    if (hi >= lo) {
      // Expand at once, shrink slowly: the axis does not jump with every step.
      const auto [old_lo, old_hi] = c.yRange();
      const double margin = std::max((hi - lo) * 0.1, 0.1);
      const double new_lo = std::min(lo - margin, old_lo * 0.97 + (lo - margin) * 0.03);
      const double new_hi = std::max(hi + margin, old_hi * 0.97 + (hi + margin) * 0.03);
      c.setYRange(old_hi > old_lo && old_hi - old_lo < 1e6 ? new_lo : lo - margin,
                  old_hi > old_lo && old_hi - old_lo < 1e6 ? new_hi : hi + margin);
    }
  }
}

void LiveTab::refreshSteps() {
  const std::size_t added = engine_.take_new_steps(steps_);
  static constexpr std::size_t kMaxSteps = 4000;
  if (steps_.size() > kMaxSteps)
    steps_.erase(steps_.begin(),
                 steps_.begin() + static_cast<std::ptrdiff_t>(steps_.size() - kMaxSteps));
  if (added == 0 && !steps_.empty()) return;
  drop_chart_->setSteps(steps_, kStepFollowS);
  rotation_chart_->setSteps(steps_, kStepFollowS);
  cadence_chart_->setSteps(steps_, kStepFollowS);
  for (auto& [key, label] : figures_) {
    QString text = QStringLiteral("–");
    if (key == "drop_left") text = report::format_deg(drop_chart_->lastMean(Side::kLeft));
    if (key == "drop_right") text = report::format_deg(drop_chart_->lastMean(Side::kRight));
    if (key == "cadence")
      text = report::format_number(recent_mean(steps_, &Step::cadence_spm, 10), 0);
    if (key == "trunk_rotation")
      text = report::format_deg(recent_mean(steps_, &Step::trunk_rotation_deg, 10));
    if (key == "steps") text = QString::number(steps_.size());
    label->setText(text);
  }
}

}  // namespace stridelab::studio
