"""boots_linux.py: unmodified Linux programs, with Linux as the oracle. Each program of tests/apps/ written
against libc is built twice, with musl-gcc -static and gcc -static (glibc), run on the host's Linux and
booted on ringbench with the same arguments and environment, and the two outputs compared line for line,
and the exit statuses too. The rule for lines that may rightly differ (a pid, a time, the machine's
name): a line that starts with "~ " is compared only up to its first colon."""
import os
import shlex
import shutil
import subprocess

from checks import TEST_DIR, Case, check, esp, one, skip

LIBCS = {"musl": ["musl-gcc", "-static"], "glibc": ["gcc", "-static"]}
# program: (arguments, environment) the same on the host and on ringbench
PROGRAMS = {
    "libc_basics": (["one", "two three"], {"NAME": "a b"}),
    "linux_bad_input": ([], {}),
}
VARIES = "~ "


def build(program, libc):
    out = os.path.join(TEST_DIR, f"{program}-{libc}.elf")
    os.makedirs(TEST_DIR, exist_ok=True)
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "apps", f"{program}.c")
    subprocess.run(LIBCS[libc] + ["-O2", "-o", out, src], check=True)
    return out


def comparable(lines):
    return [l.split(":", 1)[0] if l.startswith(VARIES) else l for l in lines]


def program_output(b, app):
    """The program's lines on ringbench's console: after the kernel's line that starts it, up to the next
    line of the kernel's own (its human lines say "ringbench:"; its JSON lines start with {"type")."""
    lines = b.output.splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith(f"ringbench: starting \\ringbench\\{app} ")), None)
    if start is None:
        return None
    out = []
    for line in lines[start + 1:]:
        if line.startswith("ringbench: ") or line.startswith('{"type"'):
            break
        out.append(line)
    return out


def oracle_case(program, libc, also=None):
    """also: more checks of the same boot."""
    name = f"linux_{program}_{libc}"
    exe = build(program, libc)
    args, env = PROGRAMS[program]
    native = subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=60)
    app = os.path.basename(exe)

    def verify(b):
        got = program_output(b, app)
        want = native.stdout.splitlines()
        check(f"{name}/output_as_on_linux", got is not None and comparable(got) == comparable(want),
              f"on Linux:\n{native.stdout}\non ringbench:\n" + ("\n".join(got) if got is not None else b.output[-1500:]))
        status = one(b, "exit")
        check(f"{name}/exit_status_as_on_linux", status.get("reason") == "exit"
              and status.get("status") == native.returncode,
              f"on Linux {native.returncode}, on ringbench {status or 'no exit line'}")
        if also:
            also(b)
    config = f"app = {app}\nargs = {shlex.join(args)}\nenv = {shlex.join(f'{k}={v}' for k, v in env.items())}\n"
    return Case(name, esp(name, config, [exe]), verify)


def verify_unimplemented(b):
    """A call ringbench does not provide is -ENOSYS, and named at the end: glibc's start-up asks for
    readlink("/proc/self/exe"), which needs files."""
    r = one(b, "unimplemented", name="readlink")
    check("linux_libc_basics_glibc/unimplemented_named", r.get("nr") == 89 and r.get("count", 0) >= 1
          and r.get("door") == "syscall" and int(r.get("rip", "0"), 16) > 0, f"record: {r or 'missing'}")


def cases():
    missing = [tool[0] for tool in LIBCS.values() if not shutil.which(tool[0])]
    if missing:
        skip("linux_programs", f"{', '.join(missing)} not installed (make deps installs musl-tools)")
        return []
    also = {("libc_basics", "glibc"): verify_unimplemented}
    return [oracle_case(p, libc, also.get((p, libc))) for p in PROGRAMS for libc in LIBCS]
