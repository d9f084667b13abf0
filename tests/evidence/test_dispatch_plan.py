"""The dispatch's choice of an image reads the wanted images by their index, never every
station of the election: a national election has 10,223 stations, and a plan that looked each
up in the images' station index cost about 10 ms a dispatch with a hundred images."""

import pytest
from django.db import connection

from sailau.evidence import dispatch

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
@pytest.mark.parametrize("claimed", [False, True])
def test_the_choice_reads_the_wanted_images_by_the_dispatch_index(claimed):
    sql = dispatch._TAKE.format(election=dispatch._ELECTION,
                                claimed=dispatch._CLAIMED if claimed else "",
                                trusted=dispatch._TRUSTED, lock="")
    params = ["kz.e", *([1] if claimed else []), 1]
    with connection.cursor() as cur:
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cur.fetchall()]
    assert any("evidence_image_dispatch (wanted=?)" in step for step in plan), plan
    assert not any("SEARCH i USING INDEX" in step and "station_id=?" in step
                   for step in plan), plan
