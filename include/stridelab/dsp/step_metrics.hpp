#pragma once
// Per-step metrics, one function per metric, each with its definition. They read the frame
// ring (pelvis angles relative to neutral, deg) between contact times.
#include "stridelab/core/steps.hpp"
#include "stridelab/dsp/filters.hpp"
#include "stridelab/dsp/frame.hpp"

namespace stridelab::dsp {

using FrameRing = Ring<FrameSample>;

// First held index whose time is >= t (ring.end() if none).
std::uint64_t frame_index_at(const FrameRing& ring, double t);
// True if the ring holds frames covering [t0, t1].
bool covers(const FrameRing& ring, double t0, double t1);

// Contralateral pelvic drop of a stance [ic, stance_end]: peak drop of the side opposite the
// stance leg, relative to neutral, deg, positive = that side lower. With φ > 0 lowering the
// right side: left stance → max φ, right stance → −min φ.
double pelvic_drop_deg(const FrameRing& ring, Side stance, double ic_s, double stance_end_s);
// The same side's drop at mid-stance ((ic + stance_end) / 2), deg (Bramah's definition).
double midstance_drop_deg(const FrameRing& ring, Side stance, double ic_s, double stance_end_s);
// Trunk rotation of a stride [start, end] (IC to the next IC of the same foot): range
// (max − min) of the transverse rotation after removing the straight line through its values
// at both contacts, which removes heading drift and steady turning, deg.
double trunk_rotation_deg(const FrameRing& ring, double start_s, double end_s);
// Heading change over [t0, t1], deg (for the turn flag).
double heading_change_deg(const FrameRing& ring, double t0, double t1);
// The same from the angular rate about world up alone, so without the mounting, deg (NaN
// where the frames do not hold [t0, t1]).
double yaw_change_deg(const FrameRing& ring, double t0, double t1);
// Side cue of a step over the early stance [ic, ic + window], deg; > 0 means left stance.
// Roll: the swing side drops after initial contact (obliquity rises in left stance). Yaw
// (McCamley 2012, checked on the Mobilise-D reference sides): after left contact the pelvis
// keeps rotating clockwise (transverse rotation falls), heading trend removed. The cue is
// Δobliquity − yaw_weight · Δrotation.
double side_cue_deg(const FrameRing& ring, double ic_s, double window_s, double step_s,
                    double yaw_weight);
// Lateral side cue, m/s²: in stance the leg pushes the centre of mass back towards the
// midline, so the mean medio-lateral acceleration over [ic + from, ic + to] points away from
// the stance side (walking and running alike). Returns −(mean acceleration to the left):
// > 0 means left stance.
double lateral_side_cue(const FrameRing& ring, const Vec3& left_in_sensor, double ic_s,
                        double from_s, double to_s);
// Flags raised by frames in [t0, t1]: kFlagGap (samples missing), kFlagClipping.
std::uint32_t frame_flags(const FrameRing& ring, double t0, double t1);

}  // namespace stridelab::dsp
