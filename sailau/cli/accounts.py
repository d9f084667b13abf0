"""`sailau accounts`: the installation's ordinary accounts, kept by whoever runs the machine (so
no role is needed to run it; each change is an audit record by "sailau accounts"). Roles are
granted apart, with `sailau roles`.

A password is read from the terminal (asked twice), from standard input (`--password-stdin`:
its first line) or from a file (`--password-file`: its first line), never from the command line,
where other users of the machine and the shell's history would see it. A token is printed once,
alone on standard output, so that `TOKEN=$(sailau accounts token create alice)` keeps it."""

import argparse
import sys
from pathlib import Path

PASSWORD_HELP = ("by default the password is asked on the terminal, twice; Django's validators "
                 "check it (at least 12 characters, not common, not all digits, not like the "
                 "account's name)")


def register(sub) -> None:
    p = sub.add_parser("accounts", help="create, list, disable and enable accounts; passwords; "
                                        "API tokens",
                       description=__doc__.split("\n\n")[0].removeprefix("`sailau accounts`: "))
    a = p.add_subparsers(dest="accounts_command", metavar="ACTION", required=True)

    c = a.add_parser("create", help="a new account (no role: grant one with `sailau roles`)",
                     description=PASSWORD_HELP)
    c.add_argument("user")
    c.add_argument("--email", default="")
    c.add_argument("--full-name", default="", help="shown to administrators, never published")
    _password_source(c)
    c.set_defaults(func=create)

    s = a.add_parser("list", help="every account as JSON lines (roles, live tokens, last login)")
    s.set_defaults(func=list_accounts)

    for name, func, what in (
            ("disable", disable, "USER cannot sign in; its sessions and tokens stop working"),
            ("enable", enable, "USER may sign in again, with the roles it had")):
        d = a.add_parser(name, help=what)
        d.add_argument("user")
        d.set_defaults(func=func)

    pw = a.add_parser("password", help="set USER's password (every token of USER stops working)",
                      description=PASSWORD_HELP)
    pw.add_argument("user")
    _password_source(pw)
    pw.set_defaults(func=password)

    t = a.add_parser("token", help="API tokens of an account: create (printed once), list, revoke")
    ts = t.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    tc = ts.add_parser("create", help="a bearer token for USER's scripts, printed once")
    tc.add_argument("user")
    tc.add_argument("--label", default="", help="what it is for (at most 100 characters)")
    tc.add_argument("--days", type=int, default=None,
                    help="how long it works, 1 to 366 days (default SAILAU_TOKEN_DAYS, 30)")
    tc.set_defaults(func=token_create)
    tl = ts.add_parser("list", help="USER's tokens as JSON lines (never the token itself)")
    tl.add_argument("user")
    tl.set_defaults(func=token_list)
    tr = ts.add_parser("revoke", help="revoke one of USER's tokens, or all of them")
    tr.add_argument("user")
    which = tr.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=int, help="the token's id (`token list`)")
    which.add_argument("--all", action="store_true", help="every live token of USER")
    tr.set_defaults(func=token_revoke)


def _password_source(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input (its first line)")
    g.add_argument("--password-file", type=Path, metavar="FILE",
                   help="read the password from FILE (its first line)")


def _read_password(args) -> str:
    from sailau.cli import CommandError

    if args.password_file is not None:
        try:
            text = args.password_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{args.password_file}: cannot read the password: {exc}") from None
        pw = text.splitlines()[0] if text else ""
    elif args.password_stdin:
        pw = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        if not sys.stdin.isatty():
            raise CommandError("no terminal to ask the password on: use --password-stdin or "
                               "--password-file FILE")
        pw = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != pw:
            raise CommandError("the two passwords differ; nothing changed")
    if not pw:
        raise CommandError("the password is empty; nothing changed")
    return pw


def _run(call) -> int:
    """Run `call` in English (the command's language) and print what it returns: JSON lines."""
    import json

    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    setup()
    from django.utils import translation

    from sailau.accounts.services import AccountError

    try:
        with translation.override("en"):
            out = call()
    except AccountError as exc:
        raise CommandError(exc.text("en")) from None
    for row in out:
        print(json.dumps(row, ensure_ascii=False))
    return 0


def create(args) -> int:
    pw = _read_password(args)

    def call():
        from sailau.accounts import users

        u = users.create(args.user, pw, email=args.email, full_name=args.full_name)
        return [users.describe(u)]

    return _run(call)


def list_accounts(args) -> int:
    def call():
        from sailau.accounts import users

        return [users.describe(u) for u in
                users.accounts().prefetch_related("sailau_roles", "sailau_tokens")]

    return _run(call)


def _active(active: bool):
    def run(args) -> int:
        def call():
            from sailau.accounts import users

            return [users.describe(users.set_active(args.user, active))]

        return _run(call)

    return run


disable, enable = _active(False), _active(True)


def password(args) -> int:
    pw = _read_password(args)

    def call():
        from sailau.accounts import users

        return [users.describe(users.set_password(args.user, pw))]

    return _run(call)


def _token(t) -> dict:
    return {"id": t.pk, "label": t.label, "created_at": t.created_at.isoformat(),
            "expires_at": t.expires_at.isoformat() if t.expires_at else None,
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            "active": t.active}


def token_create(args) -> int:
    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    setup()
    from django.utils import translation

    from sailau.accounts import users
    from sailau.accounts.services import AccountError

    try:
        with translation.override("en"):
            row, token = users.create_token(args.user, args.label, args.days)
    except AccountError as exc:
        raise CommandError(exc.text("en")) from None
    # The token alone on stdout (for a script to keep); what it is on stderr, for the person.
    print(token)
    print(f"token {row.pk} of {args.user}, works until {row.expires_at:%Y-%m-%d %H:%M} UTC; "
          "shown this once: send it as 'Authorization: Bearer <token>'", file=sys.stderr)
    return 0


def token_list(args) -> int:
    def call():
        from sailau.accounts import users

        return [_token(t) for t in users.tokens(args.user)]

    return _run(call)


def token_revoke(args) -> int:
    def call():
        from sailau.accounts import users

        n = users.revoke_token(args.user, None if args.all else args.id)
        return [{"username": args.user, "revoked": n}]

    return _run(call)
