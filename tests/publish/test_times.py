"""Every time on a page in one format, local (Asia/Almaty) dd.mm.yyyy HH:MM, through the one
`when` filter: no raw ISO UTC time beside local ones."""

import datetime as dt
import re

import pytest

from sailau.web.templatetags.sailau import when
from tests.web.visible_text import visible_text

ISO = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def test_one_format_local_time():
    # Almaty was UTC+6 in March 2023 (UTC+5 since March 2024): the zone database decides.
    assert when("2023-03-19T16:30:00+00:00") == "19.03.2023 22:30"
    assert when(dt.datetime(2023, 3, 19, 16, 30, tzinfo=dt.UTC)) == "19.03.2023 22:30"
    assert when(dt.datetime(2026, 11, 22, 20, 5, tzinfo=dt.UTC)) == "23.11.2026 01:05"
    assert when(dt.date(2023, 3, 19)) == "19.03.2023"
    assert when(None) == "" and when("") == "" and when("not a time") == "not a time"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_station_and_downloads_pages_show_no_raw_iso_time(client, small_election, snapshot_dir,
                                                         lang):
    from sailau.elections.models import Station
    from sailau.publish.pipeline import snapshots

    snapshots.publish(small_election.id)
    s = Station.objects.filter(election=small_election).order_by("number").first()
    for url in (f"/{lang}/e/{small_election.id}/s/{s.number}/",
                f"/{lang}/e/{small_election.id}/download/"):
        html = client.get(url).content.decode()
        text = visible_text(html)
        assert not ISO.search(text), (url, ISO.search(text).group(0))
        assert re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", text), url
