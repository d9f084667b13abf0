"""A parallel vote tabulation from plain files, without Sailau's database: so that an observer
group can run its own PVT with the estimator the site uses (`sailau.analysis.pvt.estimate`).

Files (UTF-8, comma-separated, a header line):
- sample: `station,stratum,counted,<choice>,<choice>,...` — one line per reporting sample
  station: its stratum, the ballots counted (valid + invalid: the shares' denominator) and the
  votes for each choice; optional `ballots` (ballots issued) and `voters` (voters on the list)
  columns give the turnout estimate too.
- strata: `stratum,stations` — every stratum's number of stations in the whole election (the
  weights), including strata none of whose sample stations has reported yet.
- official (JSON): `{"shares": {"<choice>": 0.41, ...}, "turnout": 0.62}` (turnout optional);
  the `official` object of the site's own PVT answer is accepted as well.

Every problem is a `PvtFileError` naming the file, the line and the column."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np

from sailau.analysis import pvt

SAMPLE_FIXED = ("station", "stratum", "counted")
SAMPLE_OPTIONAL = ("ballots", "voters")


class PvtFileError(ValueError):
    """A file the PVT cannot use: `where` is "file", "file, line N" or "file, line N, column C"."""

    def __init__(self, path, message: str, line: int | None = None, column: str | None = None):
        where = str(path)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        self.where = where
        super().__init__(f"{where}: {message}")


def _rows(path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a CSV file; blank lines are skipped."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PvtFileError(path, "no such file") from None
    except IsADirectoryError:
        raise PvtFileError(path, "is a folder, not a CSV file") from None
    except UnicodeDecodeError as exc:
        raise PvtFileError(path, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise PvtFileError(path, exc.strerror or "cannot be read") from None
    reader = csv.reader(text.splitlines())
    try:
        lines = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise PvtFileError(path, f"not valid CSV ({exc})", reader.line_num) from None
    lines = [(n, row) for n, row in lines if any(c.strip() for c in row)]
    if not lines:
        raise PvtFileError(path, "empty: a header line is needed")
    header = [c.strip() for c in lines[0][1]]
    seen = set()
    for name in header:
        if not name:
            raise PvtFileError(path, "a column without a name in the header", lines[0][0])
        if name in seen:
            raise PvtFileError(path, "this column appears twice in the header", lines[0][0], name)
        seen.add(name)
    for n, row in lines[1:]:
        if len(row) != len(header):
            raise PvtFileError(path, f"{len(row)} cells, the header has {len(header)}", n)
    return header, lines[1:]


def _count(path, line: int, column: str, cell: str) -> int:
    text = cell.strip()
    if not text:
        raise PvtFileError(path, "empty cell: a whole number is needed", line, column)
    try:
        value = int(text)
    except ValueError:
        raise PvtFileError(path, f"{text!r} is not a whole number", line, column) from None
    if value < 0:
        raise PvtFileError(path, f"{value} is negative", line, column)
    return value


def read_strata(path) -> dict[str, int]:
    header, rows = _rows(path)
    for name in ("stratum", "stations"):
        if name not in header:
            raise PvtFileError(path, f"no {name!r} column (the header is stratum,stations)", 1)
    i_h, i_n = header.index("stratum"), header.index("stations")
    out: dict[str, int] = {}
    for line, row in rows:
        h = row[i_h].strip()
        if not h:
            raise PvtFileError(path, "empty stratum name", line, "stratum")
        if h in out:
            raise PvtFileError(path, f"stratum {h!r} is listed twice", line, "stratum")
        n = _count(path, line, "stations", row[i_n])
        if n == 0:
            raise PvtFileError(path, "a stratum has at least one station", line, "stations")
        out[h] = n
    if not out:
        raise PvtFileError(path, "no strata: one line per stratum is needed")
    return out


def read_sample(path, strata: dict[str, int], strata_path) -> dict:
    """The sample's arrays for `pvt.estimate`, checked against the strata."""
    header, rows = _rows(path)
    missing = [c for c in SAMPLE_FIXED if c not in header]
    if missing:
        raise PvtFileError(path, f"no {missing[0]!r} column (the header starts "
                                 f"station,stratum,counted, then one column per choice)", 1)
    names = [c for c in header if c not in SAMPLE_FIXED + SAMPLE_OPTIONAL]
    if not names:
        raise PvtFileError(path, "no choice columns after station,stratum,counted", 1)
    has_turnout = all(c in header for c in SAMPLE_OPTIONAL)
    col = {c: header.index(c) for c in header}
    stations, labels, counted, votes, ballots, voters = [], [], [], [], [], []
    seen: dict[str, int] = {}
    per_stratum: dict[str, int] = {}
    for line, row in rows:
        sid = row[col["station"]].strip()
        if not sid:
            raise PvtFileError(path, "empty station id", line, "station")
        if sid in seen:
            raise PvtFileError(path, f"station {sid!r} is already on line {seen[sid]}", line,
                               "station")
        seen[sid] = line
        h = row[col["stratum"]].strip()
        if h not in strata:
            raise PvtFileError(path, f"stratum {h!r} is not in {strata_path}", line, "stratum")
        per_stratum[h] = per_stratum.get(h, 0) + 1
        if per_stratum[h] > strata[h]:
            raise PvtFileError(path, f"more sample stations in stratum {h!r} than the "
                                     f"{strata[h]} it has in {strata_path}", line, "stratum")
        c = _count(path, line, "counted", row[col["counted"]])
        v = [_count(path, line, k, row[col[k]]) for k in names]
        if sum(v) > c:
            raise PvtFileError(path, f"the votes for the choices add up to {sum(v)}, more than "
                                     f"the {c} ballots counted", line, "counted")
        if has_turnout:
            b = _count(path, line, "ballots", row[col["ballots"]])
            n = _count(path, line, "voters", row[col["voters"]])
            if b > n:
                raise PvtFileError(path, f"{b} ballots issued but {n} voters on the list",
                                   line, "ballots")
            ballots.append(b)
            voters.append(n)
        stations.append(sid)
        labels.append(h)
        counted.append(c)
        votes.append(v)
    if not stations:
        raise PvtFileError(path, "no sample stations: one line per reporting station is needed")
    if sum(counted) == 0:
        raise PvtFileError(path, "no ballots counted at any sample station", None, "counted")
    return {"names": names, "stations": stations, "strata": labels,
            "counted": np.array(counted, dtype=float),
            "votes": np.array(votes, dtype=float).reshape(len(stations), len(names)),
            "ballots": np.array(ballots, dtype=float) if has_turnout else None,
            "voters": np.array(voters, dtype=float) if has_turnout else None}


def _share(path, key: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PvtFileError(path, f"{key}: {value!r} is not a number")
    if not 0 <= value <= 1:
        raise PvtFileError(path, f"{key}: {value} is not a share between 0 and 1")
    return float(value)


def read_official(path, names: list[str]) -> tuple[dict[str, float], float | None]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PvtFileError(path, "no such file") from None
    except UnicodeDecodeError as exc:
        raise PvtFileError(path, f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise PvtFileError(path, f"not valid JSON ({exc.msg})", exc.lineno) from None
    except OSError as exc:
        raise PvtFileError(path, exc.strerror or "cannot be read") from None
    if isinstance(data, dict) and isinstance(data.get("official"), dict):
        data = data["official"]  # the site's own answer
    if not isinstance(data, dict) or not isinstance(data.get("shares"), dict):
        raise PvtFileError(path, 'expected {"shares": {"<choice>": share, ...}, "turnout": share}')
    shares = {str(k): _share(path, f"shares.{k}", v) for k, v in data["shares"].items()}
    unknown = sorted(set(shares) - set(names))
    if unknown:
        raise PvtFileError(path, f"shares.{unknown[0]}: no such choice column in the sample "
                                 f"(choices: {', '.join(names)})")
    turnout = data.get("turnout")
    return shares, None if turnout is None else _share(path, "turnout", turnout)


def estimate_files(sample_path, strata_path, official_path=None) -> dict:
    """The estimate (and the comparison with the official result) from the three files."""
    strata = read_strata(strata_path)
    s = read_sample(sample_path, strata, strata_path)
    est = pvt.estimate(s["votes"], s["counted"], s["names"], s["strata"], strata,
                       ballots=s["ballots"], voters=s["voters"])
    out = {"estimate": est.to_json()}
    if official_path is not None:
        shares, turnout = read_official(official_path, s["names"])
        out["official"] = {"shares": shares, "turnout": turnout}
        out["comparison"] = pvt.compare(est, shares, turnout)
    return out
