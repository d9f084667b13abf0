"""The commission's own signature of a definitive protocol (see `awaiting`): what it signs
(`to_sign`: the bytes of `sailau-protocol/2`, which any client can rebuild from the fields given
beside them), and its submission (`submit`), verified before the version is written and
published. Refused, each with its code: no version awaiting (`nothing_to_sign`, or
`already_signed` when another member's signature was kept a moment before), a signature for
another version (`signature_version`: a replay of an older version's signature), a key not
confirmed by the commission above (`key_not_confirmed`) or revoked (`key_revoked`), a signature
that does not verify over these figures, this version and these scans (`signature_invalid`).
An amendment is signed in `sailau-protocol/3`, the decision it cites inside the signed bytes."""

from __future__ import annotations

import base64
import functools

from sailau.elections.models import CommissionKey
from sailau.errors import BadInput as _BadInput
from sailau.errors import Code, Conflict, Forbidden, NotFound
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


def signed_object(held: AwaitingSignature, scans: list[str]) -> dict:
    """The protocol as its commission signs it (`signatures.signed_bytes` reads it, in the form
    `signatures.commission_form` names): an amendment with the decision it cites."""
    obj = {"station": held.station_id, "contest": held.contest_id, "version": held.version,
           "figures": held.figures, "choices": held.choices, "scans": sorted(set(scans))}
    if held.amendment:
        obj["decision"] = decision(held)
    return obj


def message_of(obj: dict) -> tuple[str, bytes]:
    """(form, bytes) of what the commission signs for `obj` (a `signed_object`)."""
    form = signatures.commission_form(obj)
    return form, signatures.signed_bytes(obj, form)


def _scans(held: AwaitingSignature) -> list[str]:
    return logged.scan_hashes([(held.station_id, held.contest_id)]).get(
        (held.station_id, held.contest_id), [])


def to_sign(station_id: str, contest_id: str) -> dict:
    """What awaits the signature: the fields, the exact bytes to sign (base64) and the key
    that must sign them. Public: anyone may see what the commission is asked to sign."""
    held = _held(station_id, contest_id)
    station = Catalog().station(station_id)
    return _request(held, station.commission_id, _scans(held),
                    own_keys.confirmed_key(station.commission_id))


def _request(held: AwaitingSignature, commission_id: str, scans: list[str], key) -> dict:
    obj = signed_object(held, scans)
    form, data = message_of(obj)
    return {"state": "awaiting_signature", "commission": commission_id,
            "format": form, "protocol": obj,
            "message": base64.b64encode(data).decode("ascii"),
            "key_id": signatures.key_id(key.public_key) if key else None,
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
           key_id: str | None = None) -> dict:
    """Verify the commission's signature of the version awaiting it and publish the version.
    Two members signing at once: the first is kept, the second told `already_signed`."""
    return submit_many([(user, station_id, contest_id, version, signature, key_id)])[0]


def submit_many(items, catalog: Catalog | None = None, published_at=None) -> list[dict]:
    """`submit` of each (user, station, contest, version, signature, key id or None), each
    checked as one is, in one transaction of the chain (the demo's build submits thousands of
    its commissions' signatures at once); anything refused refuses them all. `published_at`:
    station id -> when its protocols are published, for the demo's replayed night (default:
    now)."""
    from sailau.protocols import services  # the chain's transaction; services imports chain

    items = list(items)
    catalog = catalog or Catalog()
    stations = {}
    for user, station_id, _, _, _, _ in items:
        station = stations[station_id] = catalog.station(station_id)
        if not own_keys.is_member(user, station.commission):
            who = getattr(user, "username", "") or "the public"
            raise Forbidden(code=Code.NOT_ALLOWED, message=f"{who} may not sign for commission "
                                                           f"{station.commission_id}")
    wanted = {(sid, cid) for _, sid, cid, _, _, _ in items}
    out = []
    with services.chain(catalog) as ch:
        # (the actor who made each version definitive: written with it, one query for all)
        helds = {(h.station_id, h.contest_id): h for h in AwaitingSignature.objects
                 .select_for_update(of=("self",)).select_related("actor")
                 .filter(station_id__in=sorted({k[0] for k in wanted}),
                         contest_id__in=sorted({k[1] for k in wanted})).order_by("pk")}
        own: dict[str, list[CommissionKey]] = {}
        for k in CommissionKey.objects.filter(
                commission_id__in=sorted({s.commission_id for s in stations.values()}),
                held_by_server=False).order_by("pk"):
            own.setdefault(k.commission_id, []).append(k)
        scans_of = logged.scan_hashes(sorted(wanted))
        done, seen = [], set()
        for _, station_id, contest_id, version, signature, key_id in items:
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
            commission_id = stations[station_id].commission_id
            key = _signing_key(commission_id, key_id, own.get(commission_id, []))
            scans = scans_of.get((station_id, contest_id), [])
            form, data = message_of(signed_object(held, scans))
            if not signatures.verify_signature(key.public_key, data, signature):
                raise _BadInput(code=Code.SIGNATURE_INVALID,
                                message="signature: does not verify with key "
                                        f"{signatures.key_id(key.public_key)} over "
                                        f"version {held.version} of "
                                        f"{station_id}/{contest_id}", field="signature")
            if published_at is not None:
                ch.clock = functools.partial(published_at, station_id)
            ch.publish_signed(held, signature, key.public_key, scans, form)
            done.append(held.pk)
            out.append({"station": station_id, "contest": contest_id, "version": version,
                        "state": "definitive",
                        "signed_with": signatures.key_id(key.public_key)})
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
