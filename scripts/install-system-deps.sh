#!/usr/bin/env bash
# The programs the tests need that npm cannot install, from Debian (no browser downloads):
#   chromium   (Debian package chromium)   the browser tests and benchmarks, at /usr/bin/chromium
#   initdb, postgres (Debian package postgresql)   the PostgreSQL store tests start their own server
#   nginx      (Debian package nginx)      the tests of several instances behind the reference proxy configuration
#   ffmpeg, ffprobe (Debian package ffmpeg) the maintained ffmpeg the app prefers to its bundled 2018 build,
#              and ffprobe, which checks every stored result (without it the tests cover the fallback only)
# As root, missing packages are installed with apt-get. As another user nothing is installed
# (no sudo): the script names the packages to install and fails.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)

if [ ${#missing[@]} -eq 0 ]; then
  echo "System packages: chromium, postgresql, nginx and ffmpeg are installed."
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "The tests need them and this script installs only as root. Install them, then run the tests again:" >&2
  echo "  apt-get install ${missing[*]}    (as root)" >&2
  exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
# The packages' scripts must not start their services (nginx would take port 80, PostgreSQL
# a cluster): the tests start their own, on spare loopback ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
echo "Installed: ${missing[*]}"
