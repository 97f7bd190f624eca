#!/usr/bin/env bash
# docs/slurm_batch.sh under a real Slurm 22.05: a single-node cluster on 127.0.0.1 with 2 CPUs
# (tools/slurm_cluster.sh) runs `stridelab batch` as a job array over a simulated study with a
# few broken files, then `stridelab merge` as a dependent job (--dependency=afterany, as
# docs/BATCH.md says). Checks, each of which can fail:
#   1. the merged tables are byte-identical to one `stridelab batch` on this machine, and the
#      broken files (and only they) are in errors.csv;
#   2. re-submitting analyses nothing: every recording is "up to date", no manifest rewritten;
#   3. an array task cancelled mid-run (scancel) leaves no shard table, the dependent merge
#      fails naming the missing shard, and re-submitting redoes exactly the recordings that
#      task had not finished, after which the tables equal the single run again;
#   4. an array of one task writes the whole tables itself (no merge needed).
# Prints the time to bring the cluster up and recordings/s with 1 and 2 array tasks.
#
#   tests/slurm/test_slurm_batch.sh STRIDELAB_BINARY
# Environment: STUDY_RECORDINGS (40), STUDY_SECONDS (20 s of gait each, 100 Hz),
# KEEP_SLURM_TEST=1 keeps the work folder. Exit 77 (skipped) without Slurm/MUNGE or root.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$(realpath "${1:?usage: test_slurm_batch.sh STRIDELAB_BINARY}")
n_rec=${STUDY_RECORDINGS:-40}
seconds=${STUDY_SECONDS:-20}
[[ -x $bin ]] || { echo "test_slurm_batch: $bin is not executable" >&2; exit 1; }

for b in munged slurmctld slurmd sbatch scontrol squeue scancel; do
  if ! command -v "$b" >/dev/null; then
    echo "SKIPPED: $b not installed (Debian: apt-get install slurm-wlm munge, or" \
      "tools/slurm_cluster.sh install)"
    exit 77
  fi
done
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIPPED: a private Slurm cluster needs root (slurmd starts jobs as their owner)"
  exit 77
fi

work=$(mktemp -d /tmp/stridelab-slurm.XXXXXX)
chmod 755 "$work"  # munged wants every folder above its socket searchable by all
cluster=$work/cluster
failed=1
cleanup() {
  bash "$here/tools/slurm_cluster.sh" down "$cluster" >/dev/null 2>&1 || true
  if ((failed)); then
    echo "--- job logs (last lines) ---"
    tail -n 5 "$work"/logs/*.log 2>/dev/null || true
    tail -n 5 "$cluster"/log/*.log 2>/dev/null || true
  fi
  if [[ ${KEEP_SLURM_TEST:-0} == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

checks=0
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { checks=$((checks + 1)); echo "ok: $*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", n / s }'; }
rows() { echo $(($(wc -l <"$1") - 1)); }

# --- the study: n_rec short simulated recordings in 8 subject folders, 3 broken files --------
study=$work/study
mkdir -p "$study" "$work/logs"
t0=$(now)
for i in $(seq 1 "$n_rec"); do
  subject=$(printf 's%02d' $((i % 8 + 1)))
  activity=walk; ((i % 3)) || activity=run
  ext=h5; ((i % 4)) || ext=csv
  file=$study/$subject/trial$(printf %03d "$i").$ext
  mkdir -p "$study/$subject"
  "$bin" simulate --activity $activity --duration "$seconds" --rate 100 --seed "$i" \
    --out "$file" >/dev/null
  [[ $ext == h5 ]] && good_h5=$file || good_csv=$file
done
mkdir -p "$study/broken"
head -c $(($(stat -c %s "$good_h5") / 2)) "$good_h5" >"$study/broken/truncated.h5"
head -c 65536 /dev/urandom >"$study/broken/garbage.h5"
cut -d, -f1-3,5-7 "$good_csv" >"$study/broken/missing_acc_z.csv"  # no acc_z column
broken=(broken/garbage.h5 broken/missing_acc_z.csv broken/truncated.h5)
total=$((n_rec + ${#broken[@]}))
echo "study: $n_rec recordings of ${seconds} s at 100 Hz + ${#broken[@]} broken files," \
  "simulated in $(elapsed "$t0" "$(now)") s"

# --- the reference: one run on this machine --------------------------------------------------
t0=$(now)
status=0
"$bin" batch "$study" --out "$work/ref" -j 2 --quiet >"$work/logs/ref.log" 2>&1 || status=$?
t_ref=$(elapsed "$t0" "$(now)")
((status == 3)) || fail "single-machine batch exit $status, expected 3 (some failed)"
(($(rows "$work/ref/recordings.csv") == n_rec)) || fail "reference recordings.csv rows"
echo "single machine, -j 2: $total files in $t_ref s = $(rate "$total" "$t_ref") recordings/s"

# --- the cluster -------------------------------------------------------------------------------
t0=$(now)
bash "$here/tools/slurm_cluster.sh" up "$cluster" 2 >"$work/logs/cluster.log" 2>&1 ||
  { cat "$work/logs/cluster.log"; fail "cluster did not come up"; }
t_up=$(elapsed "$t0" "$(now)")
export SLURM_CONF=$cluster/slurm.conf
echo "cluster up (munged, slurmctld, slurmd; node idle) in $t_up s:" \
  "$(grep -o 'ports.*' "$work/logs/cluster.log")"
if command -v ss >/dev/null; then
  mapfile -t ports < <(grep -oE '^Slurm(ctld|d)Port=[0-9]+' "$SLURM_CONF" | cut -d= -f2)
  ((${#ports[@]} == 2)) || fail "slurm.conf names ${#ports[@]} ports"
  for port in "${ports[@]}"; do
    listen=$(ss -Hltn "sport = :$port" | awk '{print $4}' | sort -u | tr '\n' ' ')
    [[ $listen == "127.0.0.1:$port " ]] || fail "port $port listens on '$listen', not 127.0.0.1 only"
  done
  pass "slurmctld and slurmd listen on 127.0.0.1 only"
else
  echo "(ss not installed: listening addresses not checked)"
fi

# submit_array NAME OUT TASKS [STRIDELAB]: the docs' script as an array of TASKS tasks with one
# CPU each; prints the job id. (The script asks for 4 CPUs: more than this node has.)
submit_array() {
  sbatch --parsable --job-name="$1" --array=0-$(($3 - 1)) --cpus-per-task=1 --mem=256M \
    --output="$work/logs/$1-%a.log" --export=ALL,STRIDELAB="${4:-$bin}" \
    "$here/docs/slurm_batch.sh" "$study" "$2"
}
submit_merge() {  # submit_merge NAME OUT AFTER_JOB
  sbatch --parsable --job-name="$1" --dependency="afterany:$3" --mem=256M \
    --output="$work/logs/$1.log" --wrap "'$bin' merge '$2'"
}
wait_jobs() {  # wait_jobs JOBID...: until none is pending or running (120 s at most)
  local ids t0=$SECONDS
  ids=$(IFS=,; echo "$*")
  while [[ -n $(squeue -h -j "$ids" 2>/dev/null) ]]; do
    ((SECONDS - t0 < 120)) || fail "jobs $ids still queued after 120 s: $(squeue -j "$ids")"
    sleep 0.1
  done
}
# job_states JOBID: "STATE EXIT" per job (per array task), from the controller's memory.
job_states() {
  scontrol -o show job "$1" | sed -E 's/.*JobState=([A-Z_]+).* ExitCode=([0-9:]+).*/\1 \2/'
}
expect_states() {  # expect_states JOBID "STATE EXIT" COUNT (a regular expression)
  local got
  got=$(job_states "$1" | grep -cxE "$2" || true)
  ((got == $3)) || fail "job $1: expected $3 x '$2', got: $(job_states "$1" | tr '\n' ';')"
}
# task_counts LOG: "analysed up_to_date failed" from the batch's closing line.
task_counts() {
  sed -nE 's/^[0-9]+ recordings.*: ([0-9]+) analysed, ([0-9]+) up to date, ([0-9]+) failed$/\1 \2 \3/p' "$1"
}
sum_counts() {  # sum_counts LOG...: analysed, up to date, failed over the tasks
  local a=0 u=0 f=0 x y z log
  for log in "$@"; do
    read -r x y z < <(task_counts "$log") || fail "$log: no closing line"
    a=$((a + x)) u=$((u + y)) f=$((f + z))
  done
  echo "$a $u $f"
}
same_tables() {  # same_tables OUT WHAT
  local t
  for t in recordings steps minutes errors; do
    cmp -s "$work/ref/$t.csv" "$1/$t.csv" || fail "$2: $t.csv differs from the single run"
  done
  pass "$2: recordings/steps/minutes/errors.csv byte-identical to the single run ($(rows "$1/recordings.csv") recordings, $(rows "$1/steps.csv") steps)"
}
manifest_times() { find "$1" -name '*.manifest.json' -printf '%P %T@\n' | sort; }

# --- 1. two array tasks, then the merge -----------------------------------------------------
out=$work/out
t0=$(now)
jid=$(submit_array two "$out" 2)
mid=$(submit_merge merge "$out" "$jid")
wait_jobs "$jid"
t_two=$(elapsed "$t0" "$(now)")
wait_jobs "$mid"
t_two_merged=$(elapsed "$t0" "$(now)")
expect_states "$jid" "COMPLETED 0:0" 2
expect_states "$mid" "COMPLETED 0:0" 1
pass "array of 2 tasks and the dependent merge completed (exit 0)"
[[ -f $out/recordings.shard-1-of-2.csv && -f $out/recordings.shard-2-of-2.csv ]] ||
  fail "shard tables missing"
same_tables "$out" "2 tasks + merge"
for b in "${broken[@]}"; do
  grep -q "^$b," "$out/errors.csv" || fail "$b not in errors.csv"
done
(($(rows "$out/errors.csv") == ${#broken[@]})) || fail "errors.csv has $(rows "$out/errors.csv") rows"
pass "errors.csv lists exactly the ${#broken[@]} broken files: $(tail -n +2 "$out/errors.csv" | cut -d, -f1 | tr '\n' ' ')"
read -r a u f < <(sum_counts "$work/logs/two-0.log" "$work/logs/two-1.log")
((a == n_rec && u == 0 && f == ${#broken[@]})) || fail "first run counts: $a analysed, $u up to date, $f failed"
echo "2 array tasks: $total files in $t_two s from sbatch to the last task's end" \
  "= $(rate "$total" "$t_two") recordings/s ($t_two_merged s with the merge job)"

# --- 2. re-submission: nothing to redo --------------------------------------------------------
before=$(manifest_times "$out")
(($(wc -l <<<"$before") == n_rec)) || fail "expected $n_rec manifests, found $(wc -l <<<"$before")"
jid=$(submit_array again "$out" 2)
mid=$(submit_merge merge-again "$out" "$jid")
wait_jobs "$jid" "$mid"
expect_states "$jid" "COMPLETED 0:0" 2
expect_states "$mid" "COMPLETED 0:0" 1
read -r a u f < <(sum_counts "$work/logs/again-0.log" "$work/logs/again-1.log")
((a == 0 && u == n_rec && f == ${#broken[@]})) ||
  fail "re-submission: $a analysed, $u up to date, $f failed (expected 0, $n_rec, ${#broken[@]})"
[[ $(manifest_times "$out") == "$before" ]] || fail "re-submission rewrote manifests"
same_tables "$out" "re-submission"
pass "re-submission: 0 analysed, $u up to date (no manifest touched), the ${#broken[@]} broken retried and failed again"

# --- 3. a task cancelled mid-run ---------------------------------------------------------------
# Task 1 runs stridelab through this wrapper, which stops it (SIGSTOP) as soon as it has
# finished its first recording, so that the cancel comes mid-run whatever the machine's speed.
cat >"$work/stop_after_first.sh" <<EOF
#!/bin/bash
[[ \${SLURM_ARRAY_TASK_ID:-} == 1 ]] || exec '$bin' "\$@"
# Niced, so that on a busy machine this loop, not stridelab, gets the CPU.
nice -n 19 '$bin' "\$@" 2>'$work/killed-progress.txt' &
pid=\$!
state() { awk '{print \$3}' /proc/\$pid/stat 2>/dev/null; }
until grep -q ' ok (' '$work/killed-progress.txt' 2>/dev/null; do
  [[ \$(state) =~ ^[RSD]\$ ]] || break
  sleep 0.005
done
kill -STOP \$pid 2>/dev/null
while [[ \$(state) =~ ^[RSD]\$ ]]; do sleep 0.005; done  # until stopped (T) or ended
touch '$work/stopped'
wait \$pid
EOF
chmod +x "$work/stop_after_first.sh"
kill_out=$work/out-killed
jid=$(submit_array killed "$kill_out" 2 "$work/stop_after_first.sh")
mid=$(submit_merge merge-killed "$kill_out" "$jid")
t0=$SECONDS
until [[ -e $work/stopped ]]; do
  ((SECONDS - t0 < 60)) || fail "task 1 never reached its first recording"
  sleep 0.05
done
scancel "${jid}_1"
wait_jobs "$jid" "$mid"
# The recordings of shard 2 (good ones), from the first run's shard table, and those of them
# the cancelled task had finished (a manifest is written last).
mapfile -t shard2 < <(tail -n +2 "$out/recordings.shard-2-of-2.csv" | cut -d, -f1)
done_before=()
for id in "${shard2[@]}"; do
  [[ -f $kill_out/$id.manifest.json ]] && done_before+=("$id")
done
((${#done_before[@]} >= 1 && ${#done_before[@]} < ${#shard2[@]})) ||
  fail "cancel was not mid-run: ${#done_before[@]} of ${#shard2[@]} done"
expect_states "$jid" "COMPLETED 0:0" 1
expect_states "$jid" "CANCELLED [0-9]+:[0-9]+" 1  # 0:15 or 1:0, as the signal lands
[[ ! -e $kill_out/recordings.shard-2-of-2.csv ]] || fail "cancelled task left its shard table"
pass "task 2 of 2 cancelled with scancel after ${#done_before[@]} of ${#shard2[@]} recordings; no shard table"
expect_states "$mid" "FAILED 1:0" 1
grep -qF "shard 2 of 2 is missing (recordings.shard-2-of-2.csv)" "$work/logs/merge-killed.log" ||
  fail "merge message does not name the missing shard: $(cat "$work/logs/merge-killed.log")"
[[ ! -e $kill_out/recordings.csv ]] || fail "merge wrote tables despite a missing shard"
pass "merge refused: $(tail -n 1 "$work/logs/merge-killed.log")"

stamps_before=$(for id in "${done_before[@]}"; do stat -c '%n %.9Y' "$kill_out/$id.manifest.json"; done)
jid=$(submit_array resumed "$kill_out" 2)
mid=$(submit_merge merge-resumed "$kill_out" "$jid")
wait_jobs "$jid" "$mid"
expect_states "$jid" "COMPLETED 0:0" 2
expect_states "$mid" "COMPLETED 0:0" 1
read -r a u f < <(task_counts "$work/logs/resumed-1.log")
((a == ${#shard2[@]} - ${#done_before[@]} && u == ${#done_before[@]})) ||
  fail "resumed task 2: $a analysed, $u up to date (expected $((${#shard2[@]} - ${#done_before[@]})), ${#done_before[@]})"
read -r a0 u0 _ < <(task_counts "$work/logs/resumed-0.log")
((a0 == 0)) || fail "resumed task 1 re-analysed $a0 recordings"
stamps_after=$(for id in "${done_before[@]}"; do stat -c '%n %.9Y' "$kill_out/$id.manifest.json"; done)
[[ $stamps_after == "$stamps_before" ]] || fail "recordings finished before the cancel were redone"
pass "resubmitted: task 2 analysed the $a it had not finished, kept its ${#done_before[@]} finished; task 1 all $u0 up to date"
same_tables "$kill_out" "after the cancel and resubmission"

# --- 4. scaling: 1 and 2 array tasks, fresh output each, timed by the tasks themselves -------
cat >"$work/timed.sh" <<EOF
#!/bin/bash
date +%s.%N >'$work/times/'\$SLURM_JOB_ID.start
status=0
'$bin' "\$@" || status=\$?
date +%s.%N >'$work/times/'\$SLURM_JOB_ID.end
exit \$status
EOF
chmod +x "$work/timed.sh"
declare -A wall span
for tasks in 1 2; do
  rm -rf "$work/times"
  mkdir -p "$work/times"
  t0=$(now)
  jid=$(submit_array "scale$tasks" "$work/scale$tasks" "$tasks" "$work/timed.sh")
  wait_jobs "$jid"
  wall[$tasks]=$(elapsed "$t0" "$(now)")
  expect_states "$jid" "COMPLETED 0:0" "$tasks"
  first=$(sort -n "$work"/times/*.start | sed -n 1p)
  last=$(sort -n "$work"/times/*.end | sed -n '$p')
  span[$tasks]=$(elapsed "$first" "$last")
done
# One task is the whole study: it writes the final tables itself.
[[ ! -e $work/scale1/recordings.shard-1-of-1.csv ]] || fail "a 1-task array wrote shard tables"
same_tables "$work/scale1" "array of 1 task (no merge)"
for tasks in 1 2; do
  echo "scaling: $tasks array task(s) x 1 CPU: $total files, $(rate "$total" "${span[$tasks]}")" \
    "recordings/s while the tasks ran (${span[$tasks]} s), $(rate "$total" "${wall[$tasks]}")" \
    "recordings/s from sbatch to the end (${wall[$tasks]} s)"
done
echo "single machine, -j 2, no Slurm: $(rate "$total" "$t_ref") recordings/s"

failed=0
echo "$checks passed, 0 failed"
