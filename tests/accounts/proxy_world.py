"""Run by test_behind_proxy.py in a subprocess, against the database of its environment
(SAILAU_DATA_DIR's SQLite file, or SAILAU_DATABASE_URL): brings the schema up to date and makes
what the test signs in to and looks up. Prints the election's id."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")


def make(accounts: int) -> str:
    from sailau.cli.django_setup import setup

    setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from tests.factories import ElectionFactory

    # One hash for every account: hashing forty passwords would take longer than the test.
    hashed = make_password("right-Secret-1")
    User.objects.bulk_create([User(username=name, password=hashed)
                              for name in ["owner", "other"] + [f"clerk{i}" for i in range(accounts)]])
    return ElectionFactory().id


if __name__ == "__main__":
    print(make(int(sys.argv[1])))
