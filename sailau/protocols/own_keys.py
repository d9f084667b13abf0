"""Keys a commission made itself (`sailau keys generate`): registered by a member of the
commission, confirmed by the commission above it (its coordinator), revoked with a reason. The
server stores the public key only. Each step is a `commission-key` leaf of the election's log
(`held_by_server` false, `by` the commission that acted), written in the step's transaction, and
an audit record.

Once the commission above confirms a key, the commission signs its own protocols
(`elections.keys.signs_own`): the server-held key it had is retired, its sealed private half
destroyed (the server could otherwise still sign as the commission), and a `revoke` leaf says so.
A key registered after the polls closed (20:00 local time on election day, the close the law
sets) is accepted but marked `late` in its row and its leaf, for every reader to see. Its times
are the application's clock (`sailau.clock`), which that deadline is read by, as the protocols'
steps are."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction

from sailau import audit, clock
from sailau.accounts import permissions as perm
from sailau.audit.sql import update_rows
from sailau.elections.models import Commission, CommissionKey
from sailau.errors import BadInput as _BadInput
from sailau.errors import Code, Conflict, Forbidden, NotFound
from sailau.i18n import page_lang
from sailau.ledger import outbox
from sailau.tlog import edkey
from sailau.verify import signatures

POLLS_CLOSE = dt.time(20, 0)  # voting ends at 20:00 local time (Constitutional Law on Elections)
BATCH = 2000  # ids per query of a bulk registration or confirmation
MEMBER_KINDS = (perm.OP, perm.CO, perm.AD)  # any commission role at the commission itself
CONFIRM_KINDS = (perm.CO, perm.AD)


def polls_closed(election) -> dt.datetime:
    """When the polls closed on election day, as an aware time."""
    return dt.datetime.combine(election.date, POLLS_CLOSE,
                               tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _commission(commission_id: str) -> Commission:
    c = Commission.objects.select_related("election").filter(pk=commission_id).first()
    if c is None:
        raise NotFound(code=Code.UNKNOWN_COMMISSION, message=f"no commission {commission_id!r}")
    return c


def is_member(user, commission: Commission) -> bool:
    return any(g.kind in MEMBER_KINDS and g.commission_id == commission.pk
               for g in perm.grants(user))


def may_confirm(user, commission: Commission) -> bool:
    """A coordinator (or administrator) of the commission above; the top commission, which has
    none above, by its own administrator."""
    above = commission.parent_id or commission.pk
    return any(g.kind in CONFIRM_KINDS and g.commission_id == above for g in perm.grants(user))


def _refuse(user, what: str, commission: Commission) -> Forbidden:
    who = getattr(user, "username", "") or "the public"
    return Forbidden(code=Code.NOT_ALLOWED, message=f"{who} may not {what} a key of commission "
                                                    f"{commission.pk}")


def _key(commission: Commission, key_id: str) -> CommissionKey:
    for k in CommissionKey.objects.filter(commission=commission, held_by_server=False):
        if signatures.key_id(k.public_key) == key_id or k.public_key == key_id:
            return k
    raise NotFound(code=Code.NOT_FOUND,
                   message=f"commission {commission.pk} has no key {key_id!r} of its own")


def _leaf_item(k: CommissionKey, action: str, by: str, reason: str | None = None,
               held: bool = False) -> tuple:
    """The `commission-key` leaf of one step, as `outbox.append_many` takes it."""
    members = {"action": action, "commission": k.commission_id, "public_key": k.public_key,
               "held_by_server": held, "reason": reason, "by": by}
    if action == "register":
        members["late"] = k.late
    return (k.commission.election_id, "commission-key", k.commission_id, members)


def _leaf(k: CommissionKey, action: str, by: str, now, reason: str | None = None,
          held: bool = False) -> None:
    outbox.append_many([_leaf_item(k, action, by, reason, held)], now)


def describe(k: CommissionKey) -> dict:
    """A key as the API and pages show it."""
    if k.held_by_server:
        state = "retired" if k.retired_at else "held by the server"
    elif k.retired_at:
        state = "revoked"
    else:
        state = "confirmed" if k.confirmed_at else "registered"
    return {"commission": k.commission_id, "key_id": signatures.key_id(k.public_key),
            "public_key": k.public_key, "held_by_server": k.held_by_server, "state": state,
            "registered_at": k.created_at.isoformat(), "late": k.late,
            "confirmed_at": k.confirmed_at.isoformat() if k.confirmed_at else None,
            "confirmed_by": k.confirmed_by_commission or None,
            "retired_at": k.retired_at.isoformat() if k.retired_at else None,
            "revoked_reason": k.revoked_reason or None}


def keys_of(commission_id: str) -> list[dict]:
    c = _commission(commission_id)
    return [describe(k) for k in CommissionKey.objects.filter(commission=c)
            .select_related("commission").order_by("created_at", "pk")]


def register(user, commission_id: str, public_key: str) -> dict:
    return register_many([(user, commission_id, public_key)])[0]


def _chunks(ids) -> list[list[str]]:
    ids = sorted(set(ids))
    return [ids[i:i + BATCH] for i in range(0, len(ids), BATCH)]


def _commissions(ids) -> dict[str, Commission]:
    out = {}
    for part in _chunks(ids):
        out.update(Commission.objects.select_related("election").in_bulk(part))
    return out


def _key_active(message: str) -> Conflict:
    return Conflict(code=Code.KEY_ACTIVE, message=message, field="public_key")


@transaction.atomic
def register_many(items) -> list[dict]:
    """Register each (user, commission id, public key), as `POST /api/keys/commissions/ID`
    does for one: each checked (a member of the commission, a valid key not registered before,
    no key of its own that is not revoked), all written together, every row, leaf and audit
    record as one registration writes it. Anything refused refuses them all. The demo's build
    registers its commissions' keys with it, thousands at once."""
    items = list(items)
    commissions = _commissions(cid for _, cid, _ in items)
    publics = [pk for _, _, pk in items if isinstance(pk, str)]
    taken = set()
    for i in range(0, len(publics), BATCH):
        taken.update(CommissionKey.objects.filter(public_key__in=publics[i:i + BATCH])
                     .values_list("public_key", flat=True))
    active = set()
    for part in _chunks(commissions):
        active.update(CommissionKey.objects.filter(
            commission_id__in=part, held_by_server=False, retired_at__isnull=True)
            .values_list("commission_id", flat=True))
    now = clock.now()
    rows = []
    for user, commission_id, public_key in items:
        c = _known(commissions, commission_id)
        if not is_member(user, c):
            raise _refuse(user, "register", c)
        _check_key(public_key)
        if public_key in taken:
            raise _key_active("this public key is already registered")
        if c.pk in active:
            raise _key_active(f"commission {c.pk} already has a key of its own: revoke it first")
        taken.add(public_key)
        active.add(c.pk)
        rows.append(CommissionKey(
            commission=c, public_key=public_key, sealed_private_key=b"", created_at=now,
            held_by_server=False, registered_by=perm.username(user),
            late=now > polls_closed(c.election)))
    try:
        with transaction.atomic():
            CommissionKey.objects.bulk_create(rows, batch_size=BATCH)
    except IntegrityError:  # another member registered one at the same moment
        raise _key_active("a commission already has a key of its own: revoke it first") from None
    outbox.append_many([_leaf_item(k, "register", k.commission_id) for k in rows], now)
    audit.append_many([(k.registered_by, "key.registered", k.commission_id,
                        {"public_key": k.public_key, "late": k.late}) for k in rows])
    return [describe(k) for k in rows]


def _check_key(public_key) -> None:
    """Refused unless `public_key` is the one base64 spelling of a key worth trusting: a
    small-order or non-canonically encoded key (`key_weak`) would let one constant signature
    verify for any protocol, or register one key twice under two spellings."""
    try:
        edkey.public_key(public_key)
    except edkey.WeakKey as exc:
        if exc.reason in ("small-order", "non-canonical"):
            raise _BadInput(code=Code.KEY_WEAK, field="public_key") from None
        raise _BadInput(code=Code.KEY_INVALID, field="public_key",
                        message=f"public_key: not an Ed25519 public key ({exc})") from None


def _known(commissions: dict, commission_id: str):
    c = commissions.get(commission_id)
    if c is None:
        raise NotFound(code=Code.UNKNOWN_COMMISSION, message=f"no commission {commission_id!r}")
    return c


def confirm(user, commission_id: str, key_id: str) -> dict:
    return confirm_many([(user, commission_id, key_id)])[0]


@transaction.atomic
def confirm_many(items) -> list[dict]:
    """Confirm each (user, commission id, key id) as `POST /api/keys/commissions/ID/KEY/
    confirm` does for one (the user a coordinator of the commission above; the key the
    commission's own, neither revoked nor confirmed yet), all together; anything refused
    refuses them all."""
    items = list(items)
    commissions = _commissions(cid for _, cid, _ in items)
    own: dict[str, list[CommissionKey]] = {}
    for part in _chunks(commissions):
        for k in (CommissionKey.objects.select_for_update().select_related("commission")
                  .filter(commission_id__in=part, held_by_server=False).order_by("pk")):
            own.setdefault(k.commission_id, []).append(k)
    now = clock.now()
    confirmed, leaves = [], []
    for user, commission_id, key_id in items:
        c = _known(commissions, commission_id)
        if not may_confirm(user, c):
            raise _refuse(user, "confirm", c)
        k = next((k for k in own.get(c.pk, ()) if key_id in (signatures.key_id(k.public_key),
                                                              k.public_key)), None)
        if k is None:
            raise NotFound(code=Code.NOT_FOUND,
                           message=f"commission {c.pk} has no key {key_id!r} of its own")
        if k.retired_at:
            raise Conflict(code=Code.KEY_REVOKED,
                           message=f"key {key_id} of commission {c.pk} is revoked")
        if k.confirmed_at:
            raise Conflict(code=Code.KEY_CONFIRMED,
                           message=f"key {key_id} of commission {c.pk} is already confirmed")
        above = c.parent_id or c.pk
        k.confirmed_at, k.confirmed_by, k.confirmed_by_commission = now, perm.username(user), above
        confirmed.append(k)
        leaves.append(_leaf_item(k, "confirm", above))
    # (Django's bulk_update builds a CASE per row and field: seconds for a few thousand)
    update_rows(CommissionKey, ["confirmed_at", "confirmed_by", "confirmed_by_commission"],
                [(k.confirmed_at, k.confirmed_by, k.confirmed_by_commission, k.pk)
                 for k in confirmed])
    # From now on the server signs nothing for these commissions: the key each held is retired
    # and its private half destroyed, so that nobody with the database and the data directory
    # can sign as the commission; its public half still verifies what it signed.
    above_of = {k.commission_id: k.confirmed_by_commission for k in confirmed}
    retired = []
    for part in _chunks(above_of):
        for old in (CommissionKey.objects.select_for_update().select_related("commission")
                    .filter(commission_id__in=part, held_by_server=True,
                            retired_at__isnull=True).order_by("pk")):
            old.retired_at, old.sealed_private_key = now, b""
            old.revoked_reason = "replaced by the commission's own key"
            retired.append(old)
    update_rows(CommissionKey, ["retired_at", "sealed_private_key", "revoked_reason"],
                [(old.retired_at, b"", old.revoked_reason, old.pk) for old in retired])
    revokes: dict[str, list] = {}
    for old in retired:
        revokes.setdefault(old.commission_id, []).append(
            _leaf_item(old, "revoke", above_of[old.commission_id], old.revoked_reason,
                       held=True))
    # each confirmation's leaf, then the revocations it caused, as one confirmation writes them
    outbox.append_many([x for k, leaf in zip(confirmed, leaves, strict=True)
                        for x in (leaf, *revokes.get(k.commission_id, ()))], now)
    for part in _chunks(above_of):
        CommissionKey.objects.filter(commission_id__in=part, held_by_server=True).update(
            sealed_private_key=b"")
    audit.append_many([(k.confirmed_by, "key.confirmed", k.commission_id,
                        {"public_key": k.public_key}) for k in confirmed])
    return [describe(k) for k in confirmed]


@transaction.atomic
def revoke(user, commission_id: str, key_id: str, reason: str) -> dict:
    c = _commission(commission_id)
    if not (is_member(user, c) or may_confirm(user, c)):
        raise _refuse(user, "revoke", c)
    reason = (reason or "").strip()
    if not reason:
        raise _BadInput(code=Code.REQUIRED, message="reason: say why the key is revoked",
                        field="reason")
    k = _key(c, key_id)
    k = CommissionKey.objects.select_for_update().select_related("commission").get(pk=k.pk)
    if k.retired_at:
        raise Conflict(code=Code.KEY_REVOKED,
                       message=f"key {key_id} of commission {c.pk} is revoked")
    now = clock.now()
    k.retired_at, k.revoked_reason = now, reason[:500]
    k.save(update_fields=["retired_at", "revoked_reason"])
    _leaf(k, "revoke", c.pk if is_member(user, c) else (c.parent_id or c.pk), now,
          k.revoked_reason)
    audit.append(perm.username(user), "key.revoked", c.pk,
                 {"public_key": k.public_key, "reason": k.revoked_reason})
    return describe(k)


def confirmed_key(commission_id: str) -> CommissionKey | None:
    """The commission's own key that signs now: confirmed and not revoked."""
    return CommissionKey.objects.filter(commission_id=commission_id, held_by_server=False,
                                        retired_at__isnull=True,
                                        confirmed_at__isnull=False).first()


# ------------------------------------------------------------- what the work list shows

def member_of(user, commission_id: str) -> bool:
    return any(g.kind in MEMBER_KINDS and g.commission_id == commission_id
               for g in perm.grants(user))


def home_keys(user) -> dict:
    """What the work list shows of keys: the user's commissions (to make or see their key) and
    the keys of the commissions below that await the user's confirmation."""
    grants = perm.grants(user)
    own = sorted({g.commission_id for g in grants
                  if g.kind in MEMBER_KINDS and g.commission_id})
    above = {g.commission_id for g in grants if g.kind in CONFIRM_KINDS}
    pending = (CommissionKey.objects.filter(held_by_server=False, retired_at__isnull=True,
                                            confirmed_at__isnull=True,
                                            commission__parent_id__in=above)
               .select_related("commission").order_by("created_at")[:100] if above else [])
    names = Commission.objects.in_bulk(own)
    lang = page_lang()
    return {"my_commissions": [(cid, names[cid].name(lang)) for cid in own if cid in names],
            "keys_to_confirm": [(k.commission_id, k.commission.name(lang)) for k in pending]}
