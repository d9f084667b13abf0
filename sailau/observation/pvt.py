"""The parallel vote tabulation on the database: draw and keep a sample (its seed recorded),
estimate from the observers' copies at the sample stations as they arrive, and compare with the
official result. The maths is in `sailau.analysis.pvt`."""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.utils.translation import gettext_noop as _

from sailau import audit
from sailau.accounts import permissions as perm
from sailau.analysis import pvt as maths
from sailau.elections import electorate
from sailau.elections.models import Contest
from sailau.i18n import later
from sailau.law import figures
from sailau.observation import models as m
from sailau.observation.errors import ObservationError, Unknown


def stratum(territory_id: str, urban: bool) -> str:
    return f"{territory_id}|{'urban' if urban else 'rural'}"


def frame(contest: Contest) -> list[tuple[str, str]]:
    """(station, stratum) of every station voting in the contest."""
    qs = electorate.stations(contest)
    return [(sid, stratum(t, u)) for sid, t, u in qs.values_list("id", "territory_id", "urban")]


def _may_draw(user, contest: Contest) -> bool:
    return any(g.kind in (perm.AD, perm.MANAGER) and g.election_id == contest.election_id
               for g in perm.grants(user))


@transaction.atomic
def draw_sample(user, contest_id: str, size: int, method: str = m.PvtSample.STRATIFIED,
                seed: int | None = None) -> m.PvtSample:
    contest = Contest.objects.select_related("commission").filter(pk=contest_id).first()
    if contest is None:
        raise Unknown(field="contest", message=later(_("no contest %(contest)s"),
                                                     contest=repr(contest_id)))
    if user is not None and not _may_draw(user, contest):
        raise perm.NotAllowed(message=later(_("%(user)s manages no observer organisation in "
                                              "%(election)s"),
                                            user=perm.username(user), election=contest.election_id))
    if method not in (m.PvtSample.SIMPLE, m.PvtSample.STRATIFIED):
        raise ObservationError(field="method", message=later(_("simple or stratified")))
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2 ** 62))  # recorded, so reproducible
    units = frame(contest)
    ids = [s for s, _ in units]
    strata = [h for _, h in units] if method == m.PvtSample.STRATIFIED else None
    try:
        chosen = maths.draw(ids, int(size), int(seed), strata)
    except maths.PvtInputError as exc:
        raise ObservationError(field=exc.field, message=exc.said) from None
    sample = store_sample(user, contest, [s for s, _ in chosen], int(seed), method, units)
    audit.append(perm.username(user), "observation.pvt_sample", contest.id,
                 {"sample": sample.pk, "method": method, "seed": seed, "size": len(chosen),
                  "stations": [s for s, _ in chosen]})
    return sample


def store_sample(user, contest: Contest, stations: list[str], seed: int, method: str,
                 units: list[tuple[str, str]] | None = None) -> m.PvtSample:
    """Keep a sample of `stations` with the stratum weights of the contest's stations (one
    stratum "all" for a simple random sample)."""
    units = frame(contest) if units is None else units
    if method == m.PvtSample.STRATIFIED:
        stratum_of = dict(units)
    else:
        stratum_of = {s: "all" for s, _ in units}
    population: dict[str, int] = {}
    for h in stratum_of.values():
        population[h] = population.get(h, 0) + 1
    sample = m.PvtSample.objects.create(election_id=contest.election_id, contest=contest,
                                        method=method, seed=seed, size=len(stations),
                                        population=population, drawn_by=perm.username(user))
    m.PvtStation.objects.bulk_create([m.PvtStation(sample=sample, station_id=s,
                                                   stratum=stratum_of[s]) for s in stations],
                                     batch_size=2000)
    return sample


def reports(sample: m.PvtSample) -> list[tuple[str, str, dict, dict]]:
    """(station, stratum, figures, choices) of the sample stations with a copy; the latest copy
    of each station counts."""
    strata = dict(sample.stations.values_list("station_id", "stratum"))
    latest: dict[str, tuple[dict, dict]] = {}
    for sid, fig, ch in (m.ObserverCopy.objects.filter(contest_id=sample.contest_id,
                                                       station_id__in=strata)
                         .order_by("station_id", "received_at", "id")
                         .values_list("station_id", "figures", "choices")):
        latest[sid] = (fig, ch)
    return [(sid, strata[sid], fig, ch) for sid, (fig, ch) in sorted(latest.items())]


def arrays(rows, names: list[str]) -> dict:
    votes = np.array([[ch.get(k, 0) for k in names] for _, _, _, ch in rows],
                     dtype=float).reshape(len(rows), len(names))
    # The ballots found, the base of the shares, as the law counts them (`figures.counted`:
    # a referendum's ballots marked both ways are among its participants).
    counted = [figures.counted(fig, {k: ch.get(k, 0) for k in names}) for _, _, fig, ch in rows]
    return {"votes": votes, "counted": np.array(counted, dtype=float),
            "ballots": np.array([figures.issued(fig) for _, _, fig, _ in rows],
                                dtype=float),
            "voters": np.array([fig.get("voters_on_list", 0) for _, _, fig, _ in rows],
                               dtype=float),
            "strata": [h for _, h, _, _ in rows]}


def official(contest: Contest) -> tuple[dict[str, float], float | None, dict]:
    """Shares and turnout of the official totals at the contest's own level."""
    from sailau.protocols.models import Tally

    t = Tally.objects.filter(contest=contest, commission_id=contest.commission_id).first()
    if t is None or not t.choices:
        return {}, None, {}
    figs, chs = t.figures or {}, t.choices or {}
    counted = figures.counted(figs, chs)
    shares = {k: figures.share_fraction(v, counted) for k, v in chs.items()} if counted else {}
    turnout = figures.turnout_fraction(figs)
    return shares, turnout, {"stations_reported": t.stations_reported,
                             "stations_expected": t.stations_expected}


def result(sample: m.PvtSample) -> dict:
    contest = sample.contest
    names = list(contest.choices.order_by("order").values_list("key", flat=True))
    rows = reports(sample)
    a = arrays(rows, names)
    est = maths.estimate(a["votes"], a["counted"], names, a["strata"], sample.population,
                         ballots=a["ballots"], voters=a["voters"], sample_size_=sample.size)
    shares, turnout, tally = official(contest)
    return {"sample": {"id": sample.pk, "contest": contest.id, "method": sample.method,
                       "seed": sample.seed, "size": sample.size,
                       "created_at": sample.created_at.isoformat(), "drawn_by": sample.drawn_by},
            "estimate": est.to_json(), "official": {"shares": shares, "turnout": turnout, **tally},
            "comparison": maths.compare(est, shares, turnout) if est.reported else [],
            "names": {c.key: c.name() for c in contest.choices.all()}}
