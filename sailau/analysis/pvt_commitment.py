"""The text an observer organisation commits to before election day: its PVT sample (the
stations and the seed that drew them), hashed with SHA-256. The hash is published first; the
text is revealed after the official count, and anyone can check that it hashes to the published
value (`sha256sum` on the text is enough) and, for a sample drawn with `sailau.analysis.pvt.draw`,
that the seed draws exactly these stations. No Django here: `sailau pvt commitment` computes the
hash offline, so the sample never has to leave the organisation before the reveal.

The text, UTF-8 with "\\n" line ends, every line ending with one:
    sailau-pvt-commitment-1
    contest <contest id>
    seed <seed, a whole number>
    station <station id>        (one line per station, sorted, no repeats)

A sample designed for small shares (`pvt_design`: Neyman allocation fitted on a past election)
commits to its design too, between the seed and the stations, so that the allocation cannot be
changed once the results are known:
    design <method> mix <mix> past <the past election it was fitted on>
    allocate <stratum> <stations>   (one line per stratum, sorted)
Without a design the text is as above, so commitments made before designs existed still hold.
"""

from __future__ import annotations

import hashlib
import re

FORMAT = "sailau-pvt-commitment-1"
DIGEST = re.compile(r"^[0-9a-f]{64}$")


def canonical(contest: str, seed: int, stations, design: dict | None = None) -> str:
    lines = [FORMAT, f"contest {contest}", f"seed {int(seed)}"]
    if design:
        lines.append(f"design {design['method']} mix {design['mix']} past {design['past']}")
        lines += [f"allocate {h} {int(n)}" for h, n in sorted(design["allocation"].items())]
    lines += [f"station {s}" for s in sorted(set(stations))]
    return "\n".join(lines) + "\n"


def digest(contest: str, seed: int, stations, design: dict | None = None) -> str:
    return hashlib.sha256(canonical(contest, seed, stations, design).encode("utf-8")).hexdigest()


def parse_stations(text: str) -> list[tuple[int, str]]:
    """(line number, station id) of a pasted list: one id per line, or the first cell of a CSV
    line; blank lines and a header line `station...` are skipped."""
    out = []
    for n, raw in enumerate(text.splitlines(), start=1):
        cell = raw.split(",", 1)[0].strip().strip('"')
        if not cell or (not out and cell.lower() in ("station", "station_id")):
            continue
        out.append((n, cell))
    return out
