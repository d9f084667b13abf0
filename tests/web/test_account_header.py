"""The header says who is signed in, though the pages are cached and shared: a signed-in
visitor sees their name and "Sign out" (never a 304 to their browser's anonymous copy), the
next anonymous visitor still gets "Sign in" from the same cached page."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from tests.factories import ContestFactory, StationFactory, UserFactory


@pytest.mark.parametrize("lang", ("kk", "ru", "en"))
def test_signed_in_header_shows_the_user_and_sign_out(db, client, lang, tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    station = StationFactory()
    ContestFactory(election=station.election)
    with translation.override(lang):
        sign_in, sign_out = _("Sign in"), _("Sign out")
    url = f"/{lang}/e/{station.election.id}/"
    anon = client.get(url)
    assert anon.status_code == 200
    assert 'class="signin"' in anon.content.decode() and sign_in in anon.content.decode()
    etag = anon["ETag"]

    user = UserFactory(username="aigerim.op")
    signed = Client()
    signed.force_login(user)
    for headers in ({}, {"If-None-Match": etag}):
        r = signed.get(url, headers=headers)
        assert r.status_code == 200, headers
        page = r.content.decode()
        header = page[page.index("<header"):page.index("</header>")]
        assert "aigerim.op" in header and sign_out in header
        assert 'class="signin"' not in header
        assert "private" in r["Cache-Control"] and not r.has_header("ETag")

    again = client.get(url).content.decode()  # the shared page was not changed for everyone
    assert "aigerim.op" not in again and 'class="signin"' in again


@pytest.mark.parametrize("path", ("entry/", "complaints/"))
def test_signed_in_pages_name_the_user_and_sign_out_once(db, path):
    """The entry and complaints pages used to add their own name and "Sign out" beside the
    header's: twice on one screen, two buttons to the same thing."""
    user = UserFactory(username="aigerim.op")
    signed = Client()
    signed.force_login(user)
    with translation.override("ru"):
        sign_out = _("Sign out")
    r = signed.get(f"/ru/{path}")
    assert r.status_code == 200
    page = r.content.decode()
    assert page.count(sign_out) == 1
    assert page.count("aigerim.op") == 1
