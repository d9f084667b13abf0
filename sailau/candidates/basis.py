"""The legal basis of a decision as a page shows it. When the file gives none, the import stores
the reason's default (`law.nominations.REASONS`): an English citation of the project's sources
("ODIHR EOM 2023 (ODIHR statement, 2023 Mazhilis), note 27"), exact for the audit record but English and an internal
path on a Kazakh or Russian page. Those defaults are shown in the page's language without the
path; a basis the commission's file gave is shown as given (it is the commission's text)."""

import re

from sailau.languages import Text
from sailau.law import nominations as law

SOURCES = {
    "ODIHR EOM 2023 (ODIHR statement, 2023 Mazhilis)": Text(
        "ЕҚЫҰ ДИАБ сайлауды бақылау миссиясының 2023 жылғы есебі",
        "Доклад миссии БДИПЧ ОБСЕ по наблюдению за выборами 2023 года",
        "ODIHR election observation mission report, 2023"),
    "ODIHR 2011 (ODIHR interim report, 2011 presidential)": Text("ЕҚЫҰ ДИАБ-тың 2011 жылғы бағалауы",
                                   "Оценка БДИПЧ ОБСЕ 2011 года", "ODIHR assessment, 2011"),
    "Constitutional Law 'On Elections in the RK', No. 2464, 28 September 1995, art. 54": Text(
        "«Қазақстан Республикасындағы сайлау туралы» Конституциялық заң",
        "Конституционный закон «О выборах в Республике Казахстан»",
        "Constitutional Law 'On Elections in the Republic of Kazakhstan'"),
}
# The parts after the source, in the order they are replaced.
PARTS = (
    (re.compile(r"'Candidate registration'"), Text("«Кандидаттарды тіркеу» бөлімі",
                                                   "раздел «Регистрация кандидатов»",
                                                   "section 'Candidate registration'")),
    (re.compile(r"notes (\d+) and (\d+)"), Text(r"\1 және \2-ескертулер", r"примечания \1 и \2",
                                                r"notes \1 and \2")),
    (re.compile(r"note (\d+)"), Text(r"\1-ескерту", r"примечание \1", r"note \1")),
    (re.compile(r"section VII"), Text("VII бөлім", "раздел VII", "section VII")),
    (re.compile(r"\(30 % combined quota\)"), Text("(жалпы 30 % квота)", "(общая квота 30 %)",
                                                  "(30 % combined quota)")),
    (re.compile(r" and "), Text(" және ", " и ", " and ")),
)
DEFAULTS = {basis for _, basis in law.REASONS.values() if basis}


def shown(basis: str, lang: str) -> str:
    """`basis` as a page in `lang` shows it."""
    if basis not in DEFAULTS:
        return basis
    source = next(s for s in SOURCES if basis.startswith(s))
    rest = basis[len(source):].lstrip(", ")
    for pattern, text in PARTS:
        rest = pattern.sub(text[lang], rest)
    return SOURCES[source][lang] + (f", {rest}" if rest else "")
