#!/usr/bin/env python3
"""trace.py: every instruction of one system call, through each door asked for (make trace).

    trace.py [--door syscall|int80|sysenter|all] [--entry VARIANT] [--call NAME] [--out DIR]

Boots the app in QEMU (TCG, an Intel CPU model, which serves all three doors) with its gdb stub, stopped,
and drives Debian's gdb in batch mode: a breakpoint on the app's trace_begin marker (app/trace.c), then
on the door's getpid stub (another call of the table: its raw stub, every argument 0), then one `stepi` at
a time until the stub has returned, reading after each the
instruction, its symbol and source line, the privilege level and the registers a door changes (RIP, RSP,
CS, SS, RFLAGS, the GS base, CR3). Each instruction gets a phase: the user stub, the door instruction,
entry, dispatch (from the table's bound check to its call), the handler, exit, the return instruction.
Writes DIR/<door>-<variant>[-<call>].md and .json (default build/trace) and prints the listing; with a variant
other than plain, also DIR/<door>-<variant>[-<call>].diff.md: the plain listing against it, phase by phase,
instruction by instruction: what the defence adds.
"""
import difflib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import qemu  # noqa: E402

BUILD = os.path.join(ROOT, "build")
INTEL = "max,vendor=GenuineIntel"
DOORS = ("syscall", "int80", "sysenter")
DOOR_INSNS = {"syscall": "syscall", "int80": "int", "sysenter": "sysenter"}
RETURNS = ("sysretq", "sysret", "iretq", "sysexitq", "sysexit")
MAX_STEPS = 2000
STEP_RETRIES = 5  # stepi again at most this often when a step did not move (see GDB_SCRIPT)
PHASES = ("user stub", "door", "entry", "dispatch", "handler", "exit", "return")
REGS = ("rip", "rsp", "cs", "ss", "eflags", "gs_base", "cr3")

# Run inside gdb: writes one JSON object per instruction to the file named by TRACE_OUT.
GDB_SCRIPT = r'''
import gdb, json, os
out = open(os.environ["TRACE_OUT"], "w")
def ex(cmd):
    return gdb.execute(cmd, to_string=True)
ex("set pagination off")
ex("set confirm off")
ex("add-symbol-file " + os.environ["TRACE_APP"])
ex("add-symbol-file " + os.environ["TRACE_KERNEL"])
ex("target remote :" + os.environ["TRACE_PORT"])
ex("hbreak trace_begin")
ex("continue")
ex("delete")
ex("hbreak " + os.environ["TRACE_STUB"])
ex("continue")
ex("delete")
ret = int(gdb.parse_and_eval("*(unsigned long *)$rsp"))
for n in range(int(os.environ["TRACE_MAX"])):
    regs = {r: int(gdb.parse_and_eval("$" + r)) & 0xffffffffffffffff for r in os.environ["TRACE_REGS"].split()}
    if regs["rip"] == ret:
        break
    insn = ex("x/i $pc").split(":", 1)[-1].strip()
    where = ex("info symbol $pc").strip()
    line = ex("info line *$pc").strip()
    out.write(json.dumps({"regs": regs, "insn": insn, "symbol": where, "line": line}) + "\n")
    # QEMU's stub now and then reports a step that ran nothing: step again while the instruction is the
    # same and no rep prefix explains it (a rep string instruction steps one iteration at a time)
    for _ in range(int(os.environ["TRACE_RETRIES"])):
        ex("stepi")
        if int(gdb.parse_and_eval("$pc")) != regs["rip"] or insn.startswith("rep"):
            break
out.close()
ex("kill")
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def short_line(text):
    """gdb's 'Line 95 of "entry/syscall64.S" starts at ...' as entry/syscall64.S:95, or ''."""
    if not text.startswith("Line "):
        return ""
    number, rest = text[5:].split(" ", 1)
    return f"{rest.split(chr(34))[1]}:{number}" if '"' in rest else ""


def symbol(text):
    """gdb's 'sys_getpid + 6 in section .text of ...' as sys_getpid+6."""
    if text.startswith("No symbol"):
        return "?"
    name = text.split(" in section")[0]
    return name.replace(" + ", "+")


def phases(steps, door):
    """A phase for every step (PHASES), from where the instruction runs and what it is."""
    out, seen_door, seen_handler, dispatching = [], False, False, False
    for s in steps:
        cpl, insn, sym = s["regs"]["cs"] & 3, s["insn"], s["sym"]
        mnemonic = insn.split()[0] if insn else ""
        if cpl == 3 and not seen_door and mnemonic == DOOR_INSNS[door]:
            phase, seen_door = "door", True
        elif cpl == 3:
            phase = "user stub"
        elif mnemonic in RETURNS:
            phase = "return"
        elif not sym.startswith("entry_") and not sym.startswith("alltraps") and not sym.startswith("trapret"):
            phase, seen_handler, dispatching = "handler", True, False
        elif seen_handler:
            phase = "exit"
        elif dispatching or (mnemonic == "cmp" and "%rax" in insn and not seen_handler and "$0x" in insn):
            phase, dispatching = "dispatch", True
        else:
            phase = "entry"
        out.append(phase)
    return out


def changes(a, b):
    """What the hardware (or the instruction) changed of the registers a door is about, from a to b."""
    said = []
    for r in REGS:
        if r == "rip":
            continue
        if a[r] != b[r]:
            said.append(f"{r} {a[r]:#x} -> {b[r]:#x}")
    return ", ".join(said)


def trace(door, entry, call, out_dir):
    """One trace: boot, step, and the listing's records."""
    name = f"{door}-{entry}" + ("" if call == "getpid" else f"-{call}")
    os.makedirs(out_dir, exist_ok=True)
    config = f"app = app.elf\nargs = trace door={door} call={call}\npoweroff = yes\nentry = {entry}\n"
    esp = qemu.make_esp(os.path.join(out_dir, f"{name}.img"), config, [os.path.join(BUILD, "app", "app.elf")])
    port = str(free_port())
    raw = os.path.join(out_dir, f"{name}.steps")
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "trace_gdb.py")
        open(script, "w").write(GDB_SCRIPT)
        cmd = qemu.command(esp, "tcg", qemu.fresh_vars(tmp), INTEL) + ["-gdb", f"tcp:127.0.0.1:{port}", "-S"]
        vm = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            stub = f"{door}_getpid" if call == "getpid" else f"{door}_raw"
            env = {**os.environ, "TRACE_OUT": raw, "TRACE_PORT": port, "TRACE_STUB": stub,
                   "TRACE_APP": os.path.join(BUILD, "app", "app.elf"), "TRACE_KERNEL": os.path.join(BUILD, "kernel.elf"),
                   "TRACE_MAX": str(MAX_STEPS), "TRACE_REGS": " ".join(REGS), "TRACE_RETRIES": str(STEP_RETRIES)}
            r = subprocess.run(["gdb", "-batch", "-nx", "-x", script], env=env, capture_output=True, text=True,
                               timeout=300)
        finally:
            vm.kill()
            vm.wait()
    steps = [json.loads(line) for line in open(raw)] if os.path.exists(raw) else []
    if not steps:
        sys.exit(f"trace: gdb recorded nothing for {name}:\n{(r.stdout + r.stderr)[-1500:]}")
    for s in steps:
        s["sym"], s["src"] = symbol(s["symbol"]), short_line(s["line"])
    for s, phase in zip(steps, phases(steps, door)):
        s["phase"] = phase
    return steps


def listing(door, entry, call, steps):
    lines = [f"# {door} door, {entry} entry: {call}, one call, {len(steps)} instructions", "",
             "Traced under QEMU TCG through its gdb stub, one `stepi` at a time (scripts/trace.py): exact, and "
             "the same every run. `cpl` is the privilege level the instruction ran at; a `>>` line says what "
             "changed across the instruction before it.", "",
             "| phase | instructions |", "|---|---:|"]
    lines += [f"| {p} | {sum(1 for s in steps if s['phase'] == p)} |" for p in PHASES] + [f"| total | {len(steps)} |",
                                                                                           "", "```"]
    for i, s in enumerate(steps):
        if i and (s["phase"] != steps[i - 1]["phase"] or s["regs"]["cr3"] != steps[i - 1]["regs"]["cr3"]):
            what = changes(steps[i - 1]["regs"], s["regs"])
            if what:
                lines.append(f"   >> {what}")
        lines.append(f"{i:4} {s['phase']:<10} cpl{s['regs']['cs'] & 3} {s['regs']['rip']:#018x} "
                     f"{s['sym']:<32} {s['insn']:<44} {s['src']}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def plain_text(s):
    """An instruction as it reads in a diff: its symbol without the offset or the variant's name
    (entry_syscall64_kpti is entry_syscall64), and the instruction with kernel addresses (jump targets, the
    variant's data) as <kernel>, so that the same instruction of two variants reads the same."""
    sym = s["sym"].split("+")[0]
    if sym.startswith("entry_"):
        sym = "_".join(sym.split("_")[:2])
    return f"{sym}: {re.sub(r'0xffffffff[0-9a-f]+', '<kernel>', s['insn'].split(' <')[0])}"


def diff(door, entry, call, plain, steps):
    """The plain listing against the variant's, phase by phase: lines only the variant runs start with +."""
    lines = [f"# {door} door: what the {entry} entry variant adds to {call}", "",
             f"plain {len(plain)} instructions, {entry} {len(steps)}. Per phase, `-` only plain runs, `+` only "
             f"{entry} runs.", ""]
    for phase in PHASES:
        a = [plain_text(s) for s in plain if s["phase"] == phase]
        b = [plain_text(s) for s in steps if s["phase"] == phase]
        lines += [f"## {phase}: {len(a)} -> {len(b)}", "", "```"]
        lines += [l for l in difflib.ndiff(a, b) if not l.startswith("?")] + ["```", ""]
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    opt = {"--door": "syscall", "--entry": "plain", "--call": "getpid", "--out": os.path.join(BUILD, "trace")}
    while args:
        key = args.pop(0)
        if key not in opt or not args:
            sys.exit(__doc__)
        opt[key] = args.pop(0)
    doors = DOORS if opt["--door"] == "all" else (opt["--door"],)
    if any(d not in DOORS for d in doors):
        sys.exit(f"trace: unknown door '{opt['--door']}' (syscall, int80, sysenter or all)")
    entry, call = opt["--entry"], opt["--call"]
    for door in doors:
        steps = trace(door, entry, call, opt["--out"])
        text = listing(door, entry, call, steps)
        base = os.path.join(opt["--out"], f"{door}-{entry}" + ("" if call == "getpid" else f"-{call}"))
        open(base + ".md", "w").write(text)
        json.dump(steps, open(base + ".json", "w"))
        print(text)
        print(f"trace: wrote {base}.md and .json")
        if entry != "plain":
            changed = diff(door, entry, call, trace(door, "plain", call, opt["--out"]), steps)
            open(base + ".diff.md", "w").write(changed)
            print(changed + f"\ntrace: wrote {base}.diff.md")


if __name__ == "__main__":
    main()
