#!/usr/bin/env bash
# deps.sh: check that the Debian packages ringbench builds and runs with are installed; install the
# missing ones with apt-get when running as root, else print the exact command. Called by make.
#   deps.sh --list   print the package names (for .ci/run), one per line
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

# package: a file or command that proves it is installed
declare -A need=(
	[clang]=clang
	[lld]=ld.lld
	[gnu-efi]=/usr/include/efi/efi.h
	[qemu-system-x86]=qemu-system-x86_64
	[ovmf]=ovmf
	[mtools]=mformat
	[dosfstools]=mkfs.fat
	[python3]=python3
	[gcc]=gcc
	[gnuplot-nox]=gnuplot
	[fdisk]=sfdisk
	[console-setup-linux]=/usr/share/consolefonts/Lat15-Terminus16.psf.gz
	[libclang-rt-14-dev]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
	[musl-tools]=musl-gcc
	[cpio]=cpio
	[busybox-static]=/bin/busybox
	[sbsigntool]=sbsign
	[openssl]=openssl
	[gdb]=gdb
)

if [ "${1:-}" = "--list" ]; then
	printf '%s\n' "${!need[@]}" | sort
	exit 0
fi

missing=()
for pkg in "${!need[@]}"; do
	probe=${need[$pkg]}
	case $probe in
	/*) [ -e "$probe" ] || missing+=("$pkg") ;;
	ovmf) "$here/ovmf/find-ovmf.sh" >/dev/null 2>&1 || missing+=("$pkg") ;;
	*) command -v "$probe" >/dev/null 2>&1 || missing+=("$pkg") ;;
	esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

IFS=$'\n' missing=($(sort <<<"${missing[*]}")); unset IFS
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq "${missing[@]}" >/dev/null
	echo "deps: installed"
else
	echo "deps: missing Debian packages: ${missing[*]}" >&2
	echo "deps: install them with:  sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
