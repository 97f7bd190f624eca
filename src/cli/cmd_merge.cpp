// `stridelab merge DIR`: joins the study tables of the shards of a sharded batch run
// (recordings/steps/errors.shard-I-of-N.csv) into the tables one unsharded run writes.
#include <iostream>

#include "cli/command.hpp"
#include "stridelab/batch/batch.hpp"

namespace stridelab::cli {
namespace {

void register_merge(CLI::App& app) {
  auto* cmd = app.add_subcommand("merge", "Join the tables of a sharded batch run");
  auto dir = std::make_shared<std::string>();
  cmd->add_option("DIR", *dir, "Output folder shared by the shards (--out of stridelab batch)")
      ->required();
  cmd->callback([dir] {
    std::vector<int> ignored;
    const int shards = batch::merge_shards(*dir, &ignored);
    for (int n : ignored)
      std::cout << "ignored the older shard tables of a " << n << "-way split in " << *dir
                << " (*.shard-I-of-" << n << ".csv; delete them when no longer needed)\n";
    if (shards == 0)
      std::cout << "nothing to merge: " << *dir
                << "/recordings.csv is already final (a run of one shard writes it itself)\n";
    else
      std::cout << "merged " << shards << " shards into " << *dir
                << "/{recordings,steps,errors}.csv\n";
  });
}

}  // namespace
STRIDELAB_COMMAND("merge", register_merge);
}  // namespace stridelab::cli
