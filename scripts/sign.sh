#!/usr/bin/env bash
# sign.sh KEY CERT IN.efi OUT.efi: sign a (unified) BOOTX64.EFI for Secure Boot with Debian's sbsigntool.
# sign.sh --check KEY CERT: only the checks (make runs them before it builds anything to sign).
# Everything is checked before anything is written: both files readable, the key a private key (one that
# a passphrase protects is asked for on the terminal, or read from the file SIGN_PASS_FILE names), the
# certificate an X.509 one, and the two a pair. OUT is written only when sbsign succeeds.
set -euo pipefail
check_only=0
[ "${1:-}" != --check ] || { check_only=1; shift; set -- "$@" /dev/null /dev/null; }
[ $# -eq 4 ] || { echo "usage: sign.sh [--check] KEY CERT IN.efi OUT.efi (SIGN_PASS_FILE=file for a key's passphrase)" >&2; exit 2; }
key=$1 cert=$2 in=$3 out=$4
die() { echo "sign: $*" >&2; exit 2; }
[ -n "$key" ] || die "no key: make usb SIGN_KEY=path SIGN_CERT=path"
[ -n "$cert" ] || die "no certificate: make usb SIGN_KEY=path SIGN_CERT=path"
for f in "$key" "$cert" "$in"; do
	[ -r "$f" ] || die "$f: no such file, or not readable"
done
command -v sbsign >/dev/null || die "sbsign is not installed (Debian: apt-get install sbsigntool; make deps)"
pass=()
[ -z "${SIGN_PASS_FILE:-}" ] || { [ -r "$SIGN_PASS_FILE" ] || die "SIGN_PASS_FILE=$SIGN_PASS_FILE: not readable"; pass=(-passin "file:$SIGN_PASS_FILE"); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 700 "$tmp"
# The key unlocked once into a private temporary file (sbsign cannot take a passphrase file itself).
openssl pkey -in "$key" "${pass[@]}" -out "$tmp/key.pem" 2>"$tmp/err" ||
	die "$key: not a private key, or the passphrase is wrong ($(head -c 200 "$tmp/err"))"
openssl x509 -in "$cert" -noout 2>/dev/null || die "$cert: not a PEM X.509 certificate"
[ "$(openssl pkey -in "$tmp/key.pem" -pubout)" = "$(openssl x509 -in "$cert" -noout -pubkey)" ] ||
	die "$key and $cert are not a pair: the certificate is for another key"
[ $check_only = 0 ] || exit 0
sbsign --key "$tmp/key.pem" --cert "$cert" --output "$tmp/signed.efi" "$in" 2>"$tmp/err" >/dev/null ||
	die "sbsign failed: $(cat "$tmp/err")"
mv "$tmp/signed.efi" "$out"
echo "sign: $out signed with $cert"
