# Shared helpers for kafka.sh and elasticsearch.sh. Sourced, not run.
# Everything a server writes lives under $INFRA_DIR (<repo>/.infra, gitignored); downloads are cached per user.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
INFRA_DIR=${KEYWATCH_INFRA_DIR:-$REPO_ROOT/.infra}
INFRA_CACHE=${KEYWATCH_INFRA_CACHE:-$HOME/.cache/keywatch-infra}

log() { echo "[$INFRA_NAME] $*" >&2; }

die() {
  log "ERROR: $*"
  exit 1
}

# Prints the last 50 lines of a log so a failed start explains itself.
dump_log() {
  local file=$1
  if [ -f "$file" ]; then
    echo "---- last 50 lines of $file ----" >&2
    tail -n 50 "$file" >&2
    echo "---- end of $file ----" >&2
  else
    echo "(no log at $file)" >&2
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

read_pid() {
  if [ -f "$1" ]; then
    tr -dc '0-9' <"$1"
  fi
}

# The pid listening on 127.0.0.1:$1. An open port alone may belong to someone else's server on a shared machine.
listener_pid() {
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2
}

owns_port() {
  local pid=$1 port=$2
  [ -n "$pid" ] && [ "$(listener_pid "$port")" = "$pid" ]
}

# Sends SIGTERM, waits up to $2 seconds, then SIGKILL. Returns once the process is gone.
stop_pid() {
  local pid=$1 grace=$2 waited=0
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid" && [ "$waited" -lt "$grace" ]; do
    sleep 1
    waited=$((waited + 1))
  done
  if pid_alive "$pid"; then
    log "pid $pid still running after ${grace}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
}

# Maven downloads quietly but a failure must show why.
mvn_quiet() {
  local out
  if ! out=$(mvn -B -q "$@" 2>&1); then
    echo "$out" >&2
    die "mvn $* failed"
  fi
}
