"""The integrity criteria speak the words of the contest's kind: a referendum's report reads of
participation and the majority answer, never of turnout, a leader, an election or an electoral
district; a presidential election's of its leader, but of no electoral district; the Mazhilis's
keep the catalogue's words (`criteria_catalogue.worded`, `law.kinds.Wording.criteria`)."""

import re

import pytest

from sailau.analysis import criteria_catalogue
from sailau.integrity import service, table
from sailau.law import kinds
from tests.web import kind_elections
from tests.web.visible_text import visible_text

# Words of an election of candidates, never in a referendum's criteria ("сайлаушы", a voter,
# is the list's word for those who may take part, and stays).
NOT_ON_A_REFERENDUM = {
    "kk": r"[Кк]елу|[Жж]етекші|[Оо]круг|[Сс]айлау(?!шы)|[Кк]андидат",
    "ru": r"[Яя]вк|[Лл]идер|[Вв]ыбор|[Оо]круг|[Кк]андидат",
    "en": r"[Tt]urnout|[Ll]eader|[Ee]lection|[Dd]istrict|[Cc]andidate",
}
REFERENDUM_WORDS = {"kk": ("Қатысу", "көпшілік жауабының үлесі"),
                    "ru": ("Участие", "доля ответа большинства"),
                    "en": ("Participation", "majority answer's share")}
NO_DISTRICT = {"kk": r"[Оо]круг", "ru": r"[Оо]круг"}


def _texts(wording, lang):
    return [t for c in criteria_catalogue.of_kind(wording)
            for t in (c.name[lang], c.explanation[lang])]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_referendums_criteria_say_nothing_of_an_election(lang):
    texts = _texts(kinds.REFERENDUM.wording, lang)
    said = [t for t in texts if re.search(NOT_ON_A_REFERENDUM[lang], t)]
    assert not said, said
    assert all(any(w in t for t in texts) for w in REFERENDUM_WORDS[lang])


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_presidential_elections_criteria_have_a_leader_and_no_district(lang):
    texts = _texts(kinds.PRESIDENT.wording, lang)
    assert not [t for t in texts if re.search(NO_DISTRICT[lang], t)]
    assert any(("жетекшінің" if lang == "kk" else "доля лидера") in t for t in texts)


def test_the_mazhilis_keeps_the_catalogues_words():
    for kind in (kinds.PARTY_LIST, kinds.SINGLE_MEMBER):
        assert criteria_catalogue.of_kind(kind.wording) == criteria_catalogue.CRITERIA
    assert criteria_catalogue.of_kind(None) == criteria_catalogue.CRITERIA


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_referendums_integrity_report_lists_its_criteria_in_its_words(client, monkeypatch,
                                                                        tmp_path, lang):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = kind_elections.referendum(regions=2)
    service.get(table.principal_contest(e.id))
    r = client.get(f"/{lang}/e/{e.id}/integrity/")
    assert r.status_code == 200
    # The list of criteria: the table of the codes (the forensics' own headings are outside).
    html = r.content.decode()
    start = html.rindex("<table", 0, html.index("<code>I01</code>"))
    text = visible_text(html[start:html.index("</table>", start)])
    assert "Хаттаманың жолдары" in text or "Не выполняется обязательное" in text
    assert not re.findall(NOT_ON_A_REFERENDUM[lang], text)
    for word in REFERENDUM_WORDS[lang]:
        assert word in text


@pytest.mark.django_db
def test_a_referendum_stations_flags_name_its_criteria_in_its_words(monkeypatch):
    e = kind_elections.referendum(regions=2)
    contest = table.principal_contest(e.id)
    flag = {"code": "I21", "key": "stuffing_joint", "strength": "strong", "evidence": {}}
    monkeypatch.setattr(service, "get", lambda c, stale_ok=False: {"stations": {"s1": {
        "status": "flagged", "rule": "R1", "flags": [flag]}}})
    criterion = service.station_flags("s1", contest)["flags"][0]["criterion"]
    assert criterion["name"]["ru"] == ("Участие и доля ответа большинства вместе выше, чем у "
                                       "похожих участков")
    assert not re.search(NOT_ON_A_REFERENDUM["kk"], criterion["explanation"]["kk"])
