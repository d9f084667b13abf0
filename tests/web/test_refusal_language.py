"""Every refusal page (404, 403, 400) speaks the page's language alone: a Kazakh or Russian
visitor never reads an English message or an internal id (a station's, a contest's, an
election's), whichever app refused. The entry URL of a contest the station does not vote in
(a maslikhat's of another territory) answered an English sentence naming
`kz.….tec….` ids on a Kazakh page."""

import pytest
from django.test import Client

from tests import factories as f
from tests.web.visible_text import foreign_words, visible_text

LANGS = ("kk", "ru", "en")


@pytest.fixture
def bad_urls(db):
    """(what, path after the language, status, ids the page must not show, signed in?)"""
    station = f.StationFactory()
    f.ContestFactory(election=station.election)  # the country's contest the station votes in
    elsewhere = f.StationFactory(election=station.election)  # another territory
    foreign = f.ContestFactory(election=station.election, commission=elsewhere.territory,
                               seats=30, choices=("nur", "ak"))  # the other territory's maslikhat
    operator = f.operator(station)
    e = station.election.id
    # The factory names an election by its id; a real election's name is words.
    type(station.election).objects.filter(pk=e).update(
        names={"kk": "Сынақ сайлауы", "ru": "Тестовые выборы", "en": "Test election"})
    ids = (station.id, foreign.id, e, elsewhere.territory_id)
    return operator, [
        ("entry, a contest the station does not vote in",
         f"entry/{station.id}/{foreign.id}/1/", 404, ids, True),
        ("entry, an unknown station", f"entry/{e}.precinct.9999/{foreign.id}/1/", 404, ids, True),
        ("entry, an unknown contest", f"entry/{station.id}/{e}.nothing/2/", 404, ids, True),
        ("entry, a station of another commission's operator",
         f"entry/{elsewhere.id}/{foreign.id}/1/", 403, ids, True),
        ("station", f"e/{e}/s/99999/", 404, ids, False),
        ("commission", f"e/{e}/c/{e}.tec.77/", 404, ids, False),
        ("recording", "video/r/99999/", 404, ids, False),
        ("complaint", "complaints/c/NOPE-0000/", 404, ids, False),
        ("unknown election", "e/kz.nothing.2099/", 404, ("kz.nothing.2099",), False),
        ("a search that cannot be made", f"e/{e}/search/?q={'y' * 500}", 400, ids, False),
        ("complaint staff, no deciding role", "complaints/staff/", 403, ids, True),
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_refusal_pages_are_in_the_page_language_without_ids(bad_urls, lang):
    operator, urls = bad_urls
    public, signed_in = Client(), Client()
    signed_in.force_login(operator)
    faults = []
    for what, path, status, ids, login in urls:
        r = (signed_in if login else public).get(f"/{lang}/{path}")
        html = r.content.decode()
        text = visible_text(html)
        if r.status_code != status:
            faults.append((what, "status", r.status_code))
        if f'<html lang="{lang}">' not in html:
            faults.append((what, "not a page in", lang, text[:80]))
        shown = [i for i in ids if i in text]
        if shown:
            faults.append((what, "shows ids", shown))
        if lang != "en":
            # The operator's login name in the header is a name, not a message.
            words = foreign_words(html, extra_allowed=(operator.username,))
            if words:
                faults.append((what, "English", words[:8], text[:200]))
    assert not faults, "\n".join(map(str, faults))


@pytest.mark.parametrize("lang", ("kk", "ru"))
def test_a_refused_form_is_in_the_page_language(db, lang):
    """A form sent without its CSRF token: Django's own 403 page is English."""
    r = Client(enforce_csrf_checks=True).post(f"/{lang}/entry/login/",
                                              {"username": "a", "password": "b"})
    assert r.status_code == 403
    html = r.content.decode()
    assert f'<html lang="{lang}">' in html
    assert foreign_words(html) == [], visible_text(html)


# (path after the language, status, data-code, words in kk, ru and en): a page's own refusal
# keeps what it says in the page's language, beside the 404's or 403's advice.
SAID = {
    "station": (404, "unknown_station", {"kk": "мұндай нөмірлі учаске табылмады",
                                         "ru": "Участок с таким номером здесь не найден",
                                         "en": "No station with this number here"}),
    "voters": (403, "not_allowed", {"kk": "ешбір рөліңіз тізімдерге", "ru": "здесь не даёт доступа",
                                    "en": "here gives access to the lists"}),
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_page_refusal_says_why_in_the_page_language(bad_urls, lang):
    """The project's NotFound and Forbidden raised by a page, rendered by the one handler: the
    page's message (a msgid read in the page's language) and its code, not only the advice."""
    _operator, urls = bad_urls
    signed_in = Client()
    signed_in.force_login(f.UserFactory())  # signed in, with no role in the election
    paths = {"station": (Client(), next(p for w, p, *_ in urls if w == "station")),
             "voters": (signed_in, "voters/staff/")}
    for what, (client, path) in paths.items():
        status, code, words = SAID[what]
        r = client.get(f"/{lang}/{path}")
        html = r.content.decode()
        assert r.status_code == status, (what, r.status_code)
        assert f'data-code="{code}"' in html, (what, visible_text(html)[:300])
        assert words[lang] in visible_text(html), (what, visible_text(html)[:300])


@pytest.mark.parametrize("lang", ("kk", "ru"))
def test_an_address_no_view_answers_is_the_one_refusal_page(db, lang):
    """Django's own 404 (no view at the address) comes through the project's handler."""
    r = Client().get(f"/{lang}/no-such-page-at-all/")
    html = r.content.decode()
    assert r.status_code == 404 and f'<html lang="{lang}">' in html
    assert foreign_words(html) == [], visible_text(html)
    api = Client().get("/api/no-such-endpoint-at-all")
    assert api.status_code == 404 and api.json()["error"] == "not_found"


@pytest.mark.parametrize("lang", ("kk", "ru"))
def test_a_server_error_is_a_page_in_the_page_language(db, lang, monkeypatch):
    """A page that fails (a bug) answers 500 with a page in the visitor's language: Django's
    own is "Server Error (500)" in English."""
    from sailau.complaints import public

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(public, "repeated", fail)
    r = Client(raise_request_exception=False).get(f"/{lang}/complaints/statistics/")
    html = r.content.decode()
    assert r.status_code == 500 and f'<html lang="{lang}">' in html
    assert foreign_words(html) == [], visible_text(html)
    assert {"kk": "Сервер қатесі", "ru": "Ошибка сервера"}[lang] in visible_text(html)


@pytest.mark.parametrize("lang,said", [
    ("kk", "сіз кірмегенсіз"), ("ru", "а вы не вошли"), ("en", "you are not signed in")])
def test_a_refusal_to_a_visitor_not_signed_in_says_so(db, lang, said):
    """A 403 shown to a visitor with no account signed in says they are not signed in, not that
    "no role of your account" allows the page, and leads to the sign-in."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.utils import translation

    from sailau.web.refusals import denied

    request = RequestFactory().get(f"/{lang}/somewhere/")
    request.user = AnonymousUser()
    with translation.override(lang):
        html = denied(request).content.decode()
    text = visible_text(html)
    assert said in text, text
    assert "No role of your account" not in text and "тіркелгіңіздің бірде-бір рөлі" not in text
    assert "Ни одна роль вашей учётной записи" not in text
    assert f'href="/{lang}/entry/login/?next=/{lang}/somewhere/"' in html


@pytest.mark.parametrize("lang", ("kk", "ru"))
def test_the_scan_upload_form_sends_a_visitor_not_signed_in_to_sign_in(db, lang):
    """The operators' scan upload page, as their entry form: a visitor not signed in is sent to
    the sign-in page (it answered 403, "no role of your account")."""
    station = f.StationFactory()
    contest = f.ContestFactory(election=station.election)
    path = f"/{lang}/scans/{station.id}/{contest.id}/upload/"
    r = Client().get(path)
    assert r.status_code == 302 and r["Location"] == f"/{lang}/entry/login/?next={path}"
