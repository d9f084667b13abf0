"""One language per page: every page type of a demo night in progress (60 % reported), public
and operators', in Kazakh and Russian, shows no English message id and no internal key or id
in its visible text (text, placeholders, alt texts, titles), and no word of the other national
language: the data's names and addresses (stations, commissions, districts, places) are read
too. What counts as foreign is in visible_text.py; codes shown as <code> (hashes, file paths,
control-relation codes) and elements that declare their language (the language switch) are
exempt. Every page in Kazakh in Latin script (kk-latn) shows no Cyrillic letter at all outside
elements that declare their own language or that they are shown as written: its messages, names
and addresses are transliterated; beyond the list, a crawl of every link a visitor can follow
under /kk-latn/ holds every page type it reaches to that."""

import re
from collections import Counter
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from tests.web.visible_text import (
    cyrillic_words,
    foreign_words,
    other_language_words,
    visible_text,
)


@pytest.fixture
def night(transactional_db, request):
    import json

    from sailau.accounts.models import Role
    from sailau.complaints.models import Complaint
    from sailau.demo.accounts import create_demo_accounts
    from sailau.demo.night_plan import plan_path
    from sailau.observation.models import Observer, ObserverCopy, PvtSample
    from tests.web.demonight import demo_night

    e = demo_night(request)
    create_demo_accounts(free=json.loads(plan_path().read_text())["reserved"])
    territory = e.commissions.filter(level="territorial").order_by("number").first()
    district = e.commissions.filter(parent=territory).order_by("number").first()
    smd = e.commissions.filter(level="smd").order_by("number").first()
    reported = e.stations.filter(protocols__current=True).order_by("number").first()
    waiting = e.stations.exclude(protocols__current=True).order_by("number").first()
    amended = e.stations.filter(protocols__source="amendment").order_by("number").first()
    differs = (ObserverCopy.objects.filter(station__election=e).order_by("id"))
    contest = e.contests.exclude(kind="single_member").order_by("id").first()
    complaint = Complaint.objects.filter(election=e).order_by("id").first()
    badge = Observer.objects.filter(organisation__election=e).order_by("id").first().badge
    base = f"e/{e.id}/"
    public = {"home": "", "election": base, "territory": f"{base}c/{territory.id}/",
              "district": f"{base}c/{district.id}/", "smd": f"{base}c/{smd.id}/",
              "station": f"{base}s/{reported.number}/", "waiting": f"{base}s/{waiting.number}/",
              "search": f"{base}search/?q={territory.name('ru').split()[0]}",
              "downloads": f"{base}download/", "integrity": f"{base}integrity/",
              "scans": f"scans/{reported.id}/{contest.id}/", "flagged": f"scans/flagged/{e.id}/",
              "complaints": "complaints/", "complaint": f"complaints/c/{complaint.receipt}/",
              "complaint-stats": "complaints/statistics/", "observation": "observation/",
              "organisations": "observation/organisations/", "copies": "observation/copies/",
              "all-copies": "observation/copies/?status=", "badge": f"observation/check/{badge}/",
              "observation-stats": "observation/statistics/", "voters": "voters/",
              "voters-report": "voters/report/", "entry-login": "entry/login/",
              "404": f"{base}s/99999999/"}
    if amended:
        public["amended"] = f"{base}s/{amended.number}/"
    from sailau.finance.models import Finding

    public["finance"] = f"{base}finance/"
    public["finance-search"] = f"{base}finance/?q=ЖШС"
    for kind in ("party", "candidate"):
        f = Finding.objects.filter(election=e, recipient_kind=kind).order_by("id").first()
        public[f"finance-{kind}"] = f"{base}finance/{kind}/{f.party_id or f.candidate_id}/"
    from sailau.evidence.models import Image

    public["volunteers"] = "evidence/"
    image = Image.objects.order_by("id").first()
    if image:
        public["evidence"] = f"evidence/image/{image.id}/"
    for c in differs[:5]:
        public[f"observed-{c.station.number}"] = f"{base}s/{c.station.number}/"
    sample = PvtSample.objects.filter(election=e).first()
    if sample:
        public["pvt"] = f"observation/pvt/{sample.id}/"
    # The Senate election the demo builds beside the Mazhilis (sailau/demo/senate.py).
    from tests.web.test_senate_pages import _pages as senate_pages

    public.update({f"senate-{name}": path for name, path in senate_pages().items()})
    # The demo operator's own station, typed by nobody yet.
    own = e.stations.get(commission=Role.objects.get(user__username="demo-operator").commission)
    # ... and a page no role of the operator's allows: refused in the page's language.
    entry = {"entry": "entry/", "entry-form": f"entry/{own.id}/{contest.id}/1/",
             "403": "complaints/staff/"}
    return {"public": public, "entry": entry}


def _foreign(client, lang: str, pages: dict) -> list:
    found = []
    for name, path in pages.items():
        r = client.get(f"/{lang}/{path}")
        assert r.status_code in (200, 403, 404), (lang, name, r.status_code)
        assert (r.status_code == 403) == (name == "403"), (lang, name, r.status_code)
        html = r.content.decode()
        if lang == "kk-latn":  # Latin is its script: what must not be there is Cyrillic
            words = cyrillic_words(html)
        else:
            # A user's own name in the operators' header is a name, not a message.
            words = foreign_words(html, extra_allowed=(*STAFF, "demo-operator"))
            words += other_language_words(html, lang)
        if words:
            text = visible_text(html, declared=False)
            at = text.find(words[0])
            found.append((lang, name, sorted(set(words))[:12], text[max(0, at - 80):at + 40]))
    return found


# The languages whose pages are read: Kazakh in both scripts and Russian (an English page may
# show a name in Kazakh, as its maps do).
LANGS = ("kk", "kk-latn", "ru")


def test_every_page_in_kazakh_and_russian_is_in_that_language_alone(night):
    client, found = Client(), []
    for lang in LANGS:
        found += _foreign(client, lang, night["public"])
    assert client.login(username="demo-operator", password="demo-operator")
    for lang in LANGS:
        found += _foreign(client, lang, night["entry"])
    # The pages of the other accounts the README gives, where the data shows most names: the
    # observer's form (its stations and contests drawn from the page's JSON), the complaints to
    # decide, the organisation's queue.
    for account, pages in STAFF.items():
        client = Client()
        assert client.login(username=account, password=account)
        for lang in LANGS:
            found += _foreign(client, lang, pages)
    # Then a crawl of the public site under /kk-latn/ from its home and the pages above: every
    # page type a visitor reaches (the candidates' registers, nominations and refusals, the
    # finance and integrity pages, stations, commissions, complaints) shows no Cyrillic letter.
    # In this test rather than one of its own: the demo night takes minutes to build.
    crawled, read = _crawl(Client(), "kk-latn", ["", *night["public"].values()])
    assert {"candidates:index", "candidates:contest", "candidates:nomination",
            "candidates:refusals", "publish:station", "publish:commission"} <= set(read), read
    assert not found + crawled, "\n".join(map(str, found + crawled))


HREF = re.compile(r"""<a\b[^>]*?\bhref=["']([^"'#]+)""", re.IGNORECASE)


def _crawl(client, lang: str, start: list[str], per_route: int = 4) -> tuple[list, Counter]:
    """Every page a visitor reaches by following links from `start` under /<lang>/, up to
    `per_route` pages of each view (the 120 stations are one page type, read a few times): the
    pages' foreign words as `_foreign` finds them, and how many pages of each view were read."""
    todo, seen, read, found = [f"/{lang}/{p}" for p in start], set(), Counter(), []
    while todo:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            with translation.override(lang):  # the language prefix resolves in its language
                view = resolve(urlsplit(path).path).view_name
        except Resolver404:
            continue
        if read[view] >= per_route:
            continue
        read[view] += 1
        r = client.get(path)
        if r.status_code != 200 or not r["Content-Type"].startswith("text/html"):
            continue
        html = r.content.decode()
        words = cyrillic_words(html) if lang == "kk-latn" else []
        if words:
            text = visible_text(html, declared=False)
            at = text.find(words[0])
            found.append((lang, path, sorted(set(words))[:12], text[max(0, at - 80):at + 40]))
        for href in HREF.findall(html):
            url = urljoin(path, unescape(href))
            if url.startswith(f"/{lang}/") and url not in seen:
                todo.append(url)
    return found, read


STAFF = {"demo-observer": {"observer-form": "observation/form/"},
         "demo-decider": {"complaints-staff": "complaints/staff/"},
         "demo-manager": {"queue": "observation/queue/"}}
