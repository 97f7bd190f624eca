#pragma once
// Colours and labels shared by the studio and the report. Left and right are always told
// apart by colour AND by a text label (and, in point charts, by marker shape), and the two
// colours are the Okabe–Ito blue / vermillion pair, distinguishable with every common form of
// colour-vision deficiency and in greyscale print.
#include <QColor>
#include <QString>

#include "stridelab/core/steps.hpp"

namespace stridelab::report {

inline QColor left_color() {
  return QColor(0x00, 0x72, 0xB2);
}  // Okabe–Ito blue
inline QColor right_color() {
  return QColor(0xD5, 0x5E, 0x00);
}  // Okabe–Ito vermillion
inline QColor unknown_side_color() {
  return QColor(0x80, 0x80, 0x80);
}
inline QColor accent_color() {
  return QColor(0x1F, 0x3A, 0x4D);
}  // headings, header band
inline QColor text_color() {
  return QColor(0x22, 0x22, 0x22);
}
inline QColor muted_text_color() {
  return QColor(0x66, 0x6E, 0x75);
}

inline QColor side_color(Side side) {
  switch (side) {
    case Side::kLeft:
      return left_color();
    case Side::kRight:
      return right_color();
    case Side::kUnknown:
      break;
  }
  return unknown_side_color();
}

// "Left" / "Right" / "?" — the word, for legends and tables.
inline QString side_name(Side side) {
  switch (side) {
    case Side::kLeft:
      return QStringLiteral("Left");
    case Side::kRight:
      return QStringLiteral("Right");
    case Side::kUnknown:
      break;
  }
  return QStringLiteral("?");
}

}  // namespace stridelab::report
