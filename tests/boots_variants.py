"""boots_variants.py: the mitigation lab's entry variants (lib/abi.h) each booted as the doors' start,
with every self-test through them, and the deterministic instruction counts of every door and variant
under QEMU -icount, the null call's bound among them."""
import json
import os

import derive
from checks import DOORS, INTEL, TEST_DIR, app_case, check, one, status_is

VDSO_ON = "vdso = on\n"
# Under -icount, the instructions each defence adds to getpid's round trip through (syscall, int80,
# sysenter), as measured: LFENCE 1 (none on sysenter's path, which has no SWAPGS), KPTI's two CR3 writes
# and their loads 4, plus on int 0x80 the 22-word frame moved off the entry stack and the return staged on
# it (38 in all) and on sysenter its 2-word frame moved (8), VERW 1, RSB stuffing 69 (32 calls and the
# loop), the retpoline thunk 4, the switch's compares and tail jump 16 and up to 6 more (ICOUNT_SLACK: how deep
# getpid sits in the compiler's tree of compares depends on the table: 16 with 22 calls, 18 with 50 and
# with 83, 20 with 82; the count must still be one number every call), the audit hooks before and after the
# handler 78; without the CMOV clamp the bound check is one instruction shorter, and without SWAPGS the
# syscall door two (the other doors are plain in that variant). A combination adds the sum. A change to
# the plain path shows in icount/syscall_fast_path_within_bound. IBRS (two WRMSRs with their saves, 20)
# and IBPB (10) are counted from the code, not measured: -icount needs TCG, which lists neither, so those
# rows are unsupported there.
ICOUNT_EXTRA = {"audit": (78, 78, 78), "lfence": (1, 1, 0), "kpti": (4, 38, 8), "pcid": (0, 0, 0), "verw": (1, 1, 1),
                "ibrs": (20, 20, 20), "ibpb": (10, 10, 10), "rsb": (69, 69, 69), "retpoline": (4, 4, 4),
                "switch": (16, 16, 16), "nomask": (-1, -1, -1), "noswapgs": (-2, 0, 0)}
# The syscall fast path's instruction count under QEMU -icount shift=0 (the guest TSC counts retired
# instructions): one sample of the syscall path is the harness's call, the 3-instruction user stub
# (mov, syscall, ret), the kernel's 22 (entry/syscall64.S with the per-call counter and the result's move,
# and sys_getpid's 2) and one harness move: 27. The bound is that figure with room for two instructions,
# so an accidental slow-down fails CI; a change that grows the path on purpose must say why here.
ICOUNT_SYSCALL_BOUND = 29
ICOUNT_HARNESS = 2  # of those: the harness's call and move, which make trace's listing leaves out
ICOUNT_SLACK = {"switch": 6}  # the most a defence's count may exceed its ICOUNT_EXTRA (see above)
ICOUNT_TIMEOUT = 600  # OVMF alone takes about 70 s to reach the stub in this mode


def defences(boot, variant):
    """The defences a variant is built with; for linux, the combination the boot line says it chose."""
    if variant == "linux":
        return boot.get("linux_entry", "").split("+")
    return derive.variant_defences()[variant]


def lacking(boot, variant):
    """Its defences this CPU cannot run (the boot line lists them, with the reason)."""
    missing = boot.get("defences_unsupported", {})
    return [d for d in defences(boot, variant) if d in missing]


def variant_case(variant):
    """A boot with entry = variant: the doors start with it (or, where the CPU lacks one of its defences,
    an error line gives the boot line's reason and they stay plain), and every self-test passes."""
    case = f"entry_{variant}"

    def verify(b):
        status_is(case, b, "app_ok")
        boot = one(b, "boot")
        missing, lack = boot.get("defences_unsupported", {}), lacking(boot, variant)
        err = one(b, "error", what="entry variant unsupported")
        if lack:
            check(f"{case}/unsupported_with_reason", boot.get("entry") == variant and missing[lack[0]]
                  and missing[lack[0]] in err.get("detail", ""), f"lacking {lack}: {missing}; error: {err}")
        else:
            check(f"{case}/doors_start_with_it", not err and boot.get("entry") == variant
                  and f"the doors start with the {variant} entry variant" in b.output, f"error: {err}")
        tests = {t.get("name"): t for t in b.of_type("test")}
        bad = [t for t in tests.values() if t.get("ok") is not True]
        check(f"{case}/selftests_pass", not bad and set(derive.selftests()) <= set(tests),
              f"failed: {bad}; missing: {set(derive.selftests()) - set(tests)}")
    return app_case(case, "selftest", verify, INTEL, f"{VDSO_ON}entry = {variant}\n")


def verify_icount(b):
    status_is("icount", b, "app_ok")
    recs = {(r["path"], r.get("mode"), r.get("variant", "")): r for r in b.of_type("bench")
            if r["op"] in ("getpid", "empty_function")}
    counts = {p: recs.get((p, "sample", ""), {}) for p in ("call",) + DOORS}
    variants = {r["variant"] for r in b.of_type("bench") if "variant" in r} - {"fred"}  # FRED: no entry variant
    counts.update({f"{p}/{v}": recs.get((p, "sample", v), {}) for p in DOORS for v in variants})
    check("icount/deterministic", all(r.get("min") == r.get("max") for r in counts.values() if r),
          f"min/max per path: {[(p, r.get('min'), r.get('max')) for p, r in counts.items()]}")
    n = counts["syscall"].get("p50")
    print("icount: instructions per round trip (harness call and move included): "
          + ", ".join(f"{p} {r.get('p50')}" for p, r in counts.items()))
    trace = os.path.join(TEST_DIR, "trace", "syscall-plain.json")  # host_checks.py's make trace
    steps = len(json.load(open(trace))) if os.path.exists(trace) else None
    check("icount/trace_counts_the_same", steps is not None and steps + ICOUNT_HARNESS == n,
          f"make trace: {steps} instructions from the stub's first to its return; -icount: {n} with the "
          f"harness's {ICOUNT_HARNESS}")
    check("icount/syscall_fast_path_within_bound", n is not None and n <= ICOUNT_SYSCALL_BOUND,
          f"syscall round trip: {n} instructions (bound {ICOUNT_SYSCALL_BOUND}); all: "
          f"{ {p: r.get('p50') for p, r in counts.items()} }")
    verify_oneway(b, json.load(open(trace)) if steps is not None else [])
    boot = one(b, "boot")
    unknown = {d for v in variants for d in defences(boot, v)} - set(ICOUNT_EXTRA)
    check("icount/every_defence_has_a_count", not unknown, f"defences without an ICOUNT_EXTRA row: {unknown}")
    for v in sorted(variants):
        for i, door in enumerate(DOORS):
            r, plain = counts.get(f"{door}/{v}", {}), counts[door]
            if not r.get("supported") or not plain.get("supported"):
                continue  # a door or defence this CPU lacks: reported unsupported, checked in the variant boots
            want = plain["p50"] + sum(ICOUNT_EXTRA.get(d, (0, 0, 0))[i] for d in defences(boot, v))
            slack = sum(ICOUNT_SLACK.get(d, 0) for d in defences(boot, v))
            check(f"icount/{v}_{door}_adds_fixed_count", r["min"] == r["max"] and want <= r["min"] <= want + slack,
                  f"{door} with {v} ({'+'.join(defences(boot, v))}): {r['min']}..{r['max']} instructions, "
                  f"expected {want}" + (f" to {want + slack}" if slack else "") + f" (plain {plain['p50']})")


KERNEL_PHASES = ("entry", "dispatch", "handler", "exit")  # make trace's phases between the two door instructions
SAME_EXIT_DOORS = ("syscall", "sysenter")  # int 0x80's stamped exit inlines trapret's pops, the plain one jumps


def verify_oneway(b, trace):
    """One-way costs under -icount: the kernel's span of the plain syscall is make trace's kernel phases,
    instruction for instruction; every defence's extra lies inside the kernel's span (where a door's
    stamped exit is its plain exit); every sample's readings came in order."""
    recs = {(r["path"], r["variant"]): r for r in b.of_type("oneway")}
    plain = recs.get(("syscall", "plain"), {})
    kernel_steps = sum(s["phase"] in KERNEL_PHASES for s in trace)
    check("icount/oneway_kernel_span_is_the_trace", trace and plain.get("kernel") == kernel_steps,
          f"oneway syscall plain: kernel {plain.get('kernel')} instructions; make trace: {kernel_steps} in "
          f"{'/'.join(KERNEL_PHASES)}")
    ran = [r for r in recs.values() if r.get("supported")]
    check("icount/oneway_readings_in_order", len(ran) >= 3 and all(r["rejected"] == 0 for r in ran),
          f"{len(ran)} door/variant pairs; dropped: {[(r['path'], r['variant'], r['rejected']) for r in ran if r['rejected']]}")
    for (door, v), r in sorted(recs.items()):
        base = recs.get((door, "plain"), {})
        if v == "plain" or door not in SAME_EXIT_DOORS or not r.get("supported") or not base.get("supported"):
            continue
        check(f"icount/oneway_{v}_{door}_inside_the_kernel", r["kernel"] - base["kernel"] == r["round_trip"] - base["round_trip"],
              f"{door} with {v}: kernel span {base['kernel']} -> {r['kernel']}, round trip {base['round_trip']} -> "
              f"{r['round_trip']}")


def cases():
    # the icount boot first: it is the longest, and overlaps all the others
    return [app_case("icount", "bench iters=100 batch=100 warmup=10 oneway=20", verify_icount, INTEL, icount=True,
                     timeout=ICOUNT_TIMEOUT)] + [variant_case(v) for v in derive.variants()]
