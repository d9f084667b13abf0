"""Write a `Synthetic` election into the database, and its ground truth to
SAILAU_DATA_DIR/demo/ground_truth.json. The structure goes in one transaction; the protocols then
go through the protocol chain (`sailau.demo.chain`): two entries each, checks, coordinator
resolutions, amendments, audit log and incremental tabulation, as on election night."""

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from sailau.demo.synthetic import Synthetic
from sailau.elections import models as m
from sailau.elections import structure
from sailau.paths import data_dir, write_atomic
from sailau.protocols import tabulation
from sailau.protocols.models import Amendment, DataEntry, Protocol

BATCH = 2000


def ground_truth_path() -> Path:
    return data_dir() / "demo" / "ground_truth.json"


def load(syn: Synthetic, route: bool = True, closing=None, turnout: bool = True,
         server_keys: bool = True) -> m.Election:
    """`route=False` loads the structure only (empty tallies), for tests of the chain; the
    commissions' turnout reports through the day are written either way (unless `turnout` is
    False: the build writes them itself, after the day before), on the day whose polls closed
    at `closing` (default: 20:00 Almaty time on election day). `server_keys`: the structure
    gives every commission a key the server holds (False: the commissions make their own the
    day before, `night_plan.day_before`)."""
    from sailau.demo import turnout_day
    from sailau.demo.chain import Night

    election = write_structure(syn.structure(), server_keys=server_keys)
    if turnout:
        turnout_day.write(syn, closing or
                          Night.of(dt.date.fromisoformat(str(election.date))).closing)
    if route:
        from sailau.demo.chain import route as route_protocols

        route_protocols(syn)
    _write_truth(syn)
    return election


@transaction.atomic
def write_structure(doc: dict, server_keys: bool = True) -> m.Election:
    """A demo election's structure document written (the Mazhilis's, the Senate's), replacing
    an earlier build's, with its tallies at nothing reported; `server_keys=False`: no
    commission gets a key the server holds (they make their own, `commission_keys`)."""
    # A rebuilt demo drops its old results first; real results are never deleted this way
    # (the audit log keeps the record of them).
    eid = doc["election"]["id"]
    _drop_results(eid)
    # The structure goes through the same checks as an imported file.
    election = structure.write(structure.validate(doc), replace=True, server_keys=server_keys)
    # Tallies with nothing reported yet: every definitive protocol then moves them.
    for contest in m.Contest.objects.filter(election=election).select_related("commission"):
        tabulation.ensure_tallies(contest)
    return election


def _drop_results(eid: str) -> None:
    """Everything that points at a demo election's results, newest layer first (the models
    protect results from being deleted by accident)."""
    # Appeals protect the decisions they contest: delete from the end of each chain back.
    from django.core.cache import caches

    from sailau.complaints.models import Complaint
    from sailau.scans.models import Scan
    from sailau.video.models import Recording

    caches["pages"].clear()  # cached pages of the old results must not outlive them
    mine = Complaint.objects.filter(election_id=eid)
    while mine.exists():
        contested = mine.filter(contests__isnull=False).values("contests")
        mine.exclude(decision__in=contested).delete()
    Scan.objects.filter(station__election_id=eid).delete()
    # Recordings protect their cameras; their files, named by content, stay in the storage.
    Recording.objects.filter(station__election_id=eid).delete()
    Amendment.objects.filter(protocol__station__election_id=eid).delete()
    Protocol.objects.filter(station__election_id=eid).delete()
    DataEntry.objects.filter(station__election_id=eid).delete()
    _drop_log(eid)


def _drop_log(eid: str) -> None:
    """A rebuilt demo election is another history: its published log begins again (a new
    structure leaf in the old log is, rightly, what `sailau verify` refuses), with its folder
    of published files and what the demo's own witnesses cosigned of the old one. A reader who
    kept a state of the old log is told the history restarted: so it was."""
    import shutil

    from sailau.demo import witnesses
    from sailau.ledger import integrator
    from sailau.ledger.models import Cosignature, Leaf, LogState, Witness
    from sailau.publish.pipeline import logstep
    from sailau.publish.storage import store

    Cosignature.objects.filter(witness__election_id=eid).delete()
    Witness.objects.filter(election_id=eid).delete()
    Leaf.objects.filter(election_id=eid).delete()
    LogState.objects.filter(pk=eid).delete()
    integrator._trees.pop(eid, None)
    logstep._checked.discard(eid)

    def files():
        shutil.rmtree(store.election_dir(eid), ignore_errors=True)
        for name in witnesses.NAMES:
            shutil.rmtree(witnesses.state_dir(name, eid), ignore_errors=True)
    transaction.on_commit(files)


def _write_truth(syn: Synthetic) -> None:
    path = ground_truth_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps({
        "election": syn.election["id"], "seed": syn.seed, "stations_total": len(syn.stations),
        "rewritten_region": syn.election.get("_rewritten_region"),
        "stations": syn.truth,
    }, ensure_ascii=False, indent=1))
