"""A presidential second round, created from the first round's outcome
(`create_second_round`, `sailau structure second-round`).

What the Central Election Commission does when no candidate has more than half of the votes
(Constitution art. 41 para. 5; Constitutional Law "On Elections", art. 63: `sailau.law.rounds`):
a repeat vote between the first round's two leaders, at the same stations and by the same voter
lists, within two months. So the second round is a new election whose structure is the first's
carried over: every commission (tree, numbers, addresses, members), every station (addresses,
registered voters), the parties, and the contest under the first's rule set's `second_round`
with only the two candidates' choices (same keys, names and parties; "against all" when the
second round's form has it). New ids are the old ones with the first election's id replaced by
the second's (`kz.president.2019-06-09.pec.0042` -> `kz.president.2019-06-09.round2.pec.0042`).

Which two go through is decided once, from the first round's log (its structure and each
station's latest protocol leaf, up to its latest signed checkpoint) by the same function
`sailau verify` uses (`sailau.verify.rounds.decide`). The two logs name each other: the second
round's `first-round` leaf (right after its structure's leaves) names the first election, its
log's origin and the checkpoint (size, root) the decision was read at; the first round's
`second-round` leaf names the second election and its log's origin (docs/log-leaves.md).

Commission keys are made anew, as for any election: the second round has its own log, and a key
of the first round's log is not a key of this one. A commission that signed with a key of its
own generates and registers one again for the second round, confirmed by the commission above
as always (docs/commission-keys.md)."""

from __future__ import annotations

import base64
import datetime as dt
import json

from django.db import transaction
from django.dispatch import Signal

from sailau import clock
from sailau.elections import structure
from sailau.elections.models import Election
from sailau.errors import BadInput, Code, Conflict, NotFound
from sailau.languages import WRITTEN, Text, pick, texts
from sailau.law import get_ruleset
from sailau.law import rounds as law_rounds
from sailau.ledger import integrator, outbox
from sailau.ledger.models import Leaf, LogState
from sailau.tlog.checkpoint import Checkpoint
from sailau.verify import logleaves
from sailau.verify import rounds as decision
from sailau.verify.report import Report

T = texts("elections.rounds")

SUFFIX = ".round2"
# Sent in the transaction that created the second round (`election`: the new Election), so
# that the apps above this one do what follows an import (the protocols app: its totals at
# zero).
created = Signal()


class NoSecondRound(BadInput, status=409, code=Code.NO_SECOND_ROUND):
    """The first round's outcome, as its log states it, calls no second round."""


class SecondRoundExists(Conflict, code=Code.SECOND_ROUND_EXISTS):
    """The first round's log names a second round already."""


def second_round_id(first_id: str) -> str:
    return first_id + SUFFIX


def renamed(old: str | None, first_id: str, new_id: str) -> str | None:
    """An id of the first round's structure as the second round's: the first election's id,
    where it begins the id, replaced by the second's; any other id prefixed with it."""
    if old is None:
        return None
    if old == first_id or old.startswith(first_id + "."):
        return new_id + old[len(first_id):]
    return f"{new_id}.{old}"


def _checkpoint(first_id: str) -> Checkpoint:
    """The first round's latest signed checkpoint, after integrating what waits: the decision
    is read from leaves a reader can fetch and prove."""
    integrator.integrate(first_id)
    row = LogState.objects.filter(pk=first_id).first()
    if row is None or not row.checkpoint:
        raise NoSecondRound(field="election", message=T("the first round has no published log"))
    return Checkpoint.parse(row.checkpoint.split("\n\n", 1)[0] + "\n")


def runoff(first_id: str) -> tuple[decision.Called, Checkpoint]:
    """The second round the first round's log calls at its latest checkpoint, or NoSecondRound
    with the reason."""
    cp = _checkpoint(first_id)
    entries = [bytes(d) for d in Leaf.objects.filter(election_id=first_id, index__lt=cp.size)
               .order_by("index").values_list("data", flat=True)]
    report = Report(first_id)
    folded = logleaves.read(entries, report)
    if not report.passed:
        raise NoSecondRound(field="election", message=Text(
            kk="Бірінші турдың журналында жарамсыз жапырақтар бар",
            ru="В журнале первого тура есть недопустимые листья",
            en="the first round's log has invalid leaves: "
               + "; ".join(f"{f.subject}: {f.message}" for f in report.failures[:3])))
    found = decision.decide(folded.contests, folded.stations, folded.latest)
    if isinstance(found, decision.NotCalled):
        raise NoSecondRound(field="election", message=found.reason,
                            detail={"contest": found.contest})
    return found, cp


def links(election_id: str) -> dict:
    """What the election's log says of its rounds, for its pages and files: `first_round`
    (this is a second round: the first's id, day, log origin, contest, the checkpoint the call
    was decided at and the two keys it named) and `second_round` (its outcome called one: its
    id, day, log origin and contest); each None when the log says nothing."""
    out: dict = {"first_round": None, "second_round": None}
    for kind, data in Leaf.objects.filter(election_id=election_id,
                                          kind__in=("first-round", "second-round")) \
            .order_by("id").values_list("kind", "data"):
        leaf = json.loads(bytes(data))
        if kind == "first-round" and out["first_round"] is None:
            m = leaf["first_round"]
            day = Election.objects.filter(id=m["election"]).values_list("date", flat=True).first()
            out["first_round"] = {"id": m["election"], "date": day.isoformat() if day else None,
                                  "origin": m["origin"], "contest": m["contest"],
                                  "size": m["size"], "root": m["root"],
                                  "runoff": list(m["runoff"])}
        elif kind == "second-round" and out["second_round"] is None:
            m = leaf["second_round"]
            out["second_round"] = {"id": m["election"], "date": m["date"],
                                   "origin": m["origin"], "contest": m["contest"]}
    return out


def _named_second_round(first_id: str) -> str | None:
    for data in Leaf.objects.filter(election_id=first_id, kind="second-round") \
            .values_list("data", flat=True):
        return json.loads(bytes(data))["second_round"]["election"]
    return None


def _document(first: Election, new_id: str, day: dt.date, called: decision.Called) -> dict:
    """The first round's structure carried over as the second round's (see the module)."""
    doc = structure.export(first)
    r = lambda v: renamed(v, first.id, new_id)
    names = T("second round")
    e = doc["election"]
    first_names = {lang: e[col] for lang in WRITTEN
                   if (col := structure.format_column("name", lang)) in e and e[col]}
    # the format's own name columns (a language without one is named by the mapping's fallback
    # when read: the format is versioned, the language list is not)
    e.update(id=new_id, date=day.isoformat(), **{
        col: f"{pick(first_names, lang)}: {names[lang]}" for lang in WRITTEN
        if (col := structure.format_column("name", lang)) in e})
    for c in doc["commissions"]:
        c.update(id=r(c["id"]), parent=r(c["parent"]))
    for s in doc["stations"]:
        s.update({k: r(s[k]) for k in ("id", "commission", "district", "territory", "smd",
                                        "territorial_smd", "district_smd")})
    for p in doc["parties"]:
        p["id"] = r(p["id"])
    contest = next(c for c in doc["contests"] if c["id"] == called.contest)
    form = get_ruleset(called.second_ruleset).form(contest["kind"])
    keep = set(called.candidates) | ({"against_all"} if form.against_all else set())
    doc["contests"] = [{**contest, "id": r(contest["id"]), "ruleset": called.second_ruleset,
                        "commission": r(contest["commission"])}]
    doc["choices"] = [{**ch, "contest": r(ch["contest"]), "party": r(ch["party"])}
                      for ch in doc["choices"]
                      if ch["contest"] == called.contest and ch["key"] in keep]
    doc["candidates"] = [{**x, "id": r(x["id"]), "contest": r(x["contest"]),
                          "party": r(x["party"])} for x in doc["candidates"]
                         if x["contest"] == called.contest and x["choice"] in keep]
    for x in doc["members"]:
        x.update(commission=r(x["commission"]), party=r(x["party"]))
    doc["electorate"] = [{"contest": r(e["contest"]), "station": r(e["station"])}
                         for e in doc["electorate"] if e["contest"] == called.contest]
    return doc


def create_second_round(first_election_id: str, *, date: dt.date | None = None,
                        election_id: str | None = None, server_keys: bool = True) -> Election:
    """The second round of `first_election_id`, created from its outcome (see the module):
    refused with the reason when the first round's log calls none (elected in the first round,
    a tie for a place, not every station's protocol definitive), when it names a second round
    already, or when `date` is outside the law's term (`sailau.law.rounds`). `date`: by default
    `law.rounds.default_day`; `election_id`: by default the first's id + ".round2";
    `server_keys=False`: its commissions get no key the server holds (`structure.write`)."""
    first = Election.objects.filter(id=first_election_id).first()
    if first is None:
        raise NotFound(code=Code.UNKNOWN_ELECTION, field="election",
                       message=f"election {first_election_id!r} not found")
    named = _named_second_round(first.id)
    if named is not None:
        raise SecondRoundExists(field="election", message=T(
            "the first round's log names its second round already: {named}").format(named=named),
            detail={"second_round": named})
    day = date or law_rounds.default_day(first.date)
    law_rounds.check_day(first.date, day)
    new_id = election_id or second_round_id(first.id)
    if Election.objects.filter(id=new_id).exists():
        raise Conflict(code=Code.SECOND_ROUND_EXISTS, field="id",
                       message=f"an election {new_id!r} exists already")
    called, cp = runoff(first.id)
    get_ruleset(called.second_ruleset).check_date(day)
    doc = structure.validate(_document(first, new_id, day, called))
    first_origin = cp.origin
    with transaction.atomic():
        Election.objects.select_for_update().filter(pk=first.pk).first()
        if _named_second_round(first.id) is not None:  # created meanwhile
            raise SecondRoundExists(field="election")
        link = {"election": first.id, "origin": first_origin, "contest": called.contest,
                "size": cp.size, "root": base64.b64encode(cp.root).decode(),
                "runoff": list(called.candidates)}
        election = structure.write(doc, first_round=link, server_keys=server_keys)
        now = clock.now()  # the application's time of the decision (a demo's night)
        outbox.append(first.id, "second-round", first.id, now, second_round={
            "election": new_id, "origin": outbox.origin(new_id),
            "contest": renamed(called.contest, first.id, new_id), "date": day.isoformat()})
        created.send(sender=Election, election=election)
    return election
