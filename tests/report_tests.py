"""report_tests.py: host-only checks of bench/report.py, the benchmark's report: it renders recorded results
files (tests/data/) and console logs, judges the targets, parses bench-compare's settings, and refuses bad
input with a message that names the file and the problem. Run by tests/integration.py."""
import copy
import json
import os
import subprocess
import sys

from checks import TEST_DIR, check
from qemu import ROOT

RECORDED = os.path.join(ROOT, "tests", "data", "results-tcg-intel.json")
sys.path.insert(0, os.path.join(ROOT, "bench"))
import report  # noqa: E402


def report_cmd(*args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "bench", "report.py"), *args],
                          capture_output=True, text=True)


def report_pipeline():
    """bench/report.py renders recorded results files: the table, the targets, both plots; an AMD-model
    run shows sysenter unsupported with the reason."""
    for vendor in ("intel", "amd"):
        out = os.path.join(TEST_DIR, "report-" + vendor)
        data = os.path.join(ROOT, "tests", "data", f"results-tcg-{vendor}.json")
        r = report_cmd("report", data, "--out", out)
        path = os.path.join(out, "results.md")
        md = open(path).read() if os.path.exists(path) else ""
        sysenter = "| sysenter | getpid | unsupported: SYSENTER raises #UD" if vendor == "amd" else "| sysenter | getpid | "
        check(f"report_{vendor}/table", r.returncode == 0 and "| syscall | getpid |" in md and sysenter in md
              and "emulation costs" in md and "syscall door p50 / bare syscall p50" in md,
              f"exit {r.returncode}: {r.stderr[-500:]}")
        # The Intel file is from a run that kept each path's best round and the TSC's tick, the AMD file from
        # before: its ratios fall back to whole-run p50s.
        check(f"report_{vendor}/tsc_step", ("moves in steps of 24 cycles" in md) == (vendor == "intel")
              and "| path | op | p50 | best round |" in md, "the TSC's tick in the header, the best-round column")
        variants = vendor == "intel"  # the Intel file has the audit variant's records, the AMD file none
        check(f"report_{vendor}/variants_table", ("| audit | syscall |" in md) == variants
              and ("| plain | syscall | " in md) == variants, "the entry-variant table, expected "
              + ("in" if variants else "absent from") + " results.md")
        for name, ext in [("latency", "png"), ("latency", "svg")] + [("variants", "png"), ("variants", "svg")] * variants:
            plot = os.path.join(out, f"{name}.{ext}")
            check(f"report_{vendor}/plot_{name}_{ext}", os.path.exists(plot) and os.path.getsize(plot) > 1000,
                  f"{plot} missing or empty")


def clock_table():
    """The clock calls' table: each call through the vDSO, the vsyscall page and the doors, with the ratio to
    the syscall door, and an unsupported way with its reason (records made from a recorded run's)."""
    results = json.load(open(RECORDED))
    door = next(r for r in results["bench"] if r["path"] == "syscall" and r["op"] == "clock_gettime"
                and r.get("mode") == "sample" and "variant" not in r)
    for way, call, factor in (("syscall", "time", 1), ("vdso", "time", 0.25), ("vsyscall", "time", 8)):
        r = copy.deepcopy(door)
        r.update(path=way, op=call, p50=int(door["p50"] * factor), p50_best_round=int(door["p50_best_round"] * factor))
        results["bench"].append(r)
    results["bench"].append({"type": "bench", "path": "vsyscall", "op": "getcpu", "supported": False,
                             "reason": "the legacy vsyscall page is not served here (vsyscall = none)"})
    md = report.markdown(results)
    line = next((l for l in md.splitlines() if l.startswith("| time |")), "")
    check("report/clock_table", "## The clock calls: vDSO, vsyscall page, doors" in md and "(0.25)" in line
          and "(8.00)" in line and "(1.00)" in line and "unsupported [" in md
          and "] the legacy vsyscall page is not served here (vsyscall = none)" in md, md[-1500:])


HANDMADE_PMU = os.path.join(ROOT, "tests", "data", "results-handmade-pmu.json")
ONEWAY = os.path.join(ROOT, "tests", "data", "results-tcg-intel-oneway.json")


def counters_table():
    """The CPU's counters beside the TSC: rendered from a hand-made record (the SDM's layout, labelled so in
    the file and the report) with the TSC/core ratio and IPC; a QEMU run says why there are none."""
    md = report.markdown(json.load(open(HANDMADE_PMU)))
    row = next((l for l in md.splitlines() if l.startswith("| syscall | getpid | plain |")), "")
    check("report/counters_table", "## The CPU's counters" in md and "| TSC / core | IPC |" in md
          and row.endswith("| 325.18 | 447.13 | 406.48 | 321.93 | 0.80 | 1.10 |") and "- Note: hand-made" in md,
          f"row: {row!r}; {md[-1200:]}")
    md = report.markdown(json.load(open(ONEWAY)))
    check("report/counters_none_under_tcg", "## The CPU's counters" in md and "Not counted here: CPUID leaf 0xA "
          "reports no architectural performance monitoring (version 0)" in md, md[-800:])


def oneway_table():
    """The one-way costs from a recorded QEMU run: a row per door and variant with the three spans, the
    round trips and the perturbation; an unsupported row with its reason; a bad record is refused."""
    results = json.load(open(ONEWAY))
    md = report.markdown(results)
    section = md.split("## One-way costs", 1)[-1].split("\n## ", 1)[0]
    rows = [l for l in section.splitlines() if l.startswith(("| syscall | ", "| int80 | ", "| sysenter | "))]
    ran = [r for r in results["oneway"] if r["supported"]]
    first = ran[0]
    want = (f"| {first['path']} | {first['variant']} | {first['to_kernel']} | {first['kernel']} | {first['to_user']} | "
            f"{first['round_trip']} | {first['round_trip_stamped']} | {first['perturbation']} |")
    check("report/oneway_table", "## One-way costs: user to kernel, kernel, kernel to user" in md
          and len(rows) == len(results["oneway"]) and any(l.startswith(want) for l in rows), f"rows: {rows[:4]}")
    bad = copy.deepcopy(results)
    del bad["oneway"][0]["kernel"]
    path = os.path.join(TEST_DIR, "bad-oneway.json")
    open(path, "w").write(json.dumps(bad))
    r = report_cmd("report", path, "--out", os.path.join(TEST_DIR, "report-bad"))
    check("report_bad_input/oneway_without_kernel", r.returncode == 1 and "oneway record 1" in r.stderr
          and "lacks kernel" in r.stderr and "Traceback" not in r.stderr, r.stderr[-300:])


BOCHS_FRED = os.path.join(ROOT, "tests", "data", "results-bochs-fred.json")


def fred_rows():
    """A whole benchmark recorded under Bochs (tests/data): the FRED rows beside the IDT-era doors, FRED's bare
    round trip against its own (real/bare 1.00), the note that says what FRED is, and Bochs named as where it
    ran; a QEMU run's FRED rows are unsupported with the reason."""
    md = report.markdown(json.load(open(BOCHS_FRED)))
    rows = {l.split("|")[2].strip(): l for l in md.splitlines() if l.startswith("| fred |")}
    bare = rows.get("syscall_bare", "")
    check("report/fred_rows", set(rows) == {"syscall", "int80", "sysenter", "syscall_bare"}
          and bare.rstrip(" |").endswith("1.00") and "- `fred`: the doors as FRED events" in md
          and "Where: Bochs (software emulation), CPU model `wildcat_lake`" in md and "emulation costs" in md,
          f"rows: {rows}")
    md = report.markdown(json.load(open(ONEWAY)))
    check("report/fred_unsupported_under_qemu", "| fred | syscall | unsupported: CPUID.(EAX=7,ECX=1):EAX[17] is clear"
          in md, md[md.find("| fred |") - 200:][:600])


LINUX_FILES = {"linux": "results-tcg-linux-default.json", "linux_nomitigations": "results-tcg-linux-nomitigations.json",
               "native": "results-native-linux.json"}


def peers_report():
    """ringbench beside Linux (bench/peers.py) on recorded results files: every column with the machine it
    ran on, the compass figure, ratios to ringbench's plain door, the plot; with a column's file left out,
    that column is said to be missing; a bad file, the one-line error."""
    data = os.path.join(ROOT, "tests", "data")
    files = {"ringbench": RECORDED, **{k: os.path.join(data, f) for k, f in LINUX_FILES.items()}}
    for case, left_out in (("all", None), ("native_missing", "native")):
        out = os.path.join(TEST_DIR, f"peers-{case}")
        r = report_cmd("peers", *(f"{k}={p}" for k, p in files.items() if k != left_out), "--out", out)
        md = open(os.path.join(out, "peers.md")).read() if os.path.exists(os.path.join(out, "peers.md")) else ""
        getpid = next((l for l in md.splitlines() if l.startswith("| syscall | getpid |")), "")
        cells = [c.strip() for c in getpid.split("|")[3:-1]]
        check(f"report_peers/{case}/table", r.returncode == 0 and len(cells) == 5 and cells[0].endswith("(1.00)")
              and all("(" in c for c in cells[2:4]) and "Linux 6.1" in md and "The compass" in md,
              f"exit {r.returncode}: {r.stderr[-400:]}; row: {getpid}")
        check(f"report_peers/{case}/missing_column_said", ("missing: no `native=` results file given" in md)
              == (left_out == "native") and (cells[4].startswith("- [") if left_out else "(" in cells[4]),
              f"native column: {cells[4:] or 'none'}")
        plot = os.path.join(out, "peers.png")
        check(f"report_peers/{case}/plot", os.path.exists(plot) and os.path.getsize(plot) > 1000, f"{plot} missing")
    r = report_cmd("peers", f"ringbench={RECORDED}", "linux=" + os.path.join(TEST_DIR, "no-such.json"))
    check("report_peers/bad_file", r.returncode == 1 and "no-such.json: cannot read it" in r.stderr
          and "Traceback" not in r.stderr, f"exit {r.returncode}: {r.stderr[-300:]}")
    r = report_cmd("peers", f"linux={RECORDED}", f"linux={RECORDED}")
    check("report_peers/bad_key", r.returncode == 1 and "each at most once" in r.stderr, r.stderr[-300:])


def config_in_header():
    """A run made with configuration words (make bench CONFIG=...) says so in the report's header."""
    recorded = json.load(open(RECORDED))
    recorded["run"]["config"] = ["vdso=on"]
    md = report.markdown(recorded)
    check("report/config_in_header", "configuration `vdso=on`" in md, "\n".join(md.splitlines()[:6]))


def compare_settings():
    """bench-compare's settings: QEMU_CPU with its commas, ARGS as a comma list or quoted with spaces."""
    got = [report.settings_of("QEMU_CPU=max,vendor=GenuineIntel ARGS=bench,iters=200"),
           report.settings_of("ARGS='bench iters=200 variants=audit,kpti' ACCEL=tcg")]
    want = [{"QEMU_CPU": "max,vendor=GenuineIntel", "ARGS": "bench iters=200"},
            {"ARGS": "bench iters=200 variants=audit,kpti", "ACCEL": "tcg"}]
    check("report/compare_settings", got == want, f"parsed {got}, expected {want}")


def report_hardware_targets():
    """The targets a run on bare metal or KVM is judged by: the syscall door within 1.2x of its bare door and
    at most 120 cycles, the other doors within 1.5x. The recorded Intel file relabelled as from such a
    machine (no QEMU run, that hypervisor signature, a TSC that ticks every cycle) with chosen p50s for
    getpid through syscall and its bare door: each verdict must fall where its limit says."""
    recorded = json.load(open(RECORDED))

    def judge(hypervisor, real, bare):
        res = copy.deepcopy(recorded)
        del res["run"]
        res["boot"].update(hypervisor=hypervisor, under_hypervisor=bool(hypervisor))
        for r in res["bench"]:
            if "tsc_step" in r:
                r["tsc_step"] = 1
            if (r.get("mode") == "sample" and r["op"] == "getpid" and "variant" not in r
                    and r["path"] in ("syscall", "syscall_bare")):
                r["p50"] = r["p50_best_round"] = real if r["path"] == "syscall" else bare
        return {what: (limit, met) for what, _, _, limit, met in report.targets(res)}, report.markdown(res)

    ratio, cycles = "syscall door p50 / bare syscall p50", "syscall door p50 cycles"
    other = "int80 door p50 / bare int80 p50"
    for case, hv, real, bare, where, want in [
            ("hardware_met", "", 110, 100, "bare metal", ("yes", "yes")),
            ("hardware_missed", "", 130, 100, "bare metal", ("no", "no")),
            ("kvm_one_step", "KVMKVMKVM", 121, 101, "KVM guest", ("yes", "no, within one TSC step"))]:
        got, md = judge(hv, real, bare)
        check(f"report_targets/{case}", got.get(ratio) == ("<= 1.2", want[0])
              and got.get(cycles) == ("<= 120", want[1]) and got.get(other, ("",))[0] == "<= 1.5"
              and f"- Where: {where}" in md and "emulation costs" not in md, f"targets {got}")


def console_log():
    """A console log renders like the results file it was made from: the recorded Intel file's records as
    serial lines behind the firmware's escape codes and other text, plus one record cut short, which is
    left out with a warning."""
    recorded = json.load(open(RECORDED))
    lines = ["ringbench: EFI stub", "\x1b[2J\x1b[01;01H" + json.dumps(recorded["boot"])]
    lines += ["app: " + json.dumps(r) for r in recorded["bench"]] + [json.dumps(recorded["bench"][0])[:50]]
    os.makedirs(TEST_DIR, exist_ok=True)
    log, out_log, out_json = (os.path.join(TEST_DIR, name) for name in ("serial.log", "report-log", "report-json"))
    open(log, "w").write("\n".join(lines) + "\n")
    r, j = report_cmd("report", log, "--out", out_log), report_cmd("report", RECORDED, "--out", out_json)

    def table(out):  # results.md past the header, which says where the results came from
        path = os.path.join(out, "results.md")
        return open(path).read().split("| path |", 1)[-1] if os.path.exists(path) else None
    check("report/console_log", r.returncode == 0 and j.returncode == 0 and table(out_log) == table(out_json)
          and "1 line(s) start a record but are not whole JSON" in r.stderr,
          f"exit {r.returncode}, {r.stderr[-300:]}; the tables differ or are missing")


def bad_input():
    """Each file the report cannot use ends it with exit status 1 and one line naming the file and what is
    wrong, never a traceback."""
    recorded = json.load(open(RECORDED))
    samples = [r for r in recorded["bench"] if r.get("mode") == "sample"]
    second = f"bench record {recorded['bench'].index(samples[1]) + 1} ({samples[1]['path']}, mode sample)"
    no_p99, text_p50 = copy.deepcopy(recorded), copy.deepcopy(recorded)
    for res, edit in ((no_p99, lambda r: r.pop("p99")), (text_p50, lambda r: r.update(p50="12"))):
        edit([r for r in res["bench"] if r.get("mode") == "sample"][1])
    cases = [("missing_file", None, "cannot read it: No such file"),
             ("cut_short", open(RECORDED).read()[:400], "not valid JSON (line"),
             ("no_p99", json.dumps(no_p99), f"{second} lacks p99"),
             ("p50_not_a_number", json.dumps(text_p50), f"{second}: not a number (or for hist, not a list of "
                                                        "[edge, count]): p50"),
             ("log_without_boot", "\n".join(json.dumps(r) for r in samples) + "\n", "no boot record"),
             ("no_bench", json.dumps({"boot": recorded["boot"], "bench": []}), "no bench records")]
    for case, text, want in cases:
        path = os.path.join(TEST_DIR, f"bad-{case}.json")
        if text is None:
            path += ".absent"
        else:
            open(path, "w").write(text)
        r = report_cmd("report", path, "--out", os.path.join(TEST_DIR, "report-bad"))
        check(f"report_bad_input/{case}", r.returncode == 1 and f"report: {path}: " in r.stderr and want in r.stderr
              and "Traceback" not in r.stderr, f"exit {r.returncode}: {r.stderr[-400:]}")
    r = report_cmd("report", RECORDED, "--out")
    check("report_bad_input/out_without_dir", r.returncode == 1 and "--out needs a directory" in r.stderr,
          f"exit {r.returncode}: {r.stderr[-300:]}")


def run():
    clock_table()
    counters_table()
    oneway_table()
    fred_rows()
    peers_report()
    report_pipeline()
    config_in_header()
    compare_settings()
    report_hardware_targets()
    console_log()
    bad_input()
