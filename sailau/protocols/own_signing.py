"""The commission's own signature of a definitive protocol (see `awaiting`): what it signs
(`to_sign`: the bytes of `sailau-protocol/2`, which any client can rebuild from the fields given
beside them), and its submission (`submit`), verified before the version is written and
published. Refused, each with its code: no version awaiting (`nothing_to_sign`, or
`already_signed` when another member's signature was kept a moment before), a signature for
another version (`signature_version`: a replay of an older version's signature), a key not
confirmed by the commission above (`key_not_confirmed`) or revoked (`key_revoked`), a signature
that does not verify over these figures, this version and these scans (`signature_invalid`).
An amendment is signed in `sailau-protocol/3`, the decision it cites inside the signed bytes.

A version the commission above typed from the paper on the station's behalf (`typed_by`, see
`awaiting`) may be signed by that commission, with its own confirmed key, in `sailau-protocol/4`
(the signer inside the signed bytes: never shown as the station commission's own signature);
the station's own commission may sign it instead, and of two signatures the first is kept
(`already_signed`). Any other commission is refused (`not_above`)."""

from __future__ import annotations

import base64
import functools

from sailau.accounts import permissions as perm
from sailau.elections.models import CommissionKey
from sailau.errors import BadInput as _BadInput
from sailau.errors import Code, Conflict, Forbidden, NotFound
from sailau.protocols import awaiting as _awaiting
from sailau.protocols import logged, own_keys
from sailau.protocols.catalog import Catalog
from sailau.protocols.models import AwaitingSignature, Protocol
from sailau.verify import signatures


def _held(station_id: str, contest_id: str, lock: bool = False) -> AwaitingSignature:
    qs = AwaitingSignature.objects.filter(station_id=station_id, contest_id=contest_id)
    held = (qs.select_for_update() if lock else qs).first()
    if held is None:
        if lock and Protocol.objects.current().filter(station_id=station_id,
                                                      contest_id=contest_id).exists():
            raise Conflict(code=Code.ALREADY_SIGNED,
                           message=f"protocol {station_id}/{contest_id} awaits no "
                                                "signature: its current version is signed")
        raise NotFound(code=Code.NOTHING_TO_SIGN,
                       message=f"protocol {station_id}/{contest_id} is not "
                                             "awaiting the commission's signature")
    return held


def decision(held: AwaitingSignature) -> dict | None:
    """The decision an amendment cites, as its `protocol` leaf and the signed bytes carry it."""
    a = held.amendment
    return ({"number": a["decision_number"], "date": a["decision_date"], "reason": a["reason"]}
            if a else None)


def signed_object(held: AwaitingSignature, scans: list[str], signed_by: str = "") -> dict:
    """The protocol as its commission signs it (`signatures.signed_bytes` reads it, in the form
    `signatures.commission_form` names): an amendment with the decision it cites; signed on
    the station's behalf by the commission above `signed_by`, with that signer."""
    obj = {"station": held.station_id, "contest": held.contest_id, "version": held.version,
           "figures": held.figures, "choices": held.choices, "scans": sorted(set(scans))}
    if held.amendment:
        obj["decision"] = decision(held)
    if signed_by:
        obj["signed_by"] = signed_by
    return obj


def _not_above(commission_id: str, station) -> Forbidden:
    return Forbidden(code=Code.NOT_ABOVE,
                     message=f"commission {commission_id} may not sign the protocol of station "
                             f"{station.number}: only its own commission, or the commission "
                             "above that typed it from the paper, signs it")


def signer(held: AwaitingSignature, station, commission_id: str | None = None) -> str:
    """The commission that signs `held`: `commission_id` when given (the station's own, or the
    commission above that typed it, `held.typed_by`; any other is refused `not_above`); by
    default the station's own when it signs its own protocols, else the one that typed it."""
    if commission_id is None:
        if held.typed_by and not own_keys.confirmed_key(station.commission_id):
            return held.typed_by
        return station.commission_id
    if commission_id not in (station.commission_id, held.typed_by or station.commission_id):
        raise _not_above(commission_id, station)
    return commission_id


def _refuse(user, station, commission_id: str | None = None) -> Forbidden:
    """`not_above` naming the commission the user signs for (the one named, or the first the
    user is a member of); `not_allowed` for a user of no commission."""
    if commission_id is None:
        mine = sorted({g.commission_id for g in perm.grants(user)
                       if g.kind in own_keys.MEMBER_KINDS and g.commission_id})
        commission_id = mine[0] if mine else None
    if commission_id is not None and own_keys.member_of(user, commission_id):
        return _not_above(commission_id, station)
    who = getattr(user, "username", "") or "the public"
    return Forbidden(code=Code.NOT_ALLOWED, message=f"{who} may not sign for commission "
                                                    f"{commission_id or station.commission_id}")


def may_sign(user, station, commission_id: str | None) -> str:
    """Before anything is locked: the commission `user` would sign station's protocol for (the
    one named, else the station's own when the user is its member, else the commission above
    whose member the user is: `awaiting.typed_above`), or a refusal (`_refuse`). Whether the
    commission above typed this very version is checked with it (`signer`)."""
    if commission_id is None:
        # by its id: `station.commission` would read the commission, one query a protocol
        if own_keys.member_of(user, station.commission_id):
            return station.commission_id
        commission_id = _awaiting.typed_above(user, station) or None
        if commission_id is None:
            raise _refuse(user, station)
    if not own_keys.member_of(user, commission_id):
        raise _refuse(user, station, commission_id)
    if commission_id not in (station.commission_id, *_awaiting.above_ids(station)):
        raise _not_above(commission_id, station)
    return commission_id


def message_of(obj: dict) -> tuple[str, bytes]:
    """(form, bytes) of what the commission signs for `obj` (a `signed_object`)."""
    form = signatures.commission_form(obj)
    return form, signatures.signed_bytes(obj, form)


def _scans(held: AwaitingSignature) -> list[str]:
    return logged.scan_hashes([(held.station_id, held.contest_id)]).get(
        (held.station_id, held.contest_id), [])


def to_sign(station_id: str, contest_id: str, commission_id: str | None = None) -> dict:
    """What awaits the signature: the fields, the exact bytes to sign (base64) and the key
    that must sign them; for `commission_id` (the station's own, or the commission above that
    typed it: `signer`). Public: anyone may see what the commission is asked to sign."""
    held = _held(station_id, contest_id)
    station = Catalog().station(station_id)
    by = signer(held, station, commission_id)
    return _request(held, by, _scans(held), own_keys.confirmed_key(by),
                    "" if by == station.commission_id else by)


def _request(held: AwaitingSignature, commission_id: str, scans: list[str], key,
             signed_by: str = "") -> dict:
    obj = signed_object(held, scans, signed_by)
    form, data = message_of(obj)
    return {"state": "awaiting_signature", "commission": commission_id,
            "format": form, "protocol": obj,
            "message": base64.b64encode(data).decode("ascii"),
            "key_id": signatures.key_id(key.public_key) if key else None,
            "typed_by": held.typed_by or None,
            "since": held.created_at.isoformat()}


def awaiting(station_ids, catalog: Catalog | None = None) -> list[dict]:
    """`to_sign` of every protocol of these stations that awaits its commission's signature,
    read together (the demo's build signs thousands of its commissions' protocols at once)."""
    catalog = catalog or Catalog()
    helds = list(AwaitingSignature.objects.filter(station_id__in=sorted(set(station_ids)))
                 .order_by("station_id", "contest_id"))
    scans = logged.scan_hashes([(h.station_id, h.contest_id) for h in helds])
    commission = {h.station_id: catalog.station(h.station_id).commission_id for h in helds}
    keys = {k.commission_id: k for k in CommissionKey.objects.filter(
        commission_id__in=sorted(set(commission.values())), held_by_server=False,
        retired_at__isnull=True, confirmed_at__isnull=False)}
    return [_request(h, commission[h.station_id], scans.get((h.station_id, h.contest_id), []),
                     keys.get(commission[h.station_id])) for h in helds]


def submit(user, station_id: str, contest_id: str, version: int, signature: str,
           key_id: str | None = None, commission_id: str | None = None) -> dict:
    """Verify the commission's signature of the version awaiting it and publish the version.
    Two members signing at once (or the station's commission and the one above that typed
    it): the first is kept, the second told `already_signed`. `commission_id`: the commission
    signing (`signer_for`)."""
    return submit_many([(user, station_id, contest_id, version, signature, key_id,
                         commission_id)])[0]


def submit_many(items, catalog: Catalog | None = None, published_at=None) -> list[dict]:
    """`submit` of each (user, station, contest, version, signature, key id or None), each
    checked as one is, in one transaction of the chain (the demo's build submits thousands of
    its commissions' signatures at once); anything refused refuses them all. `published_at`:
    station id -> when its protocols are published, for the demo's replayed night (default:
    now)."""
    from sailau.protocols import services  # the chain's transaction; services imports chain

    catalog = catalog or Catalog()
    stations, signing = {}, []
    for user, station_id, contest_id, version, signature, key_id, *named in items:
        station = stations[station_id] = catalog.station(station_id)
        signing.append((station_id, contest_id, version, signature, key_id,
                        may_sign(user, station, named[0] if named else None)))
    items = signing
    wanted = {(sid, cid) for sid, cid, _, _, _, _ in items}
    out = []
    with services.chain(catalog) as ch:
        # (the actor who made each version definitive: written with it, one query for all)
        helds = {(h.station_id, h.contest_id): h for h in AwaitingSignature.objects
                 .select_for_update(of=("self",)).select_related("actor")
                 .filter(station_id__in=sorted({k[0] for k in wanted}),
                         contest_id__in=sorted({k[1] for k in wanted})).order_by("pk")}
        own: dict[str, list[CommissionKey]] = {}
        for k in CommissionKey.objects.filter(
                commission_id__in=sorted({c for s in stations.values()
                                          for c in (s.commission_id,
                                                    *_awaiting.above_ids(s))}),
                held_by_server=False).order_by("pk"):
            own.setdefault(k.commission_id, []).append(k)
        scans_of = logged.scan_hashes(sorted(wanted))
        done, seen = [], set()
        for station_id, contest_id, version, signature, key_id, by in items:
            if (station_id, contest_id) in seen:  # given twice: the first is kept
                raise Conflict(code=Code.ALREADY_SIGNED,
                               message=f"protocol {station_id}/{contest_id} is signed twice")
            seen.add((station_id, contest_id))
            held = helds.pop((station_id, contest_id), None) or _held(station_id, contest_id,
                                                                      lock=True)
            if version != held.version:
                raise Conflict(code=Code.SIGNATURE_VERSION,
                               message=f"version {version} given; the version "
                                       f"awaiting the signature is {held.version}",
                               field="version")
            station = stations[station_id]
            commission_id = signer(held, station, by)
            behalf = "" if commission_id == station.commission_id else commission_id
            key = _signing_key(commission_id, key_id, own.get(commission_id, []))
            scans = scans_of.get((station_id, contest_id), [])
            form, data = message_of(signed_object(held, scans, behalf))
            if not signatures.verify_signature(key.public_key, data, signature):
                raise _BadInput(code=Code.SIGNATURE_INVALID,
                                message="signature: does not verify with key "
                                        f"{signatures.key_id(key.public_key)} over "
                                        f"version {held.version} of "
                                        f"{station_id}/{contest_id}", field="signature")
            if published_at is not None:
                ch.clock = functools.partial(published_at, station_id)
            ch.publish_signed(held, signature, key.public_key, scans, form, behalf)
            done.append(held.pk)
            out.append({"station": station_id, "contest": contest_id, "version": version,
                        "state": "definitive",
                        "signed_with": signatures.key_id(key.public_key),
                        "signed_by": commission_id, "on_behalf": bool(behalf)})
        AwaitingSignature.objects.filter(pk__in=done).delete()
    return out


def _signing_key(commission_id: str, key_id: str | None,
                 own: list[CommissionKey]) -> CommissionKey:
    """The commission's confirmed key among its own keys `own`; the key named, when one is,
    must be it."""
    named = [k for k in own if key_id in (None, signatures.key_id(k.public_key), k.public_key)]
    if key_id is not None and not named:
        raise NotFound(code=Code.NOT_FOUND,
                       message=f"commission {commission_id} has no key {key_id!r}")
    if any(k.retired_at is None and k.confirmed_at for k in named):
        return next(k for k in named if k.retired_at is None and k.confirmed_at)
    if any(k.retired_at is None for k in named):
        raise Conflict(code=Code.KEY_NOT_CONFIRMED,
                       message=f"the key of commission {commission_id} is not "
                                               "confirmed by the commission above")
    if named:
        raise Conflict(code=Code.KEY_REVOKED, message=f"the key {key_id or ''} of commission "
                                                      f"{commission_id} is revoked")
    raise Conflict(code=Code.KEY_NOT_CONFIRMED,
                   message=f"commission {commission_id} has no confirmed key")
