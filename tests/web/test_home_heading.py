"""The home page heads the votes the server holds by their kind: a server holding only a
referendum does not head it "Elections" (Выборы, Сайлаулар), one holding both names both."""

import re

import pytest
from django.test import Client

from tests.web import kind_elections

pytestmark = pytest.mark.django_db


def _h1(lang: str) -> str:
    html = Client().get(f"/{lang}/").content.decode()
    return re.search(r"<h1>(.*?)</h1>", html).group(1)


def test_a_referendum_alone_is_headed_as_one_then_beside_an_election_as_both():
    kind_elections.referendum(regions=1, yes_regions=1)
    assert (_h1("ru"), _h1("kk"), _h1("en")) == ("Референдумы", "Референдумдар", "Referendums")
    kind_elections.president()
    assert (_h1("ru"), _h1("kk")) == ("Выборы и референдумы", "Сайлаулар мен референдумдар")


def test_elections_alone_keep_their_heading():
    kind_elections.president()
    assert (_h1("ru"), _h1("kk")) == ("Выборы", "Сайлаулар")
