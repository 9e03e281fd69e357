#!/usr/bin/env bash
# fetch-linux.sh DIR: Debian's own kernel for make bench-linux and make test: the vmlinuz of the package that
# linux-image-amd64 depends on, fetched from Debian's archive with apt-get download and unpacked under DIR,
# never installed: DIR/vmlinuz, and DIR/release (its version). Needs apt's package lists (apt-get update).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: fetch-linux.sh DIR" >&2; exit 2; }
mkdir -p "$1"
cd "$1"
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[ -n "$pkg" ] || { echo "fetch-linux: apt knows no linux-image-amd64 (run apt-get update first)" >&2; exit 2; }
echo "fetch-linux: apt-get download $pkg (Debian's kernel, about 70 MB; unpacked here, not installed)"
rm -rf ./*.deb boot
apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null
dpkg-deb --fsys-tarfile ./"$pkg"_*.deb | tar -x --wildcards './boot/vmlinuz-*'
mv boot/vmlinuz-* vmlinuz
rm -rf boot ./*.deb
echo "${pkg#linux-image-}" > release
