"""The structure's leaves in the published log (sailau.tlog.leaves): written in the transaction
that imports the structure (`structure.write`), and again, as a `structure-change`, when the
election's witnesses change. What a verifier needs to re-sum and re-decide without trusting the
server: each contest with its choices (key -> name and party: a party swapped between keys in
the database no longer matches the log), each station with its commission, its registered
voters and the contests it counts in, where it lies (its territorial and district commissions,
its single-member districts), its number, kind, address and settlement, each commission above
the stations with its level, number, parent and name, the election's name, kind, day and
parties, the log's origin and the witnesses' verifier keys (docs/log-leaves.md, `structure`
and `stations`, version 3)."""

from __future__ import annotations

from sailau import clock, languages
from sailau.elections import electorate
from sailau.elections.models import (
    Commission,
    Contest,
    Election,
    Party,
    Station,
    spellings,
)
from sailau.languages import tag
from sailau.ledger import outbox
from sailau.ledger.models import Leaf, Witness
from sailau.tlog import leaves


def _given(spelled: dict[str, str]) -> dict[str, str]:
    """A name, address or settlement as a leaf (version 3) carries it: keyed by the language
    tag of each written language of the list (read at each call, so a language added to it is
    logged), Kazakh always, the others when they were given; never a derived language."""
    return {tag(lang): spelled.get(lang) or "" for lang in languages.WRITTEN
            if lang == leaves.REQUIRED_LANGUAGE or spelled.get(lang)}


def _names(row) -> dict:
    return _given(spellings(row, "name"))


def contests(election_id: str) -> list[dict]:
    """Each contest with its choices (key -> name and party) and their order on the ballot
    (`ballot`, version 2 of the `contests` leaf): the order election.json lists them in."""
    out = []
    for c in (Contest.objects.filter(election_id=election_id).prefetch_related("choices")
              .order_by("id")):
        choices = c.choices.all()
        out.append({"id": c.id, "name": _names(c), "kind": c.kind, "ruleset": c.ruleset,
                    "seats": c.seats, "commission": c.commission_id,
                    "choices": {ch.key: {"name": _names(ch), "party": ch.party_id}
                                for ch in sorted(choices, key=lambda x: x.key)},
                    # places on the ballot are distinct (`structure_checks`); the key after
                    # them only keeps a hand-made tie from depending on the database's order
                    "ballot": [ch.key for ch in sorted(choices, key=lambda x: (x.order, x.key))]})
    return out


def stations(election_id: str) -> list[dict]:
    """Each station with the contests it votes in (its rows of the electorate table) and where
    it lies."""
    votes_in = electorate.of_election(election_id)
    cols = ("id", "commission_id", "registered", "number", "kind", "territory_id",
            "district_id", "smd_id", "territorial_smd_id", "district_smd_id", "urban",
            "addresses", "settlements")
    out = []
    for row in Station.objects.filter(election_id=election_id).order_by("id").values(*cols):
        sid = row["id"]
        out.append({"id": sid, "commission": row["commission_id"],
                    "registered": row["registered"],
                    "contests": sorted(votes_in.get(sid, ())), "number": row["number"],
                    "kind": row["kind"], "territory": row["territory_id"],
                    "district": row["district_id"], "smd": row["smd_id"],
                    "territorial_smd": row["territorial_smd_id"],
                    "district_smd": row["district_smd_id"], "urban": row["urban"],
                    "address": _given(row["addresses"] or {}),
                    "settlement": _given(row["settlements"] or {})})
    return out


def commissions(election_id: str) -> list[dict]:
    """Each commission above the stations (a precinct commission is its station's), with the
    names the published files show."""
    return [{"id": c.id, "level": c.level, "number": c.number, "parent": c.parent_id,
             "name": _names(c)}
            for c in Commission.objects.filter(election_id=election_id)
            .exclude(level=Commission.PRECINCT).order_by("id")]


def election(election_id: str) -> dict:
    """What the structure leaf (version 2) states of the election itself and its parties: the
    name, kind, day and whether it is made up, and each party's short name, names, colour and
    order of registration, as election.json and nist.json show them."""
    e = Election.objects.get(id=election_id)
    return {"name": _names(e), "kind": e.kind, "date": e.date.isoformat(),
            "synthetic": e.synthetic,
            "parties": [{"id": p.id, "short": p.short, "name": _names(p), "color": p.color,
                         "registration_order": p.registration_order}
                        for p in Party.objects.filter(election_id=election_id).order_by("id")]}


def witness_keys(election_id: str) -> list[str]:
    return list(Witness.objects.filter(election_id=election_id).order_by("name")
                .values_list("verifier_key", flat=True))


def write_structure(election_id: str, first_round: dict | None = None) -> int:
    """The `structure` leaf and its `contests` and `stations` leaves, into the outbox; how
    many leaves. A second round's (`elections.rounds`) is followed by its `first-round` leaf,
    the members of `first_round`."""
    parts = leaves.structure_parts(commissions(election_id), stations(election_id))
    cparts = leaves.contest_parts(contests(election_id))
    items = [(election_id, "structure", election_id, {
        "origin": outbox.origin(election_id), "witnesses": witness_keys(election_id),
        "contest_leaves": len(cparts), "station_leaves": len(parts), **election(election_id)})]
    items += [(election_id, "contests", f"{election_id}#c{n}",
               {"part": n, "of": len(cparts), "contests": part})
              for n, part in enumerate(cparts, 1)]
    items += [(election_id, "stations", f"{election_id}#{part['part']}", part)
              for part in parts]
    if first_round is not None:
        items.append((election_id, "first-round", election_id, {"first_round": first_round}))
    return outbox.append_many(items, clock.now())


def structure_stamp(election_id: str) -> tuple:
    """What moves whenever the election's structure does: the id of its latest `structure` or
    `structure-change` leaf and how many there are (every import and every change writes one;
    leaves are never deleted, ids never reused; the count for PostgreSQL, where a lower id can
    commit after a higher one). Counts over the whole structure (100,000 stations) are kept in
    memory against it."""
    from django.db.models import Count, Max

    a = Leaf.objects.filter(election_id=election_id, kind__in=("structure", "structure-change")) \
        .aggregate(top=Max("id"), n=Count("id"))
    return a["top"], a["n"]


def write_witnesses(election_id: str, reason: str) -> None:
    """A `structure-change` restating the election's witnesses (`cosign.add_witness` writes
    its own)."""
    outbox.append(election_id, "structure-change", election_id, clock.now(), contests=[],
                  witnesses=witness_keys(election_id), reason=reason)


def write_change(election_id: str, reason: str) -> int:
    """The structure as it is now, after a change made outside the import (a contest added):
    a `structure-change` restating every contest, then `stations` leaves restating every
    station's contests (a reader updates both by id). How many leaves."""
    parts = leaves.structure_parts(commissions(election_id), stations(election_id))
    items = [(election_id, "structure-change", election_id, {
        "contests": contests(election_id), "witnesses": None, "reason": reason})]
    items += [(election_id, "stations", f"{election_id}#change{part['part']}", part)
              for part in parts]
    return outbox.append_many(items, clock.now())
