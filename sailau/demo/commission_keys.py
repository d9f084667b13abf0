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
of a protocol the server signed for its commission.

The national build has ten thousand commissions make their files in a process of their own
(`make_beside`), the machine's second core, from its first seconds: what a commission writes
needs only its id, and the build's own process has the structure to write meanwhile. That
process has no database and gives back only the public halves (`make` registers them); the
private keys stay in the files, as on the commissions' own computers."""

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


class Beside:
    """The key files of an election's commissions being written by a process of their own
    (`make_beside`); `made` waits for them."""

    def __init__(self, election_id: str, commission_ids: list[str]):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # A new program (`spawn`), not a fork of the build, which holds a database connection.
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_dies_with_the_build)
        self.future = self.pool.submit(write_files, str(keys_dir() / election_id),
                                       list(commission_ids))

    def made(self) -> dict[str, dict]:
        """commission id -> the public members of the key file it wrote."""
        try:
            return self.future.result()
        finally:
            self.pool.shutdown()

    def stop(self) -> None:
        """The build failed: what is written stays for the next build's `forget`."""
        self.pool.shutdown(cancel_futures=True)


def make_beside(election_id: str, commission_ids) -> Beside:
    """Each of these commissions writes its key file, in a process of its own started now; give
    the result to `make` (`beside=`). The folder must hold no file of theirs (`forget` first)."""
    return Beside(election_id, sorted(commission_ids))


def _dies_with_the_build() -> None:
    """In that process: killed with the build (`kill -9`), so a next build's `forget` never
    races a file being written."""
    import os

    from sailau.background import kill_me_with_parent

    parent = os.getppid()
    kill_me_with_parent()
    if os.getppid() != parent:  # the build died before the kernel was asked
        os._exit(1)


def write_files(folder: str, commission_ids: list[str]) -> dict[str, dict]:
    """In that process: each commission's key file written as `sailau keys generate` writes it
    (no database, no Django); their public members by commission id."""
    from sailau.protocols.key_files import write_key_file

    Path(folder).mkdir(parents=True, exist_ok=True, mode=0o700)
    return {c: write_key_file(Path(folder) / f"{c}.key", c) for c in commission_ids}


def make(election, stations, members: dict, say=print,
         beside: Beside | None = None) -> dict[str, str]:
    """Each station's commission makes, registers and has confirmed its own key, unless it
    made one already (its file is there and its key confirmed: `night_plan.day_before` made it); returns
    station id -> its key file, for every station given. `members`: station id -> the member
    (a user with a commission role there) who registers it. `beside`: the files these
    commissions wrote beside (`make_beside`); a commission it has none of writes its own here."""
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
    # (waited for before the transaction: the Senate's process may write meanwhile)
    written = beside.made() if beside is not None else {}
    made = []
    with transaction.atomic():
        users = accounts(election.id, wanted)
        coordinator = {d: users[name[d]] for d in name}
        for s in stations:
            path = file_of(election.id, s.commission_id)
            key = written.get(s.commission_id) or write_key_file(path, s.commission_id)
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
    commission's key file (`signed`) and submitted by the station's member (`members`) through
    the function `POST` on that path calls, in its bulk form. Returns how many were signed."""
    return submit(signed(station_ids, files, catalog), members, catalog, published_at)


def signed(station_ids, files: dict, catalog=None) -> list[tuple]:
    """What the commissions of these stations do, with nothing written: each protocol that
    awaits its commission's signature signed with the commission's key file, as `sailau keys
    sign` signs what `GET /api/keys/protocols/.../signature` gives
    (`sailau.protocols.key_files.signature_for`: the bytes checked against the fields first).
    (station, contest, version, signature, key id) each."""
    from sailau.protocols import own_signing
    from sailau.protocols.key_files import load, signature_for

    loaded, out = {}, []
    for req in own_signing.awaiting(station_ids, catalog):
        sid = req["protocol"]["station"]
        if sid not in loaded:
            loaded[sid] = load(files[sid])
        body = signature_for(loaded[sid], req, f"{sid}/{req['protocol']['contest']}")
        out.append((sid, req["protocol"]["contest"], body["version"], body["signature"],
                    body["key_id"]))
    return out


def submit(signatures: list[tuple], members: dict, catalog, published_at=None) -> int:
    """`signed`'s signatures submitted by each station's member (`members`)."""
    from sailau.protocols import own_signing

    own_signing.submit_many([(members[sid], sid, *rest) for sid, *rest in signatures], catalog,
                            published_at)
    return len(signatures)


class Signing:
    """The routed protocols signed by their commissions one chunk of stations after another.
    `beside` (a pool of one process, `background.helper_pool`, started early so that it is
    ready when the first chunk is): each chunk's signing (`signed`: reading what awaits, the
    key files, Ed25519) done by that process while the build types the next chunk, and
    submitted after it, as commissions sign on their own computers while the night goes on;
    the build's process only checks and publishes the signatures. Otherwise each chunk is
    signed here at once."""

    def __init__(self, members: dict, files: dict, catalog, beside=None):
        self.members, self.files, self.catalog = members, files, catalog
        self.pool = beside
        self.waiting = None  # the chunk being signed beside: (future, published_at, then)

    def chunk(self, station_ids: list, published_at, then=None) -> None:
        """Sign these stations' protocols; `then()` once their signatures are in (an amendment
        amends what its commission signed)."""
        if self.pool is None:
            sign(station_ids, self.members, self.files, self.catalog, published_at)
            if then:
                then()
            return
        future = self.pool.submit(signed, station_ids, {s: self.files[s] for s in station_ids})
        self.finish()
        self.waiting = (future, published_at, then)

    def finish(self) -> None:
        """The chunk signed beside submitted (raising what its signing raised)."""
        if self.waiting is None:
            return
        future, published_at, then = self.waiting
        self.waiting = None
        submit(future.result(), self.members, self.catalog, published_at)
        if then:
            then()

    def close(self) -> None:
        """The last chunk submitted (the pool is its caller's to shut down)."""
        self.finish()
