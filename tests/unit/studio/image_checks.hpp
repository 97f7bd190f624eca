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

}  // namespace stridelab::test
