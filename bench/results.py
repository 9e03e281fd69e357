"""results.py: where a results dict comes from, and the check that it holds what the report reads.

A results dict is {"boot": the kernel's boot record, "run": how the run was made, "bench": every bench
record the app printed, "oneway": every oneway record (ringbench's kernel only; absent from older files)}. It comes from a QEMU run (run), from the same app on Linux: Debian's kernel in
the same QEMU (run_linux) or the host's Linux (run_native), whose "boot" record the app prints itself,
from a file (load: a results.json, or a console log holding the JSON lines, such as a serial capture of a
run on hardware), or from the UEFI variables a run on hardware kept (read_efivars). Used by
bench/report.py.
"""
import datetime
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import qemu  # noqa: E402

DOORS = ("syscall", "int80", "sysenter")
GUID = "5d0c3a1e-8b1f-4d6a-9c2e-72696e676265"  # lib/results.h
EFIVARS = "/sys/firmware/efi/efivars"
# What the report reads of a supported bench record, by mode (README: "What it prints").
NEEDS = {"sample": ("iters", "min", "p50", "p90", "p99", "max", "mean", "hist"), "batch": ("mean",)}


def fail(source, why):
    sys.exit(f"report: {source}: {why}")


def run(settings, accel_given):
    """Boot the bench image with the given settings (QEMU_CPU, ACCEL, ARGS; the environment's or the
    defaults where absent, and accel_given for a missing ACCEL) and the configuration words of
    BENCH_CONFIG; return the results dict. ICOUNT=1 in the environment: under -icount shift=0 (TCG), where
    the TSC counts instructions: instructions per call."""
    icount = os.environ.get("ICOUNT") == "1"
    cpu = qemu.cpu_model(settings.get("QEMU_CPU"))
    args = settings.get("ARGS") or os.environ.get("BENCH_ARGS") or "bench"
    config = os.environ.get("BENCH_CONFIG", "").split()  # key=value words, as make run's CONFIG
    esp = qemu.make_esp(os.path.join(ROOT, "build", "bench.img"),
                        f"app = app.elf\nargs = {args}\n" + "".join(f"{word}\n" for word in config),
                        [os.path.join(ROOT, "build", "app", "app.elf")])
    os.environ["ACCEL"] = settings.get("ACCEL") or accel_given  # qemu.py reads it
    if qemu.emulator() == "bochs":
        import bochs
        accel, why, cpu = "bochs", f"EMU=bochs: {bochs.binary()}", bochs.cpu_model(cpu)
    else:
        accel, why = ("tcg", "-icount needs TCG") if icount else qemu.accelerator(cpu)
    print(f"bench: {'Bochs' if accel == 'bochs' else 'QEMU'} CPU model {cpu}, accelerator {accel.upper()} ({why})"
          f"{', -icount' if icount else ''}; app arguments: {args}" + (f"; configuration: {' '.join(config)}" if config else ""),
          flush=True)
    b = qemu.boot(esp, cpu=cpu, echo="human", icount=icount, timeout=LINUX_TIMEOUT if icount else None)
    if b.status != "app_ok":
        last = "\n".join(b.output.splitlines()[-15:])
        sys.exit(f"bench: the run ended with {b.status}, not a clean exit; the console's last lines:\n{last}")
    boot = next(iter(b.of_type("boot")), {})
    return {"boot": boot, "run": {"accelerator": accel, ("bochs_cpu" if accel == "bochs" else "qemu_cpu"): cpu,
                                  "app_args": args, "config": config,
                                  "icount": icount, "date": now()},
            "bench": b.of_type("bench"), "oneway": b.of_type("oneway")}


LINUX = os.path.join(ROOT, "build", "linux")  # make's Debian kernel (scripts/fetch-linux.sh) and initramfs
LINUX_TIMEOUT = 900  # seconds: a Linux boot and a full benchmark under TCG
LINUX_CMDLINE = "console=ttyS0 quiet panic=-1"


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def run_linux(settings, accel_given, mitigations_off=False, icount=False):
    """Boot Debian's kernel with the app as /init of an initramfs (make bench-linux builds both) under the
    QEMU command line, firmware, CPU model, memory and accelerator of run, the app's arguments after "--" on
    the kernel's command line; the guest powers itself off. icount: -icount shift=0 (TCG), where the TSC
    counts instructions."""
    cpu = qemu.cpu_model(settings.get("QEMU_CPU"))
    args = settings.get("ARGS") or os.environ.get("BENCH_ARGS") or "bench"
    cmdline = LINUX_CMDLINE + (" mitigations=off" if mitigations_off else "") + f" -- {args}"
    kernel, initrd = os.path.join(LINUX, "vmlinuz"), os.path.join(LINUX, "initramfs.cpio")
    for path in (kernel, initrd):
        if not os.path.exists(path):
            sys.exit(f"bench: {path} is missing: make bench-linux fetches Debian's kernel and builds the initramfs")
    os.environ["ACCEL"] = settings.get("ACCEL") or accel_given
    accel, why = ("tcg", "-icount needs TCG") if icount else qemu.accelerator(cpu)
    print(f"bench: Debian's Linux {open(os.path.join(LINUX, 'release')).read().strip()} under QEMU CPU model {cpu}, "
          f"accelerator {accel.upper()} ({why}){', -icount' if icount else ''}; command line: {cmdline}", flush=True)
    b = qemu.boot(None, timeout=LINUX_TIMEOUT, cpu=cpu, echo="human", icount=icount,
                  linux=(kernel, initrd, cmdline))
    if b.status != "powered_off" or not b.of_type("exit"):
        last = "\n".join(b.output.splitlines()[-15:])
        sys.exit(f"bench: Linux's run ended with {b.status}, not the app's power-off; the console's last lines:\n{last}")
    return {"boot": next(iter(b.of_type("boot")), {}),
            "run": {"accelerator": accel, "qemu_cpu": cpu, "app_args": args, "kernel_cmdline": cmdline,
                    "icount": icount, "date": now()},
            "bench": b.of_type("bench")}


def run_native(settings):
    """The app run directly on this machine's Linux (build/app/app.elf is a static ELF speaking Linux's
    raw ABI): the peer figures on the same silicon."""
    args = (settings.get("ARGS") or os.environ.get("BENCH_ARGS") or "bench").split()
    app = os.path.join(ROOT, "build", "app", "app.elf")
    print(f"bench: the app natively on this machine's Linux: {' '.join(args)}", flush=True)
    r = subprocess.run([app, *args], capture_output=True, text=True, timeout=LINUX_TIMEOUT)
    if r.returncode != 0:
        sys.exit(f"bench: {app} {' '.join(args)} exited with {r.returncode}:\n{(r.stdout + r.stderr)[-1500:]}")
    results = from_log(r.stdout, "the native run")
    results["run"] = {"accelerator": "none (native)", "app_args": " ".join(args), "date": now()}
    return results


def from_log(text, source):
    """A results dict from a run's console output or the lines the kernel kept: its JSON records."""
    cut = []
    recs = qemu.records(text, cut)
    if cut:
        print(f"report: {source}: {len(cut)} line(s) start a record but are not whole JSON, left out; the "
              f"first: {cut[0][:80]}", file=sys.stderr)
    boot = next((r for r in recs if r["type"] == "boot"), {})
    return {"boot": boot, "run": {"accelerator": "", "app_args": "not recorded", "date": source},
            "bench": [r for r in recs if r["type"] == "bench"], "oneway": [r for r in recs if r["type"] == "oneway"]}


def load(path):
    """A results.json, or a console log (its first record line starts '{"type"')."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError as e:
        fail(path, f"cannot read it: {e.strerror}")
    if text.lstrip().startswith("{") and not text.lstrip().startswith('{"type"'):
        try:
            return check(json.loads(text), path)
        except json.JSONDecodeError as e:
            fail(path, f"not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}); a results.json cut short?")
    return check(from_log(text, path), path)


def check(results, source):
    """results, if it holds what the report reads; otherwise exit with what is missing, and where."""
    if not isinstance(results, dict) or not isinstance(results.get("bench"), list):
        fail(source, 'neither a results.json (an object with "boot" and "bench") nor a console log with the '
                     "app's bench lines")
    if not isinstance(results.get("boot"), dict) or not results["boot"]:
        fail(source, "no boot record (the kernel's first JSON line): the report cannot say what machine ran")
    if not results["bench"]:
        fail(source, "no bench records: nothing was measured (did the app run with 'bench'?)")
    for i, r in enumerate(results["bench"], 1):
        if not isinstance(r, dict):
            fail(source, f"bench record {i} is not an object")
        where = f"bench record {i} ({r.get('path', '?')}, mode {r.get('mode', '-')})"
        if r.get("supported") and r.get("mode") not in NEEDS:
            fail(source, f"{where}: mode must be one of {', '.join(NEEDS)}")
        need = ("path", "op", "supported") + (NEEDS[r["mode"]] if r.get("supported") else ())
        missing = [k for k in need if k not in r]
        if missing:
            fail(source, f"{where} lacks {', '.join(missing)}")
        wrong = [k for k in need[3:] if k != "hist" and (isinstance(r[k], bool) or not isinstance(r[k], (int, float)))]
        if "hist" in need and not (isinstance(r["hist"], list) and all(isinstance(b, list) and len(b) == 2
                                                                        for b in r["hist"])):
            wrong.append("hist")
        if wrong:
            fail(source, f"{where}: not a number (or for hist, not a list of [edge, count]): {', '.join(wrong)}")
    check_oneway(results.get("oneway", []), source)
    return results


ONEWAY_NEEDS = ("samples", "to_kernel", "kernel", "to_user", "round_trip", "round_trip_stamped", "perturbation")


def check_oneway(records, source):
    """The oneway records (app/oneway.c), if any, hold what the report's one-way table reads."""
    if not isinstance(records, list):
        fail(source, '"oneway" is not a list of records')
    for i, r in enumerate(records, 1):
        where = f"oneway record {i} ({r.get('path', '?')}/{r.get('variant', '?')})" if isinstance(r, dict) else \
            f"oneway record {i}"
        if not isinstance(r, dict):
            fail(source, f"{where} is not an object")
        need = ("path", "variant", "supported") + (ONEWAY_NEEDS if r.get("supported") else ("reason",))
        missing = [k for k in need if k not in r]
        if missing:
            fail(source, f"{where} lacks {', '.join(missing)}")
        wrong = [k for k in need[3:] if r.get("supported") and (isinstance(r[k], bool) or not isinstance(r[k], int))]
        if wrong:
            fail(source, f"{where}: not a whole number of cycles: {', '.join(wrong)}")


def read_efivars(directory):
    """RingbenchResultCount and RingbenchResult00.. from efivarfs: each file is 4 bytes of attributes,
    then the variable's data."""
    def var(name):
        path = os.path.join(directory, f"{name}-{GUID}")
        try:
            with open(path, "rb") as f:
                return f.read()[4:]
        except OSError as e:
            fail(path, f"{e.strerror}: no results kept on this machine (or efivarfs is not mounted)")
    count = var("RingbenchResultCount").decode(errors="replace")
    if not count.isdigit():
        fail(directory, f"RingbenchResultCount holds '{count[:20]}', not a count")
    text = b"".join(var(f"RingbenchResult{i:02d}") for i in range(int(count))).decode(errors="replace")
    return check(from_log(text, f"UEFI variables in {directory}"), directory)
