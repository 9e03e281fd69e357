#!/usr/bin/env python3
"""qemu.py: boot a ringbench ESP image in QEMU+OVMF and report what happened.

    qemu.py run ESP.img      boot with the serial console's human lines on the terminal (JSON=1: every
                             line), the whole console in build/run.log; exits with the app's exit
                             status, 1 when it did not exit (killed, refused, a kernel panic)

Environment: ACCEL=kvm|tcg (default: KVM when a probe boot under it works and KVM can present the CPU
model truly here, else TCG), QEMU_CPU (default max), QEMU_TIMEOUT seconds (default 120),
OVMF_CODE/OVMF_VARS (see ovmf/find-ovmf.sh).
Also imported by the test suite (tests/checks.py and the families of boots: boot(), run_console()) and by
bench/results.py.
"""
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CPUID_INTEL = "GenuineIntel"  # the vendor string of lib/x86.h's CPUID_VENDOR_INTEL
BUILD = os.path.join(ROOT, "build")
PROBE_TIMEOUT = 20
ANSI_CSI = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")  # the firmware's terminal codes (clear screen, cursor)
DEFAULT_TIMEOUT = 120
SCREEN_POLL = 3  # seconds between screendumps


def make_esp(img, config, files=(), kernel=None):
    """A bare FAT ESP image (scripts/mkesp.sh) with the built stub and kernel, ringbench.cfg holding the
    text config, and files in \\ringbench\\; the config is written beside the image as <img>.cfg."""
    cfg = os.path.splitext(img)[0] + ".cfg"
    with open(cfg, "w") as f:
        f.write(config)
    subprocess.run([os.path.join(ROOT, "scripts", "mkesp.sh"), img, os.path.join(BUILD, "BOOTX64.EFI"),
                    kernel or os.path.join(BUILD, "kernel.elf"), cfg, *files], check=True)
    return img


def exit_statuses():
    """EXIT_* from lib/bootinfo.h (the one place they are defined): QEMU exit code -> name."""
    text = open(os.path.join(ROOT, "lib", "bootinfo.h")).read()
    pairs = re.findall(r"#define EXIT_(\w+)\s+(0x[0-9a-fA-F]+|\d+)", text)
    statuses = {(int(v, 0) << 1) | 1: name.lower() for name, v in pairs}
    statuses[0] = "powered_off"  # ACPI S5, when there is no isa-debug-exit device
    return statuses


# Debian's Secure Boot test firmware (package ovmf): PK, KEK and db hold its "snakeoil" key, which
# /usr/share/ovmf/PkKek-1-snakeoil.{key,pem} are; it needs SMM and a secure flash (command's secure).
SNAKEOIL = ("/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd", "/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd")
SNAKEOIL_KEY = ("/usr/share/ovmf/PkKek-1-snakeoil.key", "/usr/share/ovmf/PkKek-1-snakeoil.pem")


def ovmf(secure=False):
    if secure:
        return SNAKEOIL
    out = subprocess.run([os.path.join(ROOT, "ovmf", "find-ovmf.sh")], capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr.strip())
    files = dict(line.split("=", 1) for line in out.stdout.split())
    return files["CODE"], files["VARS"]


def emulator():
    """qemu, or bochs (EMU=bochs: tests/bochs.py boots instead)."""
    emu = os.environ.get("EMU") or "qemu"
    if emu not in ("qemu", "bochs"):
        sys.exit(f"qemu.py: EMU must be qemu or bochs, not '{emu}'")
    return emu


def cpu_model(cpu=None):
    """The -cpu string of a boot: the one given, else QEMU_CPU, else max."""
    return cpu or os.environ.get("QEMU_CPU") or "max"


def command(esp, accel, vars_copy, cpu=None, debug_exit=True, icount=False, screen=None, usb=False, linux=None,
            secure=False):
    """icount: QEMU's -icount shift=0, where the guest TSC counts retired instructions (TCG only).
    screen: a monitor socket path; then the machine gets a VGA display (read back with screendump) and
    no serial port at all, like a laptop. usb: the image is a USB stick on an xHCI controller.
    linux: (kernel, initramfs, command line): the same machine and firmware boot that kernel instead of an
    ESP (OVMF loads it from QEMU's -kernel; make bench-linux). secure: Debian's Secure Boot firmware, with
    Secure Boot enforcing (SNAKEOIL)."""
    code, _ = ovmf(secure)
    exit_device = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"] if debug_exit else []
    exit_device += ["-icount", "shift=0"] if icount else []
    serial = ["-serial", "stdio"]
    if screen:
        serial = ["-serial", "none", "-device", "VGA", "-monitor", f"unix:{screen},server,nowait"]
    machine = ["-machine", "q35,smm=on", "-global", "driver=cfi.pflash01,property=secure,value=on"] if secure \
        else ["-machine", "q35"]
    base = ["qemu-system-x86_64", "-nodefaults", *machine, "-accel", accel, "-m", "512M",
            "-cpu", cpu_model(cpu),
            "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={code}",
            "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}"]
    if linux:
        disk = ["-kernel", linux[0], "-initrd", linux[1], "-append", linux[2]]
    else:
        base += ["-drive", f"if=none,id=esp,format=raw,file={esp}"]
        disk = ["-device", "qemu-xhci", "-device", "usb-storage,drive=esp,removable=on"] if usb else \
            ["-device", "virtio-blk-pci,drive=esp"]
    return base + disk + ["-nic", "none", "-display", "none"] + serial + exit_device


def fresh_vars(tmpdir, secure=False):
    """A private copy of the OVMF variable store for one boot (the template is never written)."""
    path = os.path.join(tmpdir, "OVMF_VARS.fd")
    shutil.copyfile(ovmf(secure)[1], path)
    return path


def pvm_hint():
    """Why KVM may fail although /dev/kvm works: on hosts whose /dev/kvm is kvm-pvm (a hypervisor without
    hardware virtualisation that runs the guest's kernel in the host's ring 3 and emulates its privileged
    instructions) OVMF stops at its first x87 instruction with a KVM internal error."""
    return "; /dev/kvm is kvm-pvm, which cannot run OVMF" if os.path.isdir("/sys/module/kvm_pvm") else ""


def kvm_usable():
    """KVM only if a real boot works: here /dev/kvm exists, yet OVMF fails under it. The probe boots the
    stub with an empty kernel.elf, which it refuses: reaching that "boot error" exit proves that the
    firmware and the stub ran.
    The verdict is cached in build/accel."""
    cache = os.path.join(BUILD, "accel")
    if os.path.exists(cache):
        return open(cache).read().split()[0] == "kvm"
    verdict, why = "tcg", "/dev/kvm is missing or not accessible"
    if os.access("/dev/kvm", os.R_OK | os.W_OK):
        with tempfile.TemporaryDirectory() as tmp:
            empty = os.path.join(tmp, "kernel.elf")
            open(empty, "w").close()
            esp = make_esp(os.path.join(tmp, "probe.img"), "app = none\n", kernel=empty)
            try:
                r = subprocess.run(command(esp, "kvm", fresh_vars(tmp)), capture_output=True,
                                   timeout=PROBE_TIMEOUT)
                ok = exit_statuses().get(r.returncode) == "boot_error"
                verdict, why = ("kvm", "a probe boot under KVM worked") if ok else \
                    ("tcg", f"a probe boot under KVM failed (QEMU exit {r.returncode}){pvm_hint()}")
            except subprocess.TimeoutExpired:
                why = f"a probe boot under KVM did not finish in {PROBE_TIMEOUT} s{pvm_hint()}"
    os.makedirs(BUILD, exist_ok=True)
    open(cache, "w").write(f"{verdict} {why}\n")
    return verdict == "kvm"


def host_vendor():
    """The vendor_id of the CPU this runs on (/proc/cpuinfo), "" if unknown."""
    try:
        with open("/proc/cpuinfo") as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith("vendor_id")), "")
    except OSError:
        return ""


model_vendors = {}  # named model -> vendor, asked of QEMU once per process


def model_vendor(cpu):
    """The CPU vendor a -cpu string presents: its vendor= property, else the named model's own as QEMU
    expands it (QMP query-cpu-model-expansion, on a machine with nothing to run); max and host present
    the host's under KVM. "" for a model QEMU does not know (its boot then says so)."""
    name, *props = cpu.split(",")
    vendor = next((p.split("=", 1)[1] for p in props if p.startswith("vendor=")), None)
    if vendor is not None:
        return vendor
    if name in ("max", "host"):
        return host_vendor()
    if name not in model_vendors:
        ask = [{"execute": "qmp_capabilities"}, {"execute": "query-cpu-model-expansion",
               "arguments": {"type": "static", "model": {"name": name}}}, {"execute": "quit"}]
        try:
            out = subprocess.run(["qemu-system-x86_64", "-machine", "none", "-nodefaults", "-display", "none",
                                  "-qmp", "stdio"], input="".join(json.dumps(c) + "\n" for c in ask),
                                 capture_output=True, text=True, timeout=PROBE_TIMEOUT).stdout
        except (OSError, subprocess.TimeoutExpired):
            out = ""  # unknown: the boot itself will say what is wrong with QEMU
        answers = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        model_vendors[name] = next((a["return"]["model"]["props"].get("vendor", "") for a in answers
                                    if isinstance(a.get("return"), dict) and "model" in a["return"]), "")
    return model_vendors[name]


def kvm_unfaithful(cpu, host=None):
    """Why KVM cannot present this CPU model truly on this host, or None. KVM runs the host's silicon
    under the model's CPUID: a model that says GenuineIntel on a host that is not Intel says SYSENTER
    works in 64-bit mode, so the kernel serves it, and the silicon raises #UD (KVM does not emulate
    SYSENTER in 64-bit mode). The other way round is harmless: ringbench never runs SYSENTER on a CPU
    that does not say Intel."""
    host = host_vendor() if host is None else host
    if model_vendor(cpu) == CPUID_INTEL and host != CPUID_INTEL:
        return f"CPU model {cpu} says GenuineIntel, and SYSENTER under KVM follows this {host or 'non-Intel'} " \
               "host, which raises #UD in 64-bit mode"
    return None


def accelerator(cpu=None):
    """(kvm or tcg, why) for a boot of this CPU model (default: cpu_model())."""
    forced = os.environ.get("ACCEL", "")
    if forced not in ("", "kvm", "tcg"):
        sys.exit(f"qemu.py: ACCEL must be kvm or tcg, not '{forced}'")
    if forced == "tcg":
        return "tcg", "chosen by ACCEL"
    if forced == "kvm" or kvm_usable():
        unfaithful = kvm_unfaithful(cpu_model(cpu))
        if forced:
            return "kvm", "chosen by ACCEL" + (f", although {unfaithful}: expect the app killed at its first "
                                                "SYSENTER" if unfaithful else "")
        if not unfaithful:
            return "kvm", "KVM works here"
        return "tcg", f"KVM works here, but {unfaithful}; cycle counts are emulation costs, not hardware costs"
    reason = open(os.path.join(BUILD, "accel")).read().split(" ", 1)[1].strip()
    return "tcg", f"{reason}; cycle counts are emulation costs, not hardware costs"


def records(text, cut=None):
    """Every JSON object line of the console output (the firmware's escape codes may precede one). cut, a
    list, gets the lines that start a record but do not hold a whole one."""
    out = []
    for line in text.splitlines():
        i = line.find('{"type"')
        if i < 0:
            continue
        try:
            out.append(json.loads(line[i:].strip()))
        except json.JSONDecodeError:
            if cut is not None:
                cut.append(line[i:])
    return out


class Boot:
    """The result of one boot: status name, QEMU exit code, console text, JSON records."""

    def __init__(self, code, output, accel, seconds):
        self.code, self.output, self.accel, self.seconds = code, output, accel, seconds
        self.status = exit_statuses().get(code, "timeout" if code is None else f"qemu_exit_{code}")
        self.records = records(output)

    def of_type(self, kind):
        return [r for r in self.records if r.get("type") == kind]


def is_record(line):
    """Does this console line hold a JSON record (for machines) rather than a human line?"""
    return '{"type"' in line


def echo_text(text, echo):
    """Show console text as echo asks: None (nothing), "human" (the human lines), "all"."""
    if echo == "all" or (echo == "human" and not is_record(text)):
        sys.stdout.write(text)
        sys.stdout.flush()


def run_console(cmd, timeout, echo=None, stop_on=None):
    """Run cmd, reading its console (stdout and stderr) until it exits or timeout seconds have passed,
    whatever it prints or does not print: a deadline that holds even when the guest hangs silent, or in
    the middle of a line. echo: None (quiet), "human" (the human lines on this terminal) or "all".
    stop_on: a text whose line ends the run at once (a firmware's refusal, after which it only waits).
    Returns (exit code, or None when it was killed at the deadline or stopped; the console text)."""
    deadline = time.monotonic() + timeout
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    chunks, pending, fd = [], b"", proc.stdout.fileno()

    def take(raw):
        text = ANSI_CSI.sub("", raw.decode("utf-8", "replace")).replace("\r", "")
        chunks.append(text)
        echo_text(text, echo)
    try:
        code = None
        while time.monotonic() < deadline:
            if not select.select([fd], [], [], max(0, deadline - time.monotonic()))[0]:
                continue
            data = os.read(fd, 65536)
            if not data:  # the console closed: the process is ending
                try:
                    code = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    pass
                break
            *lines, pending = (pending + data).split(b"\n")
            for line in lines:
                take(line + b"\n")
            if stop_on and any(stop_on.encode() in line for line in lines):
                break
        if pending:
            take(pending)
        return code, "".join(chunks)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()


def boot(esp, timeout=None, cpu=None, echo=None, debug_exit=True, icount=False, usb=False, vars_file=None,
         linux=None, secure=False, stop_on=None):
    """One boot of an ESP image (or with linux, of a Linux kernel: see command). echo as for run_console.
    vars_file: a variable store kept across boots (by default each boot gets a fresh copy). With EMU=bochs
    the boot is Bochs's (tests/bochs.py)."""
    if emulator() == "bochs":
        import bochs
        return bochs.boot(esp, timeout, cpu, echo, debug_exit, stop_on, icount=icount, usb=usb, vars_file=vars_file,
                          linux=linux, secure=secure)
    accel = "tcg" if icount else accelerator(cpu)[0]
    timeout = timeout or int(os.environ.get("QEMU_TIMEOUT", DEFAULT_TIMEOUT))
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        cmd = command(esp, accel, vars_file or fresh_vars(tmp, secure), cpu, debug_exit, icount, usb=usb, linux=linux,
                      secure=secure)
        code, output = run_console(cmd, timeout, echo, stop_on)
    return Boot(code, output, accel, time.monotonic() - start)


def boot_screen(esp, until, timeout=None, cpu=None):
    """Boot with a VGA screen and no serial port; every few seconds read the screen (screendump, decoded
    by tests/screen.py) until a line contains `until`. Returns the screen's lines ([] on timeout)."""
    import socket
    import screen
    timeout = timeout or int(os.environ.get("QEMU_TIMEOUT", DEFAULT_TIMEOUT))
    with tempfile.TemporaryDirectory() as tmp:
        mon, shot = os.path.join(tmp, "monitor"), os.path.join(tmp, "screen.ppm")
        proc = subprocess.Popen(command(esp, accelerator(cpu)[0], fresh_vars(tmp), cpu, screen=mon),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        lines, deadline = [], time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(SCREEN_POLL)
                if not os.path.exists(mon):
                    continue
                with socket.socket(socket.AF_UNIX) as s:
                    s.connect(mon)
                    s.sendall(f"screendump {shot}\n".encode())
                    s.settimeout(5)
                    s.recv(4096)
                    time.sleep(0.5)  # the monitor answers before the file is whole
                if os.path.exists(shot):
                    lines = screen.text(shot)
                    if any(until in line for line in lines):
                        return lines
            return []
        finally:
            proc.kill()
            proc.wait()


RUN_LOG = os.path.join(BUILD, "run.log")


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "run":
        sys.exit(__doc__)
    secure = os.environ.get("SECURE_BOOT") == "1"
    if emulator() == "bochs":
        import bochs
        print(f"qemu: EMU=bochs: Bochs ({bochs.binary()}), CPU model {bochs.cpu_model()}", flush=True)
    else:
        accel, why = accelerator()
        print(f"qemu: accelerator {accel.upper()} ({why}); CPU model {cpu_model()}"
              + ("; Debian's Secure Boot test firmware, Secure Boot enforcing" if secure else ""), flush=True)
    b = boot(sys.argv[2], echo="all" if os.environ.get("JSON") == "1" else "human", secure=secure)
    with open(RUN_LOG, "w") as f:
        f.write(b.output)
    print(f"\nqemu: {b.status} after {b.seconds:.1f} s under {b.accel.upper()}")
    if b.accel == "kvm" and b.status not in exit_statuses().values():
        print(f"qemu: the boot failed under KVM before ringbench chose an exit status{pvm_hint()}; "
              "ACCEL=tcg runs it under software emulation")
    exited = next((r for r in b.of_type("exit") if r.get("reason") == "exit"), None)
    if exited:
        print(f"qemu: the app exited with status {exited.get('status')}")
    print(f"qemu: the whole console, human and JSON lines, is in {os.path.relpath(RUN_LOG)}")
    sys.exit(exited.get("status", 1) if exited and b.status in ("app_ok", "app_failed") else 1)


if __name__ == "__main__":
    main()
