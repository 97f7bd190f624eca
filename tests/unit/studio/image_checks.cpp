#include "image_checks.hpp"

#include <algorithm>
#include <cstdlib>
#include <unordered_set>

namespace stridelab::test {
namespace {

QRect clip(const QImage& image, QRect rect) {
  return rect.isNull() ? image.rect() : rect.intersected(image.rect());
}
bool near(QRgb a, QColor b, int tolerance) {
  return std::abs(qRed(a) - b.red()) <= tolerance && std::abs(qGreen(a) - b.green()) <= tolerance &&
         std::abs(qBlue(a) - b.blue()) <= tolerance;
}

}  // namespace

int distinct_colors(const QImage& image, QRect rect) {
  const QImage img = image.convertToFormat(QImage::Format_RGB32);
  rect = clip(img, rect);
  std::unordered_set<QRgb> colors;
  for (int y = rect.top(); y <= rect.bottom(); ++y)
    for (int x = rect.left(); x <= rect.right(); ++x) colors.insert(img.pixel(x, y) & 0xFFFFFF);
  return static_cast<int>(colors.size());
}

int non_background_pixels(const QImage& image, QRect rect, QColor background, int tolerance) {
  const QImage img = image.convertToFormat(QImage::Format_RGB32);
  rect = clip(img, rect);
  int n = 0;
  for (int y = rect.top(); y <= rect.bottom(); ++y)
    for (int x = rect.left(); x <= rect.right(); ++x)
      if (!near(img.pixel(x, y), background, tolerance)) ++n;
  return n;
}

int pixels_near(const QImage& image, QRect rect, QColor color, int tolerance) {
  const QImage img = image.convertToFormat(QImage::Format_RGB32);
  rect = clip(img, rect);
  int n = 0;
  for (int y = rect.top(); y <= rect.bottom(); ++y)
    for (int x = rect.left(); x <= rect.right(); ++x)
      if (near(img.pixel(x, y), color, tolerance)) ++n;
  return n;
}

int pixels_with_hue(const QImage& image, QRect rect, QColor color, int hue_tolerance,
                    int min_saturation) {
  const QImage img = image.convertToFormat(QImage::Format_RGB32);
  rect = clip(img, rect);
  const int hue = color.hsvHue();
  int n = 0;
  for (int y = rect.top(); y <= rect.bottom(); ++y)
    for (int x = rect.left(); x <= rect.right(); ++x) {
      const QColor c = QColor::fromRgb(img.pixel(x, y));
      if (c.hsvSaturation() < min_saturation || c.hsvHue() < 0) continue;
      const int d = std::abs(c.hsvHue() - hue);
      if (std::min(d, 360 - d) <= hue_tolerance) ++n;
    }
  return n;
}

}  // namespace stridelab::test
