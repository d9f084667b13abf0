"""What every reader is told of a protocol typed from the paper and signed by the commission
above, on the station's behalf (`sailau-protocol/4`, docs/commission-keys.md): one sentence in
every language, the same on the station page, the printed protocol and `sailau verify`'s report.

Pure Python (no Django): the offline verifier says it too."""

from __future__ import annotations

from collections.abc import Mapping

from sailau.languages import LANGUAGES, WRITTEN, Text, texts

T = texts("verify.behalf")

TYPED_ABOVE = T(
    "Typed from the paper and signed by {commission} on behalf of station No. {station}")


def name_in(name, lang: str) -> str:
    """A commission's name in `lang` from its published `name` map (or a bare id)."""
    if isinstance(name, Mapping):
        first = next((str(name[k]) for k in WRITTEN if name.get(k)), "")
        return Text(*(str(name.get(k) or first) for k in WRITTEN)).in_language(lang)
    return str(name or "")


def sentence(name, station_number, lang: str) -> str:
    """The sentence in `lang` for the commission named `name` (a {kk, ru, en} map, or its id)
    signing for the station numbered `station_number`."""
    return TYPED_ABOVE.format(commission=name_in(name, lang),
                              station=station_number).in_language(lang)


def sentences(name, station_number) -> dict[str, str]:
    """The sentence in every language Sailau speaks."""
    return {lang: sentence(name, station_number, lang) for lang in LANGUAGES}


def annotate(signers: list[dict], stations: dict[str, dict], docs: dict) -> None:
    """Sets `on_behalf` (the sentence in every language) on each signer of `sailau verify`'s
    report whose protocol a commission above signed (`on_behalf_by`): its name from its
    published commission file, the station's number from its station file."""
    for s in signers:
        by = s.get("on_behalf_by")
        if not by:
            continue
        number = (stations.get(s.get("station")) or {}).get("number", s.get("station"))
        commission = docs.get(f"commissions/{by}.json")
        name = commission.get("name") if isinstance(commission, dict) else None
        s["on_behalf"] = sentences(name or by, number)
