import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Scan files go to a fresh folder per test, so that "nothing stored" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def listing(small_election):
    """(station, contest, protocol): the party-list protocol of the first two stations."""
    from sailau.protocols.models import Protocol

    contest = small_election.contests.get(kind="party_list")
    protocols = list(Protocol.objects.filter(contest=contest, current=True)
                     .select_related("station", "contest").order_by("station__number")[:2])
    return [(p.station, contest, p) for p in protocols]
