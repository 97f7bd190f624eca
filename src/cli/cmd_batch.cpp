// `stridelab batch DIR --out DIR`: analyses every recording of a study folder in parallel,
// resumably and reproducibly (docs/BATCH.md). Exit 0 when all were analysed, kExitPartial
// when some failed (listed in errors.csv), 1 when the batch itself could not run.
#include <unistd.h>

#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/csv_input.hpp"
#include "stridelab/batch/batch.hpp"
#include "stridelab/dsp/summary_json.hpp"
#include "stridelab/pipeline/analyze_recording.hpp"

namespace stridelab::cli {
namespace {

struct BatchCliOptions {
  std::string input, output, shard;
  CsvInput csv;  // units only: they are part of the resume key
  std::vector<std::string> include;
  int jobs = 0;
  bool force = false, quiet = false, no_mag = false;
  pipeline::AnalysisRequest request;
};

void run(const BatchCliOptions& o) {
  batch::BatchOptions b;
  b.input_dir = o.input;
  b.output_dir = o.output;
  b.jobs = o.jobs > 0 ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  b.patterns = o.include;
  b.force = o.force;
  b.quiet = o.quiet;
  b.progress_tty = ::isatty(STDERR_FILENO);
  b.csv = o.csv.options();
  if (!o.shard.empty())
    b.shard = batch::parse_shard(o.shard);
  else
    batch::shard_from_environment(b.shard);

  // The resume key: everything that shapes a result apart from the input itself.
  dsp::AnalyzerParams defaults;
  defaults.orientation.tau_acc_s = o.request.tau_acc_s;
  defaults.use_magnetometer = !o.no_mag;  // per recording: only where it has one
  const nlohmann::json key{{"activity", o.request.activity},
                           {"acc_unit", o.csv.acc_unit},
                           {"gyr_unit", o.csv.gyr_unit},
                           {"analyzer", dsp::to_json(defaults)}};
  b.parameters_key = key.dump();

  pipeline::AnalysisRequest request = o.request;
  request.use_magnetometer = !o.no_mag;
  const batch::BatchReport r = batch::run_batch(b, [request](const Recording& rec) {
    return pipeline::analyze_recording(rec, request).to_output();
  });
  std::cout << fmt::format("{} recordings{}: {} analysed, {} up to date, {} failed\n", r.total,
                           b.shard.whole()
                               ? std::string()
                               : fmt::format(" (shard {}/{})", b.shard.index + 1, b.shard.count),
                           r.analysed, r.skipped, r.failures.size());
  std::cout << "tables: " << r.recordings_table.string() << ", " << r.steps_table.string() << ", "
            << r.minutes_table.string() << "\n";
  if (!r.failures.empty()) {
    for (const auto& f : r.failures) std::cerr << "failed: " << f.file << ": " << f.reason << "\n";
    throw Exit{kExitPartial, fmt::format("{} of {} recordings failed (see {})", r.failures.size(),
                                         r.total, r.errors_table.string())};
  }
}

void register_batch(CLI::App& app) {
  auto o = std::make_shared<BatchCliOptions>();
  auto* cmd = app.add_subcommand("batch", "Analyse every recording under a folder (a study)");
  cmd->add_option("DIR", o->input, "Study folder (searched recursively)")->required();
  cmd->add_option("--out", o->output, "Results folder")->required();
  cmd->add_option("-j,--jobs", o->jobs, "Parallel analyses (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--activity", o->request.activity, "auto, walk or run")
      ->check(CLI::IsMember({"auto", "walk", "run"}));
  cmd->add_option("--shard", o->shard,
                  "Analyse only part I of N (1-based, e.g. 2/8); default: Slurm array vars");
  cmd->add_option("--include", o->include, "Only recordings whose relative path matches GLOB");
  add_csv_input_options(cmd, o->csv, /*with_time=*/false);
  cmd->add_option("--tau-acc", o->request.tau_acc_s, "Orientation: accelerometer time constant, s")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--no-mag", o->no_mag, "Ignore magnetometers (6-axis heading)");
  cmd->add_flag("--force", o->force, "Redo recordings whose results are up to date");
  cmd->add_flag("--quiet", o->quiet, "No progress output");
  cmd->callback([o] { run(*o); });
}

}  // namespace
STRIDELAB_COMMAND("batch", register_batch);
}  // namespace stridelab::cli
