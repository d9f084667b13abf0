"""docs/published-files.md against real files: the small synthetic election published with
some stations reported, a scan, a broken control relation and a signed amendment, so that every
optional field appears. Every field of every JSON file and every column of every table is in
the doc, in the doc's order for the tables, and every field the doc lists is in the files: a
field added or renamed without the doc fails here."""

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Station
from sailau.publish.files.election_data import ElectionData
from sailau.publish.pipeline import snapshots
from tests.snapshotfiles import opened

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "published-files.md"
LEVELS = ("territorial", "district", "smd")
SITE = re.compile(r"site/.*")  # the static viewer: code, not data


def sections(text: str) -> dict[str, list[list[str]]]:
    """`### \\`name\\`` heading -> the rows of its tables whose first cell is a code span,
    each row as its cells with the first unwrapped, in the doc's order."""
    out: dict[str, list[list[str]]] = {}
    rows = None
    for line in text.splitlines():
        if line.startswith("#"):
            m = re.fullmatch(r"#+ `([^`]+)`", line.strip())
            rows = out.setdefault(m.group(1), []) if m else None
        elif rows is not None and line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append([cells[0].strip("`"), *cells[1:]])
    return out


def lines_table(text: str) -> list[str]:
    part = text.split("## Protocol lines", 1)[1].split("\n## ", 1)[0]
    return [m.group(1) for m in re.finditer(r"^\| `([a-z_]+)` \|", part, flags=re.MULTILINE)]


def paths(value, maps: set[str], prefix: str = "") -> set[str]:
    """Every field path of a JSON value (`a[].b`), not descending into a map (its keys are
    data: lines, choice keys, languages...)."""
    out = set()
    if isinstance(value, dict):
        for k, v in value.items():
            p = f"{prefix}.{k}" if prefix else k
            out.add(p)
            if p not in maps:
                out |= paths(v, maps, p)
    elif isinstance(value, list):
        for v in value:
            out |= paths(v, maps, prefix + "[]")
    return out


def kind_of(name: str) -> str | None:
    """The doc's heading for a published file's name."""
    parts = name.split("/")
    if len(parts) == 1:
        return name
    if parts[0] in ("stations", "commissions"):
        return f"{parts[0]}/<{'number' if parts[0] == 'stations' else 'id'}>.json"
    if parts[0] == "scans":
        return "scans/<territory>.zip"
    if parts[0] == "contests" and len(parts) == 3:
        stem, ext = parts[2].rsplit(".", 1)
        if ext == "parquet":
            ext = "csv"  # the same columns
        return f"contests/<id>/{'<level>' if stem in LEVELS else stem}.{ext}"
    return None


def _amend(protocol, figures):
    """A version 2 of `protocol`, amended by a decision and signed by the commission's key."""
    from django.contrib.auth import get_user_model

    from sailau.protocols.models import Amendment, Protocol
    from sailau.verify.signatures import FORMAT_AMENDED

    Protocol.objects.filter(pk=protocol.pk).update(current=False)
    v2 = Protocol.objects.create(
        station=protocol.station, contest=protocol.contest, version=2, current=True,
        figures=figures, choices=protocol.choices, source="amendment",
        signature=protocol.signature, signed_with=protocol.signed_with,
        signed_message=FORMAT_AMENDED, signed_scans=[])
    user = get_user_model().objects.create(username="amender")
    Amendment.objects.create(protocol=v2, decision_number="12", decision_date=dt.date(2023, 3, 20),
                             reason="recount", entered_by=user)


@pytest.fixture
def published(small_synthetic, snapshot_dir, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from sailau.protocols.models import Protocol
    from sailau.scans.models import Scan

    settings.MEDIA_ROOT = tmp_path / "media"
    election = load(small_synthetic, route=False)
    ids = list(Station.objects.filter(election=election).order_by("number")
               .values_list("id", flat=True))
    route(small_synthetic, only=set(ids[:40]))
    first, second, third, fourth = Protocol.objects.filter(
        station__election=election, current=True).order_by("station__number", "contest_id")[:4]
    body = b"\x89PNG a scan"
    digest = hashlib.sha256(body).hexdigest()
    Scan.objects.create(station=first.station, contest=first.contest, protocol=first,
                        sha256=digest, file=default_storage.save(f"scans/{digest}.png",
                                                                 ContentFile(body)),
                        content_type="image/png", size=len(body), status=Scan.MISMATCH,
                        reason="figures", mismatches={"invalid": [4, 5]})
    # A broken control relation (the station file's `checks`), acknowledged at entry.
    second.figures = {**second.figures, "invalid": second.figures["invalid"] + 7}
    form = ElectionData.load(election).forms[second.contest_id]
    second.findings = [f.to_json() for f in form.check(second.figures, second.choices)]
    assert second.findings
    second.save()
    _amend(third, {**third.figures, "lost": third.figures["lost"] + 1})
    # Typed from the paper and signed by the commission above, on the station's behalf.
    Protocol.objects.filter(pk=fourth.pk).update(signed_message="sailau-protocol/4",
                                                 signed_scans=[],
                                                 signed_by=fourth.station.district_id)
    # A complaint decided (decisions.json), its text given by its hash only.
    from django.utils import timezone

    from sailau.complaints import services as complaints

    c, _ = complaints.file_complaint({
        "election": election.id, "filer_kind": "voter", "filer_name": "Private Person",
        "filer_contact": "+7 701 000 0000", "against_kind": "commission",
        "against_name": "PEC", "topic": "counting", "text": "Ballots not shown.",
        "body": "commission", "station": str(first.station.number),
        "filed_at": timezone.make_aware(dt.datetime.combine(
            election.date + dt.timedelta(days=1), dt.time(10)))})
    complaints.decide(c, {"outcome": "rejected", "text": "Not proven."})
    m = snapshots.publish(election.id)
    objects = snapshots.election_dir(election.id) / "objects"
    return {name: opened(objects / f"{e['sha256']}.{name.rsplit('.', 1)[1]}")
            for name, e in m["files"].items()}


def test_every_field_and_column_of_the_published_files_is_documented(published):
    text = DOC.read_text()
    doc = sections(text)
    lines = lines_table(text)
    found: dict[str, set[str]] = {}
    maps: dict[str, set[str]] = {kind: {r[0] for r in rows if r[1].startswith("map")}
                                 for kind, rows in doc.items()}
    problems = []
    for name, body in sorted(published.items()):
        if SITE.fullmatch(name) or name == "nist.json":
            continue
        kind = kind_of(name)
        if kind not in doc:
            problems.append(f"{name}: no section `{kind}`")
            continue
        if name.endswith(".zip"):
            body = zipfile.ZipFile(io.BytesIO(body)).read("manifest.json")
        if name.endswith((".json", ".zip")):
            found.setdefault(kind, set()).update(paths(json.loads(body), maps[kind]))
            continue
        if name.endswith(".parquet"):
            header = pq.read_schema(io.BytesIO(body)).names
        else:
            header = body.decode().split("\n", 1)[0].split(",")
        contest = name.split("/")[1]
        choices = [r.split(",", 1)[0] for r in
                   published[f"contests/{contest}/choices.csv"].decode().splitlines()[1:]]
        expected = []
        for row in doc[kind]:
            expected += {"<line>": lines, "<choice>": choices}.get(row[0], [row[0]])
        if header != expected:  # once per kind of table, what differs
            extra = [c for c in header if c not in expected]
            missing = [c for c in expected if c not in header]
            problem = (f"{kind}: columns not in the doc {extra}, in the doc and not the file "
                       f"{missing}" if extra or missing else f"{kind}: columns in another order")
            if problem not in problems:
                problems.append(problem)
    for kind, have in sorted(found.items()):
        listed = {r[0] for r in doc[kind]}
        problems += [f"{kind}: `{p}` is not in the doc" for p in sorted(have - listed)]
        problems += [f"{kind}: the doc lists `{p}`, no file has it" for p in sorted(listed - have)]
    assert not problems, "\n".join(problems)
    assert found.keys() >= {"election.json", "stations/<number>.json", "commissions/<id>.json",
                            "contests/<id>/outcome.json", "contests/<id>/<level>.json",
                            "contests/<id>/stations.json", "contests/<id>/progress.json",
                            "keys.json", "scans/<territory>.zip", "turnout.json",
                            "decisions.json"}


def test_the_protocol_lines_and_nist_identifiers_are_documented(published):
    from sailau.law.forms import LINE_KEYS

    text = DOC.read_text()
    assert lines_table(text) == list(LINE_KEYS)
    patterns = [r[0] for r in sections(text)["nist.json"]]
    ids = set(re.findall(r'"@id":"([^"]+)"', published["nist.json"].decode()))
    unmatched = [i for i in ids if not any(re.fullmatch(re.sub(r"<[^>]+>", ".+", p), i)
                                           for p in patterns)]
    assert not unmatched, f"@id not in the doc: {sorted(unmatched)[:5]}"
    unused = [p for p in patterns if not any(re.fullmatch(re.sub(r"<[^>]+>", ".+", p), i)
                                             for i in ids)]
    assert not unused, f"the doc lists @id forms no file has: {unused}"
