#!/usr/bin/env bash
# local-slurm.sh start|stop|status - a real single-node Slurm (munged + slurmctld + slurmd) on
# this machine, without systemd, for the Slurm tests (tests tagged Category=slurm).
# Debian/Ubuntu, run as root. Written from ../shared/reference/local-slurm (see docs/cluster.md).
#
#   start   installs slurmctld slurmd slurm-client munge if missing, writes /etc/slurm/slurm.conf,
#           starts the daemons in the background, waits until `sinfo` shows the node idle and
#           prints "slurm ready". Idempotent; a changed config restarts the Slurm daemons.
#   stop    cancels the jobs, then stops the daemons THIS script started (by pid, never by name).
#   status  one line per daemon, then sinfo.
#
# Knobs (environment, all optional):
#   SLURM_LOCAL_DIR=/tmp/hpclearn-slurm   state, spool, logs, pid files
#   SLURM_LOCAL_CPUS=max(nproc,4)         CPUs advertised (may exceed the real count, so that a
#                                         sweep and a requeue test run side by side)
#   SLURM_LOCAL_MEM_MB=<80% of RAM>       RealMemory advertised
#   SLURM_LOCAL_CRED_EXPIRE=10            a requeued job waits cred_expire+1 s before it may start
#                                         again (Slurm's default, 120, makes a requeue take ~150 s)
#   SLURM_LOCAL_TIMEOUT=90                seconds to wait for the node to become idle
set -euo pipefail

BASE=${SLURM_LOCAL_DIR:-/tmp/hpclearn-slurm}
NODE=$(hostname -s)
NPROC=$(nproc)
CPUS=${SLURM_LOCAL_CPUS:-$(( NPROC > 4 ? NPROC : 4 ))}
MEM_MB=${SLURM_LOCAL_MEM_MB:-$(awk '/MemTotal/ {printf "%d", $2/1024*0.8}' /proc/meminfo)}
CRED_EXPIRE=${SLURM_LOCAL_CRED_EXPIRE:-10}
TIMEOUT=${SLURM_LOCAL_TIMEOUT:-90}
CONF=/etc/slurm/slurm.conf
RUN=$BASE/run
OWNED=$RUN/started-by-local-slurm   # daemons this script started: the only ones stop touches

say() { echo "[local-slurm] $*" >&2; }
die() {
  say "ERROR: $*"
  for f in "$BASE"/log/slurmctld.log "$BASE"/log/slurmd.log; do
    [ -s "$f" ] && { echo "----- tail $f" >&2; tail -n 20 "$f" >&2; }
  done
  exit 1
}

# pid_alive PIDFILE COMM: the pid in PIDFILE runs and is really COMM (pid files outlive daemons).
pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$2" ]
}
# stop_pidfile PIDFILE COMM: TERM, wait up to 20 s (slurmctld saves state first), then KILL.
stop_pidfile() {
  local pid i
  if ! pid_alive "$1" "$2"; then rm -f "$1"; return 0; fi
  pid=$(cat "$1")
  say "stopping $2 (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then say "$2 ($pid) ignored TERM, sending KILL"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.5; fi
  rm -f "$1"
}
owned() { [ -f "$OWNED" ] && grep -qx "$1" "$OWNED"; }
own() { mkdir -p "$RUN"; owned "$1" || echo "$1" >> "$OWNED"; }
node_state() { sinfo -h -n "$NODE" -o %T 2>/dev/null | head -n1 || true; }

start() {
  [ "$(id -u)" = 0 ] || die "must run as root (the daemons run as SlurmUser=root)"
  local t0 missing=() p
  t0=$(date +%s)
  # libpmix2 only silences slurmd's "can not load PMIx library" errors.
  for p in slurmctld slurmd slurm-client munge libpmix2; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || die "apt-get install failed"
  fi
  mkdir -p "$BASE"/{ctld,spool,log} "$RUN" /etc/slurm
  chmod 755 "$BASE"
  # sbatch and srun use gethostname(): the short name must resolve without DNS.
  getent hosts "$NODE" >/dev/null || echo "127.0.0.1 $NODE" >> /etc/hosts

  # munge: the key comes from the package's postinst; make one if it is missing.
  if [ ! -s /etc/munge/munge.key ]; then
    say "creating munge key"
    if command -v mungekey >/dev/null; then mungekey --create --keyfile=/etc/munge/munge.key --force
    else dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; fi
  fi
  chown munge:munge /etc/munge /etc/munge/munge.key; chmod 700 /etc/munge; chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge; chmod 755 /run/munge
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    stop_pidfile /run/munge/munged.pid munged
    rm -f /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
    say "starting munged"
    su -s /bin/sh munge -c /usr/sbin/munged || die "munged failed to start (see /var/log/munge/munged.log)"
    own munged
    for _ in $(seq 1 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n | unmunge >/dev/null || die "munge round trip failed"
  fi

  # No cgroups (proctrack/linuxproc, task/none); short cred_expire and sched_interval so a
  # requeued job starts again in ~15 s; jobcomp/filetxt so `sacct -c` works without slurmdbd.
  local conf
  conf=$(cat <<EOF
# generated by scripts/local-slurm.sh: single node, no cgroups, no systemd
ClusterName=hpclearn-local
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=cred_expire=$CRED_EXPIRE
MailProg=/bin/true
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$BASE/jobcomp.txt
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=5
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=600
StateSaveLocation=$BASE/ctld
SlurmdSpoolDir=$BASE/spool
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS Sockets=1 CoresPerSocket=$CPUS ThreadsPerCore=1 RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
)
  if [ ! -f $CONF ] || [ "$(cat $CONF)" != "$conf" ]; then
    printf '%s\n' "$conf" > $CONF
    chmod 644 $CONF
    # A changed node or port needs a real restart (reconfigure does not apply everything).
    stop_pidfile "$RUN/slurmd.pid" slurmd
    stop_pidfile "$RUN/slurmctld.pid" slurmctld
  fi
  if ! pid_alive "$RUN/slurmctld.pid" slurmctld; then
    say "starting slurmctld"
    slurmctld || die "slurmctld failed to start"
    own slurmctld
  fi
  if ! pid_alive "$RUN/slurmd.pid" slurmd; then
    say "starting slurmd"
    slurmd -N "$NODE" || die "slurmd failed to start"
    own slurmd
  fi

  local deadline st
  deadline=$(( $(date +%s) + TIMEOUT ))
  while :; do
    st=$(node_state)
    case "$st" in
      idle|mixed|allocated) break ;;
      down*|drain*|fail*) scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true ;;
    esac
    [ "$(date +%s)" -ge "$deadline" ] && die "node $NODE not idle after ${TIMEOUT}s (state: '${st:-no answer}')"
    sleep 0.2
  done
  say "node $NODE: $st, cpus=$CPUS, mem=${MEM_MB}MB, cred_expire=${CRED_EXPIRE}s ($(( $(date +%s) - t0 )) s)"
  echo "slurm ready"
}

stop() {
  [ -f "$OWNED" ] || { say "nothing to stop (no daemon was started by this script)"; return 0; }
  if owned slurmctld && pid_alive "$RUN/slurmctld.pid" slurmctld; then
    local jobs
    jobs=$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
    if [ -n "${jobs// /}" ]; then
      say "cancelling jobs: $jobs"
      # shellcheck disable=SC2086
      scancel $jobs 2>/dev/null || true
      # KillWait is 30 s: wait a little longer for COMPLETING jobs.
      for _ in $(seq 1 400); do [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break; sleep 0.1; done
    fi
  fi
  owned slurmd && stop_pidfile "$RUN/slurmd.pid" slurmd
  owned slurmctld && stop_pidfile "$RUN/slurmctld.pid" slurmctld
  owned munged && stop_pidfile /run/munge/munged.pid munged
  rm -f "$OWNED"
  say "stopped"
}

status() {
  local d pf
  for d in munged slurmctld slurmd; do
    pf=$RUN/$d.pid; [ $d = munged ] && pf=/run/munge/munged.pid
    if pid_alive "$pf" $d; then echo "$d: running (pid $(cat "$pf"))$(owned $d && echo ', started by this script')"
    else echo "$d: not running"; fi
  done
  command -v sinfo >/dev/null && sinfo 2>&1 || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
