"""`sailau manage ...`: Django's management commands (createsuperuser, migrate, shell...)."""

import argparse


def register(sub) -> None:
    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=run)


def run(args) -> int:
    from sailau.cli.django_setup import setup

    setup(migrate=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sailau manage", *args.rest])
    return 0
