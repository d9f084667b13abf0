"""Run by test_faults.py in a subprocess (SAILAU_DATA_DIR set by the test):
`load N` builds an election's structure; `route` routes its protocols in small transactions
(the test kills it midway); `check` prints the consistency of what is stored as JSON."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")


def main(cmd: str, n: int = 300, who: int = 0) -> None:
    from sailau.cli.django_setup import setup

    setup()
    from sailau.demo.synthetic import build

    syn = build(seed=5, stations=n)
    if cmd == "load":
        from sailau.demo.load import load

        load(syn, route=False)
    elif cmd == "route":
        from sailau.demo.chain import route

        route(syn, chunk=5, progress=lambda s: print(s.stations, flush=True))
    elif cmd == "check":
        print(json.dumps(check()))
    elif cmd == "race":  # race STATIONS N: operator N of station 1 finalises entry 1 at "go"
        race(syn, who)


def race(syn, who: int) -> None:
    import time
    from pathlib import Path

    from django.contrib.auth.models import User

    from sailau.accounts.permissions import grants
    from sailau.accounts.services import grant
    from sailau.elections.models import Station
    from sailau.protocols import services
    from sailau.protocols.errors import ChainError

    st = Station.objects.order_by("number").first()
    user, _ = User.objects.get_or_create(username=f"racer{who}")
    grant(None, user.username, "operator", st.commission_id)  # audited; kept if already held
    grants(user)
    contest = next(c["id"] for c in syn.contests if c["kind"] == "party_list")
    p = syn.protocols[(st.id, contest)]
    go = Path(os.environ["SAILAU_DATA_DIR"]) / "go"
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    try:
        services.finalise(user, st.id, contest, 1, p["figures"], p["choices"], ["W201", "W204"])
        print("ok", flush=True)
    except ChainError as exc:
        print(exc.code, exc.message, flush=True)


def check() -> dict:
    from collections import Counter

    from sailau import audit
    from sailau.elections.models import Contest
    from sailau.protocols import tabulation
    from sailau.protocols.models import DataEntry, Protocol, Tally

    definitive = set(DataEntry.objects.filter(state="definitive")
                     .values_list("station_id", "contest_id"))
    current = set(Protocol.objects.filter(current=True).values_list("station_id", "contest_id"))
    tallies = {(t.contest_id, t.commission_id): (t.figures, t.choices, t.stations_reported)
               for t in Tally.objects.all()}
    for c in Contest.objects.all():
        tabulation.rebuild(c)
    rebuilt = {(t.contest_id, t.commission_id): (t.figures, t.choices, t.stations_reported)
               for t in Tally.objects.all()}
    published = Counter(audit_subjects("protocol.published"))
    return {"definitive": len(definitive), "protocols": len(current),
            "same_keys": definitive == current, "tallies_match": tallies == rebuilt,
            "published_once": all(published[f"{s}/{c}"] == 1 for s, c in current)
            and len(published) == len(current),
            "audit_ok": audit.verify().ok}


def audit_subjects(action):
    from sailau.audit.models import Record

    return Record.objects.filter(action=action).values_list("subject", flat=True)


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))
