#pragma once
// Content checks on rendered images: is something drawn, and in which colours.
#include <QColor>
#include <QImage>
#include <QRect>

namespace stridelab::test {

// Number of distinct RGB colours in the image (or in `rect` of it).
int distinct_colors(const QImage& image, QRect rect = {});
// Pixels in `rect` that differ from `background` by more than `tolerance` in any channel.
int non_background_pixels(const QImage& image, QRect rect, QColor background = Qt::white,
                          int tolerance = 16);
// Pixels in `rect` within `tolerance` of `color` in every channel.
int pixels_near(const QImage& image, QRect rect, QColor color, int tolerance = 24);

// Pixels in `rect` with the hue of `color` (±hue_tolerance degrees) and at least min_saturation
// (0..255): finds a colour also where it is drawn translucent or anti-aliased.
int pixels_with_hue(const QImage& image, QRect rect, QColor color, int hue_tolerance = 10,
                    int min_saturation = 60);

}  // namespace stridelab::test
