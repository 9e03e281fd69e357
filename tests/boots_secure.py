"""boots_secure.py: Secure Boot, with Debian's Secure Boot test firmware and its "snakeoil" key (package ovmf):
the unified image (the stub carrying kernel, app and configuration: make unified), signed with that key
by scripts/sign.sh, boots with Secure Boot enforcing and runs what it carries; with one byte changed, and
unsigned, the firmware refuses it; loose files beside it are ignored, with the line that says so; without
Secure Boot the unified image boots too. And sign.sh refuses a missing key, a key and certificate that
are not a pair, and a wrong passphrase, before anything is written."""
import os
import shutil
import subprocess

import qemu
from checks import BUILD, ROOT, TEST_DIR, Case, check, one, skip, status_is

CONFIG = "app = app.elf\nargs = selftest\npoweroff = yes\n"
LOOSE_CONFIG = "app = app.elf\nargs = bench\npoweroff = yes\n"  # what a stranger's stick might say instead
PASSPHRASE = "snakeoil"  # Debian's, for its test key
REFUSED = "Access Denied"  # OVMF's word when an image's signature does not verify
REFUSED_TIMEOUT = 120


def sign(src, out, key, cert, passfile):
    return subprocess.run([os.path.join(ROOT, "scripts", "sign.sh"), key, cert, src, out], capture_output=True,
                          text=True, env={**os.environ, "SIGN_PASS_FILE": passfile})


def build_images():
    """The unified image (its configuration runs the self-tests), signed, and a copy with one byte changed."""
    d = os.path.join(TEST_DIR, "unified")
    os.makedirs(d, exist_ok=True)
    cfg, passfile = os.path.join(d, "test.cfg"), os.path.join(d, "pass")
    open(cfg, "w").write(CONFIG)
    open(passfile, "w").write(PASSPHRASE + "\n")
    subprocess.run(["make", "--no-print-directory", "-s", "unified", f"UNIFIED_DIR={d}", f"UNIFIED_CONFIG={cfg}"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    unsigned, signed, tampered = (os.path.join(d, n) for n in ("BOOTX64.EFI", "signed.efi", "tampered.efi"))
    r = sign(unsigned, signed, *qemu.SNAKEOIL_KEY, passfile)
    check("secure/sign_with_snakeoil", r.returncode == 0 and os.path.exists(signed), r.stdout + r.stderr)
    data = bytearray(open(signed, "rb").read())
    data[len(data) // 2] ^= 0x01  # in the payload, which the signature covers
    open(tampered, "wb").write(bytes(data))
    return d, unsigned, signed, tampered, passfile


def sign_refusals(d, unsigned, passfile):
    """Bad signing input is a clear error, and nothing is written."""
    key, cert = qemu.SNAKEOIL_KEY
    other = os.path.join(d, "other.key")
    subprocess.run(["openssl", "genrsa", "-out", other, "2048"], check=True, capture_output=True)
    wrong = os.path.join(d, "wrong.pass")
    open(wrong, "w").write("not the passphrase\n")
    for name, args, want in (("missing_key", (os.path.join(d, "no.key"), cert, passfile), "no such file"),
                             ("not_a_pair", (other, cert, passfile), "are not a pair"),
                             ("wrong_passphrase", (key, cert, wrong), "passphrase is wrong")):
        out = os.path.join(d, f"refused-{name}.efi")
        r = sign(unsigned, out, *args)
        check(f"secure/sign_refuses_{name}", r.returncode == 2 and want in r.stderr and not os.path.exists(out),
              f"exit {r.returncode}: {r.stderr[-300:]}")


def esp(name, efi, loose=()):
    """An ESP with this BOOTX64.EFI and, loose in \\ringbench\\, a kernel, a configuration and more files
    (mkesp.sh's order), as a stranger's stick might hold them."""
    img = os.path.join(TEST_DIR, f"{name}.img")
    subprocess.run([os.path.join(ROOT, "scripts", "mkesp.sh"), img, efi, *loose], check=True)
    return img


def ran_embedded(case, b, secure):
    status_is(case, b, "app_ok")
    boot = one(b, "boot")
    check(f"{case}/boot_line", boot.get("secure_boot") is secure and boot.get("sources", {}).get("kernel") == "image"
          and boot.get("sources", {}).get("app") == "image" and boot.get("sources", {}).get("config") == "image",
          f"boot: secure_boot {boot.get('secure_boot')}, sources {boot.get('sources')}")
    failed = [t.get("name") for t in b.of_type("test") if t.get("ok") is False]
    check(f"{case}/selftests_pass", b.of_type("test") and not failed, f"failed: {failed}")


def refused(case):
    def verify(b):
        check(f"{case}/firmware_refuses", REFUSED in b.output and "EFI stub" not in b.output,
              f"status {b.status}; last output:\n{b.output[-600:]}")
    return verify


def cases():
    missing = [p for p in (*qemu.SNAKEOIL, *qemu.SNAKEOIL_KEY) if not os.path.exists(p)]
    if missing or not shutil.which("sbsign"):
        skip("secure_boot", f"{', '.join(missing) or 'sbsign'} missing (make deps installs ovmf and sbsigntool)")
        return []
    d, unsigned, signed, tampered, passfile = build_images()
    sign_refusals(d, unsigned, passfile)
    loose_cfg = os.path.join(d, "loose.cfg")
    open(loose_cfg, "w").write(LOOSE_CONFIG)
    kernel, app = os.path.join(BUILD, "kernel.elf"), os.path.join(BUILD, "app", "app.elf")
    secure = {"secure": True}
    stop = {"secure": True, "stop_on": REFUSED, "timeout": REFUSED_TIMEOUT}

    def loose_ignored(b):
        ran_embedded("secure_loose_files_ignored", b, True)
        check("secure_loose_files_ignored/said", all(f"Secure Boot is on: \\ringbench\\{f} on the ESP is ignored" in b.output
                                                     for f in ("kernel.elf", "ringbench.cfg", "app.elf")),
              b.output[-1200:])
    return [
        Case("secure_signed", esp("secure_signed", signed), lambda b: ran_embedded("secure_signed", b, True), secure),
        Case("secure_tampered", esp("secure_tampered", tampered), refused("secure_tampered"), stop),
        Case("secure_unsigned", esp("secure_unsigned", unsigned), refused("secure_unsigned"), stop),
        Case("secure_loose_files_ignored",
             esp("secure_loose", signed, (kernel, loose_cfg, app)),
             loose_ignored, secure),
        Case("unified_without_secure_boot", esp("unified_plain", unsigned),
             lambda b: ran_embedded("unified_without_secure_boot", b, False)),
    ]
