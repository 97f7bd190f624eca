#include "stridelab/dsp/filters.hpp"

#include <algorithm>

namespace stridelab::dsp {

std::vector<double> gaussian_kernel(double sigma_s, double rate_hz) {
  const double sigma = std::max(sigma_s * rate_hz, 1e-6);  // samples
  const int half = std::max(1, static_cast<int>(std::ceil(3.0 * sigma)));
  std::vector<double> k(2 * half + 1);
  double sum = 0.0;
  for (int i = -half; i <= half; ++i) {
    k[i + half] = std::exp(-0.5 * (i / sigma) * (i / sigma));
    sum += k[i + half];
  }
  for (double& v : k) v /= sum;
  return k;
}

}  // namespace stridelab::dsp
