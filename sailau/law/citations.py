"""A legal basis as data: a `Citation` names a source of the table `ACTS` (its public title in
kk, ru and en, its number and date where it has them, its address) and the place in it cited
(article, point, section, notes); `render` writes it as a reader of each language expects it,
with no translation of text. A decision of a commission that gives no basis of its own cites its
reason's (`law.nominations.REASONS`), stored as `to_json` and read back with `from_json`.

Version 1 of the candidates' data stored that default as an English sentence ("ODIHR EOM 2023
(ODIHR statement, 2023 Mazhilis), note 27"); those sentences are kept in the database and in the
audit digests that cover them, so `from_stored` reads each of them as its citation
(`STORED_V1`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sailau.languages import WRITTEN, Text, language, texts

T = texts("law.citations")


@dataclass(frozen=True)
class Act:
    """A source a basis cites: a law (with its number and date) or a report."""

    title: Text
    number: str = ""
    date: dt.date | None = None
    url: str | None = None


ELECTIONS_LAW, ODIHR_2023, ODIHR_2011 = "elections-law", "odihr-eom-2023", "odihr-eom-2011"
ACTS: dict[str, Act] = {
    ELECTIONS_LAW: Act(
        T("Constitutional Law of the Republic of Kazakhstan 'On Elections in the Republic of "
          "Kazakhstan'"),
        "2464", dt.date(1995, 9, 28), "https://adilet.zan.kz/eng/docs/Z950002464_"),
    ODIHR_2023: Act(T(
        "OSCE/ODIHR Election Observation Mission, early elections to the Mazhilis of Kazakhstan, "
        "19 March 2023, Statement of Preliminary Findings and Conclusions")),
    ODIHR_2011: Act(T(
        "OSCE/ODIHR Election Observation Mission, early presidential election in Kazakhstan, "
        "3 April 2011, Interim Report")),
}
# A section cited by its name (a report's heading), by key; a numbered one is cited as numbered.
SECTIONS: dict[str, Text] = {
    "candidate-registration": T("Candidate registration"),
}

# A month as a date in a citation writes it (Kazakh's locative, Russian's genitive), January first.
MONTHS = (
    T("January"),
    T("February"),
    T("March"),
    T("April"),
    T("May"),
    T("June"),
    T("July"),
    T("August"),
    T("September"),
    T("October"),
    T("November"),
    T("December"),
)
# How each language writes the parts of a citation: {n} a number, {names} the notes' numbers.
FORMS = {
    "act": T("{title}, No. {number}, {date}"),
    "date": T("{day} {month} {year}"),
    "article": T("art. {n}"),
    "point": T("point {n}"),
    "named_section": T("section '{n}'"),
    "section": T("section {n}"),
    "note": T("note {n}"),
    "notes": T("notes {names}"),
    "and": T("and"),
}


@dataclass(frozen=True)
class Citation:
    """A place in a source of `ACTS`: an article and its point, a section (a key of `SECTIONS`
    or the section's number as the source writes it), notes."""

    act: str
    article: str = ""
    point: str = ""
    section: str = ""
    notes: tuple[str, ...] = ()

    def __post_init__(self):
        if self.act not in ACTS:
            raise ValueError(f"no source {self.act!r} in the table of acts")

    def to_json(self) -> dict:
        """The stored form: the act's key and the parts it has."""
        out = {"act": self.act, "article": self.article, "point": self.point,
               "section": self.section, "notes": list(self.notes)}
        return {k: v for k, v in out.items() if v}

    @classmethod
    def from_json(cls, data: dict) -> Citation:
        return cls(data["act"], data.get("article", ""), data.get("point", ""),
                   data.get("section", ""), tuple(data.get("notes", ())))

    def render(self, lang: str | None) -> str:
        """The citation as a reader of `lang` writes it (kk-latn: the Kazakh, in Latin)."""
        return Text(**{w: _render(self, w) for w in WRITTEN})[language(lang)]


def _render(c: Citation, lang: str) -> str:
    act = ACTS[c.act]
    title = act.title[lang]
    if act.number and act.date:
        date = FORMS["date"][lang].format(year=act.date.year, day=act.date.day,
                                          month=MONTHS[act.date.month - 1][lang])
        title = FORMS["act"][lang].format(title=title, number=act.number, date=date)
    parts = [title]
    if c.article:
        parts.append(FORMS["article"][lang].format(n=c.article))
    if c.point:
        parts.append(FORMS["point"][lang].format(n=c.point))
    if c.section in SECTIONS:
        parts.append(FORMS["named_section"][lang].format(n=SECTIONS[c.section][lang]))
    elif c.section:
        parts.append(FORMS["section"][lang].format(n=c.section))
    if len(c.notes) == 1:
        parts.append(FORMS["note"][lang].format(n=c.notes[0]))
    elif c.notes:
        names = f"{', '.join(c.notes[:-1])} {FORMS['and'][lang]} {c.notes[-1]}"
        parts.append(FORMS["notes"][lang].format(names=names))
    return ", ".join(parts)


REGISTRATION = "candidate-registration"


def _odihr_2023(section: str = "", *notes: str) -> Citation:
    return Citation(ODIHR_2023, section=section, notes=notes)


# Each reason's basis as version 1 stored it: the sentence, and the citation it is.
_S001 = "ODIHR EOM 2023 (ODIHR statement, 2023 Mazhilis)"
_S2011 = "ODIHR 2011 (ODIHR interim report, 2011 presidential)"
STORED_V1: dict[str, Citation] = {
    f"{_S001}, 'Candidate registration'": _odihr_2023(REGISTRATION),
    f"{_S001}, note 27": _odihr_2023("", "27"),
    f"{_S001}, notes 27 and 31": _odihr_2023("", "27", "31"),
    f"{_S001}, 'Candidate registration' and note 27": _odihr_2023(REGISTRATION, "27"),
    f"{_S001}, 'Candidate registration' and note 22": _odihr_2023(REGISTRATION, "22"),
    f"{_S001}, note 22 and note 29": _odihr_2023("", "22", "29"),
    f"{_S2011}, section VII": Citation(ODIHR_2011, section="VII"),
    f"{_S2011}, section VII and note 4": Citation(ODIHR_2011, section="VII", notes=("4",)),
    "Constitutional Law 'On Elections in the RK', No. 2464, 28 September 1995, art. 54":
        Citation(ELECTIONS_LAW, article="54"),
    f"{_S001}, 'Candidate registration' (30 % combined quota)": _odihr_2023(REGISTRATION),
    f"{_S001}, notes 27 and 35": _odihr_2023("", "27", "35"),
    f"{_S001}, note 35": _odihr_2023("", "35"),
    f"{_S001}, notes 30 and 34": _odihr_2023("", "30", "34"),
    f"{_S001}, notes 30 and 33": _odihr_2023("", "30", "33"),
    f"{_S001}, 'Candidate registration' (note 30)": _odihr_2023(REGISTRATION, "30"),
}


def from_stored(basis: str, citation: dict | None) -> Citation | None:
    """The citation a stored decision makes: its own (`citation`, version 2), or the one a
    version 1 sentence stood for; None for a basis the commission wrote itself."""
    if citation:
        return Citation.from_json(citation)
    return STORED_V1.get(basis)
