"""Write a `Synthetic` election into the database in one transaction, and its ground truth to
SAILAU_DATA_DIR/demo/ground_truth.json."""

import json
from pathlib import Path

from django.db import transaction

from sailau.demo.synthetic import Synthetic
from sailau.elections import models as m
from sailau.paths import data_dir
from sailau.protocols import tabulation
from sailau.protocols.models import Protocol

BATCH = 2000


def ground_truth_path() -> Path:
    return data_dir() / "demo" / "ground_truth.json"


@transaction.atomic
def load(syn: Synthetic) -> m.Election:
    e = syn.election
    m.Election.objects.filter(id=e["id"]).delete()
    election = m.Election.objects.create(
        id=e["id"], kind=e["kind"], date=e["date"], synthetic=True,
        name_kk=e["name_kk"], name_ru=e["name_ru"], name_en=e["name_en"])
    eid = election.id

    # Parents before children: the list is built top-down except SMDs, which hang off the CEC.
    m.Commission.objects.bulk_create(
        [m.Commission(election_id=eid, **{k if k != "parent" else "parent_id": v
                                          for k, v in c.items()})
         for c in sorted(syn.commissions, key=lambda c: c["parent"] is not None)],
        batch_size=BATCH)
    m.Station.objects.bulk_create(
        [m.Station(election_id=eid, commission_id=s["commission"], district_id=s["district"],
                   territory_id=s["territory"], smd_id=s["smd"],
                   **{k: s[k] for k in ("id", "number", "kind", "settlement", "settlement_ru",
                                        "address", "address_ru", "urban", "registered")})
         for s in syn.stations], batch_size=BATCH)
    m.Party.objects.bulk_create(
        [m.Party(election_id=eid, **{k: v for k, v in p.items() if k != "key"})
         for p in syn.parties])
    m.Contest.objects.bulk_create(
        [m.Contest(election_id=eid, commission_id=c.pop("commission"), **c)
         for c in [dict(c) for c in syn.contests]])
    choices = m.Choice.objects.bulk_create(
        [m.Choice(contest_id=c["contest"], key=c["key"], party_id=c["party"], order=c["order"],
                  name_kk=c["name_kk"], name_ru=c["name_ru"], name_en=c["name_en"])
         for c in syn.choices], batch_size=BATCH)
    choice_pk = {(c.contest_id, c.key): c.pk for c in choices}
    if any(pk is None for pk in choice_pk.values()):  # backends without RETURNING
        choice_pk = {(c.contest_id, c.key): c.pk
                     for c in m.Choice.objects.filter(contest__election_id=eid)}
    m.Candidate.objects.bulk_create(
        [m.Candidate(id=c["id"], contest_id=c["contest"],
                     choice_id=choice_pk[(c["contest"], c["choice"])], party_id=c["party"],
                     list_position=c["list_position"], full_name=c["full_name"],
                     birth_date=c["birth_date"], woman=c["woman"], disability=c["disability"])
         for c in syn.candidates], batch_size=BATCH)
    m.Member.objects.bulk_create([m.Member(**{("commission_id" if k == "commission" else
                                                "party_id" if k == "party" else k): v
                                               for k, v in x.items()})
                                  for x in syn.members], batch_size=BATCH)
    Protocol.objects.bulk_create(
        [Protocol(station_id=sid, contest_id=cid, figures=p["figures"], choices=p["choices"],
                  source="import")
         for (sid, cid), p in syn.protocols.items()], batch_size=BATCH)
    for contest in m.Contest.objects.filter(election_id=eid).select_related("commission"):
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
