"""boots_core.py: the machine and its outputs: the self-tests through every door on Intel, AMD and an
Intel without 64-bit SAHF; the audit mode; ACPI power-off; the kernel's panic path; the USB stick; a
screen without a serial port; results kept in UEFI variables across boots."""
import os
import shutil

import derive
import host_checks
import qemu
import report_tests
from checks import AMD, APP, BUILD, DOORS, INTEL, TEST_DIR, Case, app_case, check, esp, one, status_is

INTEL_NO_SAHF = INTEL + ",-lahf-lm"  # an Intel CPU without SAHF in 64-bit mode, as the first Intel 64 ones
VDSO_ON = "vdso = on\n"  # TCG has no invariant TSC, but its TSC follows the host clock: vouch for it
# The self-tests that a boot without sysenter skips: its door, and (TCG has no invariant TSC, and these
# boots leave vdso = auto) the time page's.
SKIPPED_WITHOUT_SYSENTER = ("registers_sysenter", "vdso_agrees_with_syscall", "vdso_monotonic")


TSC_CPUID_TRUST = 0.1  # kernel/tsc.c's CPUID_TRUST


def check_boot_line(case, boot):
    check(f"{case}/boot_line", boot.get("version") and boot.get("cpu_vendor") and boot.get("tsc_hz", 0) > 0
          and boot.get("tsc_source") in derive.tsc_sources() and boot.get("memory_free_mib", 0) > 256
          and boot.get("memory_unused_mib") == 0, f"boot record: {boot}")
    # Every timer the machine provides (q35, Bochs's i440fx: HPET, ACPI PM timer, PIT) within 1% of the
    # others, and the first of the kernel's order of preference in use; CPUID's stated rate only where it
    # agrees with them (Bochs's CPUID states 2.496 GHz for a TSC that keeps its instructions per second).
    src = boot.get("tsc_sources", {})
    timers = [src.get(t, 0) for t in ("hpet", "pm_timer", "pit")]
    trusted = [s for s in derive.tsc_sources() if s in src and abs(src[s] / max(timers) - 1) < TSC_CPUID_TRUST]
    check(f"{case}/tsc_sources_agree", min(timers) > 0 and max(timers) <= min(timers) * 1.01
          and boot.get("tsc_source") == trusted[0] and boot.get("tsc_hz") == src[boot["tsc_source"]],
          f"tsc_sources: {src}, used: {boot.get('tsc_source')}")


def selftest_case(case, args, cpu, sysenter, config="", reason="#UD"):
    """The self-tests through every door; sysenter served or reported unsupported with its reason."""
    def verify(b):
        status_is(case, b, "app_ok")
        boot = one(b, "boot")
        check_boot_line(case, boot)
        tests = {r.get("name"): r for r in b.of_type("test")}
        for name in derive.kernel_selftests():  # the kernel's checks of its protections (-cpu max has them all)
            r = tests.get(name, {})
            check(f"{case}/{name}", r.get("ok") is True and not r.get("skipped"), f"record: {r or 'missing'}")
        for name in derive.selftests():
            r = tests.get(name, {})
            skip_ok = not sysenter and name in SKIPPED_WITHOUT_SYSENTER and r.get("skipped") is True
            check(f"{case}/{name}", r.get("ok") is True and (skip_ok or not r.get("skipped")),
                  f"record: {r or 'missing'}")
        served = ", ".join(DOORS if sysenter else DOORS[:2])
        audited = tests.get("registers_audited", {}).get("detail", "")
        check(f"{case}/registers_audited_every_served_door", audited.endswith(f"audited {served}"), audited)
        door = one(b, "door", name="sysenter")
        reported = boot.get("doors", {}).get("sysenter")
        check(f"{case}/sysenter_{'served' if sysenter else 'unsupported_with_reason'}",
              door.get("supported") is sysenter and reported is sysenter and
              (sysenter or (reason in door.get("reason", "") and reason in boot.get("sysenter_reason", ""))),
              f"door: {door}, boot doors: {boot.get('doors')}, reason: {boot.get('sysenter_reason')}")
        check(f"{case}/write_output_arrives", "write: hello through the syscall door" in b.output,
              "the bytes written by the app are not on the console")
        check(f"{case}/exit_status_0", one(b, "exit").get("status") == 0, f"exit: {one(b, 'exit')}")
    return app_case(case, args, verify, cpu, config)


def verify_audit_mode(b):
    """app.elf audit: the log as JSON lines, in order, through all three doors (an Intel model), with the
    results the calls returned, ending with the call that turned auditing off; then the counters."""
    getpid, clock, write, unused = (derive.const(n) for n in ("SYS_getpid", "SYS_clock_gettime", "SYS_write",
                                                               "RB_NR_UNUSED"))
    status_is("audit_mode", b, "app_ok")
    recs = b.of_type("audit")
    seqs = [r["seq"] for r in recs]
    check("audit_mode/records_in_order", len(recs) == 13 and seqs == list(range(seqs[0], seqs[0] + 13)),
          f"seq: {seqs}")
    by_door = {d: [r["nr"] for r in recs if r["door"] == d] for d in DOORS}
    check("audit_mode/every_door", all(nrs[:4] == [getpid, clock, write, unused] for nrs in by_door.values()),
          f"numbers per door: {by_door}")
    rets = {(r["nr"], r["ret"]) for r in recs[:-1]}
    check("audit_mode/results", rets == {(getpid, 1), (clock, 0), (write, -derive.const("EBADF")),
                                         (unused, -derive.const("ENOSYS"))}
          and recs[-1]["nr"] == derive.const("SYS_rb_audit") and recs[-1]["args"][0] == 0,
          f"(nr, ret): {sorted(rets)}, last {recs[-1:]}")
    counters = one(b, "counters")
    check("audit_mode/counters", counters.get("calls", {}).get(str(unused), 0) >= 3 and "out_of_range" in counters,
          f"record: {counters}")


def verify_kernel_fault(b):
    """A fault in ring 0 is a kernel bug: a fault line with cpl 0, a register dump, the panic status."""
    status_is("kernel_fault", b, "panic")
    f = one(b, "fault")
    check("kernel_fault/fault_line_ring0", f.get("vector") == derive.const("T_GP") and f.get("cpl") == 0
          and f.get("action") == "panic", f"fault: {f or 'missing'}")
    check("kernel_fault/register_dump", "rax " in b.output and "rip " in b.output,
          "no register dump on the console")


def verify_acpi_poweroff(b):
    status_is("acpi_poweroff", b, "powered_off")
    check("acpi_poweroff/exit_line_first", one(b, "exit").get("status") == 0, str(one(b, "exit")))


def verify_usb(b):
    """build/ringbench.img (make usb) booted as a USB stick: the default run completes."""
    status_is("usb_stick", b, "app_ok")
    tests = b.of_type("test")
    check("usb_stick/selftests_and_bench", tests and all(t.get("ok") for t in tests)
          and any(r.get("path") == "syscall" for r in b.of_type("bench")) and one(b, "exit").get("status") == 0,
          f"{len(tests)} tests, {len(b.of_type('bench'))} bench records, exit {one(b, 'exit')}")


def screen_only():
    """A machine with a screen and no serial port, like most laptops: everything must be on the screen,
    the results table last, and the kernel halted with it showing (poweroff = no)."""
    img = esp("screen", "app = app.elf\nargs = bench iters=200 batch=200\npoweroff = no\n", [APP])
    lines = qemu.boot_screen(img, "ringbench: halted", cpu=INTEL)
    shown = "\n".join(lines)
    check("screen/halted_with_results_on_screen", "ringbench: halted (status 0x10)" in shown,
          "the screen never showed the halt line; last screen:\n" + shown[-1500:])
    rows = [l for l in lines if l.split()[:2] in (["syscall", "getpid"], ["int80", "getpid"], ["sysenter", "getpid"])]
    check("screen/table_rows_for_every_door", "ringbench latency" in shown and len(rows) == 3
          and all(r.split()[2].isdigit() for r in rows), f"rows: {rows}")


def between(text, first, last):
    """The JSON lines printed between the lines holding two markers."""
    lines = [l[l.find('{"type"'):].strip() for l in text.splitlines() if '{"type"' in l]
    i = next(k for k, l in enumerate(lines) if first in l)
    return lines[i + 1:next(k for k, l in enumerate(lines) if last in l)]


def results_kept():
    """Results outlive the run: boot once (the kernel stores its JSON lines in UEFI variables), boot the
    same disk and variable store again, and the stub shows exactly the first run's lines; report.py efivars
    turns them into the same report as make bench."""
    img = esp("kept", "app = app.elf\nargs = bench iters=100 batch=100\nshow_previous = yes\n", [APP])
    store = os.path.join(TEST_DIR, "kept-vars.fd")
    shutil.copyfile(qemu.ovmf()[1], store)
    first = qemu.boot(img, vars_file=store)
    second = qemu.boot(img, vars_file=store)
    lines = [l[l.find('{"type"'):].strip() for l in first.output.splitlines()  # power_off: after they are kept
             if '{"type"' in l and '"previous' not in l and '"power_off"' not in l]
    shown = between(second.output, '"type":"previous"', '"previous_end"')
    check("results_kept/first_run_stores", first.status == "app_ok" and "results kept in the UEFI variables" in first.output
          and between(first.output, '"type":"previous"', '"previous_end"') == [], first.output[-800:])
    check("results_kept/second_boot_shows_them", shown == lines and len(lines) > 10,
          f"{len(shown)} lines shown, {len(lines)} printed by the first run")
    fake = os.path.join(TEST_DIR, "efivars")  # efivarfs as Linux lays it out: attributes, then data
    os.makedirs(fake, exist_ok=True)
    text, guid = ("\n".join(lines) + "\n").encode(), derive.results_guid()  # the report must find them
    with open(os.path.join(fake, f"RingbenchResultCount-{guid}"), "wb") as f:
        f.write(b"\x07\0\0\0" + b"1")
    with open(os.path.join(fake, f"RingbenchResult00-{guid}"), "wb") as f:
        f.write(b"\x07\0\0\0" + text)
    out = os.path.join(TEST_DIR, "report-efivars")
    r = report_tests.report_cmd("efivars", fake, "--out", out)
    md = os.path.join(out, "results.md")
    check("results_kept/efivars_report", r.returncode == 0 and os.path.exists(md)
          and "| syscall | getpid |" in open(md).read(), r.stderr[-500:])


def quiet_run():
    """make run shows the human lines and keeps the whole console in build/run.log, which its last line
    names; JSON=1 shows the JSON lines too."""
    log = os.path.join(BUILD, "run.log")
    for json_too in ("", "1"):
        if os.path.exists(log):
            os.remove(log)
        r = host_checks.sub_make("run", "ARGS=selftest", f"JSON={json_too}")
        shown = r.stdout.splitlines()
        kept = open(log).read() if os.path.exists(log) else ""
        name = "make_run/every_line_with_json" if json_too else "make_run/quiet_with_the_log_named"
        on_terminal = sum(qemu.is_record(line) for line in shown)
        check(name, r.returncode == 0 and "cpl_is_3" in r.stdout and (on_terminal > 10 if json_too else on_terminal == 0)
              and shown[-1:] == ["qemu: the whole console, human and JSON lines, is in build/run.log"]
              and sum(qemu.is_record(line) for line in kept.splitlines()) > 10 and "cpl_is_3" in kept,
              f"exit {r.returncode}, {on_terminal} JSON lines of {len(shown)} on the terminal, last {shown[-1:]}, "
              f"{len(kept)} bytes in {log}")


def verify_selftest_fred(b):
    """Under Bochs with events = fred: the self-tests through every door as FRED events (the audit log's
    skipped: it is the legacy stubs'), and the machine says FRED delivers them."""
    status_is("selftest_fred", b, "app_ok")
    check("selftest_fred/through_fred", "FRED delivers the events" in b.output and not b.of_type("error"),
          b.output[-800:])
    for name in derive.selftests():
        r = one(b, "test", name=name)
        audit = name.startswith(("audit_", "registers_audited"))
        check(f"selftest_fred/{name}", r.get("ok") is True and (not r.get("skipped") or audit), f"record: {r or 'missing'}")


def verify_fred_refused(b):
    """events = fred on a CPU without FRED (QEMU emulates none): one error line with the reason, the events
    stay the IDT's, and the self-tests pass through the legacy doors."""
    status_is("events_fred_refused", b, "app_ok")
    err = one(b, "error", what="events unsupported")
    check("events_fred_refused/error_line_with_reason", "events = fred: CPUID.(EAX=7,ECX=1):EAX[17] is clear"
          in err.get("detail", "") and "FRED delivers" not in b.output, f"record: {err}")


def cases():
    return [
        selftest_case("selftest_amd", "selftest exit=int80", AMD, False),
        selftest_case("selftest_intel", "selftest exit=sysenter", INTEL, True, VDSO_ON),
        selftest_case("selftest_intel_no_sahf", "selftest exit=int80", INTEL_NO_SAHF, False, reason="LAHF_LM"),
        app_case("audit_mode", "audit", verify_audit_mode, INTEL),
        app_case("selftest_fred", "selftest exit=sysenter", verify_selftest_fred, INTEL, "events = fred\n")
        if qemu.emulator() == "bochs" else
        app_case("events_fred_refused", "selftest", verify_fred_refused, INTEL, "events = fred\n"),
        Case("acpi_poweroff", esp("acpi", "app = app.elf\n", [APP]), verify_acpi_poweroff, {"debug_exit": False}),
        Case("kernel_fault", esp("kernel_fault", "app = app.elf\nkernel_test = fault\n", [APP]), verify_kernel_fault),
        Case("usb_stick", os.path.join(BUILD, "ringbench.img"), verify_usb, {"usb": True}),
    ]


# Checks that make their own boots: (function, the CPU model of each boot it makes)
OWN_BOOTS = [(screen_only, [INTEL]), (results_kept, [None, None]), (quiet_run, [None, None])]
