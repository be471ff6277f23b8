#!/bin/sh
# tools/setup-deps.sh VERSION - install the Debian packages stmc needs for LLVM/Clang VERSION.
# Quick when everything is there (one dpkg-query); installs only what is missing.
# Debian's archive only: the LLVM 22 packages come from bookworm-security on Debian 12.
set -eu
v="${1:-19}"
pkgs="llvm-$v-dev clang-$v libclang-$v-dev libclang-rt-$v-dev llvm-$v-tools cmake ninja-build python3 make gcc libitm1 gnuplot-nox lld-$v valgrind gdb time"
# OpenMP's runtime for the default LLVM only: Debian's libomp-N-dev packages conflict with
# each other (installing libomp-22-dev removed libomp-19-dev); with another LLVM the OpenMP
# tests are unsupported unless its libomp-N-dev is there.
[ "$v" = 19 ] && pkgs="$pkgs libomp-19-dev"
missing=""
for p in $pkgs; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "stmc: missing Debian packages:$missing -- run as root, or: sudo apt-get install$missing" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "stmc: missing packages:$missing and no apt-get here; install them (Debian 12 names) by hand" >&2
    exit 1
fi
echo "stmc: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends $missing >/tmp/stmc-apt.log 2>&1; then
    apt-get update -q >/tmp/stmc-apt-update.log 2>&1 || true
    if ! apt-get install -y -q --no-install-recommends $missing >/tmp/stmc-apt.log 2>&1; then
        echo "stmc: 'apt-get install$missing' failed (log: /tmp/stmc-apt.log). LLVM/Clang $v must be in this machine's Debian archive." >&2
        tail -n 5 /tmp/stmc-apt.log >&2
        exit 1
    fi
fi
