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
    obj = signed_object(held, _scans(held))
    form, data = message_of(obj)
    key = own_keys.confirmed_key(station.commission_id)
    return {"state": "awaiting_signature", "commission": station.commission_id,
            "format": form, "protocol": obj,
            "message": base64.b64encode(data).decode("ascii"),
            "key_id": signatures.key_id(key.public_key) if key else None,
            "since": held.created_at.isoformat()}


def submit(user, station_id: str, contest_id: str, version: int, signature: str,
           key_id: str | None = None) -> dict:
    """Verify the commission's signature of the version awaiting it and publish the version.
    Two members signing at once: the first is kept, the second told `already_signed`."""
    from sailau.protocols import services  # the chain's transaction; services imports chain

    station = Catalog().station(station_id)
    if not own_keys.is_member(user, station.commission):
        who = getattr(user, "username", "") or "the public"
        raise Forbidden(code=Code.NOT_ALLOWED, message=f"{who} may not sign for commission "
                                                       f"{station.commission_id}")
    with services.chain() as ch:
        held = _held(station_id, contest_id, lock=True)
        if version != held.version:
            raise Conflict(code=Code.SIGNATURE_VERSION,
                           message=f"version {version} given; the version "
                                                   f"awaiting the signature is {held.version}",
                           field="version")
        key = _signing_key(station.commission_id, key_id)
        scans = _scans(held)
        form, data = message_of(signed_object(held, scans))
        if not signatures.verify_signature(key.public_key, data, signature):
            raise _BadInput(code=Code.SIGNATURE_INVALID,
                            message="signature: does not verify with key "
                                                    f"{signatures.key_id(key.public_key)} over "
                                                    f"version {held.version} of "
                                                    f"{station_id}/{contest_id}", field="signature")
        ch.publish_signed(held, signature, key.public_key, scans, form)
        held.delete()
    return {"station": station_id, "contest": contest_id, "version": version,
            "state": "definitive", "signed_with": signatures.key_id(key.public_key)}


def _signing_key(commission_id: str, key_id: str | None) -> CommissionKey:
    """The commission's confirmed key; the key named, when one is, must be it."""
    own = list(CommissionKey.objects.filter(commission_id=commission_id, held_by_server=False))
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
