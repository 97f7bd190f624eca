#pragma once
// Figures of one real trial and of pooled trials: detected steps against reference initial
// contacts (one-to-one, nearest within ±tol), side agreement, per-side step time and the
// step-time asymmetry index, turn contacts, contact time.
#include <string>
#include <vector>

#include "accuracy/real_data.hpp"
#include "stridelab/core/steps.hpp"

namespace stridelab::accuracy {

struct TrialFigures {
  std::string dataset, subject, name;
  bool held_out = false;
  int reference = 0, detected = 0, matched = 0;  // in-bout ICs, detections inside bouts
  double sum_abs_error_s = 0, sum_error_s = 0, sum_sq_error_s = 0;  // over matched
  int side_known = 0, side_correct = 0;
  int side_sure = 0, side_sure_correct = 0;  // of those, without kFlagLowSideConfidence
  int turn_reference = 0, turn_matched = 0;  // ICs outside the bouts but inside the trial
  // Per-side mean step time inside the bouts (side = stance leg of the step starting at the
  // IC), reference and detected, s; NaN when a side has < 3 steps.
  double ref_step_left_s = kNotMeasured, ref_step_right_s = kNotMeasured;
  double det_step_left_s = kNotMeasured, det_step_right_s = kNotMeasured;
  // Contact time (FC − IC of the same foot) of matched steps that have both, error, s.
  int contact_n = 0;
  double contact_sum_abs_error_s = 0;
  double cadence_error_spm = kNotMeasured;  // mean over bouts |ours − reference|

  double recall() const { return reference ? double(matched) / reference : 0.0; }
  double precision() const { return detected ? double(matched) / detected : 0.0; }
  double mean_abs_error_s() const { return matched ? sum_abs_error_s / matched : kNotMeasured; }
  double bias_s() const { return matched ? sum_error_s / matched : kNotMeasured; }
  double side_agreement() const {
    return side_known ? double(side_correct) / side_known : kNotMeasured;
  }
  double turn_recall() const {
    return turn_reference ? double(turn_matched) / turn_reference : kNotMeasured;
  }
  double ref_asymmetry_pct() const;
  double det_asymmetry_pct() const;
  double contact_mae_s() const {
    return contact_n ? contact_sum_abs_error_s / contact_n : kNotMeasured;
  }
};

// 100·|L − R| / mean(L, R); NaN if either is NaN.
double asymmetry_index_pct(double left_s, double right_s);

TrialFigures evaluate_trial(const RealTrial& trial, const std::vector<Step>& steps,
                            double tol_s = 0.1);

// Trials pooled (sums of counts; per-trial extremes for the "no trial below" targets).
struct PooledFigures {
  int trials = 0, reference = 0, detected = 0, matched = 0, side_known = 0, side_correct = 0;
  int side_sure = 0, side_sure_correct = 0;
  int turn_reference = 0, turn_matched = 0, contact_n = 0;
  double sum_abs_error_s = 0, sum_error_s = 0, sum_sq_error_s = 0, contact_sum_abs_error_s = 0;
  double error_sd_s() const;
  double worst_recall = 1.0, worst_side = 1.0, worst_step_time_error_s = 0.0,
         worst_asymmetry_error_pct = 0.0;
  std::string worst_recall_trial, worst_side_trial, worst_step_trial, worst_asym_trial;
  double sum_step_time_error_s = 0, sum_asymmetry_error_pct = 0;
  int step_time_trials = 0;

  void add(const TrialFigures& f);
  double recall() const { return reference ? double(matched) / reference : 0.0; }
  double precision() const { return detected ? double(matched) / detected : 0.0; }
  double mean_abs_error_s() const { return matched ? sum_abs_error_s / matched : kNotMeasured; }
  double bias_s() const { return matched ? sum_error_s / matched : kNotMeasured; }
  double side_agreement() const {
    return side_known ? double(side_correct) / side_known : kNotMeasured;
  }
  double turn_recall() const {
    return turn_reference ? double(turn_matched) / turn_reference : kNotMeasured;
  }
  double sure_side_agreement() const {
    return side_sure ? double(side_sure_correct) / side_sure : kNotMeasured;
  }
  double sure_fraction() const { return side_known ? double(side_sure) / side_known : 0.0; }
};

// One line per trial / per pool (fixed columns, for the logs and docs/ACCURACY.md).
std::string trial_line(const TrialFigures& f);
std::string pooled_line(const std::string& label, const PooledFigures& p);
std::string pooled_header();

}  // namespace stridelab::accuracy
