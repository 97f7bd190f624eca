#pragma once
// The studio's look: colours beyond left/right (those live in stridelab/report/palette.hpp,
// shared with the report) and the application style sheet.
#include <QColor>
#include <QString>

namespace stridelab::studio::style {

// Trace colours chosen not to be mistaken for the left (blue) / right (vermillion) pair.
inline const QColor kAxisXColor{0x00, 0x9E, 0x73};      // bluish green
inline const QColor kAxisYColor{0xCC, 0x79, 0xA7};      // reddish purple
inline const QColor kAxisZColor{0x44, 0x44, 0x44};      // dark grey
inline const QColor kObliquityColor{0x22, 0x22, 0x22};  // near black
inline const QColor kRotationColor{0x00, 0x9E, 0x73};
inline const QColor kTiltColor{0xB0, 0xB0, 0xB0};
inline const QColor kCadenceColor{0x1F, 0x3A, 0x4D};
inline const QColor kOkColor{0x00, 0x9E, 0x73};
inline const QColor kWarnColor{0xE6, 0x9F, 0x00};
inline const QColor kErrorColor{0xB0, 0x30, 0x30};

// Application-wide style sheet: calm, flat, readable at arm's length in a clinic.
QString applicationStyleSheet();

}  // namespace stridelab::studio::style
