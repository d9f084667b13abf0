"""Definitive, but awaiting the commission's signature. When a protocol becomes definitive (two
equal entries, a coordinator's resolution, an amendment) and its station's commission signs its
own protocols (`elections.keys.signs_own`: a key of its own was confirmed by the commission
above), the server does not sign: the chain keeps the version here (`AwaitingSignature`) instead
of writing it, so that nothing is published, no tally counts it and no leaf is written until a
member of the commission submits a signature the server verifies (`own_signing.submit`). The
entry itself is definitive: a new entry is refused as for any definitive protocol, and an
amendment is refused until the version waiting is signed.

A version typed from the paper by the commission above, on the station's behalf (its district or
territorial commission: `typed_above`), is held too when that commission signs its own
protocols, even if the station's own commission has no key of its own: the commission that
typed it signs it (`sailau-protocol/4`), never the server. It records which commission typed it
(`typed_by`), the one above that may sign it."""

from __future__ import annotations

from sailau.accounts import permissions as perm
from sailau.audit.sql import insert_rows
from sailau.elections import keys
from sailau.errors import Code
from sailau.protocols import chronometry
from sailau.protocols.errors import TransitionError
from sailau.protocols.models import AwaitingSignature, Protocol


def above_ids(station) -> tuple[str, ...]:
    """The commissions above a station that may type and sign its protocol on its behalf: its
    district and territorial commissions (the verifier reads the same two from its file)."""
    return tuple(c for c in (station.district_id, station.territory_id) if c)


def typed_above(user, station) -> str:
    """The commission above `station` whose member `user` is, when `user` is no member of the
    station's own commission: the one typing its protocol from the paper on its behalf; ""
    otherwise."""
    from sailau.protocols.own_keys import MEMBER_KINDS

    mine = {g.commission_id for g in perm.grants(user) if g.kind in MEMBER_KINDS}
    if station.commission_id in mine:
        return ""
    return next((c for c in above_ids(station) if c in mine), "")


def hold(versions: list, station_of, times: list, now) -> list:
    """Of the chain's new `versions` (its `_NewVersion`s), keep those of commissions that sign
    their own protocols here, and those typed on the station's behalf by a commission above
    that signs its own (`typed_above`), and return the others, which the server signs. A
    version the commission already signed (`signed` set) is never held. `station_of`: station id
    -> its row (the chain's catalogue). The "published" step of a station all of whose new versions are
    held is dropped from `times`: it is recorded when the signature arrives."""
    unsigned = [v for v in versions if v.signed is None]
    if not unsigned:
        return versions

    def commission_of(sid: str) -> str:
        return station_of(sid).commission_id

    typed_by = {id(v): typed_above(v.actor, station_of(v.key[0])) if v.actor else ""
                for v in unsigned}
    own = keys.signs_own({commission_of(v.key[0]) for v in unsigned}
                         | set(typed_by.values()) - {""})
    if not own:
        return versions
    held = [v for v in unsigned if commission_of(v.key[0]) in own or typed_by[id(v)] in own]
    if not held:
        return versions
    keys_held = {v.key for v in held}
    if len(keys_held) != len(held):
        raise TransitionError(
            message="a protocol awaiting the commission's signature cannot change "
                    "again before it is signed", code=Code.AWAITING_SIGNATURE)
    current = _versions(keys_held)
    # by the chain's bulk writer (the build holds 17,000 at once: bulk_create's instances cost)
    insert_rows(AwaitingSignature, ["station", "contest", "version", "figures", "choices",
                                    "source", "findings", "amendment", "actor", "typed_by",
                                    "created_at"],
                [(v.key[0], v.key[1], current.get(v.key, 0) + 1, v.figures, v.choices,
                  v.source, v.findings, v.amendment, getattr(v.actor, "pk", None),
                  typed_by[id(v)], now) for v in held])
    kept = [v for v in versions if v.key not in keys_held]
    # The step is the station's, not a contest's: a station with another protocol written now
    # (one not held, or signed) is published now, and keeps the step.
    held_stations = {k[0] for k in keys_held} - {v.key[0] for v in kept}
    times[:] = [t for t in times if not (t[1] == chronometry.PUBLISHED
                                         and t[0] in held_stations)]
    return kept


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
