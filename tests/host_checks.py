"""host_checks.py: the checks of `make test` that boot nothing: the host unit tests, the syscall-table
generator, make's own messages, the KVM model rule, the bounded host fuzzing, and the runner's deadline."""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

import derive
import qemu
from checks import AMD, BUILD, INTEL, ROOT, TEST_DIR, check

FUZZ_RUNS = 50000  # per harness in make test: a few seconds; make fuzz runs for minutes
HANG_TIMEOUT = 3   # seconds: the deadline the hang checks give a command that never ends
HANG_SLACK = 5     # how far past its deadline the runner may return (process start and kill)


def run_unit():
    exe = os.path.join(BUILD, "unit-tests")
    r = subprocess.run([exe], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        m = re.match(r"(ok  |FAIL) (\S+)", line)
        if m:
            check(m.group(2), m.group(1) == "ok  ", "see the unit output above")
        elif line.startswith("    "):
            print(line)
    if r.returncode not in (0, 1):
        check("unit/runner", False, f"unit tests crashed (exit {r.returncode}): {r.stderr[-800:]}")


BAD_TABLES = {
    "duplicate_number": ("1 write 3 sys_write\n1 other 0 sys_other\n", "number 1 already used"),
    "duplicate_name": ("1 write 3 sys_write\n2 write 0 sys_x\n", "name write already used"),
    "too_many_args": ("1 write 7 sys_write\n", "at most 6"),
    "private_range": ("1024 notprivate 0 sys_x\n", "private calls"),
    "malformed": ("1 write sys_write\n", "expected"),
}


def generator_refuses_bad_tables():
    """entry/gensyscalls.py must stop on a bad table, naming the line, and write nothing."""
    gen = os.path.join(ROOT, "entry", "gensyscalls.py")
    for name, (table, want) in BAD_TABLES.items():
        d = os.path.join(TEST_DIR, "gen-" + name)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "syscall.tbl")
        open(path, "w").write(table)
        r = subprocess.run([sys.executable, gen, path, d], capture_output=True, text=True)
        wrote = os.path.exists(os.path.join(d, "syscall_nr.h"))
        check(f"generator/refuses_{name}", r.returncode != 0 and want in r.stderr and ":" in r.stderr and not wrote,
              f"exit {r.returncode}, stderr: {r.stderr.strip()}, wrote files: {wrote}")


def sub_make(*words):
    """make in the repository, as a make of its own (not a part of the make that runs these tests)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return subprocess.run(["make", "-s", "-C", ROOT, *words], capture_output=True, text=True, env=env)


def make_run_missing_app():
    """make run APP=<a path that is not there> names it, rather than make's "No rule to make target"."""
    missing = os.path.join(TEST_DIR, "no-such-app.elf")
    r = sub_make("run", f"APP={missing}")
    check("make_run/missing_app", r.returncode == 2 and f"APP={missing}: no such file" in r.stderr,
          f"exit {r.returncode}: {r.stderr.strip()[-300:]}")


def make_run_config_words():
    """make run's CONFIG words become lines of ringbench.cfg after make's own, so they win."""
    r = sub_make("build/ringbench.cfg", "CONFIG=vdso=on kernel_test=fault")
    lines = open(os.path.join(BUILD, "ringbench.cfg")).read().splitlines() if r.returncode == 0 else []
    check("make_run/config_words", lines[-2:] == ["vdso=on", "kernel_test=fault"] and "app = app.elf" in lines,
          f"exit {r.returncode}: {r.stderr.strip()[-200:]}; ringbench.cfg: {lines}")


def make_run_args_verbatim():
    """ARGS and ENV reach ringbench.cfg as typed, quotes, $ and all: their words are split by the kernel."""
    args, env = "sh -c 'echo $((6*7))' \"x y\"", "A=1 B='two words'"
    r = sub_make("build/ringbench.cfg", f"ARGS={args}", f"ENV={env}")
    lines = open(os.path.join(BUILD, "ringbench.cfg")).read().splitlines() if r.returncode == 0 else []
    check("make_run/args_and_env_verbatim", f"args = {args}" in lines and f"env = {env}" in lines,
          f"exit {r.returncode}: {r.stderr.strip()[-200:]}; ringbench.cfg: {lines}")


def kvm_models():
    """Which CPU models a KVM host may run (qemu.kvm_unfaithful): one that says GenuineIntel only on an
    Intel host, since SYSENTER follows the silicon. The vendors as QEMU gives them, for vendor= strings
    and named models alike. (Under KVM the boots of the Intel models then run under TCG on other hosts.)"""
    want = {INTEL: "GenuineIntel", AMD: "AuthenticAMD", "Skylake-Server": "GenuineIntel", "EPYC": "AuthenticAMD"}
    vendors = {cpu: qemu.model_vendor(cpu) for cpu in want}
    check("kvm_models/vendors", vendors == want, f"vendors {vendors}")
    refused = {(cpu, host) for cpu in want for host in ("GenuineIntel", "AuthenticAMD") if qemu.kvm_unfaithful(cpu, host)}
    check("kvm_models/intel_only_on_intel", refused == {(INTEL, "AuthenticAMD"), ("Skylake-Server", "AuthenticAMD")},
          f"refused (model, host): {sorted(refused)}")


def host_fuzz():
    """libFuzzer over the ELF validator, the config parser and the cpio reader, bounded (tests/fuzz/run.sh)."""
    r = subprocess.run([os.path.join(ROOT, "tests", "fuzz", "run.sh"), BUILD, f"-runs={FUZZ_RUNS}"],
                       capture_output=True, text=True)
    print(r.stdout.strip())
    check("host_fuzz/elf_config_and_cpio", r.returncode == 0, r.stdout[-1500:] + r.stderr[-500:])


def runner_deadline():
    """A boot's deadline holds whatever the guest does: a console that says nothing and never ends, or
    one line and then silence, or half a line, is killed at its timeout and reported as a timeout."""
    def deadline(name, script, said):
        start = time.monotonic()
        code, output = qemu.run_console(["sh", "-c", script], HANG_TIMEOUT)
        took = time.monotonic() - start
        status = qemu.Boot(code, output, "none", took).status
        check(f"runner/deadline_holds_{name}", status == "timeout" and took < HANG_TIMEOUT + HANG_SLACK
              and output == said, f"status {status} after {took:.1f} s (timeout {HANG_TIMEOUT} s), output {output!r}")
    cases = (("silent", "sleep 600", ""), ("one_line_then_silent", "echo one; sleep 600", "one\n"),
             ("half_a_line", "printf half; sleep 600", "half"))
    with concurrent.futures.ThreadPoolExecutor(len(cases)) as pool:
        list(pool.map(lambda c: deadline(*c), cases))
    code, output = qemu.run_console(["sh", "-c", "echo done; exit 3"], HANG_TIMEOUT)
    check("runner/exit_code_when_it_ends", code == 3 and output == "done\n", f"exit {code}, output {output!r}")


def docs_match_sources():
    """The lists docs/ gives from a source are that source's: ringbench's own calls of entry/syscall.tbl in
    docs/abi.md (its Linux calls docs/linux.md lists, which make check-gen checks), the keys of
    lib/config.c and the entry variants of lib/abi.h in docs/configuration.md."""
    abi = open(os.path.join(ROOT, "docs", "abi.md")).read()
    listed = {int(nr): name for nr, name in re.findall(r"^- (\d+) `(\w+)\(", abi, re.M)}
    own = {nr: name for nr, name in derive.syscalls().items() if name.startswith("rb_")}
    check("docs/abi_lists_every_own_call", listed == own,
          f"in docs/abi.md only: {sorted(set(listed.items()) - set(own.items()))}; "
          f"in entry/syscall.tbl only: {sorted(set(own.items()) - set(listed.items()))}")
    conf = open(os.path.join(ROOT, "docs", "configuration.md")).read()
    block = conf.split("## The configuration file", 1)[-1].split("```", 2)[1]
    keys = sorted(set(re.findall(r"^(\w+) = ", block, re.M)))
    check("docs/configuration_lists_every_key", keys == derive.config_keys(),
          f"docs/configuration.md: {keys}; lib/config.c: {derive.config_keys()}")
    missing = [v for v in derive.variants() if v not in block]
    check("docs/configuration_lists_every_variant", not missing, f"not in the entry key's comment: {missing}")


VDSO_FUNCTIONS = ("clock_gettime", "gettimeofday", "time", "clock_getres", "getcpu")


def vdso_image():
    """The vDSO as binutils' readelf sees it: Linux's x86-64 functions (and their __vdso_ names) under
    LINUX_2.6, no relocation to apply, no writable segment."""
    so = os.path.join(BUILD, "vdso", "vdso.so")
    r = subprocess.run(["readelf", "-W", "--dyn-syms", "-r", "-l", so], capture_output=True, text=True)
    syms = set(re.findall(r" FUNC\s+(?:GLOBAL|WEAK)\s+DEFAULT\s+\d+ (\w+)@@?LINUX_2\.6$", r.stdout, re.M))
    want = {n for f in VDSO_FUNCTIONS for n in (f, "__vdso_" + f)}
    check("vdso/exports_linux_set_under_linux_2_6", r.returncode == 0 and syms == want,
          f"exported: {sorted(syms)}; wanted {sorted(want)}")
    check("vdso/no_relocations", "There are no relocations in this file." in r.stdout, r.stdout[-800:])
    loads = re.findall(r"^\s+LOAD\s.*\s([RWE ]{3})\s+0x", r.stdout, re.M)
    check("vdso/no_writable_segment", loads and not any("W" in f for f in loads), f"LOAD flags: {loads}")


def native_app():
    """The app natively on this machine's Linux (make bench-native's way): a short benchmark whose records are
    whole, with the same checks as on Debian's kernel in QEMU (boots_bench.py)."""
    import boots_bench
    import qemu as q
    app = os.path.join(BUILD, "app", "app.elf")
    r = subprocess.run([app, *boots_bench.LINUX_ARGS.split()], capture_output=True, text=True, timeout=300)
    check("native/exit_status", r.returncode == 0, f"exit {r.returncode}: {(r.stdout + r.stderr)[-600:]}")
    recs = q.records(r.stdout)
    boots_bench.verify_linux_records("native", [x for x in recs if x["type"] == "bench"],
                                     next((x for x in recs if x["type"] == "boot"), {}))


TRACE_DIR = os.path.join(TEST_DIR, "trace")


def traces():
    """make trace's listings (scripts/trace.py): each door's starts and ends in ring 3 with its door
    instruction once; the phases add up to the total; the same trace twice is the same; under kpti the two
    CR3 writes fall in the entry and exit phases. (The syscall trace against -icount: boots_variants.py.)"""
    def run_trace(door, entry, out):
        r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "trace.py"), "--door", door, "--entry", entry,
                            "--out", out], capture_output=True, text=True, timeout=600)
        path = os.path.join(out, f"{door}-{entry}.json")
        return json.load(open(path)) if r.returncode == 0 and os.path.exists(path) else r.stdout[-400:] + r.stderr[-800:]
    for door in ("syscall", "int80", "sysenter"):
        steps = run_trace(door, "plain", TRACE_DIR)
        ok = isinstance(steps, list) and steps and (steps[0]["regs"]["cs"] & 3) == 3 and (steps[-1]["regs"]["cs"] & 3) == 3
        check(f"trace/{door}_starts_and_ends_in_ring3", ok, f"{steps if not isinstance(steps, list) else ''}")
        if not ok:
            continue
        counted = {p: sum(1 for s in steps if s["phase"] == p) for p in ("user stub", "door", "entry", "dispatch",
                                                                         "handler", "exit", "return")}
        check(f"trace/{door}_phases_add_up", sum(counted.values()) == len(steps) and counted["door"] == 1
              and counted["return"] == 1 and counted["handler"] > 0, f"{counted}, total {len(steps)}")
    again = run_trace("syscall", "plain", os.path.join(TEST_DIR, "trace-again"))
    first = json.load(open(os.path.join(TRACE_DIR, "syscall-plain.json")))
    check("trace/same_twice", again == first, "two traces of the plain syscall door differ")
    kpti = run_trace("syscall", "kpti", TRACE_DIR)
    writes = [s["phase"] for s in kpti if "%cr3" in s["insn"].split(",")[-1]] if isinstance(kpti, list) else kpti
    check("trace/kpti_cr3_writes_in_entry_and_exit", writes == ["entry", "exit"], f"CR3 writes in: {writes}")
    diff = os.path.join(TRACE_DIR, "syscall-kpti.diff.md")
    added = [l for l in open(diff).read().splitlines() if l.startswith("+ ")] if os.path.exists(diff) else []
    check("trace/kpti_diff_shows_what_it_adds", sum("%cr3" in l for l in added) == 2 and len(added) == 4
          and not any(l.startswith("- ") for l in open(diff).read().splitlines()), f"added: {added}")


def run():
    run_unit()
    traces()
    native_app()
    vdso_image()
    runner_deadline()
    generator_refuses_bad_tables()
    make_run_missing_app()
    make_run_config_words()
    make_run_args_verbatim()
    kvm_models()
    host_fuzz()
    docs_match_sources()
