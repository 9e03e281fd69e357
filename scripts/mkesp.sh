#!/usr/bin/env bash
# mkesp.sh: build a bootable FAT image without root or loop mounts (mtools, sfdisk).
#   mkesp.sh [--gpt] OUT.img BOOTX64.EFI [KERNEL.elf CONFIG [FILE...]]
# Layout: \EFI\BOOT\BOOTX64.EFI (the removable-media path firmware boots by default) and
# \ringbench\{kernel.elf, ringbench.cfg, FILE...}; a unified BOOTX64.EFI carries those itself, and alone
# needs none of them. Without --gpt: a bare FAT filesystem (the QEMU disk of
# make run and the tests). With --gpt: a disk image for a USB stick, a GPT with one FAT32 EFI System
# Partition (type C12A7328-F81F-11D2-BA4B-00A0C93EC93B) from 1 MiB to the end.
set -euo pipefail
gpt=0
[ "${1:-}" != --gpt ] || { gpt=1; shift; }
[ $# -ge 2 ] && [ $# -ne 3 ] || { echo "usage: mkesp.sh [--gpt] OUT.img BOOTX64.EFI [KERNEL.elf CONFIG [FILE...]]" >&2; exit 2; }
out=$1 efi=$2 kernel=${3:-} cfg=${4:-}
shift $(( $# > 4 ? 4 : $# ))
for f in "$efi" ${kernel:+"$kernel"} ${cfg:+"$cfg"} "$@"; do
	[ -f "$f" ] || { echo "mkesp: no such file: $f" >&2; exit 1; }
done

ESP_TYPE=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
SECTOR=512
# Room for every file plus 4 MiB of FAT overhead and slack; FAT32 wants at least 65525 clusters (64 MiB).
total=$(du -cb "$efi" ${kernel:+"$kernel"} ${cfg:+"$cfg"} "$@" | tail -1 | cut -f1)
mib=$(( (total >> 20) + 4 ))
min=$(( gpt ? 64 : 16 ))
[ $mib -ge $min ] || mib=$min
tmp="$out.tmp"
rm -f "$tmp"
if [ $gpt = 1 ]; then
	truncate -s "$(( mib + 2 ))M" "$tmp" # + the GPT and its backup
	printf 'label: gpt\nstart=2048, type=%s, name="ringbench"\n' "$ESP_TYPE" | sfdisk -q "$tmp"
	read -r start sectors < <(sfdisk -d "$tmp" | sed -n 's/.*start= *\([0-9]*\), size= *\([0-9]*\).*/\1 \2/p')
	img="$tmp@@$(( start * SECTOR ))"
	mformat -i "$img" -F -T "$sectors" -h 64 -s 32 -v RINGBENCH ::
else
	truncate -s "${mib}M" "$tmp"
	img=$tmp
	mformat -i "$img" -v RINGBENCH ::
fi
mmd -i "$img" ::/EFI ::/EFI/BOOT ::/ringbench
mcopy -i "$img" "$efi" ::/EFI/BOOT/BOOTX64.EFI
[ -z "$kernel" ] || mcopy -i "$img" "$kernel" ::/ringbench/kernel.elf
[ -z "$cfg" ] || mcopy -i "$img" "$cfg" ::/ringbench/ringbench.cfg
for f in "$@"; do
	mcopy -i "$img" "$f" "::/ringbench/$(basename "$f")"
done
mv "$tmp" "$out"
