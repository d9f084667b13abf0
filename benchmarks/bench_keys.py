"""What signing costs: commission keys at structure import, and a signature per protocol.

1. `structure.write` of the national synthetic structure (10,223 stations, every commission a
   key), against the same write with key issuing switched off (baseline), runs interleaved;
   and `keys.issue` for every commission alone (what `sailau keys issue --all` does).
2. Signing one protocol (canonical JSON + Ed25519) and checking one signature, in process,
   against the SHA-256 digest the chain already computes for the audit record (baseline).

SQLite in a fresh data dir (a subprocess), PostgreSQL too when SAILAU_DATABASE_URL is set (use
a database of its own: the run replaces the demo election in it).

    .venv/bin/python benchmarks/bench_keys.py [--stations N] [--runs 3]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import backends

ROOT = Path(__file__).resolve().parents[1]


def measure(stations: int, runs: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    from unittest import mock

    from django.db import connection

    from sailau.demo.synthetic import build
    from sailau.elections import keys, structure
    from sailau.elections.models import Commission
    from sailau.protocols.content import digest
    from sailau.protocols.signing import protocol_dict
    from sailau.verify import signatures as sig

    doc = structure.validate(build(seed=2023, stations=stations).structure())
    out = {"backend": connection.vendor, "stations": stations,
           "commissions": len(doc["commissions"]), "with": [], "without": [], "issue": []}
    for _ in range(runs):
        for label in ("without", "with"):
            t = time.perf_counter()
            if label == "with":
                structure.write(doc, replace=True)
            else:
                with mock.patch.object(keys, "issue"):
                    structure.write(doc, replace=True)
            out[label].append(time.perf_counter() - t)
        ids = list(Commission.objects.values_list("id", flat=True))
        t = time.perf_counter()
        keys.issue(ids)
        out["issue"].append(time.perf_counter() - t)

    private = sig.new_private_key()
    public = sig.public_key_b64(private)
    p = protocol_dict("kz.mazhilis.2023-03-19.pec.01.0412", "kz.mazhilis.2023-03-19.list", 1,
                      {f"line{i}": 1000 + i for i in range(12)},
                      {f"party{i}": 100 + i for i in range(7)})
    n = 2000

    def per_call(fn) -> float:
        samples = []
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(n):
                fn()
            samples.append((time.perf_counter() - t) / n * 1e6)
        return statistics.median(samples)

    signature = sig.sign(private, sig.canonical_bytes(p))
    out["digest_us"] = per_call(lambda: digest(p["station"], p["contest"], p["figures"],
                                               p["choices"]))
    out["sign_us"] = per_call(lambda: sig.sign(private, sig.canonical_bytes(p)))
    out["verify_us"] = per_call(lambda: sig.verify_signature(public, sig.canonical_bytes(p),
                                                             signature))
    return out


def report(results: list[dict]) -> str:
    med = statistics.median
    lines = [("| backend | commissions | structure write, no keys (s) | with keys (s) | ratio | "
              "keys.issue alone (s) |"), "|---|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['backend']} | {r['commissions']:,} | {med(r['without']):.2f} | "
                     f"{med(r['with']):.2f} | {med(r['with']) / med(r['without']):.2f} | "
                     f"{med(r['issue']):.2f} |")
    lines += ["", "| per protocol, in process | median (µs) | ratio to the audit digest |",
              "|---|---:|---:|"]
    r = results[0]
    for label, key in (("audit digest, SHA-256 (baseline)", "digest_us"),
                       ("canonical JSON + Ed25519 sign", "sign_us"),
                       ("canonical JSON + Ed25519 verify", "verify_us")):
        lines.append(f"| {label} | {r[key]:.1f} | {r[key] / r['digest_us']:.2f} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=10_223)
    ap.add_argument("--runs", type=int, default=3)
    return backends.main(__file__, ap, measure, report)


if __name__ == "__main__":
    sys.exit(main())
