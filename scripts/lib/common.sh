# Shared helpers for the project's shell scripts. Source it; do not run it.
# Every cache lives outside the repository so a fresh clone stays clean.
INCIDENTS_CACHE="${INCIDENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/incidents}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$INCIDENTS_CACHE"

log() { printf '[%s] %s\n' "${LOG_TAG:-incidents}" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "${LOG_TAG:-incidents}" "$*" >&2; exit 1; }

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND every 0.2 s until it succeeds.
wait_for() {
  local what=$1 limit=$2; shift 2
  local deadline=$(( $(date +%s) + limit ))
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then return 1; fi
    sleep 0.2
  done
  log "$what: ready"
}

# kafkajs 2.2.4 schedules a timer with a negative delay in its request queue; Node >= 23
# warns about it (the timer still fires after 1 ms, as before). Keep logs readable.
case " ${NODE_OPTIONS:-} " in
  *TimeoutNegativeWarning*) ;;
  *) export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--disable-warning=TimeoutNegativeWarning" ;;
esac
export KAFKAJS_NO_PARTITIONER_WARNING=1
