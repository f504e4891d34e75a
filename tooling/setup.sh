#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine that has only
# Node (>= 20.19) and npm: the real peers the tests start themselves (Debian
# packages) and the workspace's npm dependencies (pinned in pnpm-lock.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")

# Debian packages for the interop and reference peers: "what proves it is
# installed" (a command, or an absolute path) and the package that provides it.
PEERS=(
  "openssl openssl"                              # TLS1-PRF reference, X.509, TLS 1.3 / DTLS 1.2 peers
  "gnutls-cli gnutls-bin"                        # second independent TLS / DTLS stack
  "turnserver coturn"                            # STUN server and turnutils_stunclient
  "/usr/include/srtp2/srtp.h libsrtp2-dev"       # libsrtp, for the SRTP interop harness
  "gcc gcc"                                      # builds the C harnesses in tooling/
  "pkg-config pkg-config"
  "chromium chromium"                            # headless browser for the TLS and WebRTC tests (playwright-core drives it)
  "tshark tshark"                                # independent dissector of what we put on the wire
  "gtlsserver ngtcp2-server"                     # ngtcp2 HTTP/3 server (QUIC peer, benchmarks)
  "gtlsclient ngtcp2-client"
  "ffprobe ffmpeg"                              # reads webrtc-peer's IVF/Ogg recordings independently
  "unshare util-linux"                           # Chromium runs in a network namespace with only lo
  "ip iproute2"
)

missing=()
for entry in "${PEERS[@]}"; do
  read -r probe package <<<"$entry"
  if [[ "$probe" == /* ]]; then [ -e "$probe" ] && continue; else command -v "$probe" >/dev/null 2>&1 && continue; fi
  missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else
    echo "setup: missing ${missing[*]}; install them with: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npx -y "pnpm@${PNPM_VERSION}" install --frozen-lockfile
