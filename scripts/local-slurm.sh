#!/usr/bin/env bash
# local-slurm.sh start|stop|status - a real single-node Slurm (munged + slurmctld + slurmd) on
# this machine, without systemd, for the Slurm tests (tests tagged Category=slurm).
# Debian/Ubuntu, run as root. Written from ../shared/reference/local-slurm (see docs/cluster.md).
#
#   start   installs slurmctld slurmd slurm-client munge if missing, writes /etc/slurm/slurm.conf,
#           starts the daemons in the background, waits until `sinfo` shows the node idle and
#           prints "slurm ready". Idempotent; a changed config restarts the Slurm daemons (unless
#           another caller is using them). Takes a lease for the calling process (see below).
#   stop    gives the caller's lease back. Only the last caller out stops the daemons, and only
#           those this script started (by pid, never by name); jobs are cancelled only then (the
#           daemons' end would end them anyway). While another caller's lease lives, nothing stops
#           and no job is cancelled.
#   status  one line per daemon, the leases, then sinfo.
#
# Leases: one Slurm serves every caller on the machine (/etc/slurm/slurm.conf is machine-wide),
# so each `start` records its caller ($PPID, e.g. the .ci/run shell, or SLURM_LOCAL_LEASE) in
# $SLURM_LOCAL_DIR/run/leases/PID with that process's start time and the daemons this start
# started. A lease whose process is gone is dropped (its daemons pass to whoever stops last), so
# `sudo local-slurm.sh start` then `sudo local-slurm.sh stop` still stops what the first started.
#
# Knobs (environment, all optional):
#   SLURM_LOCAL_DIR=/tmp/hpclearn-slurm   state, spool, logs, pid files, leases (root-only files)
#   SLURM_LOCAL_LEASE=$PPID               the process whose lifetime the lease follows
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
LEASES=$RUN/leases                   # one file per caller: start=<its start time>, owns=<daemon> ...
LEASE_PID=${SLURM_LOCAL_LEASE:-$PPID}
LEGACY_OWNED=$RUN/started-by-local-slurm   # older versions' record, shared by all callers: left alone

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
# Leases. proc_start PID: the process's start time (clock ticks since boot; tells a reused pid apart).
proc_start() { [ -r "/proc/$1/stat" ] && sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }
my_lease() { echo "$LEASES/$LEASE_PID"; }
lease_alive() { local st; st=$(proc_start "${1##*/}") && [ -n "$st" ] && grep -qx "start=$st" "$1" 2>/dev/null; }
lease_owns() { sed -n 's/^owns=//p' "$1" 2>/dev/null; }
take_lease() {
  local st
  case "$LEASE_PID" in ''|*[!0-9]*) die "SLURM_LOCAL_LEASE='$LEASE_PID' is not a process id" ;; esac
  st=$(proc_start "$LEASE_PID") || true
  [ -n "$st" ] || die "the lease's process $LEASE_PID does not run (SLURM_LOCAL_LEASE)"
  mkdir -p "$LEASES"; chmod 700 "$LEASES"
  lease_alive "$(my_lease)" || echo "start=$st" > "$(my_lease)"
}
own() { grep -qx "owns=$1" "$(my_lease)" || echo "owns=$1" >> "$(my_lease)"; }
owned() { local f; for f in "$LEASES"/*; do [ -e "$f" ] && grep -qx "owns=$1" "$f" && return 0; done; return 1; }
# other_leases: the live leases of other callers, one path a line.
other_leases() { local f; for f in "$LEASES"/*; do [ -e "$f" ] && [ "$f" != "$(my_lease)" ] && lease_alive "$f" && echo "$f"; done; return 0; }
# One start or stop at a time (leases, pid files, slurm.conf).
lock() { mkdir -p "$RUN"; exec 9>"$RUN/.lock"; flock 9; }
node_state() { sinfo -h -n "$NODE" -o %T 2>/dev/null | head -n1 || true; }

start() {
  [ "$(id -u)" = 0 ] || die "must run as root (the daemons run as SlurmUser=root)"
  local t0 missing=() p others
  t0=$(date +%s)
  lock
  take_lease
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
    # 9>&-: the daemons must not inherit the lock's descriptor (they would hold the lock for ever,
    # and the next stop or start would wait on it).
    su -s /bin/sh munge -c /usr/sbin/munged 9>&- || die "munged failed to start (see /var/log/munge/munged.log)"
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
  others=$(other_leases)
  if [ -f $CONF ] && [ "$(cat $CONF)" != "$conf" ] && [ -n "$others" ] && pid_alive "$RUN/slurmctld.pid" slurmctld; then
    say "keeping the running Slurm's configuration: it is in use by pid $(echo "$others" | sed 's|.*/||' | tr '\n' ' ')(a restart would end their jobs)"
  elif [ ! -f $CONF ] || [ "$(cat $CONF)" != "$conf" ]; then
    printf '%s\n' "$conf" > $CONF
    chmod 644 $CONF
    # A changed node or port needs a real restart (reconfigure does not apply everything).
    stop_pidfile "$RUN/slurmd.pid" slurmd
    stop_pidfile "$RUN/slurmctld.pid" slurmctld
  fi
  if ! pid_alive "$RUN/slurmctld.pid" slurmctld; then
    say "starting slurmctld"
    slurmctld 9>&- || die "slurmctld failed to start"
    own slurmctld
  fi
  if ! pid_alive "$RUN/slurmd.pid" slurmd; then
    say "starting slurmd"
    slurmd -N "$NODE" 9>&- || die "slurmd failed to start"
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
  local mine f d others owns=()
  lock
  mine=$(my_lease)
  # The caller's own lease and the leases of callers that are gone: their daemons are ours to stop.
  for f in "$LEASES"/*; do
    [ -e "$f" ] || continue
    if [ "$f" = "$mine" ] || ! lease_alive "$f"; then
      [ "$f" = "$mine" ] || say "dropping the lease of pid ${f##*/} (no longer running)"
      while read -r d; do [ -n "$d" ] && owns+=("$d"); done < <(lease_owns "$f")
      rm -f "$f"
    fi
  done
  others=$(other_leases | head -n1)
  if [ -n "$others" ]; then
    # Still in use: hand what we started to a caller that stays, so the last one out stops it.
    for d in "${owns[@]}"; do grep -qx "owns=$d" "$others" || echo "owns=$d" >> "$others"; done
    say "Slurm is still in use (lease of pid ${others##*/}): leaving the daemons and jobs alone"
    return 0
  fi
  if [ ${#owns[@]} -eq 0 ]; then
    if [ -f "$LEGACY_OWNED" ]; then say "nothing to stop here: an older local-slurm.sh started the daemons (its record: $LEGACY_OWNED)"
    else say "nothing to stop (no daemon was started by this script)"; fi
    return 0
  fi
  has() { local x; for x in "${owns[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1; }
  if has slurmctld && pid_alive "$RUN/slurmctld.pid" slurmctld; then
    local jobs
    # The last caller out: the controller's end would end these jobs anyway; cancel them cleanly.
    jobs=$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
    if [ -n "${jobs// /}" ]; then
      say "cancelling jobs: $jobs"
      # shellcheck disable=SC2086
      scancel $jobs 2>/dev/null || true
      # KillWait is 30 s: wait a little longer for COMPLETING jobs.
      for _ in $(seq 1 400); do [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break; sleep 0.1; done
    fi
  fi
  if has slurmd; then stop_pidfile "$RUN/slurmd.pid" slurmd; fi
  if has slurmctld; then stop_pidfile "$RUN/slurmctld.pid" slurmctld; fi
  if has munged; then stop_pidfile /run/munge/munged.pid munged; fi
  say "stopped"
}

status() {
  local d pf
  for d in munged slurmctld slurmd; do
    pf=$RUN/$d.pid; [ $d = munged ] && pf=/run/munge/munged.pid
    if pid_alive "$pf" $d; then echo "$d: running (pid $(cat "$pf"))$(owned $d && echo ', started by this script')"
    else echo "$d: not running"; fi
  done
  [ -f "$LEGACY_OWNED" ] && echo "started by an older local-slurm.sh: $(tr '\n' ' ' < "$LEGACY_OWNED")(its own stop stops them)"
  local f
  for f in "$LEASES"/*; do
    [ -e "$f" ] || continue
    echo "lease of pid ${f##*/}: $(lease_alive "$f" && echo running || echo 'gone (dropped at the next stop)')$(lease_owns "$f" | tr '\n' ' ' | sed 's/^./, started: &/')"
  done
  command -v sinfo >/dev/null && sinfo 2>&1 || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
