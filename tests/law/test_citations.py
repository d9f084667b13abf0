"""A legal basis is data (`law.citations`): a citation renders in kk, ru and en from the table
of acts with no translation of text, and every sentence version 1 stored reads as a citation."""

import pytest

from sailau.law import citations as C
from sailau.law.nominations import REASONS

ART_54 = C.Citation(C.ELECTIONS_LAW, article="54")


@pytest.mark.parametrize("lang, expected", [
    ("kk", ("1995 жылғы 28 қыркүйектегі № 2464 «Қазақстан Республикасындағы сайлау туралы» "
           "Қазақстан Республикасының Конституциялық заңы, 54-бап")),
    ("ru", ("Конституционный закон Республики Казахстан «О выборах в Республике Казахстан» от "
           "28 сентября 1995 года № 2464, статья 54")),
    ("en", ("Constitutional Law of the Republic of Kazakhstan 'On Elections in the Republic of "
           "Kazakhstan', No. 2464, 28 September 1995, art. 54")),
])
def test_a_law_s_article_is_cited_by_title_date_and_number_in_each_language(lang, expected):
    assert ART_54.render(lang) == expected


def test_a_report_s_section_and_notes_in_each_language():
    cited = C.Citation(C.ODIHR_2023, section="candidate-registration", notes=("27", "31"))
    assert cited.render("en").endswith(
        "Conclusions, section 'Candidate registration', notes 27 and 31")
    assert cited.render("ru").endswith(
        "заключениях, раздел «Регистрация кандидатов», примечания 27 и 31")
    assert cited.render("kk").endswith("мәлімдеме, «Кандидаттарды тіркеу» бөлімі, "
                                       "27 және 31-ескертулер")
    assert C.Citation(C.ODIHR_2011, section="VII", notes=("4",)).render("kk").endswith(
        "аралық есеп, VII бөлім, 4-ескерту")
    assert cited.render("kk-latn").endswith("«Kandidattardy tırkeu» bölımı, 27 jäne 31-eskertuler")  # the Kazakh, in Latin


def test_a_citation_is_stored_as_data_and_read_back():
    cited = C.Citation(C.ELECTIONS_LAW, article="54", point="1")
    assert cited.to_json() == {"act": "elections-law", "article": "54", "point": "1"}
    assert C.Citation.from_json(cited.to_json()) == cited
    with pytest.raises(ValueError, match="no source"):
        C.Citation("a folder of notes")


def test_every_sentence_version_1_stored_reads_as_a_reason_s_citation():
    defaults = {basis for _, basis in REASONS.values() if basis}
    assert set(C.STORED_V1.values()) == defaults
    assert C.from_stored("Constitutional Law 'On Elections in the RK', No. 2464, 28 September "
                         "1995, art. 54", None) == ART_54
    assert C.from_stored("", ART_54.to_json()) == ART_54
    assert C.from_stored("Decision of the CEC No. 5", None) is None  # the commission's words
