"""peers.py: ringbench beside Linux, the same benchmark binary on each: ringbench (its plain doors, and its
`linux` entry variant that copies Linux's defences), Debian's kernel in the same QEMU with its default
mitigations and with mitigations=off (make bench-linux), and the host's Linux natively (make bench-native).
Any mix of those results files renders; a column without one is said to be missing, not invented. Used by
bench/report.py (peers).

The figures are compared in nanoseconds (each run's p50 in TSC cycles over its own TSC frequency), so that a
column whose TSC ticks at another rate still compares; each cell's ratio is to ringbench's plain door.
"""
import os

import plots
from results import load

# The columns: (key on the command line, label, which records of its file)
COLUMNS = (("ringbench", "ringbench", "plain"), ("ringbench", "ringbench, linux variant", "linux"),
           ("linux", "Linux, default", None), ("linux_nomitigations", "Linux, mitigations=off", None),
           ("native", "Linux, native host", None))
KEYS = ("ringbench", "linux", "linux_nomitigations", "native")
PATHS = (("call", "empty_function"), ("syscall", "getpid"), ("int80", "getpid"), ("sysenter", "getpid"),
         ("syscall", "clock_gettime"), ("vdso", "clock_gettime"), ("syscall", "gettimeofday"),
         ("vdso", "gettimeofday"), ("vsyscall", "gettimeofday"), ("syscall", "time"), ("vdso", "time"),
         ("vsyscall", "time"), ("cpuid", "leaf_0"))
COMPASS = ("syscall", "getpid")


def parse(words):
    """key=FILE words (KEYS): {key: results}; an unknown key or a second one of a key is an error."""
    files = {}
    for w in words:
        key, _, path = w.partition("=")
        if key not in KEYS or not path or key in files:
            raise SystemExit(f"report: peers: '{w}': expected {', '.join(k + '=FILE' for k in KEYS)}, each at most once")
        files[key] = load(path)
    return files


def cell(results, path, op, variant):
    """(ns, cycles) of a path's best-round p50, or a reason it has none."""
    if results is None:
        return "no results file"
    want = "plain" if variant in (None, "plain") else variant
    for r in results["bench"]:
        if (r["path"], r["op"], r.get("variant", "plain")) != (path, op, want) or r.get("mode", "sample") != "sample":
            continue
        if not r.get("supported"):
            return r.get("reason", "unsupported")
        cycles = r.get("p50_best_round", r["p50"])
        hz = results["boot"].get("tsc_hz") or 0
        return (cycles * 1e9 / hz if hz else None, cycles)
    return "not measured in this run" if variant in (None, "plain") or path in ("syscall", "int80", "sysenter") \
        else "no such variant row"


def context(key, label, results):
    if results is None:
        return f"| {label} | missing: no `{key}=` results file given | | | |"
    boot, run = results["boot"], results.get("run", {})
    kernel = boot.get("kernel") or f"ringbench {boot.get('version', '?')}"
    where = run.get("accelerator", "") or "?"
    cmdline = boot.get("cmdline") or run.get("kernel_cmdline") or "-"
    vulns = "; ".join(f"{bug}: {state}" for bug, state in boot.get("vulnerabilities", {}).items())
    return (f"| {label} | {kernel}; command line `{cmdline}`" + (f"; it says {vulns}" if vulns else "")
            + f" | {boot.get('cpu_brand', '?')} | {where}"
            + (" with -icount (cycles are instructions)" if run.get("icount") else "")
            + f" | {boot.get('tsc_hz', 0):,} Hz, {boot.get('tsc_source', '?')} |")


def table(files):
    """The side-by-side table's rows: (path, op, [(ns, cycles, ratio) or reason per column])."""
    rows = []
    for path, op in PATHS:
        cells = [cell(files.get(key), path, op, variant if key == "ringbench" else None)
                 for key, _, variant in COLUMNS]
        base = cells[0][0] if isinstance(cells[0], tuple) else None
        cells = [(c[0], c[1], c[0] / base if base and c[0] is not None else None) if isinstance(c, tuple) else c
                 for c in cells]  # no ratio where ringbench's own figure is missing or zero
        if any(isinstance(c, tuple) for c in cells):
            rows.append((path, op, cells))
    return rows


def markdown(files):
    rows = table(files)
    lines = ["# ringbench beside Linux: the same benchmark binary on each kernel", "",
             "Best-round p50 per round trip in nanoseconds (TSC cycles over each run's own TSC frequency), and in "
             "brackets the ratio to ringbench's plain door. Under an emulator these are emulation costs; the "
             "ratios within one machine are what compares. Linux serves `int 0x80` from 64-bit code with its "
             "32-bit table (getpid is number 20 there, the arguments in the 32-bit registers), and `sysenter` "
             "only as a compat entry, so those rows say why they are empty.", "",
             "## The machines", "", "| column | kernel | CPU | accelerator | TSC |", "|---|---|---|---|---|"]
    lines += [context(key, label, files.get(key)) for key, label, _ in COLUMNS]
    compass = next((cells for path, op, cells in rows if (path, op) == COMPASS), None)
    if compass and isinstance(compass[0], tuple):
        said = [f"{label} {c[0]:.0f} ns ({c[2]:.2f}x)" for (_, label, _), c in zip(COLUMNS, compass)
                if isinstance(c, tuple) and c[0] is not None]
        lines += ["", "**The compass: the null call (`getpid` through `syscall`), same binary:** " + "; ".join(said)]
    lines += ["", "## Every path", "", "| path | op | " + " | ".join(label for _, label, _ in COLUMNS) + " |",
              "|---|---|" + "---:|" * len(COLUMNS)]
    reasons = []
    for path, op, cells in rows:
        shown = []
        for c in cells:
            if isinstance(c, tuple):
                shown.append((f"{c[1]} cycles" if c[0] is None else f"{c[0]:.1f}")
                             + (f" ({c[2]:.2f})" if c[2] is not None else ""))
            else:
                if c not in reasons:
                    reasons.append(c)
                shown.append(f"- [{reasons.index(c) + 1}]")
        lines.append(f"| {path} | {op} | " + " | ".join(shown) + " |")
    lines += [""] + [f"[{i + 1}] {why}" for i, why in enumerate(reasons)]
    return "\n".join(lines) + "\n", rows


def report(words, out):
    files = parse(words)
    if not files:
        raise SystemExit("report: peers: no results file given")
    md, rows = markdown(files)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "peers.md"), "w") as f:
        f.write(md)
    drawn = plots.peers(rows, [label for _, label, _ in COLUMNS], out)
    print("\n" + md)
    print(f"bench: wrote {out}/peers.md" + "".join(f", {os.path.basename(p)}" for p in drawn))
