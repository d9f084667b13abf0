"""The demo's commissions make their own keys, as real ones would (docs/commission-keys.md).

At build time, each precinct commission whose station reports during the live night writes its
key file with the code of `sailau keys generate` (`sailau.cli.own_key.write_key_file`), one file
per commission in a folder beside the data directory (`keys_dir`), never inside it: a key there
would be the server's to read. Its first operator, a member of the commission, registers the
public key and the coordinator of the district commission above confirms it, through the
functions the API's `POST /api/keys/commissions/...` calls (`sailau.protocols.own_keys`), with
the permissions, log leaves and audit records of a real registration. Both happen the day
before election day on the demo's clock (`sailau.clock.showing`), so that the keys are on record
before the polls close (none is late), as the law's calendar expects of a commission; the
server-held key each commission had from the structure is retired and destroyed by the
confirmation. The night's operators sign each definitive protocol with the file
(`sailau.demo.night`). The stations left for visitors keep the server's key until a visitor
makes one in the browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

REGISTERED = dt.timedelta(hours=34)  # before the polls close: 10:00 the day before
CONFIRMED = dt.timedelta(hours=29)  # the district commission confirms in the afternoon


def keys_dir() -> Path:
    """Where the demo's commissions keep their key files: beside the data directory, not in it
    (`sailau keys generate` refuses a path inside it)."""
    from sailau.paths import data_dir

    d = data_dir()
    return d.with_name(f"{d.name}-commission-keys")


def _fresh_folder(election_id: str) -> Path:
    """The election's folder of key files, emptied of an earlier build's (whose commissions'
    rows the rebuild replaced): a file is never written over, as `generate` never does."""
    folder = keys_dir() / election_id
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for old in folder.glob("*.key"):
        old.unlink()
    return folder


def make(election, stations, members: dict, say=print) -> dict[str, str]:
    """Each station's commission makes, registers and has confirmed its own key; returns
    station id -> its key file. `members`: station id -> the member (a user with a commission
    role there) who registers it."""
    import time

    from django.db import transaction

    from sailau import clock
    from sailau.accounts.models import Role
    from sailau.cli.own_key import write_key_file
    from sailau.demo.chain import account_tag, accounts
    from sailau.elections.models import Commission
    from sailau.protocols import own_keys

    if not stations:
        return {}
    t0 = time.perf_counter()
    folder = _fresh_folder(election.id)
    parent = dict(Commission.objects.filter(id__in=[s.commission_id for s in stations])
                  .values_list("id", "parent_id"))
    tag = account_tag(election.id)
    wanted = {f"{tag}-dcoord-{d.split('.')[-1]}": (Role.COORDINATOR, d, Commission.DISTRICT)
              for d in sorted(set(parent.values()))}
    closing = own_keys.polls_closed(election)
    files, made = {}, []
    with transaction.atomic():
        users = accounts(election.id, wanted)
        coordinator = {d: users[f"{tag}-dcoord-{d.split('.')[-1]}"]
                       for d in set(parent.values())}
        with clock.showing(closing - REGISTERED):
            for s in stations:
                path = folder / f"{s.commission_id}.key"
                key = write_key_file(path, s.commission_id)
                own_keys.register(members[s.id], s.commission_id, key["public_key"])
                files[s.id] = str(path)
                made.append((s.commission_id, key["key_id"]))
        with clock.showing(closing - CONFIRMED):
            for commission_id, key_id in made:
                own_keys.confirm(coordinator[parent[commission_id]], commission_id, key_id)
    say(f"commission keys: {len(made)} commissions of the night made their own key in "
        f"{folder}, registered and confirmed the day before the election, in "
        f"{time.perf_counter() - t0:.1f} s", flush=True)
    return files
