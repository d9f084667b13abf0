"""Write a `Synthetic` election into the database in one transaction, and its ground truth to
SAILAU_DATA_DIR/demo/ground_truth.json."""

import json
from pathlib import Path

from django.db import transaction

from sailau.demo.synthetic import Synthetic
from sailau.elections import models as m
from sailau.elections import structure
from sailau.paths import data_dir
from sailau.protocols import tabulation
from sailau.protocols.models import Protocol

BATCH = 2000


def ground_truth_path() -> Path:
    return data_dir() / "demo" / "ground_truth.json"


@transaction.atomic
def load(syn: Synthetic) -> m.Election:
    # A rebuilt demo drops its old results first; real results are never deleted this way.
    Protocol.objects.filter(station__election_id=syn.election["id"]).delete()
    # The structure goes through the same checks as an imported file.
    election = structure.write(structure.validate(syn.structure()), replace=True)
    Protocol.objects.bulk_create(
        [Protocol(station_id=sid, contest_id=cid, figures=p["figures"], choices=p["choices"],
                  source="import")
         for (sid, cid), p in syn.protocols.items()], batch_size=BATCH)
    for contest in m.Contest.objects.filter(election=election).select_related("commission"):
        tabulation.rebuild(contest)
    _write_truth(syn)
    return election


def _write_truth(syn: Synthetic) -> None:
    path = ground_truth_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({
        "election": syn.election["id"], "seed": syn.seed, "stations_total": len(syn.stations),
        "rewritten_region": syn.election.get("_rewritten_region"),
        "stations": syn.truth,
    }, ensure_ascii=False, indent=1))
    tmp.replace(path)  # atomic: a reader never sees half a file
