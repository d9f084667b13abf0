"""A protocol's figures as the chain reads them: typed values checked as counts and against the
rule set's control relations (`check`, what every finalisation and amendment goes through, and
what pages call to show what a saved draft already breaks), the digest of a protocol's content,
and what changed between two versions."""

import hashlib

from sailau import audit
from sailau.errors import BadInput, at_field
from sailau.law import ProtocolInputError
from sailau.protocols.catalog import ContestInfo

MAX_DRAFT_TEXT = 12  # characters in one typed cell: more is not a number being typed
HARD_LIMIT = 10_000_000  # no count on a precinct protocol comes near this


def digest(station_id: str, contest_id: str, figures: dict, choices: dict) -> str:
    """SHA-256 of a protocol's content in canonical JSON: what the audit log and the printed
    protocol's code carry."""
    content = {"station": station_id, "contest": contest_id, "figures": figures,
               "choices": choices}
    return hashlib.sha256(audit.canonical(content).encode()).hexdigest()


def check(info: ContestInfo, station, figures, choices) -> tuple[dict, dict, list]:
    """Read typed figures as counts and run the rule set's control relations over them:
    (figures, choices, findings). Raises BadInput naming the field that is not a count or not
    plausible. What every finalisation and amendment goes through; pages call it to show what
    a saved draft already breaks."""
    try:
        fig, cho = info.form.validate(figures, choices, info.choice_keys)
    except ProtocolInputError as exc:
        raise BadInput(field=exc.field, message=at_field(exc.field, exc.message)) from None
    # Absurd values: far more than the station's voters can be a typing slip of a digit
    # but never a count. The law's relations catch the rest (F104: more ballots than voters).
    limit = min(HARD_LIMIT, 2 * station.registered + 1000)
    for part, values in (("figures", fig), ("choices", cho)):
        for k, v in values.items():
            if v > limit:
                raise BadInput(field=f"{part}.{k}",
                               message=f"{part}.{k}: {v} is not plausible at station "
                               f"{station.number} ({station.registered} registered voters)")
    return fig, cho, info.form.check(fig, cho, registered=station.registered)


def changed_lines(old: tuple[dict, dict] | None, new: tuple[dict, dict]) -> dict:
    """{"figures.lost": [old, new], ...}: what an amendment or a later version changed."""
    old = old or ({}, {})
    out = {}
    for i, part in enumerate(("figures", "choices")):
        for k in sorted(set(old[i]) | set(new[i])):
            if old[i].get(k) != new[i].get(k):
                out[f"{part}.{k}"] = [old[i].get(k), new[i].get(k)]
    return out
