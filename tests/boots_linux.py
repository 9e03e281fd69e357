"""boots_linux.py: unmodified Linux programs, with Linux as the oracle. Each program of tests/apps/ written
against libc is built twice, with musl-gcc -static and gcc -static (glibc), and Debian's busybox-static
is taken as it is; each runs on the host's Linux and boots on ringbench with the same arguments,
environment and files (a tree packed as ringbench's archive, and a copy of it on the host), and the two
outputs are compared line for line, and the exit statuses too. The rules for what may rightly differ:
a line that starts with "~ " is compared only up to its first colon (a pid, a time, the machine's
name), and ls -l's "total" line (the host counts its filesystem's blocks) is left out."""
import hashlib
import os
import shlex
import shutil
import subprocess
import tempfile

import derive
from checks import INTEL, ROOT, TEST_DIR, Case, app_case, check, esp, one, skip, status_is

LIBCS = {"musl": ["musl-gcc", "-static"], "glibc": ["gcc", "-static"]}
TREE = "/"  # where the program finds the files on ringbench (its argument; on the host the copy's path)
# program: (arguments, environment) the same on the host and on ringbench; TREE stands for the tree
PROGRAMS = {
    "libc_basics": (["one", "two three"], {"NAME": "a b"}),
    "linux_bad_input": ([], {}),
    "libc_files": ([TREE], {}),
    "signals": ([], {}),
}
# more runs of a program: case name: (program, arguments); these end by a signal's default action
ENDINGS = {
    "signals_default_term": ("signals", ["term"]),
    "signals_fault_in_handler": ("signals", ["nested"]),
    "signals_abort": ("signals", ["abort"]),
    "signals_overflow_no_altstack": ("signals", ["overflow"]),
}
BUSYBOX = "/bin/busybox"
APPLETS = {  # name: (arguments, environment[, a file of the tree for stdin]); they run in the tree's top
    "echo": (["echo", "hello,", "world"], {}),
    "cat": (["cat", "data/a.txt", "data/link"], {}),
    "ls": (["ls", "-l", "data"], {}),
    "wc": (["wc", "data/a.txt", "data/big.bin"], {}),
    "sha256sum": (["sha256sum", "data/big.bin"], {}),
    "head": (["head", "-n", "2", "data/a.txt"], {}),
    "wc_stdin": (["wc", "-l"], {}, "data/a.txt"),
    "env": (["env"], {"A": "1", "B": "two words"}),
    "sh": (["sh", "-c", "echo $((6*7)); x=3; while [ $x -gt 0 ]; do printf '%s ' $x; x=$((x-1)); done; echo; "
            "read l < data/a.txt; echo got $l; cd data; echo *"], {}),
}
BIG_FILE = 3 << 20  # a multi-megabyte file for sha256sum and wc
VARIES = "~ "


def build(program, libc):
    out = os.path.join(TEST_DIR, f"{program}-{libc}.elf")
    os.makedirs(TEST_DIR, exist_ok=True)
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "apps", f"{program}.c")
    subprocess.run(LIBCS[libc] + ["-O2", "-o", out, src], check=True)
    return out


def comparable(lines):
    return [l.split(":", 1)[0] if l.startswith(VARIES) else l for l in lines if not l.startswith("total ")]


def make_tree():
    """build/test/tree: the files both runs see (data/ with a small file, a big one and a link to the
    small one; etc/ with the root user and group, so that ls -l names owners alike), and its archive."""
    tree = os.path.join(TEST_DIR, "tree")
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(os.path.join(tree, "data"))
    os.makedirs(os.path.join(tree, "etc"))
    with open(os.path.join(tree, "data", "a.txt"), "w") as f:
        f.write("one\ntwo\nthree\n")
    with open(os.path.join(tree, "data", "big.bin"), "wb") as f:
        block = b"".join(hashlib.sha256(i.to_bytes(4, "little")).digest() for i in range(BIG_FILE // 32))
        f.write(block)
    os.symlink("a.txt", os.path.join(tree, "data", "link"))
    with open(os.path.join(tree, "etc", "passwd"), "w") as f:
        f.write("root:x:0:0:root:/root:/bin/sh\n")
    with open(os.path.join(tree, "etc", "group"), "w") as f:
        f.write("root:x:0:\n")
    archive = os.path.join(TEST_DIR, "tree.cpio")
    subprocess.run([os.path.join(ROOT, "scripts", "mkcpio.sh"), tree, archive], check=True)
    return tree, archive


def program_output(b, app):
    """The program's lines on ringbench's console: after the kernel's line that starts it, up to its exit
    line, or the register dump of a fault that ends it; without the kernel's own lines between (its human
    lines say "ringbench:", its JSON lines start with {"type"; a signal's handler taken is one of each)."""
    lines = b.output.splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith(f"ringbench: starting \\ringbench\\{app} ")), None)
    if start is None:
        return None
    out = []
    for line in lines[start + 1:]:
        if line.startswith('{"type":"exit"') or line.startswith("fault: "):
            break
        if not (line.startswith("ringbench: ") or line.startswith('{"type"')):
            out.append(line)
    return out


def run_native(exe, args, env, tree, stdin=None):
    """The program on the host, in a copy of the tree (it may change it), TREE its path; stdin a file of
    the tree, or end-of-file."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "tree")
        shutil.copytree(tree, copy, symlinks=True)
        with open(os.path.join(copy, stdin) if stdin else os.devnull) as f:
            return subprocess.run([exe, *[copy if a == TREE else a for a in args]], capture_output=True, text=True,
                                  env=env, cwd=copy, stdin=f, timeout=60)


def oracle_case(name, exe, args, env, tree, archive, also=None, stdin=None, entry=None):
    """exe on the host and on ringbench, compared; also: more checks of the same boot; entry: the entry
    variant the doors start with (on an Intel model, which serves them all)."""
    native = run_native(exe, args, env, tree, stdin)
    app = os.path.basename(exe)

    def verify(b):
        got = program_output(b, app)
        want = native.stdout.splitlines()
        check(f"{name}/output_as_on_linux", got is not None and comparable(got) == comparable(want),
              f"on Linux:\n{native.stdout}\non ringbench:\n" + ("\n".join(got) if got is not None else b.output[-1500:]))
        status = one(b, "exit")
        if native.returncode < 0:  # killed by signal -returncode: the shell's 128 + signal
            want = {"reason": "killed", "signal": -native.returncode, "status": 128 - native.returncode}
        else:
            want = {"reason": "exit", "status": native.returncode}
        check(f"{name}/exit_status_as_on_linux", all(status.get(k) == v for k, v in want.items()),
              f"on Linux {native.returncode}, on ringbench {status or 'no exit line'}")
        if also:
            also(b)
    config = (f"app = {app}\nargs = {shlex.join(args)}\nenv = {shlex.join(f'{k}={v}' for k, v in env.items())}\n"
              f"files = {os.path.basename(archive)}\n" + (f"stdin = /{stdin}\n" if stdin else "")
              + (f"entry = {entry}\n" if entry else ""))
    return Case(name, esp(name, config, [exe, archive]), verify, {"cpu": INTEL} if entry else {})


def verify_unimplemented(case):
    """A call ringbench does not provide is -ENOSYS, and named at the end: the program asks for times()."""
    def verify(b):
        r = one(b, "unimplemented", name="times")
        check(f"{case}/unimplemented_named", r.get("nr") == 100 and r.get("count", 0) >= 1
              and r.get("door") == "syscall" and int(r.get("rip", "0"), 16) > 0, f"record: {r or 'missing'}")
    return verify


def cases():
    missing = [tool for tool in [t[0] for t in LIBCS.values()] + [BUSYBOX] if not shutil.which(tool)]
    if missing:
        skip("linux_programs", f"{', '.join(missing)} not installed (make deps installs musl-tools, busybox-static)")
        return []
    tree, archive = make_tree()
    also = {("libc_basics", libc): verify_unimplemented(f"linux_libc_basics_{libc}") for libc in LIBCS}
    out = [oracle_case(f"linux_{p}_{libc}", build(p, libc), *PROGRAMS[p], tree, archive, also.get((p, libc)))
           for p in PROGRAMS for libc in LIBCS]
    out += [oracle_case(f"linux_{name}_{libc}", build(p, libc), args, {}, tree, archive)
            for name, (p, args) in ENDINGS.items() for libc in LIBCS]
    # the memory calls change the user half under KPTI's second tables too
    out.append(oracle_case("linux_libc_basics_musl_kpti", build("libc_basics", "musl"), *PROGRAMS["libc_basics"], tree,
                           archive, entry="kpti"))
    out += [oracle_case(f"busybox_{applet}", BUSYBOX, run[0], run[1], tree, archive,
                        stdin=run[2] if len(run) > 2 else None) for applet, run in APPLETS.items()]
    return (out + [uname_case(archive), pause_case()] + [vdso_case(libc, usable) for libc in LIBCS
                                                         for usable in (True, False)]
            + [vsyscall_case(mode) for mode in VSYSCALL_BOOTS])


def uname_case(archive):
    """busybox uname -a: what ringbench says it is, which differs from the host by design."""
    def verify(b):
        got = program_output(b, "busybox") or []
        says = "ringbench ringbench 6.1.0-ringbench ringbench "
        check("busybox_uname/says_ringbench", got[:1] and got[0].startswith(says)
              and got[0].endswith(" x86_64 GNU/Linux") and one(b, "exit").get("status") == 0, f"output: {got}")
    config = f"app = busybox\nargs = uname -a\nfiles = {os.path.basename(archive)}\n"
    return Case("busybox_uname", esp("busybox_uname", config, [BUSYBOX, archive]), verify)


def pause_case():
    """pause() with no signal pending: Linux would wait forever (no test can run that natively); ringbench,
    where nothing could ever send one, ends the run with a line that says so."""
    exe = build("signals", "musl")

    def verify(b):
        e = one(b, "exit")
        check("linux_signals_pause/run_ends_saying_why", e.get("reason") == "waits_forever"
              and "ringbench: pause would wait forever: no signal is pending" in b.output
              and (program_output(b, os.path.basename(exe)) or [])[:1] == ["pausing"], f"exit: {e}; {b.output[-400:]}")
    return Case("linux_signals_pause", esp("linux_signals_pause", f"app = {os.path.basename(exe)}\nargs = pause\n",
                                           [exe]), verify)


def vdso_case(libc, usable):
    """An unmodified libc program's clocks go through ringbench's vDSO: 3000 calls (clock_gettime,
    gettimeofday, time) and no system call for them when its clock is usable (vdso = on vouches for the TSC
    under TCG), every one a system call when it is not (vdso = off), and the readings agree with the
    syscall's clock either way. The program asks the kernel's per-call counters (rb_counters)."""
    exe = build("vdso_use", libc)
    case = f"linux_vdso_{'used' if usable else 'falls_back'}_{libc}"

    def verify(b):
        out = program_output(b, os.path.basename(exe)) or []
        counts = {l.split()[0]: int(l.split()[-1]) for l in out if l.endswith(tuple("0123456789")) and "syscalls" in l}
        check(f"{case}/syscalls_counted", sum(counts.values()) == (0 if usable else 3000) and len(counts) == 3,
              f"output: {out}")
        check(f"{case}/agrees_and_monotonic", "backwards: 0, apart from the syscall's clock: 0" in out, f"output: {out}")
    config = f"app = {os.path.basename(exe)}\nvdso = {'on' if usable else 'off'}\n"
    return Case(case, esp(case, config, [exe]), verify)


VSYSCALL_CALLS = ("gettimeofday", "time", "getcpu")
# vsyscall mode (with an entry variant): the configuration's lines
VSYSCALL_BOOTS = {"xonly": "", "emulate": "vsyscall = emulate\n", "none": "vsyscall = none\n",
                  "emulate_kpti": "vsyscall = emulate\nentry = kpti\n"}


def vsyscall_case(mode):
    """The legacy vsyscall page in each of Linux's modes (app.elf vsyscall): its three calls emulated
    (xonly, emulate) or a SIGSEGV (none); a read faults but with emulate, which maps the page readable (its
    first entry starts with MOV's REX.W prefix, 0x48), under KPTI's tables too; a jump into an entry's
    middle and a pointer the kernel cannot write are a SIGSEGV at the call; the kernel survives all."""
    c = derive.const
    base, maperr, si_kernel, segv = c("VSYSCALL_ADDR"), 1, 0x80, 11
    case = f"vsyscall_{mode}"
    emulated, readable = not mode.startswith("none"), mode.startswith("emulate")

    def verify(b):
        status_is(case, b, "app_ok")
        r = {x.get("name"): x for x in b.of_type("vsyscall")}
        for i, call in enumerate(VSYSCALL_CALLS):
            got = r.get(call, {})
            ok = (got.get("value") == 1 and got.get("signal") == 0) if emulated else \
                (got.get("signal") == segv and int(got.get("rip", "0"), 16) == base + i * 1024)
            check(f"{case}/{call}", ok, f"record: {got or 'missing'}")
        got = r.get("read", {})
        check(f"{case}/read", (got.get("value") == 0x48 and got.get("signal") == 0) if readable else
              (got.get("signal") == segv and got.get("code") == maperr and int(got.get("addr", "0"), 16) == base),
              f"record: {got or 'missing'}")
        got = r.get("middle", {})
        check(f"{case}/middle_of_an_entry", got.get("signal") == segv and int(got.get("rip", "0"), 16) == base + 1
              and got.get("code") == (si_kernel if emulated else maperr), f"record: {got or 'missing'}")
        got = r.get("bad_pointer", {})
        check(f"{case}/bad_pointer", got.get("signal") == segv and int(got.get("rip", "0"), 16) == base
              and int(got.get("addr", "0"), 16) == (c("KERNEL_VBASE") if emulated else base), f"record: {got or 'missing'}")
    return app_case(case, "vsyscall", verify, INTEL, VSYSCALL_BOOTS[mode])
