"""plots.py: the report's pictures, drawn by gnuplot as PNG and SVG: latency (a CDF of each door and its
bare door) and variants (each door with each entry variant). Used by bench/report.py."""
import os
import shutil
import subprocess
import sys

from results import DOORS

COLORS = {"call": "#777777", "syscall": "#1f77b4", "int80": "#d62728", "sysenter": "#2ca02c"}


def gnuplot(out, name, script):
    """Render the script to out/name.png and out/name.svg; returns the two paths."""
    files = []
    for term, ext in (("pngcairo size 1000,600 noenhanced", "png"), ("svg size 1000,600 noenhanced", "svg")):
        path = os.path.join(out, f"{name}.{ext}")
        subprocess.run(["gnuplot", "-e", f"set terminal {term}; set output '{path}'; {script}"], check=True)
        files.append(path)
    return files


def latency(results, out):
    """A CDF of each door's per-call latency, its bare door dashed in the same colour, from the fixed
    histogram bins; the x axis runs from the fastest sample to a little past the slowest p99."""
    data, series = os.path.join(out, "latency.dat"), []
    with open(data, "w") as f:
        for r in results["bench"]:
            if r.get("mode") != "sample" or (r["op"] != "getpid" and r["path"] != "call") or "variant" in r:
                continue
            total, seen = sum(c for _, c in r["hist"]), 0
            if not total or r["path"].replace("_bare", "") not in COLORS:
                continue
            f.write(f'"{r["path"]}"\n')
            for low, count in r["hist"]:
                seen += count
                f.write(f"{max(low, 1)} {seen / total:.6f}\n")
            f.write("\n\n")
            series.append(r)
    if not series:
        return []
    lo = max(1, min(r["min"] for r in series) / 1.5)
    hi = max(r["p99"] for r in series) * 3
    plots = ", ".join(
        f"'{data}' index {i} using 1:2 with steps lw 2 dt {2 if r['path'].endswith('_bare') else 1} "
        f"lc rgb '{COLORS[r['path'].replace('_bare', '')]}' title '{r['path'].replace('_', ' ')}'"
        for i, r in enumerate(series))
    return gnuplot(out, "latency",
                   f"set logscale x; set grid; set xrange [{lo}:{hi}];"
                   f"set xlabel 'round trip, TSC cycles (log scale)'; set ylabel 'fraction of calls at or below';"
                   f"set key bottom right; set yrange [0:1.02];"
                   f"set title 'ringbench: latency of each door, CDF (dashed: the bare door)';"
                   f"plot {plots}")


def variants(rows, out):
    """Bars: best-round p50 of getpid through each door (clustered) for each entry variant; rows as
    report.variant_rows gives them."""
    if not rows:
        return []
    data = os.path.join(out, "variants.dat")
    names = list(dict.fromkeys(variant for variant, *_ in rows))
    p50 = {(v, d): p for v, d, p, *_ in rows}
    with open(data, "w") as f:
        f.write("variant " + " ".join(DOORS) + "\n")
        for v in names:
            f.write(f'"{v}" ' + " ".join(str(p50.get((v, d)) or "-") for d in DOORS) + "\n")
    bars = ", ".join(f"'{data}' using {i + 2}{':xtic(1)' if i == 0 else ''} title '{d}' lc rgb '{COLORS[d]}'"
                     for i, d in enumerate(DOORS))
    return gnuplot(out, "variants",
                   "set style data histogram; set style histogram cluster gap 1; set style fill solid 0.8 border -1;"
                   "set datafile missing '-'; set key autotitle columnhead top left; set grid ytics; set logscale y;"
                   "set xtics rotate by -30; set ylabel 'getpid round trip, best-round p50, TSC cycles (log scale)';"
                   f"set title 'ringbench: each door with each entry variant'; plot {bars}")


PEER_COLORS = ("#1f77b4", "#9467bd", "#d62728", "#ff7f0e", "#2ca02c")


def peers(rows, labels, out):
    """Grouped bars, one group per path: each column's best-round p50 in ns (bench/peers.py's rows)."""
    if not rows or not shutil.which("gnuplot"):
        return []
    data = os.path.join(out, "peers.dat")
    with open(data, "w") as f:
        f.write("path " + " ".join(f'"{label}"' for label in labels) + "\n")
        for path, op, cells in rows:
            f.write(f'"{path} {op}" ' + " ".join(f"{c[0]:.1f}" if isinstance(c, tuple) and c[0] else "-"
                                                 for c in cells) + "\n")
    bars = ", ".join(f"'{data}' using {i + 2}{':xtic(1)' if i == 0 else ''} title columnhead lc rgb "
                     f"'{PEER_COLORS[i % len(PEER_COLORS)]}'" for i in range(len(labels)))
    return gnuplot(out, "peers",
                   "set style data histogram; set style histogram cluster gap 1; set style fill solid 0.8 border -1;"
                   "set datafile missing '-'; set key top left; set grid ytics; set logscale y;"
                   "set xtics rotate by -30; set ylabel 'round trip, best-round p50, ns (log scale)';"
                   f"set title 'the same benchmark binary on ringbench and on Linux'; plot {bars}")


def draw(results, variant_rows, out):
    """Both plots, or none with a message when gnuplot is missing (the tables do not need it)."""
    if not shutil.which("gnuplot"):
        print("report: gnuplot is not installed (Debian: apt-get install gnuplot-nox): no plots drawn",
              file=sys.stderr)
        return []
    return latency(results, out) + variants(variant_rows, out)
