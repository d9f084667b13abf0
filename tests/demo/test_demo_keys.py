"""The demo deploys as a real election would (`sailau demo`, by default): every precinct
commission but the one a visitor makes its key for writes a key file with the code of `sailau
keys generate`, outside the data directory; a member registers it and the district commission
above confirms it the day before the election (not late); the structure gave no commission a key
the server holds, so the server never held one; the build signs the protocols it routes with the
files, the night's operators sign theirs through the API. The witnesses' keys and states are
outside the data directory too. Afterwards, with the whole database and the data directory, as
the server's operator, no private key of any commission or witness is found, `sailau verify
--signers` names each station's own key, confirmed before the polls closed, no protocol is
signed by a key the server holds (the Senate's neither), the verify command the demo prints for
a careful reader (log key and witnesses pinned, a state kept) passes, and so does `audit
verify`."""

import base64
import datetime as dt
import heapq
import json
from pathlib import Path

import pytest
from django.test import Client

from sailau.cli import main
from sailau.cli.demo import build
from sailau.demo import commission_keys, extras, night_plan, witnesses
from sailau.demo.night import Night
from sailau.demo.senate import election_id as senate_id
from sailau.elections.models import CommissionKey, Station
from sailau.paths import data_dir
from sailau.protocols.models import Protocol
from sailau.protocols.own_keys import polls_closed
from sailau.publish.pipeline import snapshots
from sailau.scans.models import Scan
from tests.commkeys.test_operator_attack import everything_the_operator_has, spellings

# Transactional: the two tests share one build per process, each given a fresh copy of its
# database (tests/builtonce.py), which a test inside a transaction could not be.
pytestmark = pytest.mark.django_db(transaction=True)
# As the Senate's, the referendum's and the president's demo tests: every commission's key, every
# station's signer and the operator's whole haystack are checked whatever the count.
STATIONS = 60


@pytest.fixture(autouse=True)
def _small(monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setattr(extras, "SCAN_SAMPLE", 4)  # scan images cost ~50 ms each
    monkeypatch.setattr(extras, "VOTERS", 200)


class _Api:
    """The night's HTTP client, answered by this process's server (Django's test client)."""

    def __init__(self):
        self.client = Client()

    def call(self, method, path, token=None, body=None, timeout=60):
        kw = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        if body is not None:
            kw.update(content_type="application/json", data=json.dumps(body))
        r = getattr(self.client, method.lower())(path, **kw)
        try:
            doc = r.json()
        except ValueError:
            doc = {}
        return r.status_code, doc if isinstance(doc, dict) else {"items": doc}


def play(plan) -> dict:
    """The whole night in this thread, step after step in the order it schedules them."""
    night = Night(plan, "http://testserver", minutes=0, say=lambda *a, **k: None)
    night.client = _Api()
    for s in plan["stations"]:
        night.at(0, night.station, s)
    while night.heap:
        _, _, step, args = heapq.heappop(night.heap)
        step(*args)
    return dict(night.stats)


@pytest.fixture
def demo(request):
    from sailau.elections.models import Election
    from tests.builtonce import fresh

    election = fresh(request, f"demo-keys-{STATIONS}-40-scans4-voters200",
                     lambda: build(2023, STATIONS, 40, say=lambda *a, **k: None),
                     lambda e: Election.objects.get(pk=e.pk))
    plan = json.loads(night_plan.plan_path().read_text())
    assert plan["stations"]
    return election, plan


def key_files(election) -> list[Path]:
    return sorted((commission_keys.keys_dir() / election.id).glob("*.key"))


def test_the_commissions_register_their_keys_before_the_polls_close(demo):
    election, plan = demo
    closing = polls_closed(election)
    reported = set(Protocol.objects.filter(station__election=election)
                   .values_list("station_id", flat=True))
    night = {s["station"] for s in plan["stations"]}
    assert reported and not reported & night
    files = {p.stem: p for p in key_files(election)}
    # every commission but the one of the station `demo-operator` is given (the first left for
    # visitors), whose key a visitor makes in the browser
    visitors = Station.objects.get(election=election, number=plan["reserved"][0])
    makers = set(Station.objects.filter(election=election).exclude(pk=visitors.pk)
                 .values_list("commission_id", flat=True))
    assert set(files) == makers
    assert not CommissionKey.objects.filter(commission_id=visitors.commission_id).exists()
    # the server never held a commission's key: none issued, none sealed
    for eid in (election.id, senate_id()):
        keys = CommissionKey.objects.filter(commission__election_id=eid)
        assert keys and not keys.filter(held_by_server=True).exists()
        assert not keys.exclude(sealed_private_key=b"").exists()
    for s in plan["stations"]:
        assert Path(s["key_file"]) in files.values()
    for path in files.values():
        assert not path.resolve().is_relative_to(data_dir().resolve()), path
        assert path.stat().st_mode & 0o077 == 0  # the commission's alone
        body = json.loads(path.read_text())
        commission = path.stem
        assert body["commission"] == commission
        own = CommissionKey.objects.get(commission_id=commission, held_by_server=False)
        assert own.public_key == body["public_key"]
        assert not own.late and own.created_at < own.confirmed_at < closing
        assert own.confirmed_by_commission == own.commission.parent_id
    # the build's scans print the commission's signature (format 3) and the check accepts it
    scans = Scan.objects.filter(station__election=election, payload__isnull=False)
    assert scans and all(s.payload["format"] == 3 and s.payload["key_id"] for s in scans)
    assert not Scan.objects.filter(station__election=election, reason="signature").exists()


def test_the_night_signs_with_the_commissions_keys_and_verifies(demo, capsys):
    election, plan = demo
    stats = play(plan)
    refused = [k for k in stats if k.startswith(("failed", "entry_", "to_sign_", "signature_",
                                                 "amendment_", "resolution_"))
               and not k.endswith("_ok")]
    assert not refused, stats
    protocols = sum(len(s["protocols"]) for s in plan["stations"])
    assert stats["signature_ok"] == protocols + stats.get("amendment_ok", 0), stats
    assert stats["stations_definitive"] == len(plan["stations"])
    snapshots.publish(election.id)
    # The witnesses catch up with the night's checkpoint (a served demo's within a second):
    # the figures the reader checks then rest on witnessed leaves, with no allowance.
    assert witnesses.cosign_published(election.id) == len(witnesses.NAMES)

    assert main(["verify", str(snapshots.election_dir(election.id)), "--signers",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    signers = {(s["station"], s["contest"]): s for s in doc["signers"]}
    closing = polls_closed(election)
    # One clock for the leaves and the witnesses: no leaf's `at` runs back, none lies outside
    # the witnesses' bounds (docs/log-format.md), and each key is on record before the polls
    # closed by the witnesses' timestamps, not only by its leaf.
    assert not [n for n in doc["notes"] if n["check"] == "time"], doc["notes"]
    assert all(s["time_witnessed"] and dt.datetime.fromisoformat(s["registered_by"]) < closing
               for s in signers.values()), signers
    assert len(signers) == Protocol.objects.current().filter(station__election=election).count()
    assert not [s for s in signers.values() if s["held_by_server"] or s["late"]]
    for s in plan["stations"]:
        key_id = json.loads(Path(s["key_file"]).read_text())["key_id"]
        for p in s["protocols"]:
            signer = signers[(s["station"], p["contest"])]
            assert signer["key"] == key_id and not signer["held_by_server"], signer
            assert not signer["late"] and signer["revoked_at"] is None, signer
            assert dt.datetime.fromisoformat(signer["confirmed_at"]) < closing, signer
    # The Senate's joint sessions signed with their commissions' own keys too.
    capsys.readouterr()
    assert main(["verify", str(snapshots.election_dir(senate_id())), "--signers", "--json"]) == 0
    senators = json.loads(capsys.readouterr().out)["signers"]
    assert senators and not [s for s in senators if s["held_by_server"] or s["late"]]
    # The command the demo prints for a careful reader: the log key and both witnesses pinned,
    # a state kept; it passes.
    state = data_dir().with_name("reader-state")
    command = witnesses.verify_command(election.id, str(snapshots.election_dir(election.id)),
                                       str(state))
    argv = command.replace("\\\n", " ").split()
    assert argv[:2] == ["sailau", "verify"] and argv.count("--witness") == 2, argv
    assert main(argv[1:]) == 0 and (state / "state.json").exists()
    assert main(["audit", "verify"]) == 0

    # As the server's operator: every value of the database and every file of the data
    # directory, and no private half of any commission's key in it.
    haystack = everything_the_operator_has()
    assert len(haystack) > 10_000  # the whole election is there
    for path in key_files(election):
        private = base64.b64decode(json.loads(path.read_text())["private_key"])
        for needle in spellings(private):
            assert not any(needle in hay for hay in haystack), path
    # nor the witnesses' keys: each beside the data directory, in the witness's own folder
    homes = witnesses.homes()
    assert len(homes) == len(witnesses.NAMES)
    for home in homes:
        assert not home.resolve().is_relative_to(data_dir().resolve()), home
        encoded = (home / "key").read_text().strip().split("+", 4)[-1]  # PRIVATE+KEY+NAME+ID+KEY
        seed = base64.b64decode(encoded)[1:]
        for needle in [encoded.encode(), *spellings(seed)]:
            assert not any(needle in hay for hay in haystack), home
