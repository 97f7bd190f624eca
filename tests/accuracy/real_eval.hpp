#pragma once
// Figures of one real trial and of pooled trials: detected steps against reference initial
// contacts (one-to-one, nearest within ±tol), side agreement, per-side step time and the
// step-time asymmetry index, turn contacts, contact time.
#include <cstdint>
#include <string>
#include <vector>

#include "accuracy/real_data.hpp"
#include "stridelab/core/steps.hpp"
#include "stridelab/dsp/summary.hpp"

namespace stridelab::accuracy {

// Counts shared by one trial and a pool of trials, with the figures made from them.
struct EventCounts {
  int reference = 0, detected = 0, matched = 0;  // in-bout ICs, detections inside bouts
  double sum_abs_error_s = 0, sum_error_s = 0, sum_sq_error_s = 0;  // over matched
  int side_known = 0, side_correct = 0;
  int side_sure = 0, side_sure_correct = 0;  // of those, without kFlagLowSideConfidence
  int turn_reference = 0, turn_matched = 0;  // ICs outside the bouts but inside the trial
  // Detections where the reference lacks a contact (between two ICs of the same foot): not
  // counted as detections.
  int unreferenced = 0;
  // Contact time (FC − IC of the same foot) of matched steps that have both, error, s.
  int contact_n = 0;
  double contact_sum_abs_error_s = 0, contact_sum_error_s = 0;

  void add_counts(const EventCounts& o);
  double recall() const { return reference ? double(matched) / reference : 0.0; }
  double precision() const { return detected ? double(matched) / detected : 0.0; }
  double mean_abs_error_s() const { return matched ? sum_abs_error_s / matched : kNotMeasured; }
  double bias_s() const { return matched ? sum_error_s / matched : kNotMeasured; }
  double error_sd_s() const;
  double side_agreement() const {
    return side_known ? double(side_correct) / side_known : kNotMeasured;
  }
  double sure_side_agreement() const {
    return side_sure ? double(side_sure_correct) / side_sure : kNotMeasured;
  }
  double sure_fraction() const { return side_known ? double(side_sure) / side_known : 0.0; }
  double turn_recall() const {
    return turn_reference ? double(turn_matched) / turn_reference : kNotMeasured;
  }
  double contact_mae_s() const {
    return contact_n ? contact_sum_abs_error_s / contact_n : kNotMeasured;
  }
  double contact_bias_s() const {
    return contact_n ? contact_sum_error_s / contact_n : kNotMeasured;
  }
  // Share of the matched steps that have both our and the reference's contact time.
  double contact_share() const { return matched ? double(contact_n) / matched : 0.0; }
};

// Where in its reference bout an unmatched event lies (eval_real --misses).
enum class BoutPlace : int { kFirst, kSecond, kMiddle, kLastButOne, kClosing };
const char* bout_place_name(BoutPlace p);
struct UnmatchedEvent {
  double time_s = 0.0;
  BoutPlace place = BoutPlace::kMiddle;  // of the reference IC (missed) or the nearest one
  double nearest_ref_s = 0.0;            // false detections: offset to the nearest ref IC, s
  std::uint32_t flags = 0;               // false detections: the step's flags
};

struct TrialFigures : EventCounts {
  std::string dataset, subject, name;
  std::vector<UnmatchedEvent> missed, false_detections;
  bool held_out = false;
  // Per-side mean step time inside the bouts (side = stance leg of the step starting at the
  // IC), reference and detected, s; NaN when a side has < 3 steps.
  dsp::MeanSd ref_step_left, ref_step_right, det_step_left, det_step_right;
  double cadence_error_spm = kNotMeasured;  // mean over bouts |ours − reference|

  // The product's index (dsp::asymmetry_pct), on the reference and on our steps.
  double ref_asymmetry_pct() const;
  double det_asymmetry_pct() const;
};

TrialFigures evaluate_trial(const RealTrial& trial, const std::vector<Step>& steps,
                            double tol_s = 0.1);

// Trials pooled (sums of counts; per-trial extremes for the "no trial below" targets).
struct PooledFigures : EventCounts {
  int trials = 0;
  double worst_recall = 1.0, worst_side = 1.0, worst_step_time_error_s = 0.0,
         worst_asymmetry_error_pct = 0.0;
  std::string worst_recall_trial, worst_side_trial, worst_step_trial, worst_asym_trial;
  double sum_step_time_error_s = 0, sum_asymmetry_error_pct = 0;
  int step_time_trials = 0;

  void add(const TrialFigures& f);
};

// One line per trial / per pool (fixed columns, for the logs and docs/ACCURACY.md).
std::string trial_line(const TrialFigures& f);
std::string pooled_line(const std::string& label, const PooledFigures& p);
std::string pooled_header();

}  // namespace stridelab::accuracy
