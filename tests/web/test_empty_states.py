"""At 0 % reported, a page with nothing to list says so in one sentence in its language, instead
of an empty table: the station search (no query yet, or nothing matches), the parallel vote
tabulation (no observer's copy from the sample yet), the voter lists (a station's list with
nobody on it, the oversight report of a territory without stations)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from sailau.elections.models import Election
from sailau.observation import pvt
from tests import factories as f
from tests.web.visible_text import foreign_words, visible_text

LANGS = ("kk", "ru", "en")


@pytest.fixture
def empty(db):
    """An election whose stations have reported nothing, with a PVT sample drawn of them."""
    station = f.StationFactory()
    f.beside(station)
    contest = f.ContestFactory(election=station.election, names={"kk": "Партиялық тізімдер", "ru": "По партийным спискам", "en": "Party lists"})
    sample = pvt.store_sample(None, contest, [station.id], seed=1, method="simple")
    return station, sample


def _said(lang: str, msgid: str, **values) -> str:
    with translation.override(lang):
        text = _(msgid) % values if values else _(msgid)
    assert lang == "en" or text != msgid, f"{msgid!r} has no {lang} translation"
    return text


def _page(client, url: str) -> tuple[str, str]:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    html = r.content.decode()
    return html, visible_text(html)


@pytest.mark.parametrize("lang", LANGS)
def test_nothing_to_list_is_said_in_a_sentence(client, empty, lang):
    station, sample = empty
    e = station.election_id
    operator, bare = f.operator(station), f.ElectionFactory()  # `bare`: no station at all
    # The factory names an election by its id; a real one's name is words (the voter report
    # lists every election's).
    Election.objects.update(names={"kk": "Сынақ сайлауы", "ru": "Тестовые выборы", "en": "Test election"})
    client.force_login(operator)
    faults = []

    def expect(url, msgid, **values):
        html, text = _page(client, url)
        if _said(lang, msgid, **values) not in text:
            faults.append((url, "does not say", msgid))
        if "<tbody>\n</tbody>" in html or "<tbody></tbody>" in html:
            faults.append((url, "an empty table"))
        words = foreign_words(html, extra_allowed=(operator.username,))
        if lang != "en" and words:
            faults.append((url, "English", words))

    expect(f"/{lang}/e/{e}/search/", "Type a station's number, its address or its settlement "
                                     "in the search box above.")
    expect(f"/{lang}/e/{e}/search/?q=жжжққ", "No station matches “%(q)s”: check the spelling, "
                                              "or search by the station's number.", q="жжжққ")
    expect(f"/{lang}/observation/pvt/{sample.pk}/", "No observer's copy from the sample "
                                                    "stations has arrived yet: there is "
                                                    "nothing to estimate.")
    expect(f"/{lang}/voters/staff/{e}/{station.number}/", "No voter is on this station's list "
                                                          "yet.")
    expect(f"/{lang}/voters/report/?election={e}&territory=nowhere",
           "No polling station of this election is in this territory.")
    expect(f"/{lang}/voters/report/?election={bare.id}",
           "This election has no polling station yet: there is nothing to count.")
    assert not faults, "\n".join(map(str, faults))
