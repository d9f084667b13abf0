"""Definitive, but awaiting the commission's signature. When a protocol becomes definitive (two
equal entries, a coordinator's resolution, an amendment) and its station's commission signs its
own protocols (`elections.keys.signs_own`: a key of its own was confirmed by the commission
above), the server does not sign: the chain keeps the version here (`AwaitingSignature`) instead
of writing it, so that nothing is published, no tally counts it and no leaf is written until a
member of the commission submits a signature the server verifies (`own_signing.submit`). The
entry itself is definitive: a new entry is refused as for any definitive protocol, and an
amendment is refused until the version waiting is signed."""

from __future__ import annotations

from sailau.elections import keys
from sailau.errors import Code
from sailau.protocols import chronometry
from sailau.protocols.errors import TransitionError
from sailau.protocols.models import AwaitingSignature, Protocol


def hold(versions: list, commission_of, times: list, now) -> list:
    """Of the chain's new `versions` (its `_NewVersion`s), keep those of commissions that sign
    their own protocols here and return the others, which the server signs. A version the
    commission already signed (`signed` set) is never held. The held stations' "published"
    step is dropped from `times`: it is recorded when the signature arrives."""
    own = keys.signs_own({commission_of(v.key[0]) for v in versions if v.signed is None})
    if not own:
        return versions
    held = [v for v in versions if v.signed is None and commission_of(v.key[0]) in own]
    keys_held = {v.key for v in held}
    if len(keys_held) != len(held):
        raise TransitionError(
            message="a protocol awaiting the commission's signature cannot change "
                    "again before it is signed", code=Code.AWAITING_SIGNATURE)
    current = _versions(keys_held)
    AwaitingSignature.objects.bulk_create([AwaitingSignature(
        station_id=v.key[0], contest_id=v.key[1], version=current.get(v.key, 0) + 1,
        figures=v.figures, choices=v.choices, source=v.source, findings=v.findings,
        amendment=v.amendment, actor_id=getattr(v.actor, "pk", None), created_at=now)
        for v in held])
    stations = {k[0] for k in keys_held}
    times[:] = [t for t in times if not (t[1] == chronometry.PUBLISHED and t[0] in stations)]
    return [v for v in versions if v.key not in keys_held]


def _versions(keys_: set) -> dict:
    """(station, contest) -> the current version's number, of those that have one."""
    out = {}
    for s, c, n in Protocol.objects.current().filter(
            station_id__in=sorted({k[0] for k in keys_}),
            contest_id__in=sorted({k[1] for k in keys_})).values_list(
            "station_id", "contest_id", "version"):
        if (s, c) in keys_:
            out[(s, c)] = n
    return out


def refuse_while_waiting(station_id: str, contest_id: str) -> None:
    """An amendment (or anything that makes a new version) waits for the one held."""
    if AwaitingSignature.objects.filter(station_id=station_id, contest_id=contest_id).exists():
        raise TransitionError(code=Code.AWAITING_SIGNATURE,
                              message=f"protocol {station_id}/{contest_id} is awaiting the "
                                      "commission's signature: sign it first")
