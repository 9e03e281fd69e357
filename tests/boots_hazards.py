"""boots_hazards.py: every hazard of the app (app/main.c hazards[], with the fault each must end with)
booted once, and again under the entry variants whose slow paths it crosses (KPTI's entry stack, the
syscall door without SWAPGS, Linux's combination). Each must end the app with a ring-3 fault line and
leave the kernel standing."""
import derive
import qemu
from checks import AMD, INTEL, app_case, app_symbol, check, one, skip, status_is

IDT_ERROR_BIT = 2
NOT_IN_TCG = {  # QEMU 7.2's TCG emulates neither: both are checked under KVM and on hardware
    "alignment-check": "QEMU TCG does not emulate alignment-check (#AC) faults",
    "simd-error": "QEMU TCG does not raise unmasked SSE exceptions (#XM)",
}
# Where a hazard means most: sysenter needs an Intel model, and a non-canonical SYSRET is Intel's hazard
# (CVE-2012-0217); the rest run on AMD, the other vendor's paths.
ON_INTEL = ("single-step-sysenter", "noncanonical-return")
# Under these variants the hazards cross the variant's own slow paths (its entry stack, its exits).
UNDER_VARIANTS = {
    "kpti": ["fault-kernel-read", "divide-error", "int-0x81", "noncanonical-return", "single-step-syscall",
             "single-step-int80", "single-step-sysenter"],
    "noswapgs": ["noncanonical-return", "single-step-syscall"],
    "linux": ["noncanonical-return", "single-step-int80"],
}


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
    if mode.startswith("single-step-"):  # the #DB arrives in ring 3 after the door and one more instruction
        return {"rip": app_symbol(f"ss_{mode.split('-')[-1]}_after")}
    return {
        # under KPTI ring 3 runs on tables without the kernel: a not-present fault
        "fault-kernel-read": {"error": (u,) if variant == "kpti" else (p | u,), "cr2": (kernel, kernel + 1)},
        "int-0x81": {"error": idt_error(0x81)},
        "noncanonical-return": {"rip": c("USER_TOP")},
        "stack-overflow": {"error": (w | u,), "cr2": (guard, guard + c("PAGE_SIZE"))},
        "nx-stack": {"error": (p | u | i,)},
        "umip-sgdt": {"error": (0,), "needs": "umip"},
        "priv-cli": {"error": (0,)}, "priv-hlt": {"error": (0,)}, "priv-wrmsr": {"error": (0,)},
        "priv-mov-cr3": {"error": (0,)}, "port-io": {"error": (0,)},
        "write-time-page": {"error": (p | w | u,), "cr2": (time_page, time_page + 1)},
    }.get(mode, {})


def hazard_verify(case, vector, rip=None, error=(), cr2=None, needs=None):
    """The app provoked a fault: the kernel must kill it with a ring-3 fault line, and survive."""
    def verify(b):
        if needs and one(b, "boot").get("features", {}).get(needs) is False:
            return skip(case, f"this CPU has no {needs.upper()}")
        status_is(case, b, "app_killed")
        f = one(b, "fault")
        if cr2:
            check(f"{case}/cr2", cr2[0] <= int(f.get("cr2", "0"), 16) < cr2[1], f"fault: {f}; cr2 expected in "
                  f"[{cr2[0]:#x}, {cr2[1]:#x})")
        ok = f.get("vector") == vector and f.get("cpl") == 3 and f.get("action") == "kill"
        ok = ok and (rip is None or int(f.get("rip", "0"), 16) == rip) and (not error or f.get("error") in error)
        check(f"{case}/fault_in_ring3", ok, f"fault: {f or 'missing'}; expected vector {vector}"
              + (f", rip {rip:#x}" if rip is not None else "") + (f", error in {error}" if error else ""))
        check(f"{case}/exit_reason_killed", one(b, "exit").get("reason") == "killed", str(one(b, "exit")))
    return verify


def hazard_case(mode, variant=None):
    door, vector = derive.hazards()[mode]
    name = (f"{variant}_" if variant else "") + mode.replace("-", "_")
    cpu = INTEL if variant or mode in ON_INTEL else AMD
    if variant == "noswapgs" and mode == "single-step-syscall":
        cpu = AMD  # the door's slow path without SWAPGS, on the other vendor
    config = f"entry = {variant}\n" if variant else ""
    return app_case(name, mode, hazard_verify(name, vector, **expectations(mode, variant)), cpu, config)


def cases():
    out = []
    for mode in derive.hazards():
        if mode in NOT_IN_TCG and qemu.accelerator(AMD)[0] == "tcg":
            skip(mode.replace("-", "_"), NOT_IN_TCG[mode])
            continue
        out.append(hazard_case(mode))
    for variant, modes in UNDER_VARIANTS.items():
        out += [hazard_case(mode, variant) for mode in modes]
    return out
