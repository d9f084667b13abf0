"""Inputs of the integrity criteria I10 (observer's copy differs), I14 (negative assessments),
I15 (incidents) and I19 (observers' counts of voters; with the counting checklist's answers
also I16's corroboration), in the shape `sailau.analysis.criteria.evaluate` takes them; read by
`sailau.integrity.service.station_inputs`."""

from django.db.models import Count, Max

from sailau.analysis.stuffing import CHECKLIST_EXTRA_BALLOTS
from sailau.observation import models as m


def inputs(contest) -> dict:
    copies: dict[str, list] = {}
    for sid, badge, figures, choices in (m.ObserverCopy.objects.filter(contest=contest)
                                         .order_by("station_id", "id")
                                         .values_list("station_id", "observer__badge", "figures",
                                                      "choices")):
        copies.setdefault(sid, []).append({"observer": badge, "figures": figures,
                                           "choices": choices})
    assessments: dict[str, list] = {}
    for sid, stage, negative, badge, answers in (
            m.ChecklistSubmission.objects.filter(station__election_id=contest.election_id)
            .values_list("station_id", "stage", "negative", "observer__badge", "answers")):
        said = {k: answers[k] for k in (CHECKLIST_EXTRA_BALLOTS,) if k in (answers or {})}
        assessments.setdefault(sid, []).append({"stage": stage, "negative": negative,
                                                "observer": badge, "answers": said})
    incidents: dict[str, list] = {}
    for sid, kind, text in (m.Incident.objects.filter(station__election_id=contest.election_id)
                            .order_by("occurred_at").values_list("station_id", "kind",
                                                                 "description")):
        incidents.setdefault(sid, []).append({"kind": kind, "summary": text[:200]})
    counts: dict[str, list] = {}
    for sid, moment, at, voters, badge in (
            m.VoterCount.objects.filter(station__election_id=contest.election_id)
            .order_by("station_id", "at").values_list("station_id", "moment", "at", "voters",
                                                      "observer__badge")):
        counts.setdefault(sid, []).append({"moment": moment, "at": at, "voters": voters,
                                           "observer": badge})
    return {"observer_copies": copies, "assessments": assessments, "incidents": incidents,
            "observer_counts": counts}


def cache_part(contest) -> str:
    """What the report depends on here: a new copy, checklist, incident or count makes it
    stale (rows are only ever added)."""
    parts = []
    for model, where in ((m.ObserverCopy, {"contest": contest}),
                         (m.ChecklistSubmission, {"station__election_id": contest.election_id}),
                         (m.Incident, {"station__election_id": contest.election_id}),
                         (m.VoterCount, {"station__election_id": contest.election_id})):
        a = model.objects.filter(**where).aggregate(n=Count("id"), last=Max("id"))
        parts.append(f"{a['n']}-{a['last']}")
    return "o" + ".".join(parts)
