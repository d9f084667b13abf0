"""The language switch lists every language of sailau.languages by its own name, Kazakh in Latin
script among them, each link the same page in that language; `/` sends a browser that asks for
kk-Latn to /kk-latn/."""

import re

import pytest


@pytest.mark.django_db
def test_the_switch_offers_kazakh_in_latin_script(client):
    r = client.get("/kk-latn/voters/")
    assert r.status_code == 200
    html = r.content.decode()
    assert '<html lang="kk-latn">' in html
    links = re.findall(r'<a href="([^"]+)" lang="([^"]+)" hreflang="[^"]+"[^>]*>([^<]+)</a>', html)
    assert links == [("/kk/voters/", "kk", "Қазақша"), ("/kk-latn/voters/", "kk-latn", "Qazaqşa"),
                     ("/ru/voters/", "ru", "Русский"), ("/en/voters/", "en", "English")]


@pytest.mark.django_db
def test_a_browser_asking_for_kk_latn_is_sent_there(client):
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="kk-Latn-KZ,ru;q=0.5")
    assert r.status_code == 302 and r["Location"] == "/kk-latn/"


def test_the_browsers_favicon_request_finds_the_sites_icon(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301
    icon = client.get(answer["Location"])
    assert icon.status_code == 200 and b"PNG" in b"".join(icon.streaming_content)[:8]
