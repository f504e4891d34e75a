#!/bin/sh
# Builds the libsrtp harness: build.sh [output path] (default ./build/srtp-harness).
# Needs: apt-get install -y gcc libsrtp2-dev pkg-config
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/build/srtp-harness"}
mkdir -p "$(dirname "$out")"
# Build beside the target and rename, so parallel test runs never see half a binary.
tmp="$out.$$.tmp"
gcc -O2 -Wall -Wextra -o "$tmp" "$here/srtp-harness.c" $(pkg-config --cflags --libs libsrtp2)
mv -f "$tmp" "$out"
