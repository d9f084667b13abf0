"""The demo's observers' photos: party proxies' copies at every station
rewritten upstream and a share of the others, their figures the paper's; photos drawn as
filled by hand and shot with a phone, attached through the observers' photo path, and typed
by volunteers like scans."""

import json

import pytest

from sailau.evidence import copies
from sailau.evidence.models import Image
from sailau.observation.models import ObserverCopy
from sailau.protocols.models import Protocol

pytestmark = pytest.mark.django_db


@pytest.fixture
def observed(small_election, small_synthetic):
    from sailau.observation.demo import generate

    truth = json.loads(json.dumps(small_synthetic.truth))
    generate(small_election, seed=3, share=0.1, truth=truth)
    return small_election, truth


def test_copies_cover_every_rewritten_station_and_a_share_of_the_rest(observed):
    election, truth = observed
    before = ObserverCopy.objects.count()
    out = copies.deploy(election.id, seed=3, share=0.3, truth=truth)
    contest = copies.national_contest(election.id)
    official = {p.station_id: p for p in Protocol.objects.current().filter(contest=contest)}
    rewritten = {s for s, t in truth.items() if "rewritten_upstream" in t["kinds"]}
    assert rewritten and rewritten <= set(official)
    rows = list(ObserverCopy.objects.filter(contest=contest))
    stations = {c.station_id for c in rows}
    assert rewritten <= stations
    assert len(stations) == out["copies"] == round(0.3 * len(official)) > before
    assert out["rewritten_covered"] == len(rewritten)
    for c in rows:
        # The copy is the paper: different from the official protocol exactly where rewritten.
        if c.station_id in rewritten:
            assert c.choices == truth[c.station_id]["paper"]["choices"]
            assert c.choices != official[c.station_id].choices
        else:
            assert c.choices == official[c.station_id].choices
    again = copies.deploy(election.id, seed=3, share=0.3, truth=truth)
    assert again["deployed"] == 0 and ObserverCopy.objects.count() == len(rows)


def test_photos_are_drawn_by_hand_attached_and_given_to_volunteers(observed):
    import hashlib
    import io

    from PIL import Image as PILImage

    from sailau.audit.models import Record
    from sailau.evidence import sources

    election, truth = observed
    copies.deploy(election.id, seed=3, share=0.3, truth=truth)
    ids = copies.pending(election.id, limit=4)
    assert copies.photograph(election.id, ids, seed=3) == 4
    assert copies.photograph(election.id, ids, seed=3) == 0  # never twice
    done = list(ObserverCopy.objects.filter(id__in=ids))
    hashes = set()
    for c in done:
        with c.photo.open("rb") as fh:
            data = fh.read()
        assert hashlib.sha256(data).hexdigest() == c.photo_sha256
        picture = PILImage.open(io.BytesIO(data))
        assert picture.format == "JPEG" and picture.height > picture.width >= 700
        image = Image.objects.get(copy=c)  # registered for the volunteers as it was saved
        assert image.source == Image.COPY and image.duplicate_of_id is None and image.phash
        hashes.add(image.phash)
    assert len(hashes) == 4  # four stations' copies never look like one photo
    records = Record.objects.filter(action="observation.copy_photo")
    assert records.count() == 4
    assert sources.sync(election.id) == 0
    assert set(copies.pending(election.id, limit=10_000)).isdisjoint(ids)
    # What `sailau demo` runs while it serves: every other copy gets its photo, then it stops.
    rest = copies.run(election.id, seed=3, until_done=True)
    assert rest == ObserverCopy.objects.count() - 4 > 0
    assert copies.pending(election.id) == []
    assert Image.objects.filter(source=Image.COPY).count() == ObserverCopy.objects.count()
