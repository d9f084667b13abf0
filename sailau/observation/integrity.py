"""Inputs of the integrity criteria I10 (observer's copy differs), I14 (negative assessments) and
I15 (incidents), in the shape `sailau.analysis.criteria.evaluate` takes them; read by
`sailau.integrity.service.station_inputs`."""

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
    for sid, stage, negative, badge in (m.ChecklistSubmission.objects
                                        .filter(station__election_id=contest.election_id)
                                        .values_list("station_id", "stage", "negative",
                                                     "observer__badge")):
        assessments.setdefault(sid, []).append({"stage": stage, "negative": negative,
                                                "observer": badge})
    incidents: dict[str, list] = {}
    for sid, kind, text in (m.Incident.objects.filter(station__election_id=contest.election_id)
                            .order_by("occurred_at").values_list("station_id", "kind",
                                                                 "description")):
        incidents.setdefault(sid, []).append({"kind": kind, "summary": text[:200]})
    return {"observer_copies": copies, "assessments": assessments, "incidents": incidents}
