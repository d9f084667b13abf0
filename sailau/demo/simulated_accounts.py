"""The demo's simulated accounts (operators, members, coordinators of its commissions): made in
bulk with their one role each, audited and logged as every grant. Used by the chain's routing
and by the commissions' own keys."""

from __future__ import annotations


def account_tag(election_id: str) -> str:
    """What the demo's simulated accounts of an election are named with."""
    return election_id.replace("kz.", "").replace(".", "-")


def accounts(election_id: str, wanted: dict) -> dict:
    """username -> user, for `wanted` (username -> (role kind, commission id, its level)):
    made if missing, each given that one role (audited and logged as every grant); the roles
    are set on the objects, saving a query per user. In the caller's transaction."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from sailau import audit, clock
    from sailau.accounts.models import Role
    from sailau.accounts.permissions import Grant
    from sailau.accounts.services import forget_roles, log_roles
    from sailau.audit.sql import insert_rows

    names = list(wanted)
    existing = set()
    for i in range(0, len(names), 5000):
        existing.update(User.objects.filter(username__in=names[i:i + 5000])
                        .values_list("username", flat=True))
    # The demo's operators never sign in: one unusable password (hashed once, not per user).
    unusable, now = make_password(None), clock.now()
    insert_rows(User, ["username", "password", "is_superuser", "is_staff", "is_active",
                       "first_name", "last_name", "email", "date_joined"],
                [(n, unusable, False, False, True, "", "", "", now) for n in names
                 if n not in existing])
    users = {}
    for i in range(0, len(names), 5000):
        users.update({u.username: u for u in User.objects.filter(username__in=names[i:i + 5000])
                      .only("id", "username")})
    mine = [u.pk for u in users.values()]
    forget_roles(Role.objects.filter(user_id__in=mine), "demo")  # a demo's accounts made again
    insert_rows(Role, ["user", "kind", "commission", "election", "body", "granted_by", "granted_at"],
                [(users[n].pk, k, c, election_id, "", "demo", now) for n, (k, c, _) in wanted.items()])
    # audited like every grant (`sailau audit verify` compares the role rows with their records)
    audit.append_many([("demo", "role.granted", c, {"user": n, "kind": k, "scope": c})
                       for n, (k, c, _) in wanted.items()], at=now)
    # and each a leaf of the election's log, as every grant (and what the log compares them with)
    log_roles(Role.objects.filter(user_id__in=mine).order_by("pk"), "granted")
    for n, (k, c, level) in wanted.items():
        users[n]._sailau_grants = (Grant(k, c, level, election_id),)  # as grants() reads them
    return users
