"""On a server holding only a referendum, the complaints pages offer none of a candidate's
choices anywhere: not the register without an election chosen, its statistics, the deciding
body's work list, nor the filing form (who files, against whom, the topic, the name's hint).
Through Django's test client on a two-region referendum of `kind_elections`."""

import re

import pytest
from django.test import Client

from tests.chain_fixtures import People
from tests.web import kind_elections

pytestmark = pytest.mark.django_db
# The values of a candidate's choices and the words they are shown in, as whole words.
OPTION = re.compile(r'<option value="(candidate|party|proxy|registration)"')
WORDS = {"ru": re.compile(r"(?<!\w)([Кк]андидат\w*|[Пп]арти\w*|[Дд]оверенн\w*)"),
         "kk": re.compile(r"(?<!\w)([Кк]андидат\w*|[Пп]артия\w*|[Сс]енім\w* өкіл\w*)")}


def test_no_candidate_party_or_proxy_is_offered_on_a_referendum():
    e = kind_elections.referendum(regions=2, yes_regions=1)
    admin = People(e).admin()
    client = Client()
    client.force_login(admin)
    faults = []
    for lang in ("kk", "ru"):
        for path in ("complaints/", "complaints/statistics/", "complaints/staff/",
                     "complaints/file/"):
            r = client.get(f"/{lang}/{path}")
            assert r.status_code == 200, (lang, path, r.status_code)
            html = r.content.decode()
            assert '<option value="voter"' in html  # the filter or field is there
            faults += [(lang, path, m.group(0)) for m in OPTION.finditer(html)]
            form = html[html.find('id="main"'):]
            faults += [(lang, path, m.group(0)) for m in WORDS[lang].finditer(form)]
    assert not faults, faults
    # in the referendum's words: citizens, their lists, the referendum's commission
    html = client.get("/ru/complaints/file/").content.decode()
    assert "На кого (комиссия, должностное лицо)" in html
    for words in ('<label for="id_election">Референдум:', '<option value="voter">Гражданин',
                  '<option value="voter_lists">Списки граждан',
                  '<option value="commission">Комиссия референдума'):
        assert words in html, words
    for path in ("complaints/", "complaints/staff/"):
        html = client.get(f"/kk/{path}").content.decode()
        assert '<option value="voter_lists">Азаматтар тізімдері' in html, path
        assert "<label>Референдум <select" in html, path
    html = client.get("/ru/complaints/statistics/").content.decode()
    assert '<th scope="row">Комиссия референдума</th>' in html
    assert "Избирательная комиссия" not in html and "Списки избирателей" not in html


def test_a_presidential_election_beside_the_referendum_keeps_them():
    """Where one of the elections has candidates, the form and the filters offer them."""
    e = kind_elections.referendum(regions=2, yes_regions=1)
    kind_elections.president()
    client = Client()
    client.force_login(People(e).admin())
    for path in ("complaints/", "complaints/staff/", "complaints/file/"):
        html = client.get(f"/ru/{path}").content.decode()
        assert '<option value="candidate"' in html and '<option value="party"' in html, path
    # the register of the referendum alone still offers none
    html = client.get(f"/ru/complaints/?election={e.id}").content.decode()
    assert not OPTION.search(html)


def test_a_referendum_complaint_is_shown_in_its_words():
    """The register, the case page and the deciding body's pages name a referendum complaint's
    filer, topic and body as the referendum does."""
    import datetime as dt

    from django.utils import timezone

    from sailau.complaints import services

    e = kind_elections.referendum(regions=1, yes_regions=1)
    station = e.stations.order_by("number").first()
    c, _ = services.file_complaint({
        "election": e.id, "filer_kind": "voter", "filer_name": "Айгүл Серікова",
        "against_kind": "commission", "against_name": "PEC", "topic": "voter_lists",
        "text": "Not on the list.", "body": "commission", "station": str(station.number),
        "filed_at": timezone.make_aware(dt.datetime.combine(e.date, dt.time(10)))})
    client = Client()
    client.force_login(People(e).admin())
    for path in ("complaints/", f"complaints/c/{c.receipt}/", "complaints/staff/",
                 f"complaints/staff/{c.receipt}/"):
        html = client.get(f"/ru/{path}").content.decode()
        assert "Списки граждан" in html and "Комиссия референдума" in html, path
        assert "Списки избирателей" not in html and "Избирательная комиссия" not in html, path
    html = client.get(f"/ru/complaints/c/{c.receipt}/").content.decode()
    assert "<dt>Референдум</dt>" in html and "<dt>Выборы</dt>" not in html
    assert "<dd>Гражданин</dd>" in html


def test_the_filing_forms_refusals_say_here_not_in_this_election():
    """A station or commission the referendum does not have is refused, as the form asks before
    filing, without an election's words ("in this election" read wrong on a referendum)."""
    from django.utils import translation

    from sailau.complaints.services import route

    e = kind_elections.referendum(regions=1, yes_regions=1)
    data = {"election": e.id, "station": "9999", "commission": "nowhere"}
    for lang, here, election in (("kk", "Мұнда", "сайлау"), ("ru", "Здесь", "выбор"),
                                 ("en", "here", "election")):
        with translation.override(lang):
            _, errors = route(data)
        said = [errors[k] for k in ("station", "commission")]
        assert all(here in text and election not in text.lower() for text in said), said
