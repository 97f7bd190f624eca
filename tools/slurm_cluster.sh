#!/usr/bin/env bash
# A throw-away single-node Slurm cluster (Debian 12: Slurm 22.05, MUNGE) on this machine, to
# run docs/slurm_batch.sh for real: tests/slurm/test_slurm_batch.sh uses it, and so can you.
# Everything lives in DIR (munge key and socket, slurm.conf, state, spool, logs, pid files);
# nothing under /etc, /run or /var is read or written. The daemons listen on 127.0.0.1 only,
# on the first free pair of ports from 26817 up. Needs root (slurmd starts jobs as their user).
#
#   tools/slurm_cluster.sh install          apt-get install slurm-wlm munge (if missing)
#   tools/slurm_cluster.sh up DIR [CPUS]    start munged, slurmctld and slurmd (CPUS: 2)
#   tools/slurm_cluster.sh down DIR         cancel every job, stop every daemon `up` started
#
# After `up`: export SLURM_CONF=DIR/slurm.conf, then sbatch, squeue, scancel, sinfo as usual.
# Container notes: no cgroups (proctrack/linuxproc, task/none), no accounting database (job
# states from `scontrol show job` for MinJobAge = 10 min), slurmd -N names the node.
set -euo pipefail

die() { echo "slurm_cluster.sh: $*" >&2; exit 1; }

cmd_install() {
  local missing=()
  for p in slurm-wlm munge; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) == "install ok installed" ]] ||
      missing+=("$p")
  done
  ((${#missing[@]})) || { echo "slurm_cluster.sh: slurm-wlm and munge present"; return; }
  [[ $(id -u) -eq 0 ]] || die "need root to install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The packages' own services are not wanted (and do not start in a container): `up` runs
  # private daemons with their own key and configuration.
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A process that ended stays a zombie until PID 1 reaps it, which a container's init may do
# late (seconds here): count a zombie as gone.
running() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [[ $state != Z ]]
}
pid_alive() { [[ -s $1 ]] && running "$(cat "$1")"; }

cmd_up() {
  local dir=${1:?usage: slurm_cluster.sh up DIR [CPUS]} cpus=${2:-2}
  [[ $(id -u) -eq 0 ]] || die "needs root (slurmd runs jobs as their owner)"
  for b in munged slurmctld slurmd sbatch; do
    command -v "$b" >/dev/null || die "$b not found: run tools/slurm_cluster.sh install"
  done
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ ! -e $dir/slurm.conf ]] || die "$dir already holds a cluster (down it first)"
  # munged wants its key's and socket's folders writable by their owner only and its socket's
  # folder searchable by all (clients connect to it).
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log" "$dir/run"
  chmod 755 "$dir/munge"
  chmod 755 "$dir"
  local up=$dir
  while [[ $up != / ]]; do
    up=$(dirname "$up")
    [[ $(($(stat -c '%#a' "$up") & 1)) -eq 1 ]] ||
      die "$up is not searchable by all (chmod o+x), which munged requires above its socket"
  done

  # Whatever fails from here on: stop what has started.
  trap 'echo "slurm_cluster.sh: up failed; stopping what it started" >&2; cmd_down "$dir"' ERR
  local port=26817
  while ! port_free "$port" || ! port_free $((port + 1)); do
    port=$((port + 2))
    ((port < 27817)) || die "no free port pair in 26817..27817"
  done

  if command -v mungekey >/dev/null; then
    mungekey --create --keyfile="$dir/munge/munge.key"
  else
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  fi
  chmod 400 "$dir/munge/munge.key"
  munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/munged.seed"

  cat >"$dir/slurm.conf" <<EOF
# Written by tools/slurm_cluster.sh: one node, $cpus CPUs, 127.0.0.1 only.
ClusterName=stridelab-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
PlugStackConfig=$dir/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SlurmdParameters=config_overrides
ReturnToService=2
KillWait=2
MinJobAge=600
InactiveLimit=0
MailProg=/bin/true
NodeName=stridelab-node NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=2048 State=UNKNOWN
PartitionName=test Nodes=stridelab-node Default=YES MaxTime=INFINITE State=UP
EOF
  : >"$dir/plugstack.conf"
  mkdir -p "$dir/spool/stridelab-node"
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -f "$SLURM_CONF" -i
  slurmd -f "$SLURM_CONF" -N stridelab-node

  local t0=$SECONDS state=""
  while ((SECONDS - t0 < 60)); do
    state=$(sinfo -h -n stridelab-node -o %T 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 0.2
  done
  if [[ $state != idle ]]; then
    echo "slurm_cluster.sh: node not idle after 60 s (state '$state'); logs in $dir/log:" >&2
    tail -n 5 "$dir"/log/*.log >&2 || true
    cmd_down "$dir"
    exit 1
  fi
  echo "slurm_cluster.sh: up in $dir (ports $port, $((port + 1)) on 127.0.0.1, $cpus CPUs)"
  echo "export SLURM_CONF=$dir/slurm.conf"
}

# The processes of this cluster's jobs: slurmstepd and job scripts whose environment names
# this cluster's slurm.conf (inherited from slurmd and from sbatch), never anyone else's.
cluster_processes() {
  local conf=$1 p env
  for p in /proc/[0-9]*; do
    env=$(tr '\0' '\n' 2>/dev/null <"$p/environ") || continue
    grep -qxF "SLURM_CONF=$conf" <<<"$env" || continue
    if grep -q '^SLURM_JOB_ID=' <<<"$env" || [[ $(cat "$p/comm" 2>/dev/null) == slurmstepd ]]; then
      echo "${p#/proc/}"
    fi
  done
  return 0
}

cmd_down() {
  local dir=${1:?usage: slurm_cluster.sh down DIR}
  [[ -d $dir ]] || return 0
  dir=$(cd "$dir" && pwd)
  local conf=$dir/slurm.conf
  if pid_alive "$dir/run/slurmctld.pid"; then
    export SLURM_CONF=$conf
    local jobs=()
    mapfile -t jobs < <(timeout 10 squeue -h -o %A 2>/dev/null | sort -u || true)
    ((${#jobs[@]} == 0)) || timeout 10 scancel "${jobs[@]}" 2>/dev/null || true
    local t0=$SECONDS
    while ((SECONDS - t0 < 10)) && [[ -n $(timeout 5 squeue -h 2>/dev/null || true) ]]; do
      sleep 0.2
    done
  fi
  local d pid t0
  for d in slurmd slurmctld munged; do
    pid_alive "$dir/run/$d.pid" || continue
    pid=$(cat "$dir/run/$d.pid")
    kill "$pid" 2>/dev/null || true
    t0=$SECONDS
    while running "$pid" && ((SECONDS - t0 < 10)); do sleep 0.05; done
    ! running "$pid" || kill -KILL "$pid" 2>/dev/null || true
  done
  local left=()
  mapfile -t left < <(cluster_processes "$conf")
  if ((${#left[@]})); then
    echo "slurm_cluster.sh: killing leftover job processes: ${left[*]}" >&2
    kill -KILL "${left[@]}" 2>/dev/null || true
  fi
  rm -f "$conf"
  echo "slurm_cluster.sh: down ($dir)"
}

case ${1:-} in
  install) cmd_install ;;
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  -h|--help) sed -n '2,15p' "$0" ;;
  *) echo "usage: slurm_cluster.sh install | up DIR [CPUS] | down DIR" >&2; exit 64 ;;
esac
