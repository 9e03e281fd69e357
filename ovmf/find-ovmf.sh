#!/usr/bin/env bash
# find-ovmf.sh: locate OVMF, the UEFI firmware QEMU boots ringbench with. Prints two lines,
#   CODE=<read-only firmware code>   VARS=<variable-store template; callers copy it, never write it>
# OVMF_CODE and OVMF_VARS in the environment win; otherwise the Debian/Ubuntu, Fedora and Arch paths are
# tried in order. Exits 1 with the package to install when nothing is found.
set -euo pipefail

if [ -n "${OVMF_CODE:-}" ] || [ -n "${OVMF_VARS:-}" ]; then
	for f in "${OVMF_CODE:-}" "${OVMF_VARS:-}"; do
		[ -f "$f" ] || { echo "find-ovmf: OVMF_CODE and OVMF_VARS must both name files (got '$f')" >&2; exit 1; }
	done
	printf 'CODE=%s\nVARS=%s\n' "$OVMF_CODE" "$OVMF_VARS"
	exit 0
fi

# code:vars pairs, most specific first (the non-Secure-Boot builds: ringbench's stub is unsigned)
pairs=(
	/usr/share/OVMF/OVMF_CODE_4M.fd:/usr/share/OVMF/OVMF_VARS_4M.fd            # Debian 12+, Ubuntu 22.04+
	/usr/share/OVMF/OVMF_CODE.fd:/usr/share/OVMF/OVMF_VARS.fd                  # older Debian/Ubuntu
	/usr/share/edk2/ovmf/OVMF_CODE.fd:/usr/share/edk2/ovmf/OVMF_VARS.fd        # Fedora
	/usr/share/edk2/x64/OVMF_CODE.4m.fd:/usr/share/edk2/x64/OVMF_VARS.4m.fd    # Arch
	/usr/share/edk2-ovmf/x64/OVMF_CODE.fd:/usr/share/edk2-ovmf/x64/OVMF_VARS.fd # older Arch
)
for p in "${pairs[@]}"; do
	code=${p%%:*} vars=${p#*:}
	if [ -f "$code" ] && [ -f "$vars" ]; then
		printf 'CODE=%s\nVARS=%s\n' "$code" "$vars"
		exit 0
	fi
done
cat >&2 <<'MSG'
find-ovmf: no OVMF firmware found. Install it:
  Debian/Ubuntu: sudo apt-get install ovmf
  Fedora:        sudo dnf install edk2-ovmf
  Arch:          sudo pacman -S edk2-ovmf
or point OVMF_CODE and OVMF_VARS at the two files.
MSG
exit 1
