#!/usr/bin/env bash
# mkcpio.sh DIR OUT.cpio: pack DIR as the newc cpio archive ringbench unpacks into its RAM filesystem (DIR's
# top becomes /), in name order so that the same tree gives the same archive. Called by make (FILES=)
# and the tests.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: mkcpio.sh DIR OUT.cpio" >&2; exit 2; }
[ -d "$1" ] || { echo "mkcpio: $1: not a directory" >&2; exit 2; }
out=$(realpath "$2")
cd "$1"
find . -print0 | LC_ALL=C sort -z | cpio --quiet -o -0 -H newc > "$out"
