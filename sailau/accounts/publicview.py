"""The audit log as the public reads it (`/api/audit/records`): who acted is told by role and
commission, never by log-in name. Operators' log-in names in the public log were a list of
accounts to lock out or to guess passwords for, and a private complainant's account name
identified them.

Each page of records is rewritten on the way out, the stored chain is untouched: the actor, any
payload value and a `user/<name>` subject equal to an account's log-in name become that
account's roles (`operator@<commission>`, several joined by commas; `account` without one),
as they stand when read. Digests from before the keyed form (a complaint filer's plain SHA-256,
an attachment's file name) are left out. A record so rewritten says `"redacted": true`: its
`hash` is the stored record's, which the shown content no longer recomputes; the chain's links
(`prev_hash` to the previous `hash`) still read from the public records."""

from __future__ import annotations

from collections.abc import Iterable

# Actors that are not accounts (sailau.audit's records of the system, the public, the demo).
NOT_ACCOUNTS = frozenset({"system", "public", "demo", "filer", ""})
# Filer kinds whose name is public (sailau.complaints.models.PUBLIC_NAME_KINDS): a filing
# by any other kind written before its actor was "filer" (sailau.complaints.audit.filer_actor)
# is shown so, by the kind the record itself names.
PUBLIC_FILER_KINDS = frozenset({"candidate", "party", "observer_org"})
# Fields of records written before the keyed digests (sailau.complaints.audit), by action.
UNKEYED = {"complaint.filed": ("filer",), "complaint.attached": ("name",)}
_CHUNK = 500  # names per query: SQLite's limit on parameters is far above, but not unbounded
_MAX_NAME = 150  # a log-in name's longest (Django's username)


def _strings(value, out: set) -> None:
    if isinstance(value, str):
        if 0 < len(value) <= _MAX_NAME and value not in NOT_ACCOUNTS:
            out.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)


def role_labels(names: Iterable[str]) -> dict[str, str]:
    """{log-in name: its roles as the public reads them} for those of `names` that are accounts."""
    from django.contrib.auth import get_user_model

    names = sorted(set(names) - NOT_ACCOUNTS)
    labels: dict[str, str] = {}
    users = get_user_model().objects
    for i in range(0, len(names), _CHUNK):
        for u in users.filter(username__in=names[i:i + _CHUNK]).prefetch_related("sailau_roles"):
            roles = sorted({f"{r.kind}@{r.scope}" if r.scope else r.kind
                            for r in u.sailau_roles.all()})
            labels[u.username] = ", ".join(roles) or "account"
    return labels


def _replace(value, labels: dict[str, str]):
    if isinstance(value, str):
        return labels.get(value, value)
    if isinstance(value, dict):
        return {k: _replace(v, labels) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, labels) for v in value]
    return value


def public_records(rows: list[dict]) -> list[dict]:
    """`rows`: records as {seq, at, actor, action, subject, payload, prev_hash, hash}."""
    names: set[str] = set()
    for r in rows:
        names.add(r["actor"])
        if r["subject"].startswith("user/"):
            names.add(r["subject"][5:])
        _strings(r["payload"], names)
    labels = role_labels(names)
    out = []
    for r in rows:
        payload = {k: v for k, v in r["payload"].items()
                   if k not in UNKEYED.get(r["action"], ())}
        actor = labels.get(r["actor"], r["actor"])
        if (r["action"] == "complaint.filed"
                and r["payload"].get("filer_kind") not in PUBLIC_FILER_KINDS):
            actor = "filer"
        shown = {**r, "actor": actor,
                 "payload": _replace(payload, labels)}
        if r["subject"].startswith("user/") and r["subject"][5:] in labels:
            shown["subject"] = f"user/{labels[r['subject'][5:]]}"
        shown["redacted"] = any(shown[k] != r[k] for k in ("actor", "subject", "payload"))
        out.append(shown)
    return out
