"""The legal basis of a decision as a page shows it: the commission's own words as given, or
the citation its reason rests on (`law.citations`), written in the page's language from data.
A decision stored before citations were data holds its reason's default as a sentence; it is
read as the citation it stands for (`law.citations.STORED_V1`)."""

from sailau.law import citations


def shown(decision, lang: str) -> str:
    """The basis of `decision` (a candidates Decision) as a page in `lang` shows it."""
    cited = citations.from_stored(decision.basis, decision.citation)
    return cited.render(lang) if cited else decision.basis
