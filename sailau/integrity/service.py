"""Compute an election's integrity report and keep it as a JSON file (plus fingerprint PNGs)
under SAILAU_DATA_DIR/integrity/<election>/<contest>/.

Caching, kept simple: the file records a key made of what the report depends on (the number and
the highest id of the contest's current protocols — versions are only ever added, so any new or
amended protocol changes it — the same for scans and amendments, and `VERSION` of this code).
A request whose key differs from the file's recomputes the report and replaces the file
atomically. The public pages use `latest`: while new protocols arrive they show the last report
at once, marked stale, and one background thread (one per contest across processes, by a lock
file) writes the new one, so no visitor waits seconds for the whole country to be recomputed."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.db.models import Count, Max

from sailau import background, clock
from sailau.analysis import criteria, criteria_catalogue, report, stuffing
from sailau.elections.models import Contest
from sailau.integrity import late_keys
from sailau.integrity import table as tables
from sailau.paths import data_dir, write_atomic
from sailau.protocols.models import Amendment, Protocol, StepTime

VERSION = 8  # bump when the criteria or the report change shape: every cache is then stale
RESAMPLES = 1000
# Parts of the system that provide inputs for criteria I10, I14, I15 (observers' copies,
# assessments, incidents) expose `inputs(contest) -> dict` at one of these paths; absent parts
# are skipped, so the criteria light up as soon as the part lands.
# A provider may also expose `cache_part(contest) -> str`, what the report depends on there, and
# `images(found, contest, lang) -> list[dict]`, the images its evidence names as the report shows
# them beside the figures (the evidence app's side by side: it lives above this layer).
INPUT_PROVIDERS = ("sailau.observation.integrity", "sailau.evidence.integrity",
                   "sailau.video.integrity", "sailau.turnout.integrity")


def directory(contest: Contest) -> Path:
    return _directory(contest.election_id, contest.id)


def _directory(election_id: str, contest_id: str) -> Path:
    safe = lambda s: "".join(c if c.isalnum() or c in ".-_" else "_" for c in s)
    return data_dir() / "integrity" / safe(election_id) / safe(contest_id)


def cache_key(contest: Contest) -> str:
    p = Protocol.objects.current().filter(contest=contest).aggregate(n=Count("id"), last=Max("id"))
    a = Amendment.objects.filter(protocol__contest=contest).aggregate(n=Count("id"), last=Max("id"))
    parts = [f"v{VERSION}", f"p{p['n']}-{p['last']}", f"a{a['n']}-{a['last']}",
             late_keys.cache_part(contest)]
    scans = _scan_model()
    if scans is not None:
        s = scans.objects.filter(contest=contest).aggregate(n=Count("id"), last=Max("id"),
                                                            checked=Max("checked_at"))
        parts.append(f"s{s['n']}-{s['last']}-{s['checked']}")
    for module in _providers():
        if hasattr(module, "cache_part"):
            parts.append(module.cache_part(contest))
    return "/".join(parts)


def get(contest: Contest, recompute: bool = False, stale_ok: bool = False) -> dict | None:
    """The contest's integrity report, recomputed when its protocols changed. With
    `stale_ok` the last computed report is returned as it is (None when there is none), so that
    a page showing one station never waits for the whole election to be recomputed."""
    path = directory(contest) / "integrity.json"
    if stale_ok:
        return _read(str(path), path.stat().st_mtime_ns) if path.exists() else None
    key = cache_key(contest)
    if not recompute and path.exists():
        cached = _read(str(path), path.stat().st_mtime_ns)
        if cached.get("key") == key:
            return cached
    data = compute(contest)
    data["key"] = key
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(data, ensure_ascii=False, default=_json_default))
    return data


def latest(contest: Contest) -> dict:
    """The contest's report for a page: the current one if it is up to date; else the last one
    written, with `"stale": True`, while a background refresh writes the new one; computed here
    only when there has never been one."""
    path = directory(contest) / "integrity.json"
    if not path.exists():
        return get(contest)
    cached = _read(str(path), path.stat().st_mtime_ns)
    if cached.get("key") == cache_key(contest):
        return cached
    refresh_in_background(contest)
    return {**cached, "stale": True}


def refresh_in_background(contest: Contest) -> bool:
    """Start recomputing the report on a thread unless one is already at it in this process;
    False if one was."""
    contest_id = contest.id
    return background.start(f"integrity:{contest_id}",
                            lambda: recompute_once(Contest.objects.get(id=contest_id)))


def recompute_once(contest: Contest) -> bool:
    """Recompute unless another process is at it (then False: that one writes the file)."""
    return background.run_once(directory(contest) / ".recompute.lock", lambda: get(contest))


@lru_cache(maxsize=8)
def _read(path: str, mtime_ns: int) -> dict:
    # keyed by mtime: station pages read the same file again and again
    return json.loads(Path(path).read_text())


def compute(contest: Contest) -> dict:
    """Criteria on every station and the forensic report on the whole contest (JSON-ready)."""
    ct = tables.build(contest)
    out_dir = directory(contest)
    forensics: dict = {}
    model_flags: dict[str, float] = {}
    if len(ct.results):
        forensics, per_station = report.analyse(ct.results, group_by="territory",
                                                resamples=RESAMPLES, plots=out_dir)
        forensics["plots"] = [Path(p).name for p in forensics.get("plots", [])]
        if "flagged" in per_station:
            for sid, flag, prob in zip(per_station["station"], per_station["flagged"],
                                       per_station["fraud_probability"]):
                if flag:
                    model_flags[str(sid)] = float(prob)
    inputs = station_inputs(contest)
    verdicts = criteria.evaluate(ct.table, ct.leader, model_flags=model_flags, **inputs)
    stations = {}
    # The ranked list: direct evidence first, then the strength of the fingerprint
    # (`stuffing.rank_key`); rank 1 is the station to read first.
    listed = sorted((v for v in verdicts if v.status != criteria.CLEAR),
                    key=lambda v: (v.status != criteria.FLAGGED, stuffing.rank_key(v.flags),
                                   ct.numbers.get(v.station) or 0, v.station))
    for rank, v in enumerate(listed, start=1):
        stations[v.station] = {"number": ct.numbers.get(v.station), "status": v.status,
                               "rule": v.rule, "rank": rank, "flags": v.flags}
    return {
        "election": contest.election_id, "contest": contest.id, "leader": ct.leader,
        "computed_at": clock.now().isoformat(timespec="seconds"),
        "stations_expected": ct.expected, "stations_reported": len(ct.table),
        "missing": ct.missing[:1000], "missing_count": len(ct.missing),
        "inputs": sorted(k for k, v in inputs.items() if v),
        "summary": criteria.summary(verdicts),
        "stations": stations,
        "forensics": forensics,
        # commissions' own keys registered after the polls closed (accepted, never hidden)
        "late_keys": late_keys.listed(contest),
    }


def station_inputs(contest: Contest) -> dict:
    """The optional inputs of the criteria that other parts of the system hold."""
    inputs: dict = {}
    amended: dict[str, list] = {}
    for sid, version, number, date, reason in (
            Amendment.objects.filter(protocol__contest=contest)
            .order_by("protocol__station_id", "protocol__version")
            .values_list("protocol__station_id", "protocol__version", "decision_number",
                         "decision_date", "reason")):
        amended.setdefault(sid, []).append({"version": version, "decision_number": number,
                                            "decision_date": date.isoformat(), "reason": reason})
    inputs["amendments"] = amended
    times: dict[str, dict] = {}
    for sid, step, at in StepTime.objects.filter(
            station__election_id=contest.election_id, step__in=("polls_closed", "definitive")
    ).values_list("station_id", "step", "at"):
        times.setdefault(sid, {})[step] = at
    inputs["step_times"] = times
    scans = _scan_model()
    if scans is not None:
        inputs["scans"] = _scans_of_current(scans, contest)
    for module in _providers():
        inputs.update(module.inputs(contest))
    return inputs


def evidence_images(found: list[dict], contest: Contest, lang: str) -> list[dict]:
    """The images a flag's evidence names, as the providers show them (none without one)."""
    out: list[dict] = []
    for module in _providers():
        if found and hasattr(module, "images"):
            out += module.images(found, contest, lang)
    return out


def _providers():
    for name in INPUT_PROVIDERS:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise


def _scans_of_current(scans, contest: Contest) -> dict[str, list]:
    """Each scanned station's scans of its current version; a station whose current version
    has no scan of its own, only of earlier versions (amended since), counts as a scan of
    another version (criterion I11) until the new paper's scan is uploaded."""
    found: dict[str, list] = {}
    earlier: dict[str, int] = {}  # station -> the latest earlier version scanned
    for sid, status, reason, mismatches, current, shown in (
            scans.objects.filter(contest=contest)
            .values_list("station_id", "status", "reason", "mismatches", "protocol__current",
                         "protocol__version")):
        if current:
            found.setdefault(sid, []).append({"status": status, "reason": reason,
                                              "mismatches": mismatches})
        else:
            earlier[sid] = max(shown, earlier.get(sid, 0))
    missing = {sid: v for sid, v in earlier.items() if sid not in found}
    now_at = dict(Protocol.objects.current().filter(contest=contest, station_id__in=missing)
                  .values_list("station_id", "version")) if missing else {}
    for sid, shown in missing.items():
        found[sid] = [{"status": "mismatch", "reason": "version", "mismatches": [
            {"line": "version", "kind": "version", "printed": shown,
             "definitive": now_at.get(sid)}]}]
    return found


def _scan_model():
    from django.apps import apps

    try:
        return apps.get_model("scans", "Scan")
    except LookupError:
        return None


def report_version(election_id: str, contest_id: str) -> int | None:
    """When this contest's report was last written (for page caches): a stat, no query."""
    path = _directory(election_id, contest_id) / "integrity.json"
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def station_flags(station_id: str, contest: Contest | None = None) -> dict | None:
    """The integrity status of one station for the station page: {status, rule, flags} with
    each flag's criterion (names and explanations in kk/ru/en), or status "clear"."""
    from sailau.elections.models import Station

    if contest is None:
        station = Station.objects.filter(id=station_id).only("election_id").first()
        if station is None:
            return None
        contest = tables.principal_contest(station.election_id)
        if contest is None:
            return None
    data = get(contest, stale_ok=True)
    if data is None:
        return None
    entry = data["stations"].get(station_id) or {"status": criteria.CLEAR, "rule": "R3", "flags": []}
    return {**entry, "station": station_id, "contest": contest.id,
            # each criterion in the words of the contest's kind (`criteria_catalogue.worded`)
            "flags": [{**f, "criterion": criteria_catalogue.worded(
                criteria_catalogue.BY_CODE[f["code"]], contest.contest_kind.wording).to_json()}
                for f in entry["flags"]]}


def _json_default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, (dt.date, dt.datetime)):
        return o.isoformat()
    raise TypeError(f"not JSON serialisable: {type(o)}")
