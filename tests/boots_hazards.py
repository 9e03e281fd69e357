"""boots_hazards.py: every hazard of the app (app/main.c hazards[], with the fault each raises) in one boot
of its caught mode (app/caught.c), where its own signal handler takes each one, with the signal, si_code
and saved context Linux gives; with them the boundary's cases that Linux's selftests check (rt_sigreturn
to every non-canonical RIP, hostile frames, the flags through each door, SYSENTER with TF and a garbage
stack). That boot runs on both vendors and under the entry variants whose slow paths the hazards cross
(KPTI's entry stack, the syscall door without SWAPGS, Linux's combination). A few hazards also boot alone,
without a handler: the signal's default action must end the app (128 + the signal), and only the app."""
import derive
import qemu
from checks import AMD, INTEL, app_case, app_symbol, check, one, skip, status_is

IDT_ERROR_BIT = 2
STEPPED = ("single-step-", "movss-")  # the hazards that single-step across a door (app/hazards.S)
NOT_IN_TCG = {  # QEMU 7.2's TCG emulates neither: both are checked under KVM and on hardware
    "alignment-check": "QEMU TCG does not emulate alignment-check (#AC) faults",
    "simd-error": "QEMU TCG does not raise unmasked SSE exceptions (#XM)",
}
# Linux's signal and si_code for each exception from ring 3 (its arch/x86/kernel/traps.c and fault.c)
SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE = 11, 7, 4, 5, 8
SI_KERNEL, SEGV_MAPERR, SEGV_ACCERR, ILL_ILLOPN, FPE_INTDIV, FPE_FLTDIV, TRAP_TRACE, BUS_ADRALN = \
    0x80, 1, 2, 2, 1, 3, 2, 1
LINUX_SIGNAL = {"T_PF": (SIGSEGV, None), "T_GP": (SIGSEGV, SI_KERNEL), "T_UD": (SIGILL, ILL_ILLOPN),
                "T_DE": (SIGFPE, FPE_INTDIV), "T_BP": (SIGTRAP, SI_KERNEL), "T_DB": (SIGTRAP, TRAP_TRACE),
                "T_AC": (SIGBUS, BUS_ADRALN), "T_XM": (SIGFPE, FPE_FLTDIV)}
PAGE_FAULT_CODE = {"fault-kernel-read": SEGV_MAPERR, "stack-overflow": SEGV_MAPERR, "nx-stack": SEGV_ACCERR,
                   "write-time-page": SEGV_ACCERR}
NONCANONICAL_BITS = range(47, 64)
HOSTILE_FRAMES = ("sigreturn-kernel-cs", "sigreturn-kernel-ss", "sigreturn-kernel-fpstate",
                  "sigreturn-reserved-mxcsr", "sigreturn-unmapped-frame")
# The caught mode on each vendor (sysenter's hazards need Intel's), and under the variants whose slow
# paths the hazards cross.
CAUGHT_BOOTS = {"caught_amd": (AMD, None), "caught_intel": (INTEL, None), "caught_kpti": (INTEL, "kpti"),
                "caught_noswapgs": (AMD, "noswapgs"), "caught_linux": (INTEL, "linux")}
# Hazards booted alone, without a handler: the default action of each one's signal ends the app.
KILLED_BY = {"fault-kernel-read": SIGSEGV, "divide-error": SIGFPE, "breakpoint": SIGTRAP}


def idt_error(vector):
    """The error codes that name an IDT entry: the SDM's (vector * 8 + 2), and QEMU TCG's in long mode
    (vector * 16 + 2: its 64-bit interrupt helper scales by the 16-byte gate size)."""
    return (vector * 8 + IDT_ERROR_BIT, vector * 16 + IDT_ERROR_BIT)


def expectations(mode, variant):
    """What the fault line must say beyond its vector: rip, the error codes allowed, the range cr2 lies in,
    and a CPU feature the hazard needs."""
    c = derive.const
    p, w, u, i = c("PFERR_P"), c("PFERR_W"), c("PFERR_U"), c("PFERR_I")
    guard, time_page, kernel = c("USER_STACK_GUARD"), c("USER_TIME_PAGE"), c("KERNEL_VBASE")
    if mode.startswith(STEPPED):  # the #DB arrives in ring 3 after the door and one more instruction; under
        name = mode.replace("-", "_")  # FRED right after the door (ERETU's pending #DB, as SYSRET's)
        return {"rip": (app_symbol(f"{name}_ret"),) * (variant == "fred") + (app_symbol(f"{name}_after"),)}
    return {
        # under KPTI ring 3 runs on tables without the kernel: a not-present fault (Linux's choice for a CPU
        # may include KPTI or not)
        "fault-kernel-read": {"error": {"kpti": (u,), "linux": (u, p | u)}.get(variant, (p | u,)),
                              "cr2": (kernel, kernel + 1)},
        "int-0x81": {"error": idt_error(0x81)},
        "noncanonical-return": {"rip": c("USER_TOP")},
        "stack-overflow": {"error": (w | u,), "cr2": (guard, guard + c("PAGE_SIZE"))},
        "nx-stack": {"error": (p | u | i,)},
        "umip-sgdt": {"error": (0,), "needs": "umip"},
        "priv-cli": {"error": (0,)}, "priv-hlt": {"error": (0,)}, "priv-wrmsr": {"error": (0,)},
        "priv-mov-cr3": {"error": (0,)}, "port-io": {"error": (0,)},
        "write-time-page": {"error": (p | w | u,), "cr2": (time_page, time_page + 1)},
    }.get(mode, {})


def check_record(case, mode, r, want_sig, want_code=None, rip=None, error=(), cr2=None):
    """A caught line: taken by the handler, with the signal and code Linux gives, and the saved context's
    trap number's faults (rip, error code, cr2) as the hazard's expectations say."""
    ok = r.get("caught") is True and r.get("signal") == want_sig and (want_code is None or r.get("code") == want_code)
    rips = rip if isinstance(rip, tuple) else (rip,)
    ok = ok and (rip is None or int(r.get("rip", "0"), 16) in rips) and (not error or r.get("err") in error)
    ok = ok and (cr2 is None or cr2[0] <= int(r.get("cr2", "0"), 16) < cr2[1])
    check(f"{case}/{mode}", ok, f"caught: {r or 'missing'}; expected signal {want_sig}, code {want_code}"
          + (f", rip in {[hex(x) for x in rips]}" if rip is not None else "") + (f", error in {error}" if error else "")
          + (f", cr2 in [{cr2[0]:#x}, {cr2[1]:#x})" if cr2 else ""))


def verify_hazards(case, b, cpu, variant):
    tcg = qemu.emulator() == "qemu" and qemu.accelerator(cpu)[0] == "tcg"
    for mode, (door, vector) in derive.hazards().items():
        if door == "sysenter" and cpu != INTEL:
            continue
        if mode in NOT_IN_TCG and tcg:
            skip(f"{case}/{mode}", NOT_IN_TCG[mode])
            continue
        want = expectations(mode, variant)
        needs = want.pop("needs", None)
        if needs and one(b, "boot").get("features", {}).get(needs) is False:
            skip(f"{case}/{mode}", f"this CPU has no {needs.upper()}")
            continue
        sig, code = {derive.const(name): linux for name, linux in LINUX_SIGNAL.items()}[vector]
        r = one(b, "caught", name=mode)
        check_record(case, mode, r, sig, PAGE_FAULT_CODE.get(mode, code), **want)
        check(f"{case}/{mode}_trapno", r.get("trapno") == vector, f"caught: {r}; expected trap number {vector}")
        if mode.startswith(STEPPED):  # the flags the app set, TF among them, in the saved context
            check(f"{case}/{mode}_keeps_tf", int(r.get("rflags", "0"), 16) & derive.const("RFLAGS_TF"), str(r))


def verify_boundary(case, b, cpu):
    """rt_sigreturn to a non-canonical RIP faults in ring 3 at that RIP; hostile frames are refused with a
    SIGSEGV; IOPL 3 from a frame is not granted; SYSENTER with TF and a garbage stack is a signal in ring 3
    with TF kept; NT, AC and DF come back through every door."""
    gp = derive.const("T_GP")
    for bit in NONCANONICAL_BITS:
        r = one(b, "caught", name=f"sigreturn-rip-2^{bit}")
        check_record(case, f"sigreturn_rip_2^{bit}", r, SIGSEGV, SI_KERNEL, rip=1 << bit)
        check(f"{case}/sigreturn_rip_2^{bit}_is_gp", r.get("trapno") == gp, str(r))
    for frame in HOSTILE_FRAMES:
        check_record(case, frame.replace("-", "_"), one(b, "caught", name=frame), SIGSEGV, SI_KERNEL)
    check_record(case, "sigreturn_iopl3_not_granted", one(b, "caught", name="sigreturn-iopl3"), SIGSEGV, SI_KERNEL,
                 rip=app_symbol("probe_cli"))
    if cpu == INTEL:
        r = one(b, "caught", name="sysenter-tf-garbage-stack")
        check(f"{case}/sysenter_tf_garbage_stack", r.get("signal") in (SIGTRAP, SIGSEGV, SIGBUS, SIGILL)
              and int(r.get("rflags", "0"), 16) & derive.const("RFLAGS_TF"), f"caught: {r or 'missing'}")
    for door in ("syscall", "int80") + (("sysenter",) if cpu == INTEL else ()):
        r = one(b, "test", name=f"flags_through_{door}")
        check(f"{case}/flags_through_{door}", r.get("ok") is True and not r.get("skipped"), str(r or "missing"))


def caught_case(case, cpu, variant):
    """The caught mode: every line as Linux's signals would have it, and the kernel standing at the end. The
    fred "variant" is events = fred (Bochs only: QEMU has no FRED), the doors as FRED events."""
    def verify(b):
        status_is(case, b, "app_ok")
        if variant == "fred":
            check(f"{case}/through_fred", "FRED delivers the events" in b.output, b.output[-800:])
        verify_hazards(case, b, cpu, variant)
        verify_boundary(case, b, cpu)
        wrong = [f for f in b.of_type("fault") if f.get("cpl") != 3 or f.get("action") != "signal"]
        check(f"{case}/every_fault_in_ring3_to_a_handler", not wrong, f"faults: {wrong[:3]}")
    config = "events = fred\n" if variant == "fred" else f"entry = {variant}\n" if variant else ""
    return app_case(case, "caught", verify, cpu, config)


def killed_case(mode, sig):
    """A hazard without a handler: the fault line says kill, the exit line the signal and 128 + it."""
    door, vector = derive.hazards()[mode]
    case = mode.replace("-", "_")

    def verify(b):
        status_is(case, b, "app_killed")
        f = one(b, "fault")
        check(f"{case}/fault_line_says_kill", f.get("vector") == vector and f.get("cpl") == 3
              and f.get("action") == "kill" and f.get("signal") == sig, f"fault: {f or 'missing'}")
        e = one(b, "exit")
        check(f"{case}/exit_line_says_the_signal", e.get("reason") == "killed" and e.get("signal") == sig
              and e.get("status") == 128 + sig, f"exit: {e or 'missing'}")
    return app_case(case, mode, verify, AMD)


def cases():
    boots = dict(CAUGHT_BOOTS, **({"caught_fred": (INTEL, "fred")} if qemu.emulator() == "bochs" else {}))
    return ([caught_case(case, cpu, variant) for case, (cpu, variant) in boots.items()]
            + [killed_case(mode, sig) for mode, sig in KILLED_BY.items()])
