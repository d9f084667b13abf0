"""`sailau roles grant|revoke|list`: who may do what. Run by whoever runs the machine, so no
role is needed to run it; every grant and revoke is in the audit log as done by "sailau roles".

The first superuser becomes CEC administrator of an election with
`sailau roles grant USER admin ELECTION`."""

SCOPE_HELP = ("a commission id (admin: the election id is enough, it means its CEC); "
              "org:ID of an observer organisation (org_manager, observer); for a decider a "
              "commission id, or ELECTION:BODY for a court or the prosecutor "
              "(admin_court, supreme_court, constitutional_court, prosecutor); "
              "nothing for a citizen")
KINDS_HELP = ("admin (CEC administrator), coordinator, operator (precinct-operator: an operator "
              "of a precinct commission), org_manager, observer, decider, citizen")


def register(sub) -> None:
    p = sub.add_parser("roles", help="grant, revoke and list the roles of accounts")
    rsub = p.add_subparsers(dest="roles_command", metavar="ACTION", required=True)
    for name, func, what in (("grant", grant, "give USER the role ROLE at SCOPE"),
                             ("revoke", revoke, "take the role ROLE at SCOPE from USER")):
        g = rsub.add_parser(name, help=what)
        g.add_argument("user")
        g.add_argument("role", help=KINDS_HELP)
        g.add_argument("scope", nargs="?", default="", help=SCOPE_HELP)
        g.set_defaults(func=func)
    s = rsub.add_parser("list", help="every role, or one user's, as JSON lines")
    s.add_argument("user", nargs="?", default=None)
    s.set_defaults(func=list_roles)


def _run(call):
    import json

    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    setup()
    from django.utils import translation

    from sailau.accounts.permissions import NotAllowed
    from sailau.accounts.services import AccountError
    from sailau.observation.errors import ObservationError

    try:  # the command's messages are English, like the rest of its output
        with translation.override("en"):
            out = call()
    except (AccountError, NotAllowed, ObservationError) as exc:
        raise CommandError(exc.text("en")) from None
    for row in out:
        print(json.dumps(row, ensure_ascii=False))
    return 0


def grant(args) -> int:
    def call():
        from sailau.accounts import services

        role, created = services.grant(None, args.user, args.role, args.scope)
        return [{**services.describe(role), "created": created}]

    return _run(call)


def revoke(args) -> int:
    def call():
        from sailau.accounts import services

        role = services.revoke(None, args.user, args.role, args.scope)
        return [{"revoked": True, "username": args.user, "kind": role.kind, "scope": role.scope}]

    return _run(call)


def list_roles(args) -> int:
    def call():
        from sailau.accounts import services

        return [services.describe(r) for r in services.roles(args.user)]

    return _run(call)
