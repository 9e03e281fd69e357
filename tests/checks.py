"""checks.py: what every part of `make test` shares: the verdicts of one run (check, skip), the one shape
of a boot case (Case), the CPU models the boots use, and the small readers of a boot's records. The
families of cases (tests/boots_*.py) build Cases; tests/integration.py boots them and prints the verdicts
and the closing line."""
import dataclasses
import os
import subprocess
from typing import Callable

import qemu

ROOT, BUILD = qemu.ROOT, qemu.BUILD
TEST_DIR = os.path.join(BUILD, "test")
APP = os.path.join(BUILD, "app", "app.elf")
DOORS = ("syscall", "int80", "sysenter")
INTEL = "max,vendor=GenuineIntel"  # QEMU runs SYSENTER in 64-bit mode only for an Intel vendor
AMD = "max,vendor=AuthenticAMD"
results = []  # (name, ok, why)
skipped = []  # (name, why): checks this machine cannot make


def check(name, ok, why=""):
    results.append((name, bool(ok), why))


def skip(name, why):
    skipped.append((name, why))


@dataclasses.dataclass
class Case:
    """One boot and what must hold of it. image: the ESP (or disk) image; boot: qemu.boot's keywords
    (cpu, icount, timeout, usb, debug_exit); verify: the checks, given the qemu.Boot."""
    name: str
    image: str
    verify: Callable
    boot: dict = dataclasses.field(default_factory=dict)


def esp(case, config, files):
    """build/test/<case>.img with the given ringbench.cfg text and extra files in \\ringbench\\."""
    os.makedirs(TEST_DIR, exist_ok=True)
    return qemu.make_esp(os.path.join(TEST_DIR, case + ".img"), config, files)


def app_case(name, args, verify, cpu=AMD, config="", **boot):
    """A boot of ringbench's own app with these arguments (and more configuration lines)."""
    return Case(name, esp(name, f"app = app.elf\nargs = {args}\n{config}", [APP]), verify, {"cpu": cpu, **boot})


def status_is(case, b, want):
    check(f"{case}/status_{want}", b.status == want,
          f"got {b.status} after {b.seconds:.1f} s; last output:\n{b.output[-1500:]}")


def one(b, kind, **match):
    """The first record of a type whose fields equal the given values, or {}."""
    for r in b.of_type(kind):
        if all(r.get(k) == v for k, v in match.items()):
            return r
    return {}


def app_symbol(name):
    """The address of a symbol of build/app/app.elf."""
    out = subprocess.run(["nm", APP], capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == name:
            return int(f[0], 16)
    raise SystemExit(f"tests: no symbol {name} in {APP}")
