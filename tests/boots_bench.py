"""boots_bench.py: the benchmark and the fuzzer, booted short: every base path (app/benchpaths.c) and
every variant's rows measured or reported unsupported with the boot line's reason; bad bench arguments
refused by name; the syscall fuzzer through every door, twice with one seed; random rt_sigreturn frames
through every door; and the same benchmark binary on Debian's kernel, booted in the same QEMU with the app
as its /init (make bench-linux's way), and natively on this machine's Linux (host_checks.py)."""
import os
import sys

import derive
import qemu
from boots_variants import VDSO_ON, lacking
from checks import AMD, BUILD, DOORS, INTEL, ROOT, Case, app_case, check, one, status_is

sys.path.insert(0, os.path.join(ROOT, "bench"))
import results  # noqa: E402

BENCH_ITERS = 200
FUZZ_CALLS = 100000
FUZZ_ARGS = f"fuzz seed=20261122 calls={FUZZ_CALLS}"
SIGRETURN_FRAMES = 3000


def bench_verify(case, sysenter):
    """A short benchmark: every path measured, sysenter too on an Intel model, else reported unsupported."""
    def verify(b):
        status_is(case, b, "app_ok")
        recs = {(r["path"], r["op"], r.get("mode")): r for r in b.of_type("bench") if "variant" not in r}
        seen = set()
        for path, op in derive.bench_paths():
            name = f"{path}_{op}" if path in seen else path  # a path's first op names it alone
            seen.add(path)
            s, m, u = (recs.get((path, op, mode), {}) for mode in ("sample", "batch", None))
            # the Intel boot says vdso = on; without it the vDSO's clocks need an invariant TSC (QEMU's AMD model
            # has none, Bochs's has), and getcpu needs no clock
            clock = sysenter or one(b, "boot").get("invariant_tsc") is True
            want = (sysenter or "sysenter" not in path) and (clock or path != "vdso" or op == "getcpu")
            if want:
                ok = s.get("supported") is True and m.get("supported") is True and s.get("iters") == BENCH_ITERS \
                    and 0 <= s["min"] <= s["p50"] <= s["p90"] <= s["p99"] <= s["max"] \
                    and s["min"] <= s.get("p50_best_round", -1) <= s["p50"] \
                    and sum(c for _, c in s.get("hist", [])) == BENCH_ITERS and m.get("mean", -1) >= 0
            else:
                why = "invariant TSC" if path == "vdso" else "#UD"
                ok = u.get("supported") is False and why in u.get("reason", "") and not s and not m
            check(f"{case}/{name}_{'measured' if want else 'unsupported_with_reason'}", ok, f"records: {s} {m} {u}")
        # Every variant's rows: measured, or unsupported with the boot line's reason (sysenter: the door's).
        boot = one(b, "boot")
        missing = boot.get("defences_unsupported", {})
        variant_recs = {(r["variant"], r["path"], r.get("mode")): r for r in b.of_type("bench") if "variant" in r}
        for v in derive.variants():
            why = next((missing[d] for d in lacking(boot, v)), None)
            bad = []
            for door in DOORS:
                s, u = variant_recs.get((v, door, "sample"), {}), variant_recs.get((v, door, None), {})
                if why or (door == "sysenter" and not sysenter):
                    reason = "#UD" if door == "sysenter" and not sysenter else why
                    ok = u.get("supported") is False and reason in u.get("reason", "")
                else:
                    ok = s.get("supported") is True and s.get("iters") == BENCH_ITERS
                bad += [] if ok else [s or u or door]
            check(f"{case}/variant_{v}_{'measured' if not why else 'unsupported_with_reason'}", not bad,
                  f"records: {bad}; boot line says: {why}")
        verify_fred_rows(case, b, sysenter)
        verify_oneway(case, b, sysenter)
        verify_pmu(case, b, sysenter)
        counters = one(b, "counters")
        check(f"{case}/counters_printed", counters.get("calls", {}).get(str(derive.const("SYS_getpid")), 0) > 0,
              f"record: {counters}")
        counted = one(b, "test", name="bench_counters_match_iterations")
        check(f"{case}/kernel_counters_match_iterations", counted.get("ok") is True, f"record: {counted or 'missing'}")
    return verify


def verify_fred_rows(case, b, sysenter):
    """getpid through each door as a FRED event, and FRED's bare round trip: measured where FRED is (Bochs's
    Intel model), else unsupported with the reason (QEMU; sysenter also where the CPU is not Intel's)."""
    fred = {r["path"]: r for r in b.of_type("bench") if r.get("variant") == "fred" and r.get("mode") != "batch"}
    here = qemu.emulator() == "bochs" and sysenter
    bad = [r for path, r in fred.items() if not (
        r.get("supported") is True and r.get("iters") == BENCH_ITERS if here and (sysenter or path != "sysenter")
        else r.get("supported") is False and ("EAX[17] is clear: this CPU has no FRED" in r.get("reason", "")
                                              or path == "sysenter" and not sysenter))]
    check(f"{case}/fred_{'measured' if here else 'unsupported_with_reason'}", len(fred) == len(DOORS) + 1 and not bad,
          f"records: {bad or fred}")


def verify_oneway(case, b, sysenter):
    """A one-way record for every door with plain and every variant but audit: measured (every sample's
    readings in order, the spans and their baselines there), or unsupported with a reason."""
    recs = {(r["path"], r["variant"]): r for r in b.of_type("oneway")}
    bad = []
    for door in DOORS:
        for v in ["plain"] + [v for v in derive.variants() if v != "audit"] + ["fred"]:
            r = recs.get((door, v), {})
            if r.get("supported"):
                ok = r["samples"] + r["rejected"] == BENCH_ITERS and all(k in r["raw"] for k in ("to_kernel", "kernel", "to_user"))
            else:
                ok = r.get("supported") is False and r.get("reason") and (sysenter or door != "sysenter" or "#UD" in r["reason"])
            bad += [] if ok else [(door, v, r)]
    check(f"{case}/oneway_every_door_and_variant", not bad and len(recs) == len(DOORS) * (len(derive.variants()) + 1),
          f"{len(recs)} records; wrong or missing: {bad[:3]}")


STILL_COUNTERS = "the counters did not move in any batch"  # app/bench.c: counters that do not count


def verify_pmu(case, b, intel):
    """No counters under emulation, with the reason in every batch record: under QEMU TCG said by the boot
    line too (leaf 0xA is empty on the Intel model, and on the AMD model RDPMC raises #UD); under Bochs RDPMC
    faults on the Intel model, and on the AMD model the counters are there but never move."""
    if qemu.emulator() == "bochs":
        why = "RDPMC raises vector 13" if intel else STILL_COUNTERS
    else:
        why = "version 0" if intel else "RDPMC raises vector 6"
    pmu = one(b, "boot").get("pmu", {})
    batches = [r for r in b.of_type("bench") if r.get("mode") == "batch"]
    said = pmu.get("reason", "") if pmu.get("supported") is False else ""
    check(f"{case}/counters_unsupported_with_reason", batches and all(
        r.get("counters", {}).get("supported") is False and why in r["counters"].get("reason", "")
        and (why == STILL_COUNTERS or r["counters"]["reason"] == said) for r in batches),
          f"boot: {pmu}; first batch: {batches[:1]}")


def verify_bad_args(b):
    """A mistyped bench argument: the app names the word, lists the valid ones, measures nothing, exits 2."""
    status_is("bench_bad_args", b, "app_failed")
    check("bench_bad_args/names_the_word", "bench: unknown path 'nosuch'; paths: call syscall int80 sysenter" in b.output
          and "bench: bad argument 'paths=syscall,nosuch,int80'" in b.output and not b.of_type("bench"),
          b.output[-600:])
    check("bench_bad_args/exit_status_2", one(b, "exit").get("status") == 2, f"exit: {one(b, 'exit')}")


fuzz_lines = []


def fuzz_verify(case):
    """The syscall fuzzer through all three doors: every return a value or a known errno, no fault in
    ring 0, and the same seed gives the same run."""
    def verify(b):
        status_is(case, b, "app_ok")
        f = one(b, "fuzz")
        fuzz_lines.append(f)
        check(f"{case}/all_returns_values_or_errnos", f.get("calls") == FUZZ_CALLS and f.get("unexpected") == 0
              and f.get("kernel_faults") == 0 and all(n > 0 for n in f.get("doors", {}).values())
              and sum(f.get("errors", {}).values()) + f.get("values", 0) == FUZZ_CALLS, f"fuzz: {f or 'missing'}")
        if len(fuzz_lines) == 2:
            check("fuzz/reproducible", fuzz_lines[0] == fuzz_lines[1], f"two runs, one seed: {fuzz_lines}")
    return verify


def verify_sigreturn_fuzz(b):
    """Random frames: each ends in a signal the app's handler takes or in catch_recover, never in a fault
    of the kernel's."""
    status_is("fuzz_sigreturn", b, "app_ok")
    f = one(b, "fuzz", mode="sigreturn")
    signals = f.get("signals", {})
    check("fuzz_sigreturn/no_kernel_fault", f.get("calls") == SIGRETURN_FRAMES and f.get("kernel_faults") == 0
          and f.get("landed", 0) + sum(signals.values()) == SIGRETURN_FRAMES and f.get("landed", 0) > 0
          and signals.get("11", 0) > 0, f"fuzz: {f or 'missing'}")
    check("fuzz_sigreturn/every_fault_to_a_handler", all(r.get("action") == "signal" and r.get("cpl") == 3
                                                          for r in b.of_type("fault")), "a fault not taken by a handler")
    told, summary = len(b.of_type("fault")), one(b, "faults_caught")
    check("fuzz_sigreturn/fault_lines_capped_and_counted", told == summary.get("shown") and summary.get("count", 0) > told,
          f"{told} fault lines; summary {summary or 'missing'}")


LINUX_ARGS = "bench iters=200 batch=200 warmup=20"


def verify_linux_records(case, recs, boot):
    """The app's records on Linux: whole, the null call measured, ringbench's own paths (bare doors, entry
    variants) and sysenter unsupported with the reason, the machine said in the app's own boot record."""
    try:
        results.check({"boot": boot, "bench": recs}, case)
        whole = True
    except SystemExit as e:
        whole = str(e)
    check(f"{case}/records_parse", whole is True, f"{whole}")
    get = {(r["path"], r["op"], r.get("variant"), r.get("mode")): r for r in recs}
    null = get.get(("syscall", "getpid", None, "sample"), {})
    check(f"{case}/syscall_getpid_measured", null.get("supported") is True and null.get("kernel") == "linux"
          and null.get("p50", 0) > 0, f"record: {null or 'missing'}")
    own = [r for r in recs if r["path"].endswith("_bare") or "variant" in r]
    check(f"{case}/ringbench_paths_unsupported", own and all(not r.get("supported") and "needs ringbench's kernel" in
                                                             r.get("reason", "") for r in own), f"records: {own[:3]}")
    sysenter = get.get(("sysenter", "getpid", None, None), {})
    check(f"{case}/sysenter_unsupported", sysenter.get("supported") is False and "compat entry" in sysenter.get("reason", ""),
          f"record: {sysenter or 'missing'}")
    check(f"{case}/boot_record", boot.get("kernel", "").startswith("Linux ") and boot.get("tsc_hz", 0) > 0
          and "CLOCK_MONOTONIC_RAW" in boot.get("tsc_source", ""), f"boot: {boot}")


def linux_case():
    """Debian's kernel (make fetches it: scripts/fetch-linux.sh) with the app as /init: a short benchmark,
    then the clean power-off the app makes as init."""
    kernel, initrd = (os.path.join(BUILD, "linux", f) for f in ("vmlinuz", "initramfs.cpio"))
    cmdline = f"{results.LINUX_CMDLINE} -- {LINUX_ARGS}"

    def verify(b):
        status_is("linux_bench", b, "powered_off")
        check("linux_bench/exit_record", one(b, "exit").get("status") == 0, f"exit: {one(b, 'exit')}")
        verify_linux_records("linux_bench", b.of_type("bench"), one(b, "boot"))
    return Case("linux_bench", None, verify, {"cpu": INTEL, "linux": (kernel, initrd, cmdline),
                                               "timeout": results.LINUX_TIMEOUT})


def cases():
    short = f"bench iters={BENCH_ITERS} batch={BENCH_ITERS} warmup=20 oneway={BENCH_ITERS}"
    return [
        app_case("bench_intel", short, bench_verify("bench_intel", True), INTEL, VDSO_ON),
        app_case("bench_amd", short, bench_verify("bench_amd", False), AMD),
        app_case("bench_bad_args", "bench paths=syscall,nosuch,int80", verify_bad_args),
        app_case("fuzz", FUZZ_ARGS, fuzz_verify("fuzz"), INTEL),
        app_case("fuzz_again", FUZZ_ARGS, fuzz_verify("fuzz_again"), INTEL),
        app_case("fuzz_sigreturn", f"fuzz mode=sigreturn seed=20261130 calls={SIGRETURN_FRAMES}", verify_sigreturn_fuzz,
                 INTEL),
        linux_case(),
    ]
