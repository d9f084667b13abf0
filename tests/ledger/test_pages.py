"""Results pages say which checkpoint their figures are in, who cosigned it and how long ago,
and which witness is behind since when, in kk/ru/en."""

import re

import pytest
from django.utils import timezone

from sailau.elections.models import Commission
from sailau.ledger import cosign, integrator, tl
from sailau.ledger.models import LogState
from sailau.publish.pages import logbanner


@pytest.fixture
def logged(small_election, tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    integrator._trees.clear()
    e = small_election
    w1, w2 = tl.Witness.generate("observers.kz"), tl.Witness.generate("newsroom.kz")
    cosign.add_witness(e.id, w1.verifier_key())
    cosign.add_witness(e.id, w2.verifier_key())
    integrator.integrate(e.id)
    row = LogState.objects.get(pk=e.id)
    body = row.checkpoint.split("\n\n")[0] + "\n"
    t = int(timezone.now().timestamp()) - 4
    cosign.receive(e.id, body, w1.cosign(body, t))
    return e, row


def test_banner_names_checkpoint_cosigners_and_who_is_behind(logged):
    e, row = logged
    b = logbanner.banner(e.id)
    assert b["size"] == row.checkpoint_size > 0 and b["root"] in row.checkpoint
    assert (b["cosigned"], b["total"]) == (1, 2) and 3 <= b["ago"] <= 10
    assert [w["name"] for w in b["behind"]] == ["newsroom.kz"]


@pytest.mark.parametrize("lang, says", [
    ("en", "Cosigned by 1 of 2 witnesses"),
    ("ru", "Подписано 1 из 2 свидетелей"),
    ("kk", "2 куәгердің 1 қол қойды"),
])
def test_commission_and_station_pages_say_it(client, logged, lang, says):
    e, row = logged
    cec = Commission.objects.get(election=e, level=Commission.CEC)
    from django.urls import reverse
    from django.utils import translation

    from sailau.elections.models import Station

    station = Station.objects.filter(election=e).order_by("number").first()
    with translation.override(lang):
        urls = [reverse("publish:commission", args=[e.id, cec.id]),
                reverse("publish:station", args=[e.id, station.number])]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        page = r.content.decode()
        assert says in page and re.search(rf"\b{row.checkpoint_size}\b", page), url
        assert f"<code class=\"hash\">{row.checkpoint.splitlines()[2][:12]}</code>" in page, url
        assert "newsroom.kz" in page, url  # behind


def test_how_long_ago_is_read_on_the_applications_clock(small_election, tmp_path, monkeypatch):
    """A demo replays its night years back (`sailau.clock`'s offset) and its witnesses sign on
    that clock: a cosignature made 4 s ago on it is 4 s old, not years."""
    from sailau import clock

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(clock.ENV, str(-3 * 365 * 86400))
    clock.reset()
    try:
        integrator._trees.clear()
        w = tl.Witness.generate("observers.kz")
        cosign.add_witness(small_election.id, w.verifier_key())
        integrator.integrate(small_election.id)
        body = LogState.objects.get(pk=small_election.id).checkpoint.split("\n\n")[0] + "\n"
        cosign.receive(small_election.id, body, w.cosign(body, int(clock.time()) - 4))
        assert 3 <= logbanner.banner(small_election.id)["ago"] <= 10
    finally:
        clock.reset()
