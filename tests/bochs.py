"""bochs.py: boot a ringbench ESP image in Bochs, the second x86 emulator (it emulates FRED, which QEMU's
TCG does not), and report what happened in the shape tests/qemu.py does: qemu.boot hands its boots here
when EMU=bochs, so make run, make bench and make test take EMU=bochs BOCHS=/path/to/bochs unchanged.

What the Bochs binary must have (README, "A second emulator"): x86-64, PCI, and for FRED its experimental
FRED support (configure --enable-x86-64 --enable-pci --enable-fred, with AVX/EVEX for the newest CPU
models), no GUI needed. It boots Debian's OVMF.fd (package ovmf) as its ROM, with Debian's standard-VGA ROM
(package seabios) for its PCI VGA card, the ESP image as an ATA disk, the serial console to a file this
reads as it grows. A run ends when Bochs ends (ACPI S5: Bochs exits with 1 whatever the status) or at the
deadline; the status comes from the kernel's power_off record (kernel/power.c), the same EXIT_* value
QEMU's isa-debug-exit device carries.

Environment: BOCHS (the binary; required with EMU=bochs), BOCHS_CPU (a Bochs CPU model; default: by the
vendor the QEMU model string asks for, wildcat_lake for Intel, which has FRED, ryzen for AMD),
BOCHS_IPS (instructions per emulated second, default 100000000), QEMU_TIMEOUT (seconds, as for QEMU).
"""
import os
import re
import shutil
import subprocess
import tempfile
import time

import qemu

OVMF_ROM = "/usr/share/ovmf/OVMF.fd"  # code and variables in one image: what Bochs's romimage takes
VGA_ROM = "/usr/share/seabios/vgabios-stdvga.bin"  # the ROM of Bochs's PCI VGA card (a standard VGA)
INTEL_MODEL, AMD_MODEL = "wildcat_lake", "ryzen"
DEFAULT_IPS = 100_000_000
POLL = 0.2  # seconds between reads of the growing serial file
CONFIG = "::/ringbench/ringbench.cfg"  # on the ESP (scripts/mkesp.sh)

# The boot keywords of qemu.boot that need a QEMU feature, and what it is: make test skips those boots.
QEMU_ONLY = {"icount": "QEMU's -icount (instruction counts as the TSC)",
             "usb": "a USB stick on QEMU's xHCI controller",
             "linux": "QEMU's -kernel (Debian's kernel booted by OVMF from QEMU)",
             "secure": "Debian's Secure Boot firmware, which needs QEMU's SMM and secure flash",
             "vars_file": "a UEFI variable store kept across boots (QEMU's pflash)"}


def wanted():
    return os.environ.get("EMU", "qemu") == "bochs"


def binary():
    """The Bochs binary BOCHS names, or exit saying what is missing."""
    path = os.environ.get("BOCHS", "")
    if not path:
        raise SystemExit("bochs.py: EMU=bochs needs BOCHS=/path/to/bochs (a Bochs built with x86-64, PCI and "
                         "FRED: README, 'A second emulator')")
    found = shutil.which(path)
    if not found:
        raise SystemExit(f"bochs.py: BOCHS={path}: no such executable")
    for need in (OVMF_ROM, VGA_ROM):
        if not os.path.exists(need):
            raise SystemExit(f"bochs.py: {need} is missing (Debian packages ovmf and seabios)")
    return found


def unsupported(boot_kw):
    """Why a boot with these qemu.boot keywords cannot run under Bochs, or None. A QEMU CPU model that
    switches features on or off (+flag, -flag) is QEMU's: Bochs's models are fixed."""
    flags = [p for p in (boot_kw.get("cpu") or "").split(",")[1:] if p[:1] in "+-"]
    if flags:
        return f"needs QEMU's CPU model with {','.join(flags)}"
    return next((f"needs {why}" for key, why in QEMU_ONLY.items() if boot_kw.get(key)), None)


def cpu_model(cpu=None):
    """The Bochs CPU model for a QEMU -cpu string: BOCHS_CPU, else by the vendor it asks for."""
    if os.environ.get("BOCHS_CPU"):
        return os.environ["BOCHS_CPU"]
    return AMD_MODEL if "AuthenticAMD" in (cpu or qemu.cpu_model()) else INTEL_MODEL


def config(esp, serial, log, cpu):
    """The bochsrc of one boot."""
    return "\n".join([
        f"romimage: file={OVMF_ROM}",
        f"vgaromimage: file={VGA_ROM}",
        "memory: guest=512, host=512",
        f"cpu: model={cpu_model(cpu)}, count=1, ips={int(os.environ.get('BOCHS_IPS', DEFAULT_IPS))}, "
        "reset_on_triple_fault=1, ignore_bad_msrs=1",
        "pci: enabled=1, chipset=i440fx, slot1=pcivga",
        "fw_cfg: enabled=1",
        f"ata0-master: type=disk, mode=flat, path={esp}",
        "boot: disk",
        f"com1: enabled=1, mode=file, dev={serial}",
        "display_library: nogui",
        "clock: sync=none",
        f"log: {log}",
        "panic: action=fatal", "error: action=report", "info: action=ignore", "debug: action=ignore", ""])


def power_off_at_end(disk):
    """Bochs presents a CPU without the hypervisor bit, where ringbench's default (poweroff = auto) halts at
    the end as on hardware: the copy's configuration gets poweroff = yes, unless it names poweroff itself
    (or has none: a boot about its absence)."""
    cfg = subprocess.run(["mtype", "-i", disk, CONFIG], capture_output=True, text=True)
    if cfg.returncode or re.search(r"^\s*poweroff\s*=", cfg.stdout, re.M):
        return
    with tempfile.NamedTemporaryFile("w", suffix=".cfg") as f:
        f.write(cfg.stdout + ("" if cfg.stdout.endswith("\n") or not cfg.stdout else "\n") + "poweroff = yes\n")
        f.flush()
        subprocess.run(["mcopy", "-o", "-i", disk, f.name, CONFIG], check=True)


def status_of(output, code, debug_exit=True):
    """The run's status name, as qemu.Boot names QEMU's: from the power_off record, else an EFI error.
    Without QEMU's exit device (debug_exit False) QEMU can only say the machine powered off: so here."""
    if not debug_exit:
        return "powered_off" if code is not None else "timeout"
    recs = qemu.records(output)
    end = next((r for r in reversed(recs) if r.get("type") == "power_off"), None)
    if end is not None:
        return qemu.exit_statuses().get((end.get("status", -1) << 1) | 1, f"power_off_{end.get('status')}")
    if any(r.get("type") == "error" and r.get("stage") == "efi" for r in recs):
        return "boot_error"
    return "timeout" if code is None else f"bochs_exit_{code}"


class Boot(qemu.Boot):
    def __init__(self, code, output, seconds, debug_exit=True):
        super().__init__(code, output, "bochs", seconds)
        self.status = status_of(output, code, debug_exit)


def echo_new(text, echo):
    for line in text.splitlines(keepends=True):
        qemu.echo_text(line, echo)


def boot(esp, timeout=None, cpu=None, echo=None, debug_exit=True, stop_on=None, **qemu_only):
    """One boot of an ESP image under Bochs; the keywords and the result as qemu.boot's."""
    why = unsupported(qemu_only)
    if why:
        raise SystemExit(f"bochs.py: this boot {why}, which Bochs does not have")
    timeout = timeout or int(os.environ.get("QEMU_TIMEOUT", qemu.DEFAULT_TIMEOUT))
    start, code, seen = time.monotonic(), None, 0
    with tempfile.TemporaryDirectory() as tmp:
        disk, serial, log, rc = (os.path.join(tmp, n) for n in ("esp.img", "serial.log", "bochs.log", "bochsrc"))
        shutil.copyfile(esp, disk)  # Bochs locks and may write its disk: the case's image stays as built
        power_off_at_end(disk)
        with open(rc, "w") as f:
            f.write(config(disk, serial, log, cpu))
        proc = subprocess.Popen([binary(), "-q", "-f", rc], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd=tmp)
        try:
            while time.monotonic() - start < timeout:
                code = proc.poll()
                text = open(serial, errors="replace").read() if os.path.exists(serial) else ""
                echo_new(text[seen:], echo)
                seen = len(text)
                if code is not None or (stop_on and stop_on in text):
                    break
                time.sleep(POLL)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        output = open(serial, errors="replace").read() if os.path.exists(serial) else ""
        echo_new(output[seen:], echo)
        if code is None and not output:
            output = "bochs.py: no console output; Bochs's log ends:\n" + open(log, errors="replace").read()[-1500:]
    return Boot(code, qemu.ANSI_CSI.sub("", output).replace("\r", ""), time.monotonic() - start, debug_exit)
