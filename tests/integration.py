#!/usr/bin/env python3
"""integration.py: the test suite behind `make test`.

Runs the checks that boot nothing (tests/host_checks.py, tests/report_tests.py), then boots real images in
QEMU+OVMF, one per case of the families below, two at a time, and asserts on the JSON lines the kernel
and the app print and on the exit status the kernel chose. Prints one line per check and closes with
"N passed, N failed"; exits non-zero when anything failed.

  boots_core.py      self-tests through every door, audit mode, power-off, panic, USB stick, screen, results kept
  boots_hazards.py   every hazard of the app, alone and under the variants whose slow paths it crosses
  boots_variants.py  every entry variant as the doors' start; instruction counts under -icount
  boots_bench.py     the benchmark and the fuzzer
  boots_linux.py     unmodified Linux programs (musl and glibc), compared with the host's Linux running them
  boots_apps.py      strangers' programs and files that are no app
  boots_secure.py    Secure Boot with Debian's test firmware and key: the signed unified image, refusals

CASES=text (make test CASES=signals) boots only the cases whose name holds text, and runs nothing else: for
work on one part; `make test` without it is the whole suite.

EMU=bochs BOCHS=/path/to/bochs boots every case that can run there in Bochs instead (tests/bochs.py): the
cases that need a QEMU feature (-icount, the USB stick on xHCI, -kernel, Secure Boot's SMM firmware, a
variable store kept across boots, the screendump) are skipped, each with what it needs; the host-only
checks run as without it.
"""
import collections
import concurrent.futures
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boots_apps  # noqa: E402
import boots_bench  # noqa: E402
import boots_core  # noqa: E402
import boots_hazards  # noqa: E402
import boots_linux  # noqa: E402
import boots_secure  # noqa: E402
import boots_variants  # noqa: E402
import bochs  # noqa: E402
import host_checks  # noqa: E402
import qemu  # noqa: E402
import report_tests  # noqa: E402
from checks import results, skip, skipped  # noqa: E402

FAMILIES = (boots_variants, boots_bench, boots_core, boots_linux, boots_hazards, boots_apps, boots_secure)  # the longest first


def accelerators(cases, own_boots):
    """How many boots run under which accelerator, and why: -icount needs TCG, and KVM runs only the CPU
    models it can present truly."""
    if qemu.emulator() == "bochs":
        print(f"integration: booting {len(cases)} images in Bochs ({bochs.binary()})", flush=True)
        return
    accels = collections.Counter(("tcg", "-icount needs TCG") if c.boot.get("icount")
                                 else qemu.accelerator(c.boot.get("cpu")) for c in cases)
    accels.update(qemu.accelerator(cpu) for _, cpus in own_boots for cpu in cpus)
    print(f"integration: booting {sum(accels.values())} images", flush=True)
    for (accel, why), n in accels.items():
        print(f"  {n} under {accel.upper()} ({why})", flush=True)


def boot_all(cases, own_boots):
    """Every case's boot, and the checks that make their own, side by side on the machine's cores."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        own = [pool.submit(fn) for fn, _ in own_boots]
        boots = list(pool.map(lambda c: qemu.boot(c.image, **c.boot), cases))
        for f in own:
            f.result()
    for case, b in zip(cases, boots):
        case.verify(b)


def on_bochs(cases, own_boots):
    """The cases Bochs can boot; the others, and the checks that make their own QEMU boots, skipped with why."""
    kept = []
    for c in cases:
        why = bochs.unsupported(c.boot)
        if why:
            skip(c.name, f"{why} (EMU=bochs)")
        else:
            kept.append(c)
    for fn, _ in own_boots:
        skip(fn.__name__, "makes its own QEMU boots (screendump, a variable store kept across boots, make run) "
                          "(EMU=bochs)")
    return kept, []


def verdicts():
    failed = [r for r in results if not r[1]]
    for name, ok, why in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f"\n     {why}"))
    for name, why in skipped:
        print(f"skip {name}: {why}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed" + (f", {len(skipped)} skipped" if skipped else ""))
    return not failed


def main():
    only = os.environ.get("CASES")
    if not only:
        host_checks.run()
        report_tests.run()
    cases = [c for family in FAMILIES for c in family.cases() if not only or only in c.name]
    names = collections.Counter(c.name for c in cases)
    dup = [n for n, k in names.items() if k > 1]
    if dup:
        sys.exit(f"integration: two cases share a name: {dup}")
    own_boots = [] if only else boots_core.OWN_BOOTS
    if qemu.emulator() == "bochs":
        cases, own_boots = on_bochs(cases, own_boots)
    accelerators(cases, own_boots)
    boot_all(cases, own_boots)
    sys.exit(0 if verdicts() else 1)


if __name__ == "__main__":
    main()
