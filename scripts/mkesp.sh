#!/usr/bin/env bash
# mkesp.sh: build a FAT EFI System Partition image without root or loop mounts (mtools).
#   mkesp.sh OUT.img BOOTX64.EFI KERNEL.elf CONFIG [FILE...]
# Layout: \EFI\BOOT\BOOTX64.EFI (the removable-media path firmware boots by default) and
# \ringbench\{kernel.elf, ringbench.cfg, FILE...}. Used by the Makefile and the integration tests.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: mkesp.sh OUT.img BOOTX64.EFI KERNEL.elf CONFIG [FILE...]" >&2; exit 2; }
out=$1 efi=$2 kernel=$3 cfg=$4
shift 4
for f in "$efi" "$kernel" "$cfg" "$@"; do
	[ -f "$f" ] || { echo "mkesp: no such file: $f" >&2; exit 1; }
done

# Room for every file plus 4 MiB of FAT overhead and slack, at least 16 MiB.
total=$(du -cb "$efi" "$kernel" "$cfg" "$@" | tail -1 | cut -f1)
mib=$(( (total >> 20) + 4 ))
[ $mib -ge 16 ] || mib=16
tmp="$out.tmp"
rm -f "$tmp"
truncate -s "${mib}M" "$tmp"
mformat -i "$tmp" -v RINGBENCH ::
mmd -i "$tmp" ::/EFI ::/EFI/BOOT ::/ringbench
mcopy -i "$tmp" "$efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$tmp" "$kernel" ::/ringbench/kernel.elf
mcopy -i "$tmp" "$cfg" ::/ringbench/ringbench.cfg
for f in "$@"; do
	mcopy -i "$tmp" "$f" "::/ringbench/$(basename "$f")"
done
mv "$tmp" "$out"
