#!/usr/bin/env bash
# Regenerates the bundled synthetic recordings in recordings/sim/ with `stridelab simulate`.
# Deterministic: the same tool version and seeds give the same samples and truth.
#
#   tools/make_sim_recordings.sh [PATH_TO_STRIDELAB]   (default: build/stridelab)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stridelab=${1:-$here/build/stridelab}
out=$here/recordings/sim
[[ -x $stridelab ]] || { echo "make_sim_recordings.sh: no executable at $stridelab" >&2; exit 1; }
mkdir -p "$out"

# Walking, 200 Hz: clip rotated 90° about the vertical, realistic sensor errors, asymmetric
# drop (left stance 6°, right stance 4°).
walk=(--activity walk --duration 60 --standing-before 5 --standing-after 3
      --mount rot90 --noise realistic --drop-left 6 --drop-right 4 --seed 101)
"$stridelab" simulate "${walk[@]}" --rate 200 \
  --out "$out/walk_200hz.h5" --truth "$out/walk_200hz.truth.json"

# The same walk at 100 Hz as native CSV.
"$stridelab" simulate "${walk[@]}" --rate 100 \
  --out "$out/walk_100hz.csv" --truth "$out/walk_100hz.truth.json"

# Running, 200 Hz: sensor mounted upside down, realistic sensor errors.
"$stridelab" simulate --activity run --duration 60 --standing-before 5 --standing-after 3 \
  --mount upside-down --noise realistic --drop-left 7 --drop-right 5 --seed 202 --rate 200 \
  --out "$out/run_200hz.h5" --truth "$out/run_200hz.truth.json"

ls -l "$out"
