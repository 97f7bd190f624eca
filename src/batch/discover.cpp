// Which recordings a batch run works on: discovery, ids and deterministic sharding.
#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>

#include "stridelab/batch/batch.hpp"
#include "stridelab/core/error.hpp"
#include "stridelab/storage/recording_io.hpp"

namespace stridelab::batch {
namespace {

bool is_recording_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".h5" || ext == ".hdf5" || ext == ".csv" || ext == ".cwa") return true;
  // Xsens MT Manager exports (.txt) and phone-app zips count only when their content says so,
  // so a study folder's notes and archives are not taken for recordings.
  if (ext != ".txt" && ext != ".zip") return false;
  try {
    storage::detect_format(p);
    return true;
  } catch (const Error&) {
    return false;
  }
}

// A phone app's export kept as a folder (Sensor Logger, phyphox): one recording, not a
// folder of CSV recordings. Judged from the file names first, so a study folder's CSVs are not
// all read to find out.
// phyphox names its files after the experiment's export sets in the phone's language
// ("Gyroskop.csv"): a folder of a few CSVs whose captions hold the accelerometer in some and
// the gyroscope in others, none both, is one export. Only their first lines are read.
bool is_split_phyphox_folder(const fs::path& p) {
  constexpr int kMaxFiles = 8;  // phyphox exports hold one CSV per export set, a handful
  std::error_code ec;
  int csvs = 0;
  bool acc = false, gyr = false;
  for (const auto& e : fs::directory_iterator(p, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory(ec) || name.starts_with(".")) continue;  // meta/, hidden files
    if (e.path().extension() != ".csv" || ++csvs > kMaxFiles) return false;
    std::ifstream in(e.path(), std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const storage::PhoneColumns c = storage::phyphox_columns(head);
    if (!c.time || (c.acc && c.gyr)) return false;  // not phyphox, or a recording by itself
    acc |= c.acc;
    gyr |= c.gyr;
  }
  return acc && gyr;
}

bool is_recording_folder(const fs::path& p) {
  std::error_code ec;
  if ((!fs::is_regular_file(p / "Gyroscope.csv", ec) ||
       !(fs::is_regular_file(p / "Accelerometer.csv", ec) ||
         fs::is_regular_file(p / "TotalAcceleration.csv", ec))) &&
      !is_split_phyphox_folder(p))
    return false;
  try {
    storage::detect_format(p);
    return true;
  } catch (const Error&) {
    return false;
  }
}

// Files a batch run writes itself: never recordings.
bool is_batch_output(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.ends_with(".results.h5") || name.ends_with(".steps.csv");
}

bool parse_int(std::string_view text, int& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : nullptr;
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  int i = 0, n = 0;
  if (slash == std::string::npos || !parse_int(std::string_view(text).substr(0, slash), i) ||
      !parse_int(std::string_view(text).substr(slash + 1), n) || n < 1 || i < 1 || i > n)
    throw Error("--shard '" + text + "': expected I/N with 1 <= I <= N, e.g. 2/8");
  return Shard{i - 1, n};
}

bool shard_from_environment(Shard& shard) {
  const char* id = env("SLURM_ARRAY_TASK_ID");
  const char* count = env("SLURM_ARRAY_TASK_COUNT");
  if (!id || !count) return false;
  int task = 0, n = 0, first = 0;
  if (!parse_int(id, task) || !parse_int(count, n) || n < 1)
    throw Error(std::string("Slurm array variables are not numbers: SLURM_ARRAY_TASK_ID=") + id +
                " SLURM_ARRAY_TASK_COUNT=" + count);
  if (const char* min = env("SLURM_ARRAY_TASK_MIN"); min && !parse_int(min, first))
    throw Error(std::string("SLURM_ARRAY_TASK_MIN is not a number: ") + min);
  const int index = task - first;
  if (index < 0 || index >= n)
    throw Error("Slurm array task " + std::to_string(task) + " is outside " +
                std::to_string(first) + ".." + std::to_string(first + n - 1) +
                " (use a contiguous array, e.g. --array=0-" + std::to_string(n - 1) + ")");
  shard = Shard{index, n};
  return true;
}

std::vector<fs::path> discover_recordings(const fs::path& dir, const fs::path& exclude,
                                          const std::vector<std::string>& patterns) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir.string() + ": not a folder");
  const fs::path excluded = exclude.empty() ? fs::path() : fs::weakly_canonical(exclude, ec);
  std::vector<fs::path> found;
  auto it =
      fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw Error(dir.string() + ": cannot list folder: " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) throw Error(dir.string() + ": cannot list folder: " + ec.message());
    const fs::path& p = it->path();
    const bool hidden = p.filename().string().starts_with(".");
    bool folder_recording = false;
    if (it->is_directory(ec)) {
      if (hidden || (!excluded.empty() && fs::weakly_canonical(p, ec) == excluded)) {
        it.disable_recursion_pending();
        continue;
      }
      if (!is_recording_folder(p)) continue;
      it.disable_recursion_pending();  // its CSVs are parts of it
      folder_recording = true;
    }
    if (!folder_recording && (hidden || !it->is_regular_file(ec) || !is_recording_extension(p)))
      continue;
    if (is_batch_output(p)) continue;  // results of an earlier batch run kept beside the data
    const fs::path rel = fs::relative(p, dir, ec);
    if (!patterns.empty()) {
      const std::string rel_text = rel.generic_string();
      const bool match = std::any_of(patterns.begin(), patterns.end(), [&](const std::string& g) {
        return fnmatch(g.c_str(), rel_text.c_str(), 0) == 0;
      });
      if (!match) continue;
    }
    found.push_back(rel);
  }
  std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
    return a.generic_string() < b.generic_string();
  });
  return found;
}

std::vector<fs::path> select_shard(const std::vector<fs::path>& sorted_files, Shard shard) {
  std::vector<fs::path> mine;
  for (std::size_t k = 0; k < sorted_files.size(); ++k)
    if (static_cast<int>(k % static_cast<std::size_t>(shard.count)) == shard.index)
      mine.push_back(sorted_files[k]);
  return mine;
}

std::string recording_id(const fs::path& relative) {
  return relative.generic_string();
}

}  // namespace stridelab::batch
