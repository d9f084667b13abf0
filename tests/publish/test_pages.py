"""The drill-down pages: country → territory → district → station, and 404s."""

import re

import pytest
from django.utils.html import escape

from sailau.elections.models import Commission, Station
from sailau.protocols.models import Protocol, Tally

pytestmark = pytest.mark.django_db


def test_territory_page_shows_its_own_totals_and_links_districts(client, small_election):
    t = Commission.objects.filter(election=small_election, level="territorial").first()
    contest = small_election.contests.get(kind="party_list")
    tally = Tally.objects.get(contest=contest, commission=t)
    html = client.get(f"/ru/e/{small_election.id}/c/{t.id}/").content.decode()
    assert t.name("ru") in html
    assert f"<strong>{tally.stations_reported}</strong> / {tally.stations_expected}" in html
    for dist in Commission.objects.filter(parent=t):
        assert f"/ru/e/{small_election.id}/c/{dist.id}/" in html
    # The first row of the results table is the territory's leader, with its votes.
    leader = max((k for k in tally.choices if k != "against_all"), key=tally.choices.get)
    votes = f"{tally.choices[leader]:,}".replace(",", "\u202f")
    assert votes in html


def test_country_page_lists_territories(client, small_election):
    cec = Commission.objects.get(election=small_election, level="cec")
    html = client.get(f"/kk/e/{small_election.id}/c/{cec.id}/").content.decode()
    for t in Commission.objects.filter(election=small_election, level="territorial"):
        assert f"/kk/e/{small_election.id}/c/{t.id}/" in html


def test_district_page_lists_its_stations(client, small_election):
    d = Commission.objects.filter(election=small_election, level="district").first()
    html = client.get(f"/en/e/{small_election.id}/c/{d.id}/").content.decode()
    numbers = set(Station.objects.filter(district=d).values_list("number", flat=True))
    linked = {int(n) for n in re.findall(rf"/en/e/{re.escape(small_election.id)}/s/(\d+)/", html)}
    assert linked == numbers


def test_a_page_listing_stations_names_what_each_has_reported(client, small_synthetic):
    """The rows of a single-member district's stations: a badge per contest reported, by name,
    or "not reported yet"."""
    from collections import Counter

    from sailau.demo.chain import route
    from sailau.demo.load import load

    election = load(small_synthetic, route=False)
    smd, _ = Counter(Station.objects.filter(election=election).values_list(
        "smd_id", flat=True)).most_common(1)[0]
    ids = sorted(Station.objects.filter(smd_id=smd).values_list("id", flat=True))
    route(small_synthetic, only=set(ids[::2]))  # every other station reported
    html = client.get(f"/en/e/{election.id}/c/{smd}/").content.decode()
    rows = dict(re.findall(r'/s/(\d+)/">№\d+</a></th>\s*<td class="n">[^<]*</td>\s*<td>(.*?)</td>',
                           html))
    names = {c.id: escape(c.name("en")) for c in election.contests.all()}
    shown = Counter()
    for s in Station.objects.filter(smd_id=smd):
        done = Protocol.objects.current().filter(station=s).values_list("contest_id", flat=True)
        badges = re.findall(r'<span class="badge ok">(.*?)</span>', rows[str(s.number)])
        assert sorted(badges) == sorted(names[c] for c in done), s.number
        assert ("Not reported yet" in rows[str(s.number)]) == (not done)
        shown[bool(done)] += 1
    assert shown[True] and shown[False] and len(rows) == len(ids)


def test_station_page_shows_every_line_and_vote(client, small_election):
    p = Protocol.objects.filter(station__election=small_election, current=True).first()
    html = client.get(f"/ru/e/{small_election.id}/s/{p.station.number}/").content.decode()
    assert "Число избирателей" in html or "избирател" in html
    for key, value in p.figures.items():
        assert f"{value:,}".replace(",", "\u202f") in html, key
    assert p.station.addresses.get("ru", "") in html


def test_station_page_shows_amended_versions_with_changes(client, small_election):
    amended = Protocol.objects.filter(station__election=small_election, version=2).first()
    if amended is None:
        pytest.skip("the synthetic election has no amendment at this size")
    html = client.get(f"/en/e/{small_election.id}/s/{amended.station.number}/").content.decode()
    assert "Version 2" in html and "Version 1" in html
    assert amended.amendment.decision_number in html
    assert "→" in html


def test_unknown_ids_get_a_404_in_the_visitors_language(client, small_election):
    for lang, text in (("kk", "табылмады"), ("ru", "не найдена"), ("en", "not found")):
        _not_found(client, small_election, lang, text)


def _not_found(client, small_election, lang, text):
    for url in (f"/{lang}/e/nope/c/x/", f"/{lang}/e/{small_election.id}/c/nope/",
                f"/{lang}/e/{small_election.id}/s/999999/", f"/{lang}/e/nope/s/1/",
                f"/{lang}/e/{small_election.id}/download/nope/stations.csv"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert text in r.content.decode().lower(), url
        assert f'<html lang="{lang}">' in r.content.decode()


def test_precinct_commission_redirects_to_its_station(client, small_election):
    s = Station.objects.filter(election=small_election).first()
    r = client.get(f"/kk/e/{small_election.id}/c/{s.commission_id}/")
    assert r.status_code == 302 and r["Location"].endswith(f"/s/{s.number}/")


def test_station_page_shows_scan_hash_status_and_control_findings(client, small_election):
    from sailau.scans.models import Scan

    p = Protocol.objects.filter(station__election=small_election, current=True).first()
    Scan.objects.create(station=p.station, contest=p.contest, protocol=p, sha256="ab" * 32,
                        file="scans/x.pdf", content_type="application/pdf", size=1234,
                        status=Scan.MISMATCH, reason="figures")
    # Break a control relation in the stored figures: the page re-checks, it does not trust.
    p.figures = {**p.figures, "invalid": p.figures["invalid"] + 7}
    p.save()
    html = client.get(f"/en/e/{small_election.id}/s/{p.station.number}/").content.decode()
    assert "ab" * 32 in html
    assert "The scan differs from the protocol" in html and "figures" in html
    assert re.search(r"<code>F\d{3}</code>", html)


def test_election_page_links_every_territory(client, small_election):
    html = client.get(f"/kk/e/{small_election.id}/").content.decode()
    for t in Commission.objects.filter(election=small_election, level="territorial"):
        assert f"/kk/e/{small_election.id}/c/{t.id}/" in html


def test_station_page_valid_line_chronometry_and_observer_copy(client, small_election):
    from sailau.observation.models import ObserverCopy

    p = Protocol.objects.filter(station__election=small_election, current=True,
                                contest__kind="party_list").first()
    url = f"/en/e/{small_election.id}/s/{p.station.number}/"
    html = client.get(url).content.decode()
    valid = sum(p.choices.values())
    row = re.search(r">Valid ballots<.*?</tr>", html, re.DOTALL)
    assert row and f'<td class="n">{valid:,}</td>'.replace(",", "\u202f") in row.group(0)
    assert "Polls closed" in html and "polls_closed" not in html
    assert "No observer has submitted a copy" in html
    observer = _observer(small_election, p.station)
    choices = dict(p.choices)
    key = next(iter(choices))
    choices[key] += 7
    ObserverCopy.objects.create(observer=observer, station=p.station, contest=p.contest,
                                figures=p.figures, choices=choices,
                                uuid="00000000-0000-4000-8000-000000000001")
    html = client.get(url).content.decode()
    assert "differs from the official protocol" in html
    name = p.contest.choices.get(key=key).name("en")
    assert re.search(rf">{re.escape(escape(name))}</th>", html)


def _observer(election, station):
    from sailau.observation.models import Observer, Organisation

    org = Organisation.objects.create(election=election, kind=Organisation.KINDS[0][0],
                                      names={"kk": "Бақылаушылар"})
    return Observer.objects.create(organisation=org, kind=Observer.KINDS[0][0],
                                   full_name="Observer", badge="TEST-1")
