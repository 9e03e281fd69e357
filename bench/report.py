#!/usr/bin/env python3
"""report.py: run the latency benchmark and report it.

    report.py run [--out DIR]            boot the bench image (build/bench.img) in QEMU+OVMF, then report
    report.py report FILE [--out DIR]    render a results.json (from any run, QEMU or hardware), or a
                                          console log holding the run's JSON lines (a serial capture)
    report.py compare "A-SETTINGS" "B-SETTINGS"  run two configurations back to back, print B/A ratios
    report.py efivars [DIR] [--out DIR]  the results a run on hardware kept in UEFI variables, read
                                          through Linux's efivarfs (default /sys/firmware/efi/efivars)
    report.py linux [--out DIR]          the same benchmark on Debian's kernel in the same QEMU (make
                                          bench-linux: its kernel and initramfs), with its default
                                          mitigations and with mitigations=off: DIR/default, DIR/mitigations-off
    report.py native [--out DIR]         the app natively on this machine's Linux
    report.py peers KEY=FILE... [--out DIR]  ringbench beside Linux (bench/peers.py): ringbench=,
                                          linux=, linux_nomitigations=, native= results files, any mix

A results file holds the kernel's "boot" record (the machine), how the run was made, and every "bench"
record the app printed. The report (results.md) is the table a person reads, with the targets and
whether each is met, plus the plots (bench/plots.py); where results come from: bench/results.py.
Settings for compare are space-separated KEY=VALUE words: QEMU_CPU, ACCEL, ARGS (the app's bench
arguments, comma-separated, or shell-quoted with spaces: ARGS='bench variants=audit,kpti').
Environment: as tests/qemu.py.
"""
import json
import os
import shlex
import sys

import peers
import plots
from results import DOORS, EFIVARS, ROOT, check, load, read_efivars, run, run_linux, run_native

OUT = os.path.join(ROOT, "build", "bench")
TCG_RATIO, HW_RATIO, HW_SYSCALL_CYCLES = 1.5, 1.2, 120  # the targets (README: reading the report)
TSC_DISAGREE = 0.1  # a TSC reference more than 10% off the one used is named in the report
ACCEL_GIVEN = os.environ.get("ACCEL", "")  # what each run uses unless its settings say (bench-compare's A, B)
PLAIN = "plain"  # the entry variant a record without "variant" was measured with


def index(results):
    """(path, op, mode, variant) -> record; an unsupported path's one record stands for both modes."""
    idx = {}
    for r in results["bench"]:
        for mode in [r["mode"]] if "mode" in r else ["sample", "batch"]:
            idx[(r["path"], r["op"], mode, r.get("variant", PLAIN))] = r
    return idx


def label(path, variant):
    return path if variant == PLAIN else f"{path}/{variant}"


def environment(results):
    accel = results.get("run", {}).get("accelerator", "")
    hv = results["boot"].get("hypervisor", "")
    if accel == "bochs":
        return "bochs"
    if accel == "tcg" or hv.startswith("TCG"):
        return "tcg"
    if accel == "kvm" or hv.startswith("KVM"):
        return "kvm"
    return "guest" if hv.strip() else "hardware"


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(x, digits=2):
    return "-" if x is None else f"{x:.{digits}f}"


def best(r):
    """The p50 every ratio uses: the path's quietest round (a file from before rounds were kept: its p50)."""
    return r.get("p50_best_round", r.get("p50")) if r else None


def tsc_step(results):
    """The TSC's tick as the run measured it (bench records' tsc_step), or None (older files, or no tick seen)."""
    return next((r["tsc_step"] for r in results["bench"] if r.get("tsc_step")), None)


def rows(results):
    """The table: one row per path and op, in the app's order."""
    idx, hz = index(results), results["boot"].get("tsc_hz", 0)
    call = best(idx.get(("call", "empty_function", "sample", PLAIN)))
    out = []
    for r in results["bench"]:
        if r.get("mode", "sample") != "sample" or r.get("variant", PLAIN) != PLAIN:
            continue
        if not r.get("supported"):
            out.append((r["path"], r["op"], None, r.get("reason", "unsupported")))
            continue
        bare = best(idx.get((r["path"] + "_bare", r["op"], "sample", PLAIN)))
        batch = idx.get((r["path"], r["op"], "batch", PLAIN), {}).get("mean")
        out.append((r["path"], r["op"], {
            "p50": r["p50"], "best": best(r), "p99": r["p99"], "ns": r["p50"] * 1e9 / hz if hz else None,
            "x_call": ratio(best(r), call) if r["path"] != "call" else None,
            "real_bare": ratio(best(r), bare), "batch": batch, "samples": r["iters"]}, None))
    return out


def verdict(figure, limit, one_step_better):
    """yes, no, or no within one TSC step: the figure misses, but the door's p50 one tick of the clock lower
    would meet it (a p50 is a value on the clock's grid, so it is known to one tick)."""
    if figure is not None and figure <= limit:
        return "yes"
    return "no, within one TSC step" if one_step_better is not None and one_step_better <= limit else "no"


def targets(results):
    """(what, figure, whole-run figure, limit, met) for every target the run can judge; the figure, which
    decides, is from best-round p50s."""
    idx, env, out, step = index(results), environment(results), [], tsc_step(results) or 0
    limit = TCG_RATIO if env == "tcg" else None
    for door in DOORS:
        real, bare = (idx.get((path, "getpid", "sample", PLAIN), {}) for path in (door, door + "_bare"))
        if not real.get("supported") or not bare.get("supported"):
            continue
        r = ratio(best(real), best(bare))
        lim = limit or (HW_RATIO if door == "syscall" else TCG_RATIO)
        out.append((f"{door} door p50 / bare {door} p50", fmt(r), fmt(ratio(real["p50"], bare["p50"])), f"<= {lim}",
                    verdict(r, lim, ratio(best(real) - step, best(bare)))))
        if door == "syscall" and env != "tcg":
            out.append(("syscall door p50 cycles", str(best(real)), str(real["p50"]), f"<= {HW_SYSCALL_CYCLES}",
                        verdict(best(real), HW_SYSCALL_CYCLES, best(real) - step)))
    return out


def variant_rows(results):
    """(variant, door, p50 or None, ratio to the plain door, real/bare, reason) for getpid through each
    door with each entry variant the run measured, the plain stubs first."""
    idx, out = index(results), []
    variants = [PLAIN] + list(dict.fromkeys(r["variant"] for r in results["bench"] if "variant" in r))
    for variant in variants if len(variants) > 1 else []:
        own_bare = variant in OWN_BARE
        for door in DOORS + (("syscall_bare",) if own_bare else ()):
            r = idx.get((door, "getpid", "sample", variant))
            if not r:
                continue
            if not r.get("supported"):
                out.append((variant, door, None, None, None, r.get("reason", "unsupported")))
                continue
            plain = idx.get((door, "getpid", "sample", PLAIN), {})
            bare = idx.get(("syscall_bare", "getpid", "sample", variant) if own_bare else
                           (door + "_bare", "getpid", "sample", PLAIN), {})
            out.append((variant, door, best(r), ratio(best(r), best(plain) if plain.get("supported") else None),
                        ratio(best(r), best(bare) if bare.get("supported") else None), None))
    return out


OWN_BARE = ("fred",)  # variants measured against their own bare round trip, not the legacy bare doors


VARIANT_NOTES = {
    PLAIN: "the stubs every door uses by default: no audit hook, no defence",
    "audit": "every call recorded in the kernel's audit ring (rb_audit, flight-recorder mode)",
    "lfence": "LFENCE after SWAPGS on entry (CVE-2019-1125); sysenter's fast path has no SWAPGS, so gets none",
    "kpti": "a CR3 switch to tables without the kernel on every exit, back on every entry (Meltdown, "
            "CVE-2017-5754). Under TCG each CR3 write flushes QEMU's software TLB: an emulation cost",
    "kpti_pcid": "kpti with PCIDs, so that the switches keep the TLB",
    "verw": "VERW on the way out (MDS); it clears the CPU's buffers only where CPUID lists MD_CLEAR",
    "ibrs": "IBRS on entry, off on exit (Spectre v2, CVE-2017-5715)",
    "ibpb": "IBPB on entry: every indirect-branch prediction forgotten",
    "rsb": "the return stack buffer overwritten on entry (32 harmless calls)",
    "retpoline": "the table's call through a retpoline thunk (Spectre v2)",
    "switch": "a switch with direct calls instead of the table's indirect call (Branch History Injection)",
    "nomask": "the Spectre v1 clamp of the number as a branch instead of CMOV: the defence off",
    "noswapgs": "the syscall door without SWAPGS, its per-CPU slots by name (one CPU): what SWAPGS costs; "
                "int80 and sysenter as plain",
    "fred": "the doors as FRED events (Flexible Return and Event Delivery; rb_events): SYSCALL, INT 0x80 and "
            "SYSENTER enter the one FRED entry with the frame the CPU pushed, and leave by ERETU; none of the "
            "legacy doors' stubs run. `x plain` is FRED against the same instruction through the IDT-era door "
            "in the same run; `real/bare` against FRED's own bare round trip (`syscall_bare`: a SYSCALL that "
            "leaves by ERETU at once, FRED's physical limit)",
}


def variant_note(results, variant):
    boot = results["boot"]
    if variant == "linux":
        return f"what Linux would choose on this CPU: {boot.get('linux_entry', '?')}"
    note = VARIANT_NOTES.get(variant, "")
    if variant == "verw" and "md_clear" in boot:
        note += f" (this CPU: MD_CLEAR {'listed' if boot['md_clear'] else 'not listed'})"
    return note


CLOCK_CALLS = ("clock_gettime", "gettimeofday", "time", "getcpu")
CLOCK_WAYS = (("vdso", "vDSO"), ("vsyscall", "vsyscall page (emulated)"), ("syscall", "syscall door"),
              ("int80", "int80 door"), ("sysenter", "sysenter door"))


def clock_rows(results):
    """(call, [cell per way]) for the clock calls: a cell is (p50, ratio to the syscall door), or
    ("unsupported", reason), or None where the way has no such call (the vsyscall page has no clock_gettime)."""
    idx = index(results)
    out = []
    for call in CLOCK_CALLS:
        door = idx.get(("syscall", call, "sample", PLAIN))
        base = best(door) if door and door.get("supported") else None
        cells = []
        for way, _ in CLOCK_WAYS:
            r = idx.get((way, call, "sample", PLAIN))
            cells.append(None if r is None else ("unsupported", r.get("reason", "")) if not r.get("supported")
                         else (best(r), ratio(best(r), base)))
        out.append((call, cells))
    return out


def clock_table(results):
    """Linux's two answers to the cost of the boundary beside it: the vDSO (no entry at all), the legacy
    vsyscall page (a page fault the kernel emulates), and the doors."""
    rows_ = clock_rows(results)
    if not any(c for _, cells in rows_ for c in cells):
        return []
    lines = ["", "## The clock calls: vDSO, vsyscall page, doors", "",
             "Best-round p50 in cycles, and in brackets the ratio to the same call through the `syscall` door. The "
             "vDSO reads the clock in ring 3 from the kernel's time page; the vsyscall page (Linux's first answer, "
             "kept for old binaries) is a page fault whose call the kernel emulates; the doors enter the kernel.", "",
             "| call | " + " | ".join(name for _, name in CLOCK_WAYS) + " |", "|---|" + "---:|" * len(CLOCK_WAYS)]
    reasons = []
    for call, cells in rows_:
        shown = []
        for cell in cells:
            if cell is None:
                shown.append("")
            elif cell[0] == "unsupported":
                reasons.append(cell[1])
                shown.append(f"unsupported [{len(reasons)}]")
            else:
                shown.append(f"{cell[0]} ({fmt(cell[1])})")
        lines.append(f"| {call} | " + " | ".join(shown) + " |")
    lines += [""] + [f"[{i + 1}] {why}" for i, why in enumerate(reasons)] if reasons else []
    return lines


def variants_table(results):
    rows_ = variant_rows(results)
    if not rows_:
        return []
    lines = ["", "## Entry variants: the audit hook and the mitigation lab", "",
             "getpid through each door with each entry variant switched in (the stubs are assembled once per "
             "variant, so a feature that is off costs nothing: `plain` is the build without it). `x plain` is the "
             "ratio to the same door's plain stubs in the same run: what the defence costs at the boundary.", "",
             "| variant | door | best-round p50 | x plain | real/bare |", "|---|---|---:|---:|---:|"]
    for variant, door, p50, x_plain, real_bare, reason in rows_:
        if p50 is None:
            lines.append(f"| {variant} | {door} | unsupported: {reason} | | |")
        else:
            lines.append(f"| {variant} | {door} | {p50} | {fmt(x_plain)} | {fmt(real_bare)} |")
    used = dict.fromkeys(variant for variant, *_ in rows_)  # in order, once each
    lines += [""] + [f"- `{v}`: {variant_note(results, v)}" for v in used]
    return lines


COUNTERS = ("instructions", "core_cycles", "ref_cycles")  # a batch record's counters, in the table's order


def counters_table(results):
    """The CPU's counters per call over the batched runs (app/bench.c), beside the TSC's mean per call."""
    batch = [r for r in results["bench"] if r.get("mode") == "batch" and r.get("supported") and "counters" in r]
    if not batch:
        return []  # a file from before the counters
    counted = [r for r in batch if r["counters"].get("supported")]
    head = ["", "## The CPU's counters", ""]
    if not counted:
        return head + [f"Not counted here: {batch[0]['counters'].get('reason', 'no reason given')}. The TSC "
                       "figures above stand alone."]
    hz = results["boot"].get("tsc_hz", 0)
    lines = head + [
        "Per call over the batched runs, counted in rings 0 and 3 alike (the call, the kernel and the batch "
        "loop around it), read by RDPMC around each batch. The TSC ticks at a fixed rate"
        + (f" ({hz:,} Hz)" if hz else "") + "; core cycles at the rate the core runs. `TSC / core` above 1: the "
        "core ran slower than the TSC's rate (power saving, a low P-state); below 1: faster (turbo). Reference "
        "cycles count at the TSC's rate while the core is not halted, so they match the TSC's figure when the "
        "core never halts. `IPC`: instructions per core cycle.", "",
        "| path | op | variant | TSC cycles | instructions | core cycles | ref cycles | TSC / core | IPC |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in counted:
        c = r["counters"]
        core, instr = c.get("core_cycles"), c.get("instructions")
        lines.append(f"| {r['path']} | {r['op']} | {r.get('variant', PLAIN)} | {fmt(r['mean'])} | "
                     + " | ".join(fmt(c.get(k)) for k in COUNTERS)
                     + f" | {fmt(ratio(r['mean'], core))} | {fmt(ratio(instr, core))} |")
    return lines


def oneway_table(results):
    """The one-way costs (app/oneway.c): each door and variant's round trip split at the kernel's readings."""
    recs = results.get("oneway") or []
    if not recs:
        return []
    lines = ["", "## One-way costs: user to kernel, kernel, kernel to user", "",
             "getpid through each door with the variant's stamped twin switched in: the kernel reads the TSC at "
             "the door's first instruction and at the last before its return instruction, the app just before "
             "and after the stub. Each span is less the same span of the door's baseline, a copy of its stub "
             "with a NOP of the same length for the door instruction and the kernel's two readings made right "
             "after it in ring 3: what is left is the door instruction's way in, the kernel's work between its "
             "readings, and the return instruction's way out, every reading's own cost measured and taken off "
             "(sel4bench's baseline). `round trip` is the same variant unstamped in the same rounds, less the "
             "unstamped stub's baseline; `stamped` the stamped round trip, less its baseline (close to it when "
             "the readings' cost is all that the stamps add); `perturbation` what the stamps add to the raw "
             "round trip. Medians, in TSC cycles; a sample whose readings were out of order is dropped.", "",
             "| door | variant | user→kernel | kernel | kernel→user | round trip | stamped | perturbation | "
             "samples | dropped |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in recs:
        if not r.get("supported"):
            lines.append(f"| {r['path']} | {r['variant']} | unsupported: {r.get('reason', '?')} | | | | | | | |")
            continue
        lines.append(f"| {r['path']} | {r['variant']} | {r['to_kernel']} | {r['kernel']} | {r['to_user']} | "
                     f"{r['round_trip']} | {r['round_trip_stamped']} | {r['perturbation']} | {r['samples']} | "
                     f"{r.get('rejected', 0)} |")
    return lines


def markdown(results):
    boot, run_info, env = results["boot"], results.get("run", {}), environment(results)
    lines = ["# ringbench latency report", ""]
    lines += [f"- CPU: {boot.get('cpu_brand', '?')} ({boot.get('cpu_vendor', '?')}, family {boot.get('family')} "
              f"model {boot.get('model')})",
              f"- Kernel: {boot.get('kernel') or 'ringbench'}" + (f", command line `{boot['cmdline']}`" if boot.get("cmdline") else ""),
              f"- Where: " + {"tcg": "QEMU TCG (software emulation)", "kvm": "KVM guest",
                              "bochs": f"Bochs (software emulation), CPU model `{run_info.get('bochs_cpu', '?')}`"
                                       + (f", {run_info['bochs']}" if run_info.get("bochs") else ""),
                              "guest": f"a guest of another hypervisor ({boot.get('hypervisor', '').strip()})"}.get(env, "bare metal")
              + (f", QEMU CPU model `{run_info['qemu_cpu']}`" if run_info.get("qemu_cpu") else "")
              + (f", hypervisor signature `{boot.get('hypervisor')}`" if boot.get("hypervisor") else ""),
              f"- TSC: {boot.get('tsc_hz', 0):,} Hz, found by {boot.get('tsc_source', '?')}; invariant: "
              f"{boot.get('invariant_tsc')}" + (f"; it moves in steps of {step} cycles here, so every sample and "
              f"p50 is a multiple of that, give or take one" if (step := tsc_step(results) or 0) > 1 else ""),
              f"- ringbench {boot.get('version', '?')}; app arguments `{run_info.get('app_args', '?')}`; "
              + (f"configuration `{' '.join(run_info['config'])}`; " if run_info.get("config") else "") +
              f"{run_info.get('date', '')}"] + ([f"- Note: {run_info['note']}"] if run_info.get("note") else []) + [""]
    if env == "tcg":
        lines += ["Under TCG the TSC follows the host clock: these cycles are emulation costs, not hardware "
                  "costs. Compare ratios within one run, not absolute figures across runs.", ""]
    sources = boot.get("tsc_sources") or {}
    off = {k: v for k, v in sources.items() if boot.get("tsc_hz") and abs(v / boot["tsc_hz"] - 1) > TSC_DISAGREE}
    if off:
        lines += [f"The TSC's references disagree: {boot.get('tsc_source')} gave {boot['tsc_hz']:,} Hz, but "
                  + ", ".join(f"{k} {v:,} Hz" for k, v in off.items()) + f": the `ns` figures follow "
                  f"{boot.get('tsc_source')} (the kernel takes CPUID's stated rate only where a timer measures it; "
                  "one that none does is an emulator's or a hypervisor's claim).", ""]
    if env == "bochs":
        lines += ["Under Bochs the TSC advances with the emulated instructions (its `ips` setting), whatever the "
                  "CPUID frequency says: these cycles are emulation costs, close to instruction counts, not "
                  "hardware costs. Compare ratios within one run.", ""]
    lines += ["Latency in TSC cycles per round trip, timer overhead subtracted. The paths take turns in rounds; "
              "`best round` is a path's lowest per-round p50 (its quietest round), and every ratio compares "
              "those, because on a shared host whole stretches of a run go slower and the whole-run p50s of two "
              "paths can come from different stretches. `x call` is the ratio to an empty function call, "
              "`real/bare` to the same instruction into a stub that returns at once; `batch` is the mean per "
              "call over back-to-back calls.", "",
              "| path | op | p50 | best round | p99 | p50 ns | x call | real/bare | batch | samples |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for path, op, r, reason in rows(results):
        if r is None:
            lines.append(f"| {path} | {op} | unsupported: {reason} | | | | | | | |")
        else:
            lines.append(f"| {path} | {op} | {r['p50']} | {r['best']} | {r['p99']} | {fmt(r['ns'], 1)} | "
                         f"{fmt(r['x_call'])} | {fmt(r['real_bare'])} | {fmt(r['batch'])} | {r['samples']} |")
    lines += clock_table(results)
    if boot.get("kernel"):  # the app on Linux: no entry variants, no bare doors, so no targets to judge
        return "\n".join(lines + ["", "ringbench's entry variants and bare doors exist only on its own kernel: "
                                   "`make bench-peers` sets this run beside ringbench's."]) + "\n"
    lines += variants_table(results)
    lines += oneway_table(results)
    lines += counters_table(results)
    lines += ["", "## Targets", "", "Judged on best-round p50s; `whole run` is the same figure from the whole-run "
              "p50s, for comparison.", "", "| target | this run | whole run | limit | met |", "|---|---:|---:|---:|---|"]
    for what, figure, whole, limit, met in targets(results):
        lines.append(f"| {what} | {figure} | {whole} | {limit} | {met} |")
    return "\n".join(lines) + "\n"


def report(results, out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    md = markdown(results)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(md)
    files = plots.draw(results, [] if results["boot"].get("kernel") else variant_rows(results), out)
    print("\n" + md)
    print(f"bench: wrote {out}/results.json, results.md" + "".join(f", {os.path.basename(p)}" for p in files))


def settings_of(text):
    """KEY=VALUE words, shell-quoted where a value has spaces. ARGS without spaces is a comma-separated
    list of the app's arguments (ARGS=bench,iters=5000); quoted it is taken as it is, commas and all
    (ARGS='bench iters=5000 variants=audit,kpti')."""
    s = {}
    for word in shlex.split(text) if text else []:
        key, _, value = word.partition("=")
        if key not in ("QEMU_CPU", "ACCEL", "ARGS") or not value:
            sys.exit(f"compare: '{word}': expected QEMU_CPU=..., ACCEL=... or ARGS=...")
        s[key] = value.replace(",", " ") if key == "ARGS" and " " not in value else value
    return s


def compare(a_text, b_text):
    settings = settings_of(a_text), settings_of(b_text)  # both checked before either run
    a, b = (check(run(s, ACCEL_GIVEN), f"run {side}") for side, s in zip("AB", settings))
    ia, ib = index(a), index(b)
    sides = "  ".join(f"{side}: `{text or '(the defaults)'}` under {r['run']['accelerator'].upper()}"
                      for side, text, r in (("A", a_text, a), ("B", b_text, b)))
    lines = ["# ringbench: B / A", "", sides, "",
             "p50s of each path's quietest round (see results.md)"
             + ("; A and B ran under different accelerators, so B/A is not the settings' effect alone"
                if a["run"]["accelerator"] != b["run"]["accelerator"] else "") + ".", "",
             "| path | op | A p50 | B p50 | B/A p50 | A batch | B batch | B/A batch |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for (path, op, mode, variant), ra in ia.items():
        rb = ib.get((path, op, mode, variant))
        if mode != "sample" or not rb or not ra.get("supported") or not rb.get("supported"):
            continue
        ba, bb = (i.get((path, op, "batch", variant), {}).get("mean") for i in (ia, ib))
        lines.append(f"| {label(path, variant)} | {op} | {best(ra)} | {best(rb)} | {fmt(ratio(best(rb), best(ra)))} | "
                     f"{fmt(ba)} | {fmt(bb)} | {fmt(ratio(bb, ba))} |")
    os.makedirs(OUT, exist_ok=True)
    text = "\n".join(lines) + "\n"
    with open(os.path.join(OUT, "compare.md"), "w") as f:
        f.write(text)
    print("\n" + text + f"\nbench: wrote {OUT}/compare.md")


def main():
    argv = sys.argv[1:]
    out = OUT
    if "--out" in argv:
        i = argv.index("--out")
        if i + 1 == len(argv):
            sys.exit("report: --out needs a directory\n" + __doc__)
        out = argv.pop(i + 1)
        argv.pop(i)
    if argv[:1] == ["run"] and len(argv) == 1:
        report(check(run({}, ACCEL_GIVEN), "the run"), out)
    elif argv[:1] == ["report"] and len(argv) == 2:
        report(load(argv[1]), out)
    elif argv[:1] == ["efivars"] and len(argv) <= 2:
        report(read_efivars(argv[1] if len(argv) == 2 else EFIVARS), out)
    elif argv[:1] == ["compare"] and len(argv) == 3:
        compare(argv[1], argv[2])
    elif argv[:1] == ["linux"] and len(argv) == 1:
        icount = os.environ.get("ICOUNT") == "1"
        for name, off in (("default", False), ("mitigations-off", True)):
            report(check(run_linux({}, ACCEL_GIVEN, off, icount), f"Linux's run ({name})"), os.path.join(out, name))
    elif argv[:1] == ["native"] and len(argv) == 1:
        report(check(run_native({}), "the native run"), out)
    elif argv[:1] == ["peers"] and len(argv) > 1:
        peers.report(argv[1:], out)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
