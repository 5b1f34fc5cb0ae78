#!/usr/bin/env bash
# Gives the integration and e2e tests a Docker engine, the test image and a Chromium, then
# records what it found in .test-env/env.json. Safe to run repeatedly; it only installs or
# starts what is missing. It always exits 0: whether a missing piece is fatal is up to the
# tests (they fail under CI and skip elsewhere), so problems are written down, not raised.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
OUT_DIR=$ROOT/.test-env
mkdir -p "$OUT_DIR"

LOCAL_SOCK=/var/run/docker.sock
LOCAL_HOST=unix://$LOCAL_SOCK
LOCAL_PIDFILE=/var/run/docker.pid
TCP_HOST=tcp://127.0.0.1:2375
IMAGE=berth-test/busybox:latest
DOCKERD_LOG=/var/log/berth-test-dockerd.log
APT_LOG=$OUT_DIR/apt.log

log() { printf 'berth test-env: %s\n' "$*" >&2; }

# dockerd and the image are machine-wide, so two test runs at once (two checkouts, or a
# terminal and an editor) must not both start a daemon or import the image. The lock is per
# user so one user's lock file never blocks another; every child that may outlive us
# (dockerd, daemons apt starts) gets fd 9 closed, or it would hold the lock forever.
LOCK=${TMPDIR:-/tmp}/berth-test-env-$(id -u).lock
if { exec 9>>"$LOCK"; } 2>/dev/null; then
  if ! flock -n 9; then
    log "waiting for another test-env run (lock $LOCK)…"
    flock -w 900 9 || log "still locked after 15 min; going ahead anyway"
  fi
else
  log "cannot open $LOCK; going ahead without a lock"
fi

is_root() { [[ $(id -u) -eq 0 ]]; }
have() { command -v "$1" >/dev/null 2>&1; }
can_apt() { is_root && have apt-get; }

APT_UPDATED=0
# Installs packages; refreshes the package lists only when the first attempt fails, because
# an update costs time and the lists on a prepared machine are usually good enough.
apt_install() {
  log "installing $* with apt-get (may take a few minutes; log: $APT_LOG)"
  local -a cmd=(apt-get install -y -q -o DPkg::Lock::Timeout=300 "$@")
  if DEBIAN_FRONTEND=noninteractive "${cmd[@]}" >>"$APT_LOG" 2>&1 9>&-; then return 0; fi
  if [[ $APT_UPDATED -eq 0 ]]; then
    APT_UPDATED=1
    log "install failed; running apt-get update and retrying"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$APT_LOG" 2>&1 9>&-
    DEBIAN_FRONTEND=noninteractive "${cmd[@]}" >>"$APT_LOG" 2>&1 9>&- && return 0
  fi
  return 1
}
apt_tail() { tail -n 3 "$APT_LOG" 2>/dev/null | tr '\n' ' '; }

# An empty string stands for null.
json_str() {
  if [[ -z $1 ]]; then printf 'null'; return; fi
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  # Any other control character would make the file unreadable; drop them.
  s=$(printf '%s' "$s" | tr -d '\000-\010\013\014\016-\037')
  printf '"%s"' "$s"
}

# ---------------------------------------------------------------- Docker
DOCKER_ARGS=()
ENGINE_HOST=""
SERVER_VERSION=""
DOCKER_PROBLEM=""

dk() { timeout 60 docker "${DOCKER_ARGS[@]}" "$@"; }
server_version() { timeout 10 docker "$@" version --format '{{.Server.Version}}' 2>/dev/null; }

# The URL of the engine the plain `docker` command talks to (DOCKER_HOST, else the context).
current_host() {
  if [[ -n ${DOCKER_HOST:-} ]]; then printf '%s' "$DOCKER_HOST"; return; fi
  local h
  h=$(timeout 5 docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null) || h=""
  printf '%s' "${h:-$LOCAL_HOST}"
}

pid_is_dockerd() {
  local pid=$1
  [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/comm ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]]
}

# $1: pid of a dockerd we expect to come up; waiting stops early once it is gone.
wait_for_local_engine() {
  local pid=$1 deadline=$((SECONDS + 60)) v
  while ((SECONDS < deadline)); do
    if v=$(server_version -H "$LOCAL_HOST") && [[ -n $v ]]; then
      SERVER_VERSION=$v
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      # setsid may have forked, so the pidfile is the better witness of a live daemon.
      pid=$(cat "$LOCAL_PIDFILE" 2>/dev/null)
      pid_is_dockerd "$pid" || return 1
    fi
    sleep 0.5
  done
  return 1
}

start_local_engine() {
  if ! is_root; then
    DOCKER_PROBLEM="no Docker engine answers and this user (uid $(id -u)) cannot start dockerd; start Docker or set DOCKER_HOST"
    return 1
  fi
  if ! have dockerd || ! have docker; then
    if ! have apt-get; then
      DOCKER_PROBLEM="dockerd/docker are not installed and apt-get is not available to install docker.io"
      return 1
    fi
    if ! apt_install docker.io; then
      DOCKER_PROBLEM="apt-get install docker.io failed: $(apt_tail)"
      return 1
    fi
    if ! have dockerd || ! have docker; then
      DOCKER_PROBLEM="installed docker.io but dockerd or docker is still not on PATH ($PATH)"
      return 1
    fi
  fi

  local pid=""
  [[ -f $LOCAL_PIDFILE ]] && pid=$(cat "$LOCAL_PIDFILE" 2>/dev/null)
  if pid_is_dockerd "$pid"; then
    # Probably still starting (or another run started it): give it the same minute.
    log "dockerd (pid $pid) is running but not answering yet; waiting up to 60 s"
    if wait_for_local_engine "$pid"; then return 0; fi
    DOCKER_PROBLEM="dockerd (pid $pid) is running but does not answer on $LOCAL_HOST; see its log"
    return 1
  fi
  # Left behind by a daemon that died: dockerd refuses to start over its own pidfile.
  [[ -e $LOCAL_PIDFILE ]] && { log "removing stale $LOCAL_PIDFILE"; rm -f "$LOCAL_PIDFILE"; }
  [[ -S $LOCAL_SOCK ]] && { log "removing stale $LOCAL_SOCK"; rm -f "$LOCAL_SOCK"; }

  log "starting dockerd (log: $DOCKERD_LOG)…"
  # setsid + nohup so the daemon outlives this script and the test run; fd 9 is closed so
  # the daemon does not hold the lock forever.
  nohup setsid dockerd -H "$LOCAL_HOST" -H "$TCP_HOST" \
    </dev/null >>"$DOCKERD_LOG" 2>&1 9>&- &
  if wait_for_local_engine $!; then
    log "dockerd $SERVER_VERSION is up"
    return 0
  fi
  DOCKER_PROBLEM="started dockerd but it did not answer on $LOCAL_HOST (exited, or not up within 60 s): $(tail -n 2 "$DOCKERD_LOG" 2>/dev/null | tr '\n' ' ')"
  return 1
}

find_static_busybox() {
  local c
  for c in /bin/busybox /usr/bin/busybox "$(command -v busybox 2>/dev/null)"; do
    [[ -n $c && -x $c ]] || continue
    # A dynamic busybox would need the host's libc inside the image. (ldd exits 1 for a
    # static binary, so look at its words, not its status.)
    local out
    out=$(LC_ALL=C ldd "$c" 2>&1)
    if [[ $out == *"not a dynamic executable"* || $out == *"statically linked"* ]]; then
      printf '%s' "$c"
      return 0
    fi
  done
  return 1
}

# Built from the host's static busybox so no test depends on a registry.
build_test_image() {
  local bb
  if ! bb=$(find_static_busybox); then
    if ! can_apt; then
      DOCKER_PROBLEM="$IMAGE is missing and no static busybox is installed (need busybox-static; not root or no apt-get)"
      return 1
    fi
    if ! apt_install busybox-static || ! bb=$(find_static_busybox); then
      DOCKER_PROBLEM="$IMAGE is missing and installing busybox-static failed: $(apt_tail)"
      return 1
    fi
  fi
  log "building $IMAGE from $bb…"
  local tmp
  tmp=$(mktemp -d) || { DOCKER_PROBLEM="mktemp failed"; return 1; }
  local rootfs=$tmp/rootfs ok=0
  mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc" && chmod 1777 "$rootfs/tmp" &&
    cp "$bb" "$rootfs/bin/busybox" && chmod 0755 "$rootfs/bin/busybox" && {
    local applet
    while read -r applet; do
      [[ -z $applet || $applet == busybox || $applet == */* ]] && continue
      ln -sf busybox "$rootfs/bin/$applet"
    done < <("$rootfs/bin/busybox" --list)
  } &&
    tar -C "$rootfs" --owner=0 --group=0 --numeric-owner -c . |
    dk import -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null &&
    [[ $(dk run --rm "$IMAGE" sh -c 'echo ok') == ok ]] && ok=1
  rm -rf "$tmp"
  if [[ $ok -ne 1 ]]; then
    DOCKER_PROBLEM="building $IMAGE failed (tar | docker import, or the image does not run sh)"
    return 1
  fi
  return 0
}

setup_docker() {
  local v
  if have docker && v=$(server_version) && [[ -n $v ]]; then
    ENGINE_HOST=$(current_host)
    SERVER_VERSION=$v
  else
    if [[ -n ${DOCKER_HOST:-} ]]; then
      log "DOCKER_HOST=$DOCKER_HOST does not answer; trying a local dockerd"
    fi
    if have docker && v=$(server_version -H "$LOCAL_HOST") && [[ -n $v ]]; then
      SERVER_VERSION=$v
    else
      start_local_engine || return 1
    fi
    ENGINE_HOST=$LOCAL_HOST
    DOCKER_ARGS=(-H "$LOCAL_HOST")
  fi

  if ! dk image inspect "$IMAGE" >/dev/null 2>&1; then
    build_test_image || return 1
  fi
  return 0
}

DOCKER_OK=0
setup_docker && DOCKER_OK=1

TCP=""
# Without TLS on purpose: this is the plain local endpoint the tests exercise.
if [[ $DOCKER_OK -eq 1 ]] &&
  env -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH -u DOCKER_CONTEXT \
    timeout 10 docker -H "$TCP_HOST" version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  TCP=$TCP_HOST
fi

# ---------------------------------------------------------------- Chromium
CHROMIUM=""
CHROMIUM_PROBLEM=""
find_chromium() {
  if [[ -n ${BERTH_CHROMIUM:-} ]]; then
    # An explicit choice that does not work should be reported, not silently replaced.
    [[ -x $BERTH_CHROMIUM ]] && { printf '%s' "$BERTH_CHROMIUM"; return 0; }
    return 2
  fi
  local c
  for c in /usr/bin/chromium /usr/bin/chromium-browser; do
    [[ -x $c ]] && { printf '%s' "$c"; return 0; }
  done
  return 1
}
CHROMIUM=$(find_chromium)
case $? in
  0) ;;
  2) CHROMIUM_PROBLEM="BERTH_CHROMIUM=$BERTH_CHROMIUM is not an executable file" ;;
  *)
    if ! can_apt; then
      CHROMIUM_PROBLEM="chromium is not installed (looked for /usr/bin/chromium, /usr/bin/chromium-browser; set BERTH_CHROMIUM) and this user cannot apt-get install it"
    elif ! apt_install chromium; then
      CHROMIUM_PROBLEM="apt-get install chromium failed: $(apt_tail)"
    elif ! CHROMIUM=$(find_chromium); then
      CHROMIUM=""
      CHROMIUM_PROBLEM="installed chromium but found no executable at /usr/bin/chromium or /usr/bin/chromium-browser"
    fi
    ;;
esac

# ---------------------------------------------------------------- env.json
{
  printf '{\n  "docker": '
  if [[ $DOCKER_OK -eq 1 ]]; then
    printf '{"host": %s, "tcp": %s, "image": %s, "serverVersion": %s}' \
      "$(json_str "$ENGINE_HOST")" "$(json_str "$TCP")" "$(json_str "$IMAGE")" \
      "$(json_str "$SERVER_VERSION")"
  else
    printf 'null'
  fi
  printf ',\n  "dockerProblem": %s,\n' "$(json_str "$DOCKER_PROBLEM")"
  printf '  "chromium": %s,\n' "$(json_str "$CHROMIUM")"
  printf '  "chromiumProblem": %s\n}\n' "$(json_str "$CHROMIUM_PROBLEM")"
} >"$OUT_DIR/env.json.tmp" && mv -f "$OUT_DIR/env.json.tmp" "$OUT_DIR/env.json"

if [[ $DOCKER_OK -eq 1 ]]; then
  log "docker $SERVER_VERSION at $ENGINE_HOST (tcp: ${TCP:-none}), image $IMAGE"
else
  log "no docker: $DOCKER_PROBLEM"
fi
if [[ -n $CHROMIUM ]]; then log "chromium: $CHROMIUM"; else log "no chromium: $CHROMIUM_PROBLEM"; fi
exit 0
