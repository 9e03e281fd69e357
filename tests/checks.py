"""checks.py: the verdicts of one `make test` run, shared by tests/integration.py (which prints them and
the closing line) and the host-only suites it runs (tests/report_tests.py), and where their files go."""
import os

from qemu import BUILD

TEST_DIR = os.path.join(BUILD, "test")
results = []  # (name, ok, why)
skipped = []  # (name, why): checks this machine cannot make


def check(name, ok, why=""):
    results.append((name, bool(ok), why))


def skip(name, why):
    skipped.append((name, why))
