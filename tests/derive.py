"""derive.py: what the test suite knows of ringbench, read from the sources it tests instead of retyped, so
that adding a self-test, a hazard, an entry variant or a call touches one place:
  - the app's self-tests (app/selftest.c tests[]) and hazards with the fault each must end with
    (app/main.c hazards[]), the benchmark's base paths (app/benchpaths.c);
  - the entry variants of the lab (lib/abi.h RB_ENTRY_LIST) and the defences each is built with
    (entry/variants.h ENTRY_VARIANTS);
  - the kernel's boot checks (kernel/selftest.c) and its TSC references in order (kernel/tsc.c);
  - any integer constant of the headers (syscall numbers, errno values, vectors, page-fault bits, the
    memory layout), evaluated by the host's C compiler from the headers themselves.
Each reader fails loudly, naming the file, when the source no longer has the shape it reads."""
import functools
import os
import re
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "build", "gen")
HEADERS = ["lib/x86.h", "lib/memlayout.h", "lib/abi.h", "lib/errno.h", "lib/bootinfo.h", "syscall_nr.h"]


def source(path):
    with open(os.path.join(ROOT, path)) as f:
        return f.read()


def found(path, what, items):
    if not items:
        raise SystemExit(f"derive: no {what} found in {path}: has its shape changed?")
    return items


@functools.lru_cache(maxsize=None)
def selftests():
    """The names of the app's self-tests, in the order they run."""
    table = source("app/selftest.c").split("tests[] = {", 1)[-1].split("};", 1)[0]
    return found("app/selftest.c", "self-tests", re.findall(r'\{\s*\w+,\s*"(\w+)"\s*\}', table))


@functools.lru_cache(maxsize=None)
def hazards():
    """{mode: (the door it needs or None, the vector that must end it)} of the app's hazards."""
    table = source("app/main.c").split("hazards[] = {", 1)[-1].split("};", 1)[0]
    rows = re.findall(r'\{\s*"([\w-]+)",\s*\w+,\s*(DOOR_\w+|-1),\s*(T_\w+)\s*\}', table)
    doors = {"DOOR_SYSCALL": "syscall", "DOOR_INT80": "int80", "DOOR_SYSENTER": "sysenter", "-1": None}
    return {mode: (doors[door], const(vector)) for mode, door, vector in found("app/main.c", "hazards", rows)}


@functools.lru_cache(maxsize=None)
def bench_paths():
    """The benchmark's base paths with their operations: [(path, op)]."""
    rows = re.findall(r'\{\s*"(\w+)",\s*"(\w+)",\s*\w+,\s*(?:DOOR_\w+|NO_DOOR)', source("app/benchpaths.c"))
    return found("app/benchpaths.c", "bench paths", rows)


@functools.lru_cache(maxsize=None)
def variants():
    """The entry variants a configuration or rb_entry can name (lib/abi.h), plain excepted."""
    rows = re.findall(r"X\(RB_ENTRY_\w+,\s*(\w+)\)", source("lib/abi.h"))
    return [v for v in found("lib/abi.h", "entry variants", rows) if v != "plain"]


@functools.lru_cache(maxsize=None)
def variant_defences():
    """{variant stub set: [defence, ...]}: each row of entry/variants.h with its EV_* features, lower case
    (EV_KPTI|EV_PCID -> ["kpti", "pcid"])."""
    rows = re.findall(r"X\((\w+),\s*([\w|]+)\)", source("entry/variants.h").split("#define ENTRY_VARIANTS", 1)[-1])
    return {name: [] if feats == "0" else [f[3:].lower() for f in feats.split("|")]
            for name, feats in found("entry/variants.h", "variant rows", rows)}


@functools.lru_cache(maxsize=None)
def kernel_selftests():
    return found("kernel/selftest.c", "boot checks", re.findall(r'report\("(\w+)"', source("kernel/selftest.c")))


@functools.lru_cache(maxsize=None)
def tsc_sources():
    """The TSC references in the kernel's order of preference."""
    m = re.search(r"source_names\[NSOURCES\]\s*=\s*\{([^}]*)\}", source("kernel/tsc.c"))
    return found("kernel/tsc.c", "TSC references", re.findall(r'"(\w+)"', m.group(1) if m else ""))


@functools.lru_cache(maxsize=None)
def _constants():
    """Every object-like #define of HEADERS that the C compiler evaluates as an integer: one variable per
    name in one file; the lines of the names that are not integers (strings, asm macros) are dropped
    where the compiler says they fail, and the rest read back from its assembly."""
    names, includes = [], ""
    for h in HEADERS:
        path = os.path.join(ROOT, h) if "/" in h else os.path.join(GEN, h)
        with open(path) as f:
            names += re.findall(r"^#define[ \t]+(\w+)[ \t]+\S", f.read(), re.M)
        includes += f'#include "{path}"\n'
    head = includes.count("\n")
    with tempfile.TemporaryDirectory() as tmp:
        c = os.path.join(tmp, "constants.c")  # the name the error pattern below looks for
        for _ in range(len(names) + 1):
            with open(c, "w") as f:
                f.write(includes + "".join(f"long long v_{n} = (long long)({n});\n" for n in names))
            r = subprocess.run(["cc", "-S", "-O0", "-o", "-", c], capture_output=True, text=True)
            if r.returncode == 0:
                break
            bad = {int(k) - head - 1 for k in re.findall(r"constants\.c:(\d+):\d+: error", r.stderr)}
            if not bad or min(bad) < 0:
                raise SystemExit(f"derive: the headers do not compile on the host:\n{r.stderr[-800:]}")
            names = [n for i, n in enumerate(names) if i not in bad]
    # a zero lands in .bss as ".zero 8", any other value as ".quad N", printed signed: read as unsigned
    return {name: int(value or 0) % (1 << 64) for name, value in
            re.findall(r"^v_(\w+):\s*\n\s*(?:\.quad\s+(-?\d+)|\.zero\s+8)", r.stdout, re.M)}


def const(name):
    """An integer constant of lib/ or build/gen/syscall_nr.h, as the C compiler evaluates it."""
    values = _constants()
    if name not in values:
        raise SystemExit(f"derive: {name} is not an integer constant of {', '.join(HEADERS)}")
    return values[name]


@functools.lru_cache(maxsize=None)
def results_guid():
    """The vendor GUID of the UEFI variables that keep a run's results (lib/results.h), as text."""
    m = re.search(r"ringbench_guid\s*=\s*\{([^;]*)\};", source("lib/results.h"))
    n = [int(x, 16) for x in re.findall(r"0x([0-9a-fA-F]+)", m.group(1) if m else "")]
    found("lib/results.h", "ringbench_guid", n)
    return f"{n[0]:08x}-{n[1]:04x}-{n[2]:04x}-{n[3]:02x}{n[4]:02x}-" + "".join(f"{b:02x}" for b in n[5:])


@functools.lru_cache(maxsize=None)
def syscalls():
    """{number: name} of the calls entry/syscall.tbl provides (a handler, not "- -")."""
    rows = re.findall(r"^(\d+)\s+(\w+)\s+\d+\s+sys_\w+", source("entry/syscall.tbl"), re.M)
    return {int(nr): name for nr, name in found("entry/syscall.tbl", "calls", rows)}


@functools.lru_cache(maxsize=None)
def config_keys():
    """The keys of the configuration file (lib/config.c): the choice keys of its table and the others."""
    text = source("lib/config.c")
    keys = re.findall(r'\{\s*"(\w+)",\s*\{', text) + re.findall(r'same\(k, kn, "(\w+)"\)', text)
    return sorted(set(found("lib/config.c", "configuration keys", keys)))
