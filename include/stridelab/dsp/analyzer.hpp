#pragma once
// The analysis pipeline as ONE streaming object. Live and batch use it the same way:
//   Analyzer a(params);  a.update(samples, n) ... ;  a.finish();
// Steps become final (and can be taken with take_steps()) as soon as their stride is complete
// and the mounting is known; feeding the same samples in chunks of any size gives identical
// steps. State is O(window): rings sized from the params, nothing grows with the recording
// (except what the caller chooses to keep: per-frame angles with keep_angles).
//
// Stages per input sample: orientation filter → decimation to ≈internal_rate_hz frames.
// Per frame: contact detection (mounting-free), standing statistics, alignment (once enough
// steps are seen), pelvis angles. Per contact: bouts, side, per-step metrics, flags.
#include <string>
#include <vector>

#include "stridelab/core/steps.hpp"
#include "stridelab/core/types.hpp"
#include "stridelab/dsp/alignment.hpp"
#include "stridelab/dsp/early_contacts.hpp"
#include "stridelab/dsp/gait_events.hpp"
#include "stridelab/dsp/orientation.hpp"
#include "stridelab/dsp/step_metrics.hpp"
#include "stridelab/dsp/summary.hpp"
#include "stridelab/dsp/trends.hpp"

namespace stridelab::dsp {

enum class SideCue { kLateral, kObliquity };

struct MetricParams {
  SideCue side_cue = SideCue::kLateral;  // which cue labels the stance leg (ALGORITHMS.md)
  // Lateral cue window [IC + from, IC + to], fractions of the step: the whole step, centred
  // on mid-stance, so a person-specific phase of the medio-lateral sway cannot flip its sign
  // and the lever-arm term of the pelvis' yaw cancels (ACCURACY.md, IPOL/stroke tuning).
  double lateral_from = 0.0;
  double lateral_to = 1.0;
  double side_window = 0.4;          // obliquity cue window after IC, fraction of step time
  double side_yaw_weight = 0.0;      // weight of the yaw change in the side cue (see ALGORITHMS.md)
  double min_side_confidence = 0.4;  // below: kFlagLowSideConfidence (tuning subjects)
  // Side evidence of a bout, log-odds that its even contacts are left (a two-state forward
  // filter): each cue adds side_evidence_gain × cue / typical |cue|. The evidence is capped at
  // side_evidence_max, and at side_slip_evidence where a step is irregular (|step − median| >
  // outlier_fraction × median) or turning: a missed or extra contact there (U-turns) swaps the
  // parity, so the steps after it must be able to outvote the steps before (ACCURACY.md, IPOL
  // tuning).
  double side_evidence_gain = 1.0;
  double side_evidence_max = 6.0;
  double side_slip_evidence = 1.0;
  double side_slip_turn_deg = 10.0;  // heading change over a step that also allows a slip, deg
  bool side_cue_difference = true;   // evidence from half the difference of consecutive cues
  double turn_threshold_deg = 20.0;  // heading change over a stride that flags a turn, deg
  double turn_recovery_s = 1.0;      // steps starting this soon after a turn are flagged too, s
  int min_bout_steps = 2;            // shorter runs of contacts are not gait (discarded)
  // A step longer than this × the recent half stride (median of consecutive step pairs'
  // means: a limp's long step stays below it): a missed contact or a pause, new bout.
  double max_step_ratio = 1.7;
  double outlier_fraction = 0.3;  // |step time − median| / median above: kFlagOutlier
  // Every real contact brakes the pelvis. Before the first heel strike from standing the
  // push-off of the trailing leg lifts the pelvis like a contact but accelerates it forward.
  // A bout's first contact whose braking cue (sensor frame, along the backward direction of
  // the next two contacts) is below this ratio × the same foot's next contact's is dropped
  // (ACCURACY.md, IPOL tuning; not where the frames say nothing: turning, gaps).
  double edge_brake_ratio = 0.3;
  double edge_brake_max_turn_deg = 10.0;  // heading change over the three steps above: no test
  // The last step into standing (a bout ending without a gap): of the weak contacts after the
  // bout's last one within [closing_window_from, closing_window_to] × the median step time,
  // the one braking the pelvis most is added to the bout if its braking cue (as above, along
  // the last two contacts' backward direction) is at least closing_brake_ratio × the same
  // foot's last contact's. NaN = off.
  double closing_window_from = 0.4;
  double closing_window_to = 1.6;
  double closing_brake_ratio = 0.0;
};

struct AnalyzerParams {
  double rate_hz = 0.0;            // nominal input rate, Hz (required, > 0)
  double internal_rate_hz = 50.0;  // frame rate for events and metrics, Hz
  double acc_range_ms2 = 0.0;      // sensor range for clipping detection (0 = unknown)
  double gyr_range_rads = 0.0;
  double clip_fraction = 0.995;  // |value| >= clip_fraction × range counts as clipped
  double gap_factor = 1.5;       // time step > gap_factor / rate_hz is a gap
  // Time jumps up to max_bridged_gap_s are bridged with interpolated samples (counted in
  // Quality::bridged_gaps; IPOL's Xsens loses 1–30 packets at a time): events go on through
  // them. Steps touching a bridged hole longer than flag_bridged_gap_s are flagged kFlagGap.
  double max_bridged_gap_s = 0.3;   // s
  double flag_bridged_gap_s = 0.1;  // s
  double buffer_s = 60.0;           // history kept while the mounting is still unknown, s
  bool keep_angles = false;         // collect per-frame pelvis angles (take_angles())
  bool use_magnetometer = false;    // ImuSample::mag is valid: 9-axis heading (else 6-axis)
  // Also make a provisional row per step as soon as its stance is over (take_provisional(),
  // for live feedback). Reads the state only: the final steps are the same either way.
  bool provisional = false;
  EarlyContactParams early;  // the provisional rows' early contacts
  OrientationParams orientation;
  EventParams events;
  AlignmentParams alignment;
  MetricParams metrics;
  TrendParams trends;
};

// Per-frame pelvis angles relative to neutral, deg. rotation_deg has heading removed (minus
// its mean over the last stride).
struct AngleSample {
  double time_s = 0.0;
  double obliquity_deg = 0.0;
  double tilt_deg = 0.0;
  double rotation_deg = 0.0;
};

// A step's row as soon as its stance is over, before the stride and the contact detector's
// confirmation are in: side, step time, cadence, pelvic drop and (running) contact time from
// early contact estimates (EarlyContactDetector). trunk_rotation_deg stays NaN; flags can say
// gap, clipping, turn, no standing, low side confidence. The final row of the same step comes
// later from take_steps(); PERFORMANCE.md gives how far the two differ.
struct ProvisionalStep {
  Step step;
  double stance_end_s = 0.0;  // end of the drop window: FC (running) or the next IC, s
  bool running = false;       // a flight phase preceded the contact
};

class Analyzer {
 public:
  explicit Analyzer(const AnalyzerParams& params);

  void update(const ImuSample* samples, std::size_t n);
  void update(const ImuSample& s) { update(&s, 1); }
  // End of data: flushes everything still pending. No update() after finish().
  void finish();

  // Steps that became final since the last call, in time order (appended to out).
  void take_steps(std::vector<Step>& out);
  void take_angles(std::vector<AngleSample>& out);
  // Provisional rows made since the last call (AnalyzerParams::provisional), in time order.
  void take_provisional(std::vector<ProvisionalStep>& out);

  const Calibration& calibration() const { return calibration_; }
  Quality quality() const;  // counters so far, with the magnetometer's use
  // Summary of the steps emitted so far (complete after finish()).
  Summary summary() const;
  // Per-window trends and per-10-minute slopes of the steps emitted so far.
  Trends trends() const { return trends_.trends(); }
  const AnalyzerParams& params() const { return params_; }
  bool finished() const { return finished_; }
  // Diagnostics of the O(window) state: frames held, their bound, steps not yet final.
  std::size_t buffered_frames() const { return frames_.size(); }
  std::size_t frame_capacity() const { return frames_.capacity(); }
  std::size_t pending_steps() const { return pending_.size(); }
  // Mean step activity so far: kRun if most steps had a flight phase.
  Activity activity() const;

 private:
  struct PendingStep {
    Contact contact;
    int bout = 0;
    int index = 0;                   // index within the bout
    double next_ic = kNotMeasured;   // next contact in the same bout
    double next2_ic = kNotMeasured;  // the one after (stride end)
    bool closed = false;             // no further contact will come in its bout
    bool cue_done = false;
    bool calibration_added = false;
    bool retimed = false;
    bool touches_gap = false;              // the next contact came after a gap
    double cue = kNotMeasured;             // side cue, deg (> 0: left stance)
    double median_step = kNotMeasured;     // recent median step time when next_ic arrived, s
    double same_side_step = kNotMeasured;  // mean of the same foot's last 1–2 steps, s
    double walk_fc = kNotMeasured;         // walking: final contact, from the next contact, s
  };
  struct Bout {
    int id = 0;
    int contacts = 0;
    bool closed = false;
    double side_evidence = 0.0;  // log-odds that even indices are left stance
    // The last step whose cue was added (-1: none yet): its index, cue, step time and the
    // step time before it (s), and whether its step time was irregular.
    int last_cue_index = -1;
    double last_cue = kNotMeasured;
    double last_cue_step = kNotMeasured, last_cue_prev_step = kNotMeasured;
    bool last_cue_irregular = false;
    double recent_steps[4] = {0, 0, 0, 0};
    int recent_n = 0;
    double run_contact_s = kNotMeasured;  // latest running contact time in this bout, s
    bool start_checked = false;  // the first contact was tested for a gait-initiation push-off
  };

  // An early contact (provisional rows): `final_peak_s` links it to the confirmed contact.
  struct EarlyStep {
    double ic_s = 0.0, fc_s = kNotMeasured, peak_s = 0.0;
    double final_peak_s = kNotMeasured, final_ic_s = kNotMeasured;
    bool flight = false;
    bool chained = false;  // follows the previous early step within a step time, no gap
    Side side = Side::kUnknown;
    double side_confidence = 0.0;
  };

  void add_input(const ImuSample& s);
  void ingest(const ImuSample& s, bool measured);
  void emit_frame();
  void process_frame(FrameSample& f);
  void compute_angles(FrameSample& f);
  void on_contact(const Contact& contact);
  void close_bout();
  void retime_running_start(int bout_id, double contact_s);
  Bout* find_bout(int id);
  Bout* open_bout();
  void calibration_step(const PendingStep& p);
  Vec3 braking_cue(double ic, double step) const;
  bool held_braking_cue(double ic, double step, Vec3& cue) const;
  double forward_peak_time(double ic) const;
  double walking_ic(double vertical_ic) const;
  void refine_pending_ics();
  double relative_braking(const PendingStep& p, double step, const PendingStep& n1,
                          const PendingStep& n2) const;
  void check_initiation(Bout& b);
  void add_closing_contact();
  void try_calibrate(bool force);
  void update_cues();
  void add_side_evidence(Bout& b, const PendingStep& p, double step);
  void emit_ready(bool flushing);
  Step make_step(const PendingStep& p);
  double median_step(const Bout& b) const;
  double half_stride(const Bout& b) const;
  void update_provisional();
  void match_early(const Contact& c);
  void emit_provisional(std::size_t k, const EarlyStep& next);
  Side provisional_side(std::size_t k, double& confidence);

  AnalyzerParams params_;
  double dt_;
  int decimation_;
  int correction_frames_;         // frames per accelerometer correction
  double frame_period_s_ = 0.01;  // input samples per orientation correction
  OrientationFilter orientation_;
  ContactDetector detector_;
  MountingEstimator mounting_;
  Calibration calibration_;
  Eigen::Matrix3d r_ps_ = Eigen::Matrix3d::Identity();
  Vec3 pelvis_y_in_sensor_ = Vec3::UnitY();
  FrameRing frames_;
  std::vector<Contact> contacts_;            // scratch, reused
  std::vector<Contact> closing_candidates_;  // weak contacts since the last contact
  std::vector<PendingStep> pending_;
  std::vector<Bout> bouts_;  // bouts that still have pending steps; back() may be open
  int next_bout_id_ = 0;
  double last_ic_ = kNotMeasured;
  double last_turn_end_s_ = -1e300;  // end of the last stride flagged as a turn, s
  double cue_wake_s_ = -1e300;       // the next side-cue window completes at this time, s
  double cue_scale_ = 0.0;           // running mean |side cue| of the recording (EMA)
  std::vector<Step> ready_steps_;
  std::vector<AngleSample> ready_angles_;
  EarlyContactDetector early_;
  std::vector<EarlyEvent> early_events_;  // scratch, reused
  std::vector<EarlyStep> early_steps_;    // the last few
  double early_offsets_[8] = {};          // walking: final IC − early peak, s
  int early_offsets_n_ = 0;
  std::vector<ProvisionalStep> ready_provisional_;
  // Decimation block.
  int block_n_ = 0;
  double block_t_ = 0.0;
  bool orientation_initialised_ = false;
  int corr_n_ = 0, corr_frames_ = 0;
  Vec3 corr_acc_ = Vec3::Zero(), corr_gyr_ = Vec3::Zero();
  Vec3 block_acc_ = Vec3::Zero(), block_gyr_ = Vec3::Zero(), block_mag_ = Vec3::Zero();
  Vec3 corr_mag_ = Vec3::Zero();
  bool block_clipped_ = false, gap_pending_ = false, block_bridged_hole_ = false;
  double last_time_ = -1e300;
  ImuSample last_sample_;
  // Unwrapped rotation and its moving mean over one stride (for the per-frame output).
  double last_psi_raw_ = 0.0, psi_unwrapped_ = 0.0;
  bool have_psi_ = false;
  Ring<double> psi_window_;
  double psi_window_sum_ = 0.0;
  Quality quality_;
  SummaryAccumulator summary_;
  TrendAccumulator trends_;
  bool finished_ = false;
};

}  // namespace stridelab::dsp
