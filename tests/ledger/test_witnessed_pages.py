"""Results pages and the tallies API say how many of the protocols they count are signed by the
log alone, not yet by the election's witnesses, in the page's language: at 0 %, with one
protocol beyond the witnessed checkpoint, with every one witnessed, and with no witness."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sailau.elections.models import Commission, Station
from sailau.ledger import cosign, integrator, tl
from sailau.ledger.models import Leaf, LogState
from sailau.protocols.logged import subject
from sailau.protocols.models import Protocol

# The English of the banner and the station's badges: none may be on a kk or ru page.
ENGLISH = ["signed by the log alone", "not yet by the witnesses", "rests on a leaf",
           "the witnesses cosigned", "has no witnesses", "Not witnessed", "no checkpoint yet"]


def _cosign_all(e, witnesses, size=None):
    """Every witness cosigns the log's checkpoint of `size` (its latest by default)."""
    row = LogState.objects.get(pk=e.id)
    size = size or row.checkpoint_size
    root = integrator.root_at(e.id, row.size, row.root, size)
    body = tl.Checkpoint(row.origin, size, root).body()
    for w in witnesses:
        cosign.receive(e.id, body, w.cosign(body, int(timezone.now().timestamp())))


def _logged(e, tmp_path, monkeypatch, n_witnesses=2):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    integrator._trees.clear()
    ws = [tl.Witness.generate(f"w{i}.observers.kz") for i in range(n_witnesses)]
    for w in ws:
        cosign.add_witness(e.id, w.verifier_key())
    integrator.integrate(e.id)
    return ws


def _page(client, name, lang, *args):
    with translation.override(lang):
        url = reverse(name, args=args)
    r = client.get(url)
    assert r.status_code == 200, url
    return r.content.decode()


def _no_english(page):
    assert not [w for w in ENGLISH if w in page]


def _last_protocol(e):
    """The current protocol whose leaf is the log's last protocol leaf, and that index."""
    leaf = (Leaf.objects.filter(election_id=e.id, kind="protocol", index__isnull=False)
            .order_by("-index").first())
    station_id, contest_id, _ = leaf.subject.split("/")
    p = Protocol.objects.get(station_id=station_id, contest_id=contest_id, current=True)
    assert subject(station_id, contest_id, p.version) == leaf.subject
    return p, leaf.index


@pytest.mark.parametrize("lang, says, badge, other", [
    ("ru", "Учтённые здесь протоколы, подписанные только журналом, ещё не свидетелями: 1.",
     "Подписано журналом, ещё не свидетелями", "В контрольной точке, подписанной свидетелями"),
    ("kk", "Мұнда есептелген, журнал ғана қол қойған, куәгерлер әлі қол қоймаған хаттамалар: 1.",
     "Журнал қол қойды, куәгерлер әлі қол қоймады", "Куәгерлер қол қойған тексеру нүктесінде"),
], ids=["ru", "kk"])
def test_one_protocol_beyond_the_witnessed_checkpoint(client, small_election, tmp_path,
                                                     monkeypatch, lang, says, badge, other):
    e = small_election
    ws = _logged(e, tmp_path, monkeypatch)
    p, index = _last_protocol(e)
    _cosign_all(e, ws, size=index)  # every leaf before the last protocol's is witnessed
    national = _page(client, "web:election", lang, e.id)
    assert says in national
    _no_english(national)
    station = _page(client, "publish:station", lang, e.id, p.station.number)
    assert says in station and station.count(badge) == 1  # its other contests' are witnessed
    _no_english(station)
    district = _page(client, "publish:commission", lang, e.id, p.station.district_id)
    assert says in district
    # Another station's protocol is witnessed, and its page says so, apart.
    q = Protocol.objects.filter(station__election=e, current=True).exclude(
        station=p.station).first()
    page = _page(client, "publish:station", lang, e.id, q.station.number)
    assert other in page and badge not in page


def test_all_witnessed_and_the_api_counts(client, small_election, tmp_path, monkeypatch):
    e = small_election
    ws = _logged(e, tmp_path, monkeypatch)
    p, index = _last_protocol(e)
    _cosign_all(e, ws)
    national = _page(client, "web:election", "ru", e.id)
    assert "Ни один учтённый здесь протокол не опирается на запись журнала, не подписанную " \
           "свидетелями." in national
    assert "Подписано журналом" not in _page(client, "publish:station", "ru", e.id,
                                              p.station.number)
    size = LogState.objects.get(pk=e.id).checkpoint_size
    assert f"Размер журнала, подписанный свидетелями: {size}." in national
    top = p.contest.commission_id
    got = client.get(f"/api/tallies/{p.contest_id}/{top}").json()["witnessed"]
    assert got == {"log_size": size, "witnesses": 2, "witnessed_size": size,
                   "protocols_unwitnessed": 0}
    # One witness falls behind a new checkpoint: the witnessed size stays where it was.
    _cosign_all(e, ws, size=index)
    assert client.get(f"/api/tallies/{p.contest_id}/{top}").json()["witnessed"][
        "witnessed_size"] == size


def test_api_counts_the_unwitnessed_tail(client, small_election, tmp_path, monkeypatch):
    e = small_election
    ws = _logged(e, tmp_path, monkeypatch)
    p, index = _last_protocol(e)
    _cosign_all(e, ws, size=index)
    _cosign_all(e, ws[:1])  # one witness of two has cosigned the latest: not witnessed yet
    got = client.get(f"/api/tallies/{p.contest_id}/{p.contest.commission_id}").json()
    assert got["witnessed"]["witnessed_size"] == index
    assert got["witnessed"]["protocols_unwitnessed"] == 1


def test_no_witnesses_says_nothing_is_witnessed(client, small_election, tmp_path, monkeypatch):
    e = small_election
    _logged(e, tmp_path, monkeypatch, n_witnesses=0)
    s = Station.objects.filter(election=e, protocols__current=True).first()
    page = _page(client, "publish:station", "kk", e.id, s.number)
    assert "Куәландырылмаған: бұл журналдың куәгерлері жоқ" in page
    assert "Журнал ғана қол қойды: журналдың куәгерлері жоқ" in page
    _no_english(page)
    national = _page(client, "web:election", "ru", e.id)
    assert "Не засвидетельствовано: у этого журнала нет свидетелей" in national
    _no_english(national)


def test_no_protocol_yet(client, small_structure, tmp_path, monkeypatch):
    e = small_structure
    ws = _logged(e, tmp_path, monkeypatch)
    _cosign_all(e, ws)
    cec = Commission.objects.get(election=e, level=Commission.CEC)
    for lang in ("ru", "kk"):
        page = _page(client, "publish:commission", lang, e.id, cec.id)
        assert ("Ни один учтённый здесь протокол" if lang == "ru"
                else "Мұнда есептелген бірде-бір хаттама") in page
        _no_english(page)
