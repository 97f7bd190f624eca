#!/usr/bin/env bash
# Installs what stridelab needs from Debian 12 packages, configures (Ninja, Release) and
# builds into build/. Idempotent and non-interactive: packages already present are skipped,
# an existing build tree is reused. Run as root or as a user with sudo.
#
#   tools/setup.sh [--no-gui] [--build-dir DIR] [--jobs N]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir="$here/build"
gui=ON
jobs=$(nproc 2>/dev/null || echo 2)
while (($#)); do
  case "$1" in
    --no-gui) gui=OFF ;;
    --build-dir) build_dir=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$1'" >&2; exit 64 ;;
  esac
  shift
done

packages=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev libboost-dev libhdf5-dev hdf5-tools zlib1g-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  socat tmux python3-h5py python3-numpy
  clang libclang-rt-14-dev valgrind
  slurm-wlm munge
  libsdbus-c++-dev dbus-daemon python3-dbus python3-gi
)
if [[ $gui == ON ]]; then
  packages+=(qt6-base-dev qt6-charts-dev qt6-multimedia-dev libqt6opengl6-dev qt6-qpa-plugins fonts-dejavu-core xvfb)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup.sh: installing ${#missing[@]} missing package(s): ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup.sh: need root or sudo to install packages" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup.sh: all ${#packages[@]} packages present"
fi

cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DSTRIDELAB_BUILD_GUI=$gui -DSTRIDELAB_BUILD_TESTS=ON
cmake --build "$build_dir" -j "$jobs"
echo "setup.sh: built $build_dir/stridelab"
