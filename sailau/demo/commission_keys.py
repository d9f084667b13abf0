"""The demo's commissions make their own keys, as real ones would (docs/commission-keys.md).

Every precinct commission of the demo's elections (the Mazhilis's, the referendum's, both
presidential rounds': `night_plan.day_before`; the Senate's joint sessions':
`senate._keys_day_before`) writes its key file with the code
of `sailau keys generate` (`sailau.protocols.key_files.write_key_file`), one file per commission
in a folder beside the data directory (`keys_dir`), never inside it: a key there would be the
server's to read. Its first operator, a member of the commission, registers the public key and
the coordinator of the district commission above confirms it, through the functions the API's
`POST /api/keys/commissions/...` calls (`sailau.protocols.own_keys`: their bulk form, the same
checks, rows, log leaves and audit records as one registration each). Both happen the day before
election day on the demo's clock (`sailau.clock.showing`), so that the keys are on record before
the polls close (none is late), as the law's calendar expects of a commission. The structure gave
no commission a key the server holds (`sailau.elections.structure.write(server_keys=False)`), so
the server has no commission's private key to seal, open or sign with.

The commission then signs what awaits its signature with the file (`sign`: the build's routed
protocols, in bulk; the night's operators do it through the HTTP API, `sailau.demo.night`). One
station is left without a key: the one `demo-operator` is given (`sailau.demo.accounts`), whose
key a visitor makes in the browser.

`sailau demo --server-keys` builds as the demo once did: the structure gives every commission a
key the server holds, and only the commissions of the stations that report during the live night
make their own (`make`, from `night_plan.prepare`); it shows what `sailau verify --signers` says
of a protocol the server signed for its commission."""

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


def file_of(election_id: str, commission_id: str) -> Path:
    """A commission's key file."""
    return keys_dir() / election_id / f"{commission_id}.key"


def forget(election_id: str) -> None:
    """Empty the election's folder of an earlier build's key files (the rebuild replaced their
    commissions' rows): a key file is never written over, as `generate` never does."""
    for old in (keys_dir() / election_id).glob("*.key"):
        old.unlink()


def _coordinator_names(tag: str, districts: set[str]) -> dict[str, str]:
    """district commission id -> its coordinator's account: named by the id's last part
    (`...-dcoord-1801`), or its last two where the last is the same for several (the Senate's
    joint sessions, `...-dcoord-03-joint`)."""
    tails = {d: d.split(".")[-1] for d in districts}
    if len(set(tails.values())) < len(tails):
        tails = {d: "-".join(d.split(".")[-2:]) for d in districts}
    return {d: f"{tag}-dcoord-{t}" for d, t in tails.items()}


def make(election, stations, members: dict, say=print) -> dict[str, str]:
    """Each station's commission makes, registers and has confirmed its own key, unless it
    made one already (its file is there and its key confirmed: `night_plan.day_before` made it); returns
    station id -> its key file, for every station given. `members`: station id -> the member
    (a user with a commission role there) who registers it."""
    import time

    from django.db import transaction

    from sailau import clock
    from sailau.accounts.models import Role
    from sailau.demo.simulated_accounts import account_tag, accounts
    from sailau.elections import keys
    from sailau.elections.models import Commission
    from sailau.protocols import own_keys
    from sailau.protocols.key_files import write_key_file

    t0 = time.perf_counter()
    folder = keys_dir() / election.id
    own = keys.signs_own(s.commission_id for s in stations)
    files = {s.id: str(file_of(election.id, s.commission_id)) for s in stations
             if s.commission_id in own and file_of(election.id, s.commission_id).exists()}
    stations = [s for s in stations if s.commission_id not in own]
    if not stations:
        return files
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    parent = dict(Commission.objects.filter(id__in=[s.commission_id for s in stations])
                  .values_list("id", "parent_id"))
    tag = account_tag(election.id)
    name = _coordinator_names(tag, set(parent.values()))
    wanted = {name[d]: (Role.COORDINATOR, d, Commission.DISTRICT) for d in sorted(name)}
    closing = own_keys.polls_closed(election)
    made = []
    with transaction.atomic():
        users = accounts(election.id, wanted)
        coordinator = {d: users[name[d]] for d in name}
        for s in stations:
            path = file_of(election.id, s.commission_id)
            key = write_key_file(path, s.commission_id)
            files[s.id] = str(path)
            made.append((members[s.id], s.commission_id, key))
        # what thousands of `POST /api/keys/commissions/...` would do, in one transaction each
        with clock.showing(closing - REGISTERED):
            own_keys.register_many([(m, c, key["public_key"]) for m, c, key in made])
        with clock.showing(closing - CONFIRMED):
            own_keys.confirm_many([(coordinator[parent[c]], c, key["key_id"])
                                   for _, c, key in made])
    say(f"commission keys: {len(made)} commissions made their own key in {folder}, "
        f"registered and confirmed the day before the election, in "
        f"{time.perf_counter() - t0:.1f} s", flush=True)
    return files


def sign(station_ids, members: dict, files: dict, catalog, published_at=None) -> int:
    """Each protocol of these stations that awaits its commission's signature signed with the
    commission's key file, as `sailau keys sign` signs what `GET /api/keys/protocols/.../
    signature` gives (`sailau.protocols.key_files.signature_for`: the bytes checked against the fields
    first), and submitted by the station's member (`members`) through the function `POST` on
    that path calls, in its bulk form. Returns how many were signed."""
    from sailau.protocols import own_signing
    from sailau.protocols.key_files import load, signature_for

    loaded, items = {}, []
    for req in own_signing.awaiting(station_ids, catalog):
        sid = req["protocol"]["station"]
        if sid not in loaded:
            loaded[sid] = load(files[sid])
        body = signature_for(loaded[sid], req, f"{sid}/{req['protocol']['contest']}")
        items.append((members[sid], sid, req["protocol"]["contest"], body["version"],
                      body["signature"], body["key_id"]))
    own_signing.submit_many(items, catalog, published_at)
    return len(items)
