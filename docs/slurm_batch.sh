#!/bin/bash
# Analyse a whole study on a Slurm cluster as a job array, then join the shards' tables.
#   sbatch docs/slurm_batch.sh /data/study /scratch/study-results
# Each array task analyses every N-th recording (stridelab reads SLURM_ARRAY_TASK_ID,
# SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT itself); the merge job runs after all of
# them and writes the same recordings.csv / steps.csv / errors.csv a single run would.
# Adapt --array (any size works with any number of files; an array of one task writes the
# final tables itself, no merge), --cpus-per-task (stridelab -j) and --time to the study;
# a task needs < 100 MB. STRIDELAB=/path/to/stridelab names the binary (default: on PATH);
# sbatch passes your environment, so load the site's modules before submitting. More in
# docs/BATCH.md ("Running on a real cluster"); tests/slurm/ runs this script under Slurm.
#SBATCH --job-name=stridelab
#SBATCH --array=0-15
#SBATCH --cpus-per-task=4
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --output=stridelab-%A_%a.log
set -euo pipefail
study=${1:?usage: sbatch slurm_batch.sh STUDY_DIR OUT_DIR}
out=${2:?usage: sbatch slurm_batch.sh STUDY_DIR OUT_DIR}
stridelab=${STRIDELAB:-stridelab}

# Exit status 3 means "some recordings failed" (listed in errors.shard-*.csv): not a job failure.
"$stridelab" batch "$study" --out "$out" -j "${SLURM_CPUS_PER_TASK:-1}" || [[ $? -eq 3 ]]

# The last task to finish could merge, but a dependent job is simpler and race-free:
#   jid=$(sbatch --parsable docs/slurm_batch.sh STUDY OUT)
#   sbatch --dependency=afterany:$jid --wrap "stridelab merge OUT"
