"""Runs a benchmark's measuring child once per database: SQLite always, PostgreSQL too when
SAILAU_DATABASE_URL is set (a database of its own: the runs replace the demo election in it).
Each child gets a fresh data directory, so runs never see each other's files."""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def each_backend(script: str, child_args: list[str]) -> list[dict]:
    """`script --child CHILD_ARGS` per backend; each child prints its result as JSON on its
    last line of output. Exits with status 1 and the child's errors when one fails."""
    backends = [("sqlite", None)]
    if os.environ.get("SAILAU_DATABASE_URL"):
        backends.append(("postgresql", os.environ["SAILAU_DATABASE_URL"]))
    results = []
    for name, url in backends:
        env = {k: v for k, v in os.environ.items() if k != "SAILAU_DATABASE_URL"}
        if url:
            env["SAILAU_DATABASE_URL"] = url
        with tempfile.TemporaryDirectory() as d:
            env["SAILAU_DATA_DIR"] = d
            proc = subprocess.run([sys.executable, script, "--child", *child_args], env=env,
                                  capture_output=True, text=True, cwd=ROOT, check=False)
        if proc.returncode:
            print(f"{name} failed:\n{proc.stderr[-3000:]}", file=sys.stderr)
            sys.exit(1)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return results


def main(script: str, ap, measure, report) -> int:
    """A per-backend benchmark's command line: the parent runs `script` once per database and
    prints `report(results)`; the child (`--child`) prints `measure(**options)` as JSON. Every
    option of `ap` is passed on to the child unchanged, so `measure` takes them by name."""
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    options = {k: v for k, v in vars(args).items() if k != "child"}
    if args.child:
        print(json.dumps(measure(**options)))
        return 0
    child_args = [a for k, v in options.items() for a in (f"--{k.replace('_', '-')}", str(v))]
    print(report(each_backend(script, child_args)))
    return 0
