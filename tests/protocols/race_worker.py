"""Run by test_tally_race.py in a subprocess, against the database of its environment
(SAILAU_DATA_DIR's SQLite file, or SAILAU_DATABASE_URL).

`load N [without-tallies]` builds a synthetic election of N stations, has one operator finalise
the first entry of every station's single-member district protocol, optionally deletes those
contests' tallies (contests with no tally yet, as after a structure imported before tallies
came with it) and prints, as JSON, a second operator's API token and the second entries that
make each protocol definitive."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")


def load(n: int, without_tallies: bool) -> dict:
    from sailau.cli.django_setup import setup

    setup()
    from django.contrib.auth.models import User

    from sailau.accounts.models import ApiToken
    from sailau.accounts.services import grant
    from sailau.demo.chain import _warnings
    from sailau.demo.load import load as load_election
    from sailau.demo.synthetic import build
    from sailau.elections.models import Commission
    from sailau.protocols import services
    from sailau.protocols.catalog import Catalog
    from sailau.protocols.models import Tally

    syn = build(seed=13, stations=n)
    election = load_election(syn, route=False)
    cec = Commission.objects.get(election=election, level=Commission.CEC)
    first, second = (User.objects.create_user(name) for name in ("typist-1", "typist-2"))
    for u in (first, second):  # granted with their audit records: the test runs audit verify
        grant(None, u.username, "operator", cec.id)
    smd = {c["id"] for c in syn.contests if c["kind"] == "single_member"}
    catalog = Catalog()
    items = []
    third, coordinator = User.objects.create_user("typist-3"), User.objects.create_user("coord")
    grant(None, third.username, "operator", cec.id)
    grant(None, coordinator.username, "coordinator", cec.id)
    with services.chain(catalog) as ch:
        races = _races(ch, catalog, syn, first, third)
        for (station, contest), p in sorted(syn.protocols.items()):
            if contest not in smd:
                continue
            acks = _warnings(catalog, (station, contest), p)
            ch.finalise(first, station, contest, 1, p["figures"], p["choices"], acks)
            items.append({"station": station, "contest": contest, "figures": p["figures"],
                          "choices": p["choices"], "acknowledged": acks})
    if without_tallies:
        Tally.objects.filter(contest_id__in=smd).delete()
    return {"token": ApiToken.issue(second, "race"), "election": election.id, "items": items,
            "races": races, "reported_before": 1, "third": ApiToken.issue(third, "race"),
            "coordinator": ApiToken.issue(coordinator, "race")}


def _races(ch, catalog, syn, first, third) -> dict:
    """List protocols of the first five stations, for the races of test_tally_race: two
    awaiting their second entry, one whose entries differ, one definitive, one not started."""
    from sailau.demo.chain import _warnings

    contest = next(c["id"] for c in syn.contests if c["kind"] == "party_list")
    keys = sorted(k for k in syn.protocols if k[1] == contest)[:5]
    p = syn.protocols[keys[4]]
    out = {"fresh": {"station": keys[4][0], "contest": contest, "figures": p["figures"],
                     "choices": p["choices"], "acknowledged": _warnings(catalog, keys[4], p)}}
    for name, key in zip(("twice", "two_typists", "different", "definitive"), keys):
        p = syn.protocols[key]
        acks = _warnings(catalog, key, p)
        ch.finalise(first, *key, 1, p["figures"], p["choices"], acks)
        out[name] = {"station": key[0], "contest": key[1], "figures": p["figures"],
                     "choices": p["choices"], "acknowledged": acks}
        if name == "definitive":
            ch.finalise(third, *key, 2, p["figures"], p["choices"], acks)
        if name == "different":  # two lists' votes swapped: every sum still holds
            a, b = sorted(p["choices"], key=p["choices"].get)[-2:]
            swapped = {**p["choices"], a: p["choices"][b], b: p["choices"][a]}
            ch.finalise(third, *key, 2, p["figures"], swapped,
                        _warnings(catalog, key, {**p, "choices": swapped}))
    return out


if __name__ == "__main__":
    assert sys.argv[1] == "load", "usage: load N [without-tallies]"
    print(json.dumps(load(int(sys.argv[2]), sys.argv[3:] == ["without-tallies"])))
