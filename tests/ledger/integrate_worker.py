"""Run by test_faults.py in subprocesses, against the database of its environment.

`load N`      writes N leaves to the outbox of election E.
`append N`    writes N more, a few at a time, as facts arriving would.
`integrate`   sequences and publishes in small batches until nothing is pending, printing one
              JSON line {size, root} per checkpoint it published (`--forever`: until killed).
`check`       integrates what is left, then prints the facts the test asserts, as JSON."""

import base64
import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
E = "kz.fault.2026"


def _append(n: int, start: int, step: int) -> None:
    from django.db import transaction

    from sailau.ledger import outbox

    for i in range(start, start + n, step):
        with transaction.atomic():
            outbox.append_many([(E, "audit-head", f"audit/{k}", {"seq": k, "hash": f"{k:064x}"})
                                for k in range(i, min(i + step, start + n))])


def integrate(forever: bool) -> None:
    from sailau.ledger import integrator, outbox
    from sailau.ledger.models import LogState

    integrator.BATCH = 7  # many small transactions: a kill lands in the middle of the work
    while True:
        try:
            integrator.sequence(E)
        except integrator.LostRace:
            pass
        integrator.publish(E)
        row = LogState.objects.get(pk=E)
        print(json.dumps({"size": row.checkpoint_size,
                          "root": row.checkpoint.split("\n")[2]}), flush=True)
        if not forever and not outbox.pending(E):
            return
        time.sleep(0.001)


def check() -> dict:
    from sailau.ledger import integrator, tl
    from sailau.ledger.files import LogFiles
    from sailau.ledger.models import Leaf, LogState
    from tests.ledger import logread

    integrator.integrate(E)
    row = LogState.objects.get(pk=E)
    indexes = sorted(Leaf.objects.filter(election_id=E).values_list("index", flat=True))
    folder = LogFiles(E).dir
    _, size, root, _ = logread.checkpoint(folder)
    t = integrator.tree(E, row.size, row.root)
    by_index = [bytes(d) for d in Leaf.objects.filter(election_id=E).order_by("index")
                .values_list("data", flat=True)]
    return {"leaves": len(indexes), "indexes_ok": indexes == list(range(len(indexes))),
            "size": row.size, "checkpoint_size": size,
            "root_ok": root == bytes(row.root) == logread.tlog_tree_hash(
                size, logread.reader(size, folder)),
            "bundles_ok": logread.leaves_of(folder, size) == by_index,
            "seqs_unique": len({json.loads(d)["seq"] for d in by_index}) == len(by_index),
            "roots": {n: base64.b64encode(tl.tree_hash(n, t)).decode()
                      for n in range(1, row.size + 1)}}


if __name__ == "__main__":
    from sailau.cli.django_setup import setup

    setup()
    what = sys.argv[1]
    if what == "load":
        _append(int(sys.argv[2]), 0, 500)
    elif what == "append":
        _append(int(sys.argv[2]), int(sys.argv[3]), 3)
    elif what == "integrate":
        integrate("--forever" in sys.argv)
    elif what == "check":
        print(json.dumps(check()))
