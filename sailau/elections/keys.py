"""Commission signing keys: issued with the structure (or by the CEC, `sailau keys issue`),
kept sealed in the database (`sailau.sealing`: under the data directory's key file, not
SECRET_KEY, bound to the commission and public key), opened by the server to sign a definitive
protocol. Each key issued is a `commission-key` leaf of the election's log, written in the
transaction that stores it (`held_by_server`: the server generated it).

A commission that made its own key (`sailau keys generate`, registered and confirmed through
`sailau.protocols.own_keys`) signs its own protocols: it gets no key from here (`issue` skips
it), and the server-held key it had is retired with its private half destroyed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import IntegrityError, transaction
from django.db.models import Q

from sailau import audit, clock, sealing
from sailau.elections.models import Commission, CommissionKey
from sailau.ledger import outbox
from sailau.verify import signatures

KEY_FILE = sealing.KEY_FILE
BATCH = 2000
KeyUnavailable = sealing.KeyUnavailable


def _key_file() -> Path:
    return sealing.key_file()


def _sealing_key() -> AESGCM:
    return sealing.sealing_key()


def _aad(commission_id: str, public_key: str) -> bytes:
    return f"sailau-commission-key/1|{commission_id}|{public_key}".encode()


def _new_rows(commission_ids: Iterable[str], now) -> list[CommissionKey]:
    aead = _sealing_key()
    rows = []
    for cid in commission_ids:
        private, public = signatures.new_key_pair()
        rows.append(CommissionKey(commission_id=cid, public_key=public, created_at=now,
                                  sealed_private_key=sealing.seal(private, _aad(cid, public),
                                                                  aead)))
    return rows


@transaction.atomic
def issue(commission_ids: Iterable[str], *, own_checked: bool = False) -> list[CommissionKey]:
    """A new key pair for each commission, except those that sign their own protocols (which
    the caller may have excluded already: `own_checked`); the key each had is retired (kept to
    verify what it signed). Returns the new keys."""
    wanted = set(commission_ids)
    ids = sorted(wanted if own_checked else wanted - signs_own(wanted))
    now = clock.now()  # the application's time of the registration (a demo's night)
    retired = []
    for i in range(0, len(ids), BATCH):
        active = CommissionKey.objects.filter(commission_id__in=ids[i:i + BATCH],
                                              retired_at__isnull=True, held_by_server=True)
        retired += active.values_list("commission__election_id", "commission_id", "public_key")
        active.update(retired_at=now)
    rows = _new_rows(ids, now)
    CommissionKey.objects.bulk_create(rows, batch_size=BATCH)
    # Each key retired and registered is a leaf of the election's log, in this transaction:
    # `held_by_server`, since the server generated these keys and keeps them sealed.
    election = {}
    for i in range(0, len(ids), BATCH):
        election.update(Commission.objects.filter(id__in=ids[i:i + BATCH])
                        .values_list("id", "election_id"))
    outbox.append_many(
        [(eid, "commission-key", cid, {"action": "revoke", "commission": cid,
                                       "public_key": pub, "held_by_server": True,
                                       "reason": "replaced by a new key"})
         for eid, cid, pub in retired]
        + [(election[r.commission_id], "commission-key", r.commission_id, {
            "action": "register", "commission": r.commission_id, "public_key": r.public_key,
            "held_by_server": True, "reason": None}) for r in rows], now)
    return rows


def signs_own(commission_ids: Iterable[str]) -> set[str]:
    """Those of the commissions that sign their own protocols: a key of their own was once
    confirmed by the commission above (revoked since or not). The server never signs for them
    again: a protocol of theirs waits for their signature."""
    ids = sorted(set(commission_ids))
    out: set[str] = set()
    for i in range(0, len(ids), BATCH):
        out.update(CommissionKey.objects.filter(
            commission_id__in=ids[i:i + BATCH], held_by_server=False,
            confirmed_at__isnull=False).values_list("commission_id", flat=True))
    return out


def without_key(election_id: str) -> list[str]:
    """The election's commissions that have no active key (a structure imported before keys
    existed, or a key file lost and the keys to be reissued); a commission that signs its own
    protocols is never among them."""
    active = CommissionKey.objects.filter(
        Q(retired_at__isnull=True) | Q(held_by_server=False, confirmed_at__isnull=False)
    ).values("commission_id")
    return list(Commission.objects.filter(election_id=election_id).exclude(id__in=active)
                .values_list("id", flat=True))


def private_keys(commission_ids: Iterable[str]) -> dict[str, tuple[str, bytes]]:
    """commission id -> (public key, private key bytes) of the active keys. A commission without
    a key gets one now (issued, as the CEC would), so that a definitive protocol is never left
    unsigned; KeyUnavailable when a sealed key does not open."""
    ids = sorted(set(commission_ids))
    found = {}
    for i in range(0, len(ids), BATCH):
        for k in CommissionKey.objects.filter(commission_id__in=ids[i:i + BATCH],
                                              retired_at__isnull=True, held_by_server=True):
            found[k.commission_id] = k
    if missing := [c for c in ids if c not in found]:
        try:
            # the chain held back the versions of commissions that sign their own
            # (`protocols.awaiting`): none of these does
            new = issue(missing, own_checked=True)
            # audited like `sailau keys issue`, in the transaction of the protocol it signs;
            # the next publication (incremental too) puts the key in keys.json
            audit.append_many([("sailau", "key.issued", k.commission_id,
                                {"public_key": k.public_key, "when": "first signature"})
                               for k in new])
            for k in new:
                found[k.commission_id] = k
        except IntegrityError:  # another request issued one at the same moment: use theirs
            for k in CommissionKey.objects.filter(commission_id__in=missing,
                                                  retired_at__isnull=True, held_by_server=True):
                found[k.commission_id] = k
    aead = _sealing_key() if found else None
    out = {}
    for cid, k in found.items():
        blob = bytes(k.sealed_private_key)
        try:
            private = sealing.unseal(blob, _aad(cid, k.public_key), aead)
        except InvalidTag:
            raise KeyUnavailable(
                f"the signing key of commission {cid} cannot be opened with {_key_file()}: "
                "that file is not the one that sealed it; issue a new key "
                f"(sailau keys issue {cid})") from None
        out[cid] = (k.public_key, private)
    return out


def public_keys(election_id: str) -> list[dict]:
    """Every key of the election's commissions, retired ones included (they verify the
    protocols signed before a rotation), as published in snapshots."""
    return [{"commission": cid, "key_id": signatures.key_id(pub), "public_key": pub,
             "created_at": created.isoformat(),
             "retired_at": retired.isoformat() if retired else None,
             "held_by_server": held, "late": late,
             "confirmed_at": confirmed.isoformat() if confirmed else None,
             "confirmed_by": by or None, "revoked_reason": reason or None}
            for cid, pub, created, retired, held, late, confirmed, by, reason in
            CommissionKey.objects.filter(commission__election_id=election_id)
            .order_by("commission_id", "created_at")
            .values_list("commission_id", "public_key", "created_at", "retired_at",
                         "held_by_server", "late", "confirmed_at", "confirmed_by_commission",
                         "revoked_reason")]


PUBLIC_KEYS_FORMAT = "sailau-public-keys/1"
# What a key signs, for keys.json's reader: the published specification (a page of the manual
# that ships with every release), never a path into the source, which a reader does not have
# and which moves.
SIGNED = ("the canonical JSON of each definitive protocol version (sailau-protocol/1, /2, /3): "
          "docs/commission-keys.md#the-signed-message-byte-by-byte")


def public_keys_document(election_id: str) -> dict:
    """The public-keys file of a snapshot (`keys.json`): `commissions` maps each commission to
    every public key it signed with, oldest first (a protocol signed before a rotation still
    verifies); `keys` says when each was issued and retired."""
    rows = public_keys(election_id)
    by_commission: dict[str, list[str]] = {}
    for r in rows:
        by_commission.setdefault(r["commission"], []).append(r["public_key"])
    return {"format": PUBLIC_KEYS_FORMAT, "election": election_id, "algorithm": "Ed25519",
            "signed": SIGNED,
            "commissions": by_commission, "keys": rows}
