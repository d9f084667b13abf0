"""The tile map's drawing is as tall as its tiles: its SVG's viewBox once took the rows from the
tiles' pixel coordinates (12,348 units for four rows of 64), and every results page ended in
10,000-16,000 px of nothing."""

import re

import pytest

from sailau.elections.models import Commission
from sailau.publish.pages import tilemap

pytestmark = pytest.mark.django_db


def test_the_map_is_as_tall_as_its_rows(client, small_election):
    contest = small_election.contests.get(kind="party_list")
    m = tilemap.tilemap(contest)
    step = tilemap.TILE + tilemap.GAP
    bottom = max(t.y for t in m["tiles"]) + tilemap.TILE
    assert m["height"] == bottom and m["width"] == max(t.x for t in m["tiles"]) + tilemap.TILE
    assert {t.y // step for t in m["tiles"]} == set(range(tilemap.ROWS))
    page = client.get(f"/ru/e/{small_election.id}/").content.decode()
    boxes = set(re.findall(r'<svg class="chart map" viewBox="0 0 (\d+) (\d+)"', page))
    assert boxes == {(str(m["width"]), str(bottom))}


def test_a_territory_is_placed_by_its_name_not_its_number(small_election):
    """Numbers differ between elections; a territory keeps its square whatever its number,
    and one the layout does not know by name is listed beside the map: the map keeps its
    rows."""
    contest = small_election.contests.get(kind="party_list")
    before = {t.commission.pk: (t.x, t.y) for t in tilemap.tilemap(contest)["tiles"]}
    t = Commission.objects.filter(election=small_election, level=Commission.TERRITORIAL).first()
    Commission.objects.filter(pk=t.pk).update(number=99)
    m = tilemap.tilemap(contest)
    assert {x.commission.pk: (x.x, x.y) for x in m["tiles"]} == before
    Commission.objects.filter(pk=t.pk).update(names={"kk": "Байқоңыр", "ru": "Байконур", "en": "Baikonur"})
    m = tilemap.tilemap(contest)
    assert [x.commission.pk for x in m["beside"]] == [t.pk]
    assert t.pk not in {x.commission.pk for x in m["tiles"]}
