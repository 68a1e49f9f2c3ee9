#!/usr/bin/env bash
# two-hosts.sh - a two-host test bed on one machine: two network namespaces ("hosts") joined by
# a veth pair, Open MPI launched across them over TCP, with no ssh. For the tests that must cross
# a network (docs/cluster.md, "Across nodes") and bench/run ddp-tcp. Linux, run as root.
#
#   check             says whether the bed can run here: exit 0, or one line on stderr with the
#                     reason and exit 3 (not root, no `ip`, no mpirun, namespaces refused).
#   start             creates what is missing of: namespaces hpcl-node1 and hpcl-node2, each
#                     with lo up and one end of a veth pair (hpcl-veth1 192.0.2.1/24 in node1,
#                     hpcl-veth2 192.0.2.2/24 in node2), and a hostfile naming the two
#                     addresses. Idempotent. Takes a lease for the caller (below).
#   stop              gives the caller's lease back; the last one out removes what start created
#                     (and only that: a namespace of the same name that start found already there
#                     is never touched), after killing the processes still inside the namespaces
#                     (started through this script), by pid.
#   mpirun ARGS...    Open MPI's mpirun, run in node1's namespace with a hostfile of both hosts
#                     (one slot each) and a rankfile (rank 0 on node1, core 0; rank 1 on node2,
#                     core 1: give -np 2; TWO_HOSTS_RANKFILE=none leaves it out), its rsh agent
#                     replaced by `two-hosts.sh agent`, and the TCP transport forced on the veth
#                     (pml ob1, btl tcp,self, btl/oob_tcp_if_include 192.0.2.0/24).
#   exec NODE CMD...  runs CMD in host NODE (1 or 2): its namespace and its own host name.
#   pids NODE         the processes in NODE's namespace (ip netns pids).
#   delay MS|off      adds MS milliseconds of one-way delay to each end of the link (tc netem;
#                     a round trip gets 2 x MS), or removes it. Where the kernel has no netem
#                     qdisc (CONFIG_NET_SCH_NETEM), says so on one line and exits 3.
#   rate MBIT|off     limits each direction of the link to MBIT megabits per second (tc tbf), as a
#                     slower network would, or removes the limit. Replaces a delay (one root qdisc).
#   link NODE down|up takes NODE's end of the link down (a host cut off the network without a word:
#                     no reset, no FIN, as a pulled cable or a dead switch port) or back up.
#   agent HOST CMD... the rsh agent mpirun calls (as ssh HOST CMD): runs CMD with sh in HOST's
#                     namespace, under the host name of that node (unshare --uts), so each
#                     "host" reports its own name to Open MPI.
#   status            what exists, the leases, the link's qdisc.
#
# Addresses: TEST-NET-1 (RFC 5737, 192.0.2.0/24, reserved for documentation and never routed).
# The namespaces have no route to the machine's own network, so no address there can clash.
#
# Leases: tests and benchmarks may share the bed at once. Each `start` records its caller
# ($TWO_HOSTS_LEASE, default $PPID) in $STATE/leases; `stop` drops the caller's lease and leases
# whose process is gone, and tears down only when none is left. `run` below does start, the
# command, stop, whatever happens (trap on EXIT).
#
#   run CMD...        start; CMD (with this script as $TWO_HOSTS); stop on exit.
#
# Knobs (environment): TWO_HOSTS_STATE=/run/hpclearn-two-hosts (state: what start created, the
# hostfile, the leases).
set -euo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
STATE=${TWO_HOSTS_STATE:-/run/hpclearn-two-hosts}
NS=(hpcl-node1 hpcl-node2)
VETH=(hpcl-veth1 hpcl-veth2)
ADDR=(192.0.2.1 192.0.2.2)
NET=192.0.2.0/24
CREATED=$STATE/created        # one line per thing start created: "netns NAME"
LEASES=$STATE/leases
HOSTFILE=$STATE/hostfile
RANKFILE=$STATE/rankfile
LEASE_PID=${TWO_HOSTS_LEASE:-$PPID}

say() { echo "[two-hosts] $*" >&2; }
die() { say "$1"; exit "${2:-1}"; }

# why_not: empty when the bed can run here, else the reason (one line).
why_not() {
  [ "$(id -u)" = 0 ] || { echo "not root (network namespaces need root; CI runs as root)"; return; }
  command -v ip >/dev/null 2>&1 || { echo "the ip command is missing (apt-get install iproute2)"; return; }
  command -v unshare >/dev/null 2>&1 || { echo "unshare is missing (util-linux)"; return; }
  command -v mpirun >/dev/null 2>&1 || { echo "mpirun is not on PATH (apt-get install openmpi-bin libopenmpi-dev)"; return; }
  mpirun --version 2>/dev/null | grep -q "Open MPI" || { echo "mpirun is not Open MPI's (the bed drives Open MPI's rsh launcher)"; return; }
  if ! ip netns list >/dev/null 2>&1; then echo "ip netns does not work here"; return; fi
}

owned() { [ -f "$CREATED" ] && grep -qx "netns $1" "$CREATED"; }
exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }

node_of() {  # host (address or node name) -> index 0/1
  case "$1" in
    192.0.2.1|hpcl-node1|1) echo 0 ;;
    192.0.2.2|hpcl-node2|2) echo 1 ;;
    *) die "unknown host '$1': the test bed has 192.0.2.1 (hpcl-node1) and 192.0.2.2 (hpcl-node2)" 2 ;;
  esac
}

start() {
  local reason; reason=$(why_not)
  [ -z "$reason" ] || die "cannot start: $reason" 3
  mkdir -p "$STATE" "$LEASES"
  exec 9>"$STATE/lock"; flock 9
  touch "$CREATED"
  local i
  for i in 0 1; do
    if exists "${NS[$i]}"; then
      owned "${NS[$i]}" || die "network namespace ${NS[$i]} exists but was not created by this script; remove it (ip netns del ${NS[$i]}) or use another machine" 2
    else
      ip netns add "${NS[$i]}"
      echo "netns ${NS[$i]}" >>"$CREATED"
    fi
    ip -n "${NS[$i]}" link set lo up
  done
  # The pair is created straight inside the namespaces, so nothing is ever left in the machine's own.
  if ! ip -n "${NS[0]}" link show "${VETH[0]}" >/dev/null 2>&1; then
    ip -n "${NS[1]}" link del "${VETH[1]}" 2>/dev/null || true
    ip link add "${VETH[0]}" netns "${NS[0]}" type veth peer name "${VETH[1]}" netns "${NS[1]}"
  fi
  for i in 0 1; do
    ip -n "${NS[$i]}" addr replace "${ADDR[$i]}/24" dev "${VETH[$i]}"
    ip -n "${NS[$i]}" link set "${VETH[$i]}" up
  done
  printf '%s slots=1\n%s slots=1\n' "${ADDR[0]}" "${ADDR[1]}" >"$HOSTFILE"
  # Each "host" believes it owns the machine and would bind its rank to core 0: both ranks on one
  # core. Two real machines have a core each, so rank 1 gets the second core (where there is one).
  printf 'rank 0=%s slot=0\nrank 1=%s slot=%d\n' "${ADDR[0]}" "${ADDR[1]}" "$(( $(nproc) > 1 ? 1 : 0 ))" >"$RANKFILE"
  proc_start "$LEASE_PID" >"$LEASES/$LEASE_PID"
  exec 9>&-   # the lock is for start and stop themselves, not for what `run` does meanwhile
  say "up: ${NS[0]} ${ADDR[0]} (${VETH[0]}) <-> ${NS[1]} ${ADDR[1]} (${VETH[1]}); lease $LEASE_PID"
}

# A process's start time (field 22 of /proc/PID/stat), so a reused pid is not taken for the caller.
proc_start() { [ -r "/proc/$1/stat" ] && awk '{print $22}' "/proc/$1/stat" 2>/dev/null || echo gone; }

live_leases() {
  local f pid
  for f in "$LEASES"/*; do
    [ -e "$f" ] || continue
    pid=$(basename "$f")
    if [ "$(proc_start "$pid")" = "$(cat "$f")" ]; then echo "$pid"; else rm -f "$f"; fi
  done
}

stop() {
  [ -d "$STATE" ] || { say "nothing to stop"; return 0; }
  exec 9>"$STATE/lock"; flock 9
  rm -f "$LEASES/$LEASE_PID"
  local left; left=$(live_leases | tr '\n' ' ')
  if [ -n "$left" ]; then say "still in use (leases: $left); left up"; return 0; fi
  local i pid
  for i in 0 1; do
    owned "${NS[$i]}" || continue
    if exists "${NS[$i]}"; then
      for pid in $(ip netns pids "${NS[$i]}" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
      ip netns del "${NS[$i]}"   # takes its end of the veth pair with it, and so the pair
    fi
    sed -i "/^netns ${NS[$i]}\$/d" "$CREATED"
  done
  rm -f "$HOSTFILE" "$RANKFILE"
  say "down: removed what start created"
}

delay() {
  local ms=$1 i
  for i in 0 1; do exists "${NS[$i]}" || die "the bed is not up: run $SELF start first" 2; done
  if [ "$ms" = off ]; then
    for i in 0 1; do ip netns exec "${NS[$i]}" tc qdisc del dev "${VETH[$i]}" root 2>/dev/null || true; done
    say "delay off"; return 0
  fi
  [[ "$ms" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "delay '$ms' is not a number of milliseconds (e.g. 0.2) or off" 2
  local err
  for i in 0 1; do
    if ! err=$(ip netns exec "${NS[$i]}" tc qdisc replace dev "${VETH[$i]}" root netem delay "${ms}ms" 2>&1); then
      [ "$i" = 1 ] && ip netns exec "${NS[0]}" tc qdisc del dev "${VETH[0]}" root 2>/dev/null || true
      if grep -qi "qdisc kind is unknown" <<<"$err"; then
        echo "network delay not available here: the kernel has no netem qdisc (CONFIG_NET_SCH_NETEM; modprobe sch_netem where it is a module)" >&2
        exit 3
      fi
      die "tc netem failed: $err"
    fi
  done
  say "delay ${ms} ms each way on ${VETH[0]} and ${VETH[1]}"
}

rate() {
  local mbit=$1 i
  for i in 0 1; do exists "${NS[$i]}" || die "the bed is not up: run $SELF start first" 2; done
  if [ "$mbit" = off ]; then delay off; return 0; fi
  [[ "$mbit" =~ ^[0-9]+$ ]] && [ "$mbit" -gt 0 ] || die "rate '$mbit' is not a whole number of megabits per second (e.g. 1000) or off" 2
  # Bucket: 1 ms at the rate (at least 64 kB), so a burst cannot outrun the limit for long.
  local burst=$(( mbit * 125 > 65536 ? mbit * 125 : 65536 ))
  for i in 0 1; do
    ip netns exec "${NS[$i]}" tc qdisc replace dev "${VETH[$i]}" root tbf rate "${mbit}mbit" burst "$burst" latency 50ms \
      || die "tc tbf failed on ${VETH[$i]}"
  done
  say "rate ${mbit} Mbit/s each way on ${VETH[0]} and ${VETH[1]}"
}

case "${1:-}" in
  check)
    reason=$(why_not)
    [ -z "$reason" ] || { echo "two-host test bed cannot run here: $reason" >&2; exit 3; }
    echo "two-host test bed can run here"
    ;;
  start) start ;;
  stop) stop ;;
  run)
    shift
    [ $# -gt 0 ] || die "usage: $0 run CMD..." 2
    start
    trap 'stop' EXIT
    TWO_HOSTS="$SELF" "$@"
    ;;
  mpirun)
    shift
    [ -f "$HOSTFILE" ] || die "the bed is not up: run $SELF start first" 2
    place=(--rankfile "$RANKFILE"); [ "${TWO_HOSTS_RANKFILE:-}" = none ] && place=()
    # mpirun in node1 under node1's host name; ranks on node2 through the agent. plm rsh, not the
    # Slurm launcher a job's variables would pick; ob1 with tcp,self only: no shared memory (vader)
    # and no UCX, so every byte between the hosts crosses the veth by TCP.
    exec ip netns exec "${NS[0]}" unshare --uts sh -c 'hostname "$0" && exec "$@"' "${NS[0]}" \
      mpirun --allow-run-as-root --hostfile "$HOSTFILE" "${place[@]}" \
      --mca plm rsh --mca plm_rsh_agent "$SELF agent" \
      --mca pml ob1 --mca btl tcp,self --mca btl_tcp_if_include "$NET" --mca oob_tcp_if_include "$NET" \
      "$@"
    ;;
  exec)
    shift; [ $# -ge 2 ] || die "usage: $0 exec NODE CMD..." 2
    i=$(node_of "$1"); shift
    exec ip netns exec "${NS[$i]}" unshare --uts sh -c 'hostname "$0" && exec "$@"' "${NS[$i]}" "$@"
    ;;
  pids)
    i=$(node_of "${2:-}")
    ip netns pids "${NS[$i]}"
    ;;
  agent)
    shift; [ $# -ge 2 ] || die "usage: $0 agent HOST CMD..." 2
    i=$(node_of "$1"); shift
    # As ssh does: the words are one command line for the remote shell (Open MPI quotes for it).
    exec ip netns exec "${NS[$i]}" unshare --uts sh -c 'hostname "$0" && exec sh -c "$1"' "${NS[$i]}" "$*"
    ;;
  delay) delay "${2:?usage: $0 delay MS|off}" ;;
  rate) rate "${2:?usage: $0 rate MBIT|off}" ;;
  link)
    i=$(node_of "${2:-}")
    case "${3:-}" in up|down) ;; *) die "usage: $0 link NODE down|up" 2 ;; esac
    exists "${NS[$i]}" || die "the bed is not up: run $SELF start first" 2
    ip -n "${NS[$i]}" link set "${VETH[$i]}" "$3"
    [ "$3" = down ] || for j in 0 1; do ip -n "${NS[$j]}" addr replace "${ADDR[$j]}/24" dev "${VETH[$j]}"; done
    say "${VETH[$i]} on ${NS[$i]} $3"
    ;;
  status)
    for i in 0 1; do
      if exists "${NS[$i]}"; then
        echo "${NS[$i]}: $(owned "${NS[$i]}" && echo "created by this script" || echo "NOT created by this script"); $(ip -n "${NS[$i]}" -br addr show "${VETH[$i]}" 2>/dev/null || echo "no ${VETH[$i]}")"
        ip netns exec "${NS[$i]}" tc qdisc show dev "${VETH[$i]}" 2>/dev/null | sed "s/^/  /"
      else
        echo "${NS[$i]}: absent"
      fi
    done
    [ -d "$LEASES" ] && echo "leases: $(live_leases | tr '\n' ' ')"
    ;;
  *) echo "usage: $0 check | start | stop | run CMD... | mpirun ARGS... | exec NODE CMD... | pids NODE | delay MS|off | rate MBIT|off | link NODE down|up | agent HOST CMD... | status" >&2; exit 2 ;;
esac
