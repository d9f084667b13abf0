"""The tile map of the territories and the parliament chart, at 0 %, part and 100 % reported, in
kk, ru and en: the map has a tile for each of the 20 territories linking to it, coloured by the
leader that the protocols give (no colour and "no results yet" before any); the parliament has
one seat per seat allocated, marked provisional until every station has reported. The expected
figures are summed here from the protocols, not read from the tallies the pages use."""

import re
from collections import Counter

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from sailau.elections import structure
from sailau.elections.models import Commission, Contest, Station
from sailau.protocols import tabulation
from sailau.protocols.models import Protocol
from sailau.publish.pages import hemicycle, tilemap
from sailau.publish.pages.colors import choice_colors
from tests.chain_fixtures import synthetic
from tests.web.test_states import _report


@pytest.fixture(params=("zero", "part", "complete"))
def night(db, request, monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    election = structure.write(structure.validate(synthetic().structure()))
    contests = list(Contest.objects.filter(election=election))
    stations = list(Station.objects.filter(election=election).order_by("number"))
    reported = {"zero": [], "part": stations[::3], "complete": stations}[request.param]
    _report(reported, contests)
    for c in contests:
        tabulation.rebuild(c)
    national = next(c for c in contests if c.kind == "party_list")
    return {"state": request.param, "election": election, "national": national,
            "stations": stations, "reported": reported}


def _leaders(national) -> dict:
    """Territory id -> the colour the leader map should give it, from the protocols."""
    votes: dict[str, Counter] = {}
    for p in Protocol.objects.filter(contest=national, current=True).select_related("station"):
        votes.setdefault(p.station.territory_id, Counter()).update(p.choices)
    colors = choice_colors(national.choices.select_related("party"))
    out = {}
    for territory, v in votes.items():
        top = max(v.values())
        leaders = [k for k, n in v.items() if n == top]
        out[territory] = colors[leaders[0]] if top and len(leaders) == 1 else tilemap.TIE
    return out


def _map(page: str, mode: str) -> str:
    m = re.search(rf'<figure id="map-{mode}".*?</figure>', page, re.DOTALL)
    assert m, f"no {mode} map"
    return m.group(0)


@pytest.mark.parametrize("lang", ("kk", "ru", "en"))
def test_the_tile_map_links_every_territory_in_its_leaders_colour(client, night, lang):
    e, national = night["election"], night["national"]
    territories = list(Commission.objects.filter(election=e, level=Commission.TERRITORIAL))
    assert len(territories) == 20
    leaders = _leaders(national)
    with translation.override(lang):
        no_results = _("no results yet")
    cec = Commission.objects.get(election=e, level=Commission.CEC)
    for url in (f"/{lang}/e/{e.id}/", f"/{lang}/e/{e.id}/c/{cec.id}/"):
        r = client.get(url)
        assert r.status_code == 200, url
        page = r.content.decode()
        for mode in ("leader", "turnout", "reporting"):
            tiles = re.findall(r'<a href="([^"]+)" class="tile" data-territory="([^"]+)">'
                               r'.*?<rect [^>]*fill="(#[0-9a-f]{6})"', _map(page, mode), re.DOTALL)
            assert len(tiles) == 20, (url, mode)
            assert {t[1] for t in tiles} == {t.id for t in territories}
            for href, tid, fill in tiles:
                assert href == f"/{lang}/e/{e.id}/c/{tid}/"
                if mode == "leader":
                    assert fill == leaders.get(tid, tilemap.NO_RESULTS), (tid, night["state"])
                if tid not in leaders:  # nothing counted: no colour, whatever the mode
                    assert fill == tilemap.NO_RESULTS
        # The text alternative: one row per territory, "no results yet" where nothing counted.
        table = re.search(r'<caption class="sr-only">[^<]*</caption>.*?</table>',
                          page[page.index('class="tilemaps"'):], re.DOTALL).group(0)
        assert table.count('<tr><th scope="row">') == 20
        empty = 20 - len(leaders)
        assert table.count(no_results) == empty
        if night["state"] == "zero":
            assert empty == 20
        elif night["state"] == "complete":
            assert empty == 0
        else:
            assert 0 < empty < 20 or len(leaders) == 20


def _seats(page: str) -> tuple[int, bool]:
    fig = re.search(r'<figure class="parliament.*?</figure>', page, re.DOTALL)
    if not fig:
        return 0, False
    return fig.group(0).count('<circle class="seat"'), "data-provisional" in fig.group(0)


@pytest.mark.parametrize("lang", ("kk", "ru"))
def test_the_parliament_has_a_seat_per_seat_allocated_provisional_until_complete(
        client, night, lang):
    e, national = night["election"], night["national"]
    page = client.get(f"/{lang}/e/{e.id}/").content.decode()
    drawn, provisional = _seats(page)
    if night["state"] == "zero":
        assert drawn == 0  # nothing allocated, nothing drawn
        return
    result = tabulation.outcome(national.tallies.get(commission_id=national.commission_id))
    allocated = sum(result.result.seats.values())
    assert allocated == national.seats
    assert drawn == allocated
    assert provisional == (night["state"] != "complete")


@pytest.mark.parametrize("n", (1, 2, 7, 29, 69, 98, 150, 450))
def test_hemicycle_places_every_seat_once_left_to_right_without_overlap(n):
    parties = [("a", "#111111", n // 2), ("b", "#222222", n - n // 2)]
    c = hemicycle.chart(parties)
    seats = c["seats"]
    assert len(seats) == n and c["total"] == n
    assert [s["name"] for s in seats] == ["a"] * (n // 2) + ["b"] * (n - n // 2)
    r = float(c["r"])
    xy = [(float(s["x"]), float(s["y"])) for s in seats]
    for i, (x, y) in enumerate(xy):
        assert 0 <= x - r and x + r <= c["width"] and 0 <= y - r and y + r <= c["height"]
        for u, v in xy[i + 1:]:
            assert (x - u) ** 2 + (y - v) ** 2 >= (2 * r) ** 2 - 1e-3
    assert hemicycle.chart([("a", "#111111", 0)]) is None


def test_results_over_time_axis_labels_fit_in_the_drawing(client, night):
    """The y-axis labels are right-aligned before the axis: their widest width (digits ~0.7 em,
    "%" ~1 em in the sans fonts browsers use) must fit left of it, or the "%" is cut off. Their
    size is site.css's, the phone's being the largest: 20 of the chart's units."""
    if night["state"] == "zero":
        return  # no curve before the first protocol
    page = client.get(f"/ru/e/{night['election'].id}/").content.decode()
    labels = re.findall(r'<text x="([\d.]+)" y="[\d.]+" dx="(-?[\d.]+)" text-anchor="end" '
                        r'class="axis">([^<]+)</text>', page)
    assert labels and all(t.endswith("%") for *_, t in labels)
    for x, dx, text in labels:
        width = sum((1.0 if ch == "%" else 0.7) * 20 for ch in text)
        assert float(x) + float(dx) - width >= 0, (x, text)
