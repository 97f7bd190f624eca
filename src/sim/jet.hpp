#pragma once
// A scalar function of time with its first and second time derivatives, so angles and their
// rates come out of the same expression (the gyroscope then integrates back to the orientation).
#include <cmath>

namespace stridelab::sim {

struct Jet {
  double v = 0.0;   // value
  double d = 0.0;   // d/dt
  double dd = 0.0;  // d²/dt²

  static Jet constant(double c) { return {c, 0.0, 0.0}; }
  static Jet time(double t) { return {t, 1.0, 0.0}; }
};

inline Jet operator+(Jet a, Jet b) {
  return {a.v + b.v, a.d + b.d, a.dd + b.dd};
}
inline Jet operator-(Jet a, Jet b) {
  return {a.v - b.v, a.d - b.d, a.dd - b.dd};
}
inline Jet operator*(double k, Jet a) {
  return {k * a.v, k * a.d, k * a.dd};
}
inline Jet operator*(Jet a, Jet b) {
  return {a.v * b.v, a.d * b.v + a.v * b.d, a.dd * b.v + 2.0 * a.d * b.d + a.v * b.dd};
}
inline Jet& operator+=(Jet& a, Jet b) {
  return a = a + b;
}

inline Jet sin(Jet a) {
  const double s = std::sin(a.v), c = std::cos(a.v);
  return {s, c * a.d, -s * a.d * a.d + c * a.dd};
}
inline Jet cos(Jet a) {
  const double s = std::sin(a.v), c = std::cos(a.v);
  return {c, -s * a.d, -c * a.d * a.d - s * a.dd};
}

}  // namespace stridelab::sim
