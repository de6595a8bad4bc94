#!/usr/bin/env bash
# Installs the Debian packages jumpsync needs (see shared TOOLCHAIN facts in docs).
# Idempotent: quiet when everything is already installed.
set -euo pipefail
PKGS=(cmake g++ make pkg-config libpoco-dev libsoci-dev libboost-dev libspdlog-dev libfmt-dev
      catch2 postgresql libpq-dev libsqlite3-dev sqlite3 openssl libssl-dev
      libsimdjson-dev libidn2-dev ca-certificates)
if [ "${JUMPSYNC_WITH_CHROMIUM:-0}" = 1 ]; then PKGS+=(chromium); fi
missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
