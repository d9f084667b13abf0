import datetime as dt

import pytest
from django.utils import timezone

from sailau.cli import main
from sailau.complaints import services as complaints
from tests.chain_fixtures import chain_election, people  # noqa: F401


@pytest.fixture
def decided(small_election):
    """A private voter's complaint about the first station, filed and rejected."""
    st = small_election.stations.order_by("number").first()
    c, _ = complaints.file_complaint({
        "election": small_election.id, "filer_kind": "voter", "filer_name": "Private Person",
        "filer_contact": "+7 701 000 0000", "against_kind": "commission",
        "against_name": "PEC", "topic": "counting", "text": "Ballots not shown one by one.",
        "body": "commission", "station": str(st.number),
        "filed_at": timezone.make_aware(dt.datetime.combine(
            small_election.date + dt.timedelta(days=10), dt.time(10)))})
    return complaints.decide(c, {"outcome": "rejected", "text": "Not proven.", "number": "7/1"})


@pytest.fixture
def here(tmp_path, monkeypatch, settings):
    """`sailau audit verify` run in the test's database and its own data directory."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("sailau.cli.django_setup.setup", lambda: None)  # the test db is set up


def run(capsys) -> tuple[int, str]:
    """Its exit status and what it printed."""
    code = main(["audit", "verify"])
    return code, capsys.readouterr().out


def delete_amendment(p) -> None:
    """The operator's forgery of an amended protocol `p`: its version, and the amendment that
    made it, deleted, the version before made current again."""
    from sailau.protocols.models import Protocol

    prev = Protocol.objects.get(station=p.station, contest=p.contest, version=p.version - 1)
    p.amendment.delete()
    Protocol.objects.filter(pk=p.pk).delete()
    Protocol.objects.filter(pk=prev.pk).update(current=True)
