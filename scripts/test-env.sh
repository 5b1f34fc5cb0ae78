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

# ---------------------------------------------------------------- TLS engine
# A second dockerd that only speaks TLS with client certificates (--tlsverify) on a loopback
# port, for the tests of TLS hosts. It shares the host's network namespace (a namespace of its
# own would hide the loopback port from the tests), so it must leave the main engine's network
# alone: its default bridge is a bridge of its own (`--bridge none` would make dockerd delete
# docker0, and no --bridge would make it manage docker0), no iptables, NAT or forwarding
# sysctl, its own data root, exec root, pidfile, socket, containerd namespace and engine key.
TLS_ENGINE_HOST=tcp://127.0.0.1:2376
TLS_CERTS=$OUT_DIR/tls
TLS_CLIENT=$TLS_CERTS/client
TLS_BASE=/var/lib/berth-test-tls-engine
TLS_RUN=/var/run/berth-test-tls-engine
TLS_SOCK=unix://$TLS_RUN/docker.sock
TLS_BRIDGE=berthtls0
TLS_BRIDGE_CIDR=10.213.76.1/24
TLS_LOG=/var/log/berth-test-tls-dockerd.log
TLS_ENGINE=""
TLS_ENGINE_PROBLEM=""

tls_docker() {
  env -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH \
    timeout 20 docker --tlsverify --tlscacert "$TLS_CLIENT/ca.pem" --tlscert "$TLS_CLIENT/cert.pem" \
    --tlskey "$TLS_CLIENT/key.pem" -H "$TLS_ENGINE_HOST" "$@"
}

# A CA, a server certificate for 127.0.0.1 and a client certificate, made once and kept.
make_tls_certs() {
  [[ -s $TLS_CERTS/server-cert.pem && -s $TLS_CLIENT/cert.pem && -s $TLS_CLIENT/key.pem && -s $TLS_CLIENT/ca.pem ]] && return 0
  have openssl || { TLS_ENGINE_PROBLEM="openssl is not installed"; return 1; }
  log "making TLS certificates for the TLS engine in $TLS_CERTS…"
  rm -rf "$TLS_CERTS" && mkdir -p "$TLS_CLIENT" || { TLS_ENGINE_PROBLEM="cannot create $TLS_CERTS"; return 1; }
  (
    set -e
    cd "$TLS_CERTS"
    openssl genrsa -out ca-key.pem 2048
    openssl req -x509 -new -key ca-key.pem -sha256 -days 3650 -subj '/CN=Berth test CA' -out ca.pem
    openssl genrsa -out server-key.pem 2048
    openssl req -new -key server-key.pem -subj '/CN=127.0.0.1' -out server.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -sha256 -days 3650 \
      -extfile server.ext -out server-cert.pem
    openssl genrsa -out client/key.pem 2048
    openssl req -new -key client/key.pem -subj '/CN=berth-test-client' -out client.csr
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -sha256 -days 3650 \
      -extfile client.ext -out client/cert.pem
    cp ca.pem client/ca.pem
    chmod 0600 ca-key.pem server-key.pem client/key.pem
  ) >>"$OUT_DIR/openssl.log" 2>&1
  # (set -e holds in the subshell only because it is not part of an && list.)
  [[ $? -eq 0 ]] && return 0
  TLS_ENGINE_PROBLEM="openssl failed making the test certificates: $(tail -n 2 "$OUT_DIR/openssl.log" | tr '\n' ' ')"
  return 1
}

start_tls_engine() {
  is_root || { TLS_ENGINE_PROBLEM="starting the TLS engine needs root (uid $(id -u))"; return 1; }
  have ip || { TLS_ENGINE_PROBLEM="the ip command (iproute2) is missing"; return 1; }
  if ! ip link show "$TLS_BRIDGE" >/dev/null 2>&1; then
    ip link add "$TLS_BRIDGE" type bridge && ip addr add "$TLS_BRIDGE_CIDR" dev "$TLS_BRIDGE" ||
      { TLS_ENGINE_PROBLEM="cannot create the bridge $TLS_BRIDGE"; return 1; }
  fi
  ip link set "$TLS_BRIDGE" up
  mkdir -p "$TLS_BASE" "$TLS_RUN"
  [[ -f $TLS_BASE/daemon.json ]] ||
    printf '{"deprecated-key-path": "%s/key.json"}\n' "$TLS_BASE" >"$TLS_BASE/daemon.json"
  local pid
  pid=$(cat "$TLS_RUN/docker.pid" 2>/dev/null)
  if pid_is_dockerd "$pid"; then
    log "the TLS dockerd (pid $pid) runs but does not answer yet; waiting"
  else
    rm -f "$TLS_RUN/docker.pid" "$TLS_RUN/docker.sock"
    log "starting the TLS dockerd on $TLS_ENGINE_HOST (log: $TLS_LOG)…"
    nohup setsid dockerd \
      --config-file "$TLS_BASE/daemon.json" \
      --data-root "$TLS_BASE/data" --exec-root "$TLS_RUN/exec" --pidfile "$TLS_RUN/docker.pid" \
      --containerd-namespace berth-tls --containerd-plugins-namespace berth-tls-plugins \
      --bridge "$TLS_BRIDGE" --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
      --tlsverify --tlscacert "$TLS_CERTS/ca.pem" --tlscert "$TLS_CERTS/server-cert.pem" \
      --tlskey "$TLS_CERTS/server-key.pem" -H "$TLS_ENGINE_HOST" -H "$TLS_SOCK" \
      </dev/null >>"$TLS_LOG" 2>&1 9>&- &
  fi
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    tls_docker version >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  TLS_ENGINE_PROBLEM="the TLS dockerd did not answer on $TLS_ENGINE_HOST within 60 s: $(tail -n 2 "$TLS_LOG" 2>/dev/null | tr '\n' ' ')"
  return 1
}

setup_tls_engine() {
  [[ $DOCKER_OK -eq 1 ]] || { TLS_ENGINE_PROBLEM="no main Docker engine to copy the test image from"; return 1; }
  make_tls_certs || return 1
  tls_docker version >/dev/null 2>&1 || start_tls_engine || return 1
  if ! tls_docker image inspect "$IMAGE" >/dev/null 2>&1; then
    log "copying $IMAGE into the TLS engine…"
    if ! dk save "$IMAGE" | tls_docker load >/dev/null 2>&1; then
      TLS_ENGINE_PROBLEM="copying $IMAGE into the TLS engine failed (docker save | docker load)"
      return 1
    fi
  fi
  TLS_ENGINE=$TLS_ENGINE_HOST
}
setup_tls_engine

# ---------------------------------------------------------------- SSH host
# An sshd of our own on a loopback port (its own config, host key and authorized key for root;
# Debian's openssh-server), through which SSH hosts reach the main engine: docker over SSH runs
# `docker system dial-stdio` on the far side. The tests load the client key into an ssh-agent.
SSH_PORT=2222
SSH_DIR=$OUT_DIR/sshd
SSHD=/usr/sbin/sshd
SSH_HOST=""
SSH_PROBLEM=""

ssh_probe() {
  timeout 20 ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none \
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$SSH_DIR/known_hosts" \
    -i "$SSH_DIR/client_key" -p "$SSH_PORT" root@127.0.0.1 "$@"
}

install_sshd() {
  [[ -x $SSHD ]] && return 0
  can_apt || { SSH_PROBLEM="$SSHD is missing and this user cannot apt-get install openssh-server"; return 1; }
  # Keep the package's own sshd (port 22) from starting: only ours should run.
  local guard=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$guard" && chmod 0755 "$guard"
  fi
  apt_install openssh-server
  local ok=$?
  [[ -n $guard ]] && rm -f "$guard"
  [[ $ok -eq 0 && -x $SSHD ]] && return 0
  SSH_PROBLEM="apt-get install openssh-server failed: $(apt_tail)"
  return 1
}

setup_ssh_host() {
  [[ $DOCKER_OK -eq 1 ]] || { SSH_PROBLEM="no Docker engine for the SSH host to reach"; return 1; }
  is_root || { SSH_PROBLEM="running the test sshd needs root (uid $(id -u))"; return 1; }
  have ssh && have ssh-keygen && have ssh-agent || { SSH_PROBLEM="the OpenSSH client (ssh, ssh-keygen, ssh-agent) is missing"; return 1; }
  install_sshd || return 1
  mkdir -p "$SSH_DIR" /run/sshd && chmod 0700 "$SSH_DIR"
  [[ -s $SSH_DIR/host_ed25519_key ]] || ssh-keygen -q -t ed25519 -N '' -C berth-test-host -f "$SSH_DIR/host_ed25519_key"
  [[ -s $SSH_DIR/client_key ]] || ssh-keygen -q -t ed25519 -N '' -C berth-test-client -f "$SSH_DIR/client_key"
  cp "$SSH_DIR/client_key.pub" "$SSH_DIR/authorized_keys"
  printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 "$SSH_DIR/host_ed25519_key.pub")" >"$SSH_DIR/known_hosts"
  cat >"$SSH_DIR/sshd_config" <<CONF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host_ed25519_key
PidFile $SSH_DIR/sshd.pid
AuthorizedKeysFile $SSH_DIR/authorized_keys
AllowUsers root
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding no
X11Forwarding no
MaxStartups 100:30:200
MaxSessions 100
LogLevel VERBOSE
CONF
  if ! ssh_probe true >/dev/null 2>&1; then
    local pid
    pid=$(cat "$SSH_DIR/sshd.pid" 2>/dev/null)
    # Ours but not answering (or an older config): start it afresh.
    if [[ $pid =~ ^[0-9]+$ ]] && grep -q "$SSH_DIR/sshd_config" "/proc/$pid/cmdline" 2>/dev/null; then kill "$pid"; sleep 0.5; fi
    if ! "$SSHD" -t -f "$SSH_DIR/sshd_config" >>"$SSH_DIR/sshd.log" 2>&1; then
      SSH_PROBLEM="sshd rejects its config: $(tail -n 2 "$SSH_DIR/sshd.log" | tr '\n' ' ')"
      return 1
    fi
    log "starting sshd on 127.0.0.1:$SSH_PORT (log: $SSH_DIR/sshd.log)…"
    "$SSHD" -f "$SSH_DIR/sshd_config" -E "$SSH_DIR/sshd.log" </dev/null 9>&-
    local deadline=$((SECONDS + 20))
    until ssh_probe true >/dev/null 2>&1; do
      if ((SECONDS >= deadline)); then
        SSH_PROBLEM="sshd did not let the test key in on 127.0.0.1:$SSH_PORT: $(tail -n 2 "$SSH_DIR/sshd.log" | tr '\n' ' ')"
        return 1
      fi
      sleep 0.5
    done
  fi
  if ! ssh_probe docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    SSH_PROBLEM="over ssh, root cannot run the docker CLI against the engine (docker version failed)"
    return 1
  fi
  SSH_HOST=ssh://root@127.0.0.1:$SSH_PORT
}
setup_ssh_host

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
  printf '  "chromiumProblem": %s,\n' "$(json_str "$CHROMIUM_PROBLEM")"
  printf '  "tlsEngine": '
  if [[ -n $TLS_ENGINE ]]; then
    printf '{"host": %s, "certDir": %s, "caKey": %s}' "$(json_str "$TLS_ENGINE")" "$(json_str "$TLS_CLIENT")" \
      "$(json_str "$TLS_CERTS/ca-key.pem")"
  else
    printf 'null'
  fi
  printf ',\n  "tlsEngineProblem": %s,\n' "$(json_str "$TLS_ENGINE_PROBLEM")"
  printf '  "sshHost": '
  if [[ -n $SSH_HOST ]]; then
    printf '{"address": %s, "key": %s, "hostPublicKey": %s, "knownHosts": %s}' "$(json_str "$SSH_HOST")" \
      "$(json_str "$SSH_DIR/client_key")" "$(json_str "$SSH_DIR/host_ed25519_key.pub")" "$(json_str "$SSH_DIR/known_hosts")"
  else
    printf 'null'
  fi
  printf ',\n  "sshProblem": %s\n}\n' "$(json_str "$SSH_PROBLEM")"
} >"$OUT_DIR/env.json.tmp" && mv -f "$OUT_DIR/env.json.tmp" "$OUT_DIR/env.json"

if [[ $DOCKER_OK -eq 1 ]]; then
  log "docker $SERVER_VERSION at $ENGINE_HOST (tcp: ${TCP:-none}), image $IMAGE"
else
  log "no docker: $DOCKER_PROBLEM"
fi
if [[ -n $CHROMIUM ]]; then log "chromium: $CHROMIUM"; else log "no chromium: $CHROMIUM_PROBLEM"; fi
if [[ -n $TLS_ENGINE ]]; then log "TLS engine: $TLS_ENGINE (client certificates in $TLS_CLIENT)"; else log "no TLS engine: $TLS_ENGINE_PROBLEM"; fi
if [[ -n $SSH_HOST ]]; then log "SSH host: $SSH_HOST (key $SSH_DIR/client_key)"; else log "no SSH host: $SSH_PROBLEM"; fi
exit 0
