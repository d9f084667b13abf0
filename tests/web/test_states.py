"""Every public page and API answer at every state of election night, in kk, ru and en: nothing
reported (with no tally yet, and with tallies of zero), one station, part, a tie, an amendment
after publication, and everything. Not only 200: each page says how many stations have
reported and as of when, single-member districts say "leading" until complete and "elected" or
"tie" after, and the national seats are provisional until the contest is complete.

Each state is a small election (60 stations) built here, its protocols written as definitive
versions with their step times and the tallies recomputed from them."""

import datetime as dt
import re

import pytest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from sailau.elections import structure
from sailau.elections.models import Commission, Contest, Station
from sailau.protocols import tabulation
from sailau.protocols.models import Protocol, StepTime, Tally
from tests.chain_fixtures import synthetic

LANGS = ("kk", "ru", "en")
STATES = ("no_tally", "zero", "one", "part", "tie", "amended", "complete")
NIGHT = dt.datetime(2023, 3, 19, 15, 0, tzinfo=dt.UTC)


def _figures(i: int, choices: list[str], tie: bool) -> tuple[dict, dict]:
    votes = {k: (40 if tie and n < 2 else 10 + (7 * i + 3 * n) % 23) for n, k in
             enumerate(choices)}
    if tie:  # the first two candidates equal and ahead of the rest
        votes.update({k: min(v, 30) for k, v in list(votes.items())[2:]})
    valid = sum(votes.values())
    fig = {"voters_on_list": 400, "ballots_received": 400, "issued_in_room": valid + 2,
           "issued_mobile": 0, "issued_absentee": 0, "cancelled": 400 - valid - 2, "lost": 0,
           "found_stationary": valid + 2, "found_mobile": 0, "mobile_requests": 0, "invalid": 2}
    return fig, votes


def _report(stations, contests, tie_contest=None, start=0) -> dt.datetime | None:
    """Definitive protocols of `stations` for their contests, a minute apart from 20:00 on."""
    latest = None
    for i, s in enumerate(stations, start):
        at = NIGHT + dt.timedelta(minutes=i)
        for c in contests:
            if c.kind == Contest.SINGLE_MEMBER and c.commission_id != s.smd_id:
                continue
            keys = [ch.key for ch in c.choices.order_by("order") if ch.key != "against_all"]
            fig, cho = _figures(i, keys, tie=c == tie_contest)
            p = Protocol.objects.create(station=s, contest=c, figures=fig, choices=cho)
            Protocol.objects.filter(pk=p.pk).update(created_at=at)
        StepTime.objects.get_or_create(station=s, step="definitive", defaults={"at": at})
        latest = at
    return latest


@pytest.fixture
def night(db, request, monkeypatch, tmp_path):
    """The election in state `request.param`; returns what the pages should say. A data
    directory of its own: the integrity report is computed for this state, not read from
    another test's."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    state = request.param
    election = structure.write(structure.validate(synthetic().structure()))
    contests = list(Contest.objects.filter(election=election).select_related("commission"))
    stations = list(Station.objects.filter(election=election).order_by("number"))
    smd = next(c for c in contests if c.kind == Contest.SINGLE_MEMBER)
    smd_stations = [s for s in stations if s.smd_id == smd.commission_id]
    reported, latest, tie = [], None, None
    if state == "one":
        reported = smd_stations[:1]
    elif state == "part":
        reported = smd_stations[:1] + [s for s in stations if s.smd_id != smd.commission_id][::2]
    elif state in ("tie", "amended", "complete"):
        reported = stations
        tie = smd if state == "tie" else None
    latest = _report(reported, contests, tie)
    if state == "amended":  # a protocol of the SMD's first station amended after publication
        s = smd_stations[0]
        old = Protocol.objects.get(station=s, contest=smd, current=True)
        Protocol.objects.filter(pk=old.pk).update(current=False)
        cho = dict(old.choices)
        cho[next(iter(cho))] += 1
        latest = NIGHT + dt.timedelta(hours=5)
        p = Protocol.objects.create(station=s, contest=smd, version=2, figures=old.figures,
                                    choices=cho, source="amendment")
        Protocol.objects.filter(pk=p.pk).update(created_at=latest)
    if state == "no_tally":
        Tally.objects.filter(contest__election=election).delete()
    else:
        for c in contests:
            tabulation.rebuild(c)
    national = next(c for c in contests if c.kind != Contest.SINGLE_MEMBER)
    return {"state": state, "election": election, "smd": smd, "national": national,
            "stations": stations, "smd_stations": smd_stations, "latest": latest,
            "reported": len(reported), "smd_reported": sum(1 for s in reported
                                                           if s.smd_id == smd.commission_id)}


def _words(lang: str, *msgids: str) -> list[str]:
    """The page's words in `lang`; a kk or ru word that is still English is a missing
    translation, not a pass."""
    with translation.override(lang):
        words = [_(m) for m in msgids]
    if lang != "en":
        for m, w in zip(msgids, words):
            assert w != m, f"{m!r} has no {lang} translation"
    return words


def _when(at: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(at), "d.m.Y H:i")


def _get(client, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, f"{url}: {r.status_code}"
    return r.content.decode() if not hasattr(r, "streaming_content") else ""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("night", STATES, indirect=True)
def test_every_page_at_every_state(client, night, lang):
    e, state, smd = night["election"], night["state"], night["smd"]
    n, total = night["reported"], len(night["stations"])
    smd_n, smd_total = night["smd_reported"], len(night["smd_stations"])
    leading, elected, tie_word, provisional_seats, nothing, all_reported = _words(
        lang, "Leading", "Elected", "Tie", "Seats (provisional)", "No station has reported yet",
        "All stations reported")
    base = f"/{lang}/e/{e.id}"

    # The national page: the reported count, as of when, seats provisional until complete.
    page = _get(client, f"{base}/")
    assert f"<strong>{n}</strong> / {total}" in page
    if n == 0:
        assert nothing in page
        # Nothing counted is no figure, not "0 0.00%": every cell of the results tables a dash.
        tables = re.findall(r'<table class="results">(.*?)</table>', page, re.DOTALL)
        cells = [c for t in tables for c in re.findall(r'<td class="n">(.*?)</td>', t, re.DOTALL)]
        assert cells and set(cells) == {"—"}, cells[:6]
    else:
        assert _when(night["latest"]) in page
    assert (provisional_seats in page) == (n < total)
    assert (all_reported in page) == (n == total)
    # Single-member districts: leading until complete, elected or tie after.
    smd_page = _get(client, f"{base}/c/{smd.commission_id}/")
    assert f"<strong>{smd_n}</strong> / {smd_total}" in smd_page
    link = f'href="{base}/c/{smd.commission_id}/"'
    row = page[page.index(link):].split("</tr>")[0]  # the district's row on the national page
    assert f"{smd_n} / {smd_total}" in row
    for html in (row, smd_page):
        if state in ("one", "part"):
            assert leading in html and elected not in html
        elif state == "tie":
            assert tie_word in html and elected not in html
        elif state in ("amended", "complete"):
            assert elected in html and leading not in html
    if state == "amended":
        assert _when(night["latest"]) in smd_page
    # Territory and district pages: their own counts; the territory shows results over time.
    s0 = night["smd_stations"][0]
    territory = _get(client, f"{base}/c/{s0.territory_id}/")
    in_territory = [s for s in night["stations"] if s.territory_id == s0.territory_id]
    t_n = Protocol.objects.filter(contest=night["national"], current=True,
                                  station__in=in_territory).count()
    assert f"<strong>{t_n}</strong> / {len(in_territory)}" in territory
    assert ("<svg class=\"chart\"" in territory) == (t_n > 0)
    assert ("<svg class=\"chart\"" in page) == (n > 0)
    _get(client, f"{base}/c/{s0.district_id}/")
    _get(client, f"{base}/s/{s0.number}/")
    # Search (and a bad query: 400 with the reason on the page), downloads, progress files.
    _get(client, f"{base}/search/?q={s0.number}")
    assert "100" in _get(client, f"{base}/search/?q={'y' * 500}", 400)
    _get(client, f"{base}/download/")
    progress_csv = _get(client, f"{base}/download/{night['national'].id}/progress.csv")
    assert len(progress_csv.strip().splitlines()) == 1 + n
    # The other public pages.
    for url in (f"/{lang}/", f"{base}/integrity/", f"/{lang}/complaints/",
                f"/{lang}/observation/", f"/{lang}/voters/"):
        _get(client, url)
    if lang == "en":
        _api(client, night)


def _api(client, night):
    e, smd = night["election"], night["smd"]
    for c in (night["national"], smd):
        r = client.get(f"/api/tallies/{c.id}/{c.commission_id}")
        assert r.status_code == 200, r.content
        body = r.json()
        reported = night["reported"] if c == night["national"] else night["smd_reported"]
        assert body["stations_reported"] == reported
        if reported:
            assert body["outcome"]["status"] in ("final", "provisional")
        assert client.get(f"/api/tallies/{c.id}").status_code == 200
    for url in (f"/api/publish/elections/{e.id}",
                f"/api/publish/elections/{e.id}/commissions/{smd.commission_id}",
                f"/api/publish/elections/{e.id}/stations/{night['stations'][0].number}"):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_a_fresh_structure_import_answers_every_results_page(client):
    """The reported case: a structure imported into an empty installation, nothing else."""
    e = structure.write(structure.validate(synthetic().structure()))
    Tally.objects.filter(contest__election=e).delete()
    for c in Commission.objects.filter(election=e).exclude(level=Commission.PRECINCT):
        assert client.get(f"/ru/e/{e.id}/c/{c.id}/").status_code == 200, c.id
    assert client.get(f"/ru/e/{e.id}/").status_code == 200


def _seat_badges(page: str) -> list[str]:
    """The badges of the national page that call the seats provisional, in any language (an
    untranslated English one counts too); the reporting line's own badge is about the count."""
    page = re.sub(r'<p class="reporting">.*?</p>', "", page, flags=re.DOTALL)
    badges = re.findall(r'<strong class="badge warn"[^>]*>([^<]*)</strong>', page)
    word = re.compile(r"provisional|алдын ала|предварительн", re.IGNORECASE)
    return [b for b in badges if word.search(b)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("night", ("part", "complete"), indirect=True)
def test_the_national_page_says_once_that_the_seats_are_provisional(client, night, lang):
    page = _get(client, f"/{lang}/e/{night['election'].id}/")
    assert '<figure class="parliament' in page  # the seats are drawn too
    assert len(_seat_badges(page)) == (1 if night["state"] == "part" else 0), _seat_badges(page)
