"""PVT commitments on the database: an organisation's manager publishes the SHA-256 hash of its
sample before election day and reveals the stations and seed after the official count; the
reveal is refused, naming what differs, unless it hashes to the committed value (and, for a
sample drawn by Sailau's method, unless the seed draws exactly these stations). A matching reveal
becomes a PVT sample, estimated like any other. Both steps are audit records. The hashed text is
`sailau.analysis.pvt_commitment`'s."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from sailau import audit, clock
from sailau.accounts import permissions as perm
from sailau.analysis import pvt as maths
from sailau.analysis import pvt_commitment as text
from sailau.analysis import pvt_design
from sailau.elections.models import Contest
from sailau.errors import BadInput, Conflict, NotFound
from sailau.i18n import later
from sailau.observation import models as m
from sailau.observation import pvt

SHOWN = 5  # stations named in a refusal; the rest are counted


def _bad(field: str, msgid: str, detail: dict | None = None, **values) -> BadInput:
    """A refusal naming `field`, read in the language of the page or request (`later`)."""
    return BadInput(message=later(msgid, **values), field=field, detail=detail)


def _names(ids) -> str:
    ids = list(ids)
    more = f" (+{len(ids) - SHOWN})" if len(ids) > SHOWN else ""
    return ", ".join(ids[:SHOWN]) + more


def _require_manager(user, org: m.Organisation) -> None:
    if not perm.manages(user, org):
        raise perm.NotAllowed(message=later(_("%(user)s does not manage organisation %(org)s"),
                                            user=perm.username(user), org=org.pk))


@transaction.atomic
def commit(user, organisation_id: int, contest_id: str, digest: str, size: int,
           method: str, design: dict | None = None) -> m.PvtCommitment:
    """`design`: a sample designed for small shares (`pvt_design.check_design`), hashed with
    the stations; its allocation is then what the reveal's stations must follow."""
    org = m.Organisation.objects.select_related("election").filter(pk=organisation_id).first()
    if org is None:
        raise NotFound(message=later(_("No organisation %(org)s"), org=organisation_id),
                       field="organisation")
    _require_manager(user, org)
    contest = Contest.objects.filter(pk=contest_id, election_id=org.election_id).first()
    if contest is None:
        raise _bad("contest", _("No contest %(contest)s in the election %(election)s"),
                   contest=contest_id, election=org.election_id)
    digest = (digest or "").strip().lower()
    if not text.DIGEST.match(digest):
        raise _bad("digest", _("The hash is 64 hexadecimal characters (SHA-256)"))
    if method not in dict(m.PvtCommitment.METHODS):
        raise _bad("method", _("Method: simple, stratified or own"))
    if not isinstance(size, int) or size < 1:
        raise _bad("size", _("The sample needs at least one station"))
    if design is not None:
        try:
            design = pvt_design.check_design(design, size)
        except maths.PvtInputError:
            raise _bad("design", _("The design: method neyman, a mix between 0 and 1, the past "
                                   "election it was fitted on, and stations per stratum summing "
                                   "to the sample's size")) from None
    today = clock.localdate()
    if today >= org.election.date:
        raise _bad("digest", _("A sample is committed before election day (%(day)s)"),
                   day=org.election.date.isoformat())
    c = m.PvtCommitment.objects.create(organisation=org, contest=contest, method=method,
                                       size=size, digest=digest, design=design,
                                       committed_by=perm.username(user))
    audit.append(perm.username(user), "observation.pvt_commit", contest.id,
                 {"commitment": c.pk, "organisation": org.pk, "method": method, "size": size,
                  "digest": digest, "design": design})
    return c


def _parse_seed(seed) -> int:
    try:
        value = int(str(seed).strip())
    except ValueError:
        value = -1
    if value < 0 or value >= 2 ** 63:
        raise _bad("seed", _("The seed is a whole number, 0 or more, not “%(seed)s”"), seed=seed)
    return value


def _check_stations(c: m.PvtCommitment, lines: list[tuple[int, str]]) -> list[str]:
    known = {s for s, _ in pvt.frame(c.contest)}
    seen: dict[str, int] = {}
    for n, sid in lines:
        if sid in seen:
            raise _bad("stations", _("Line %(line)s: station %(station)s is already on line "
                                     "%(first)s"), {"line": n}, line=n, station=sid,
                       first=seen[sid])
        if sid not in known:
            raise _bad("stations", _("Line %(line)s: station %(station)s does not vote in this "
                                     "contest"), {"line": n}, line=n, station=sid)
        seen[sid] = n
    if len(seen) != c.size:
        raise _bad("stations", _("%(revealed)s stations revealed, the commitment is for "
                                 "%(size)s"), revealed=len(seen), size=c.size)
    return sorted(seen)


def _check_draw(c: m.PvtCommitment, seed: int, stations: list[str]) -> None:
    """A sample said to be drawn by Sailau's method must be what the seed draws."""
    frame = pvt.frame(c.contest)
    strata = [h for _, h in frame] if c.method == m.PvtSample.STRATIFIED else None
    alloc = c.design["allocation"] if c.design and strata else None
    drawn = {s for s, _ in maths.draw([s for s, _ in frame], c.size, seed, strata, alloc)}
    extra, missing = sorted(set(stations) - drawn), sorted(drawn - set(stations))
    if extra or missing:
        raise _bad("stations", _("The seed %(seed)s does not draw these stations: not drawn "
                                 "%(extra)s; drawn but missing %(missing)s"),
                   {"extra": extra, "missing": missing}, seed=seed, extra=_names(extra),
                   missing=_names(missing))


def _check_allocation(c: m.PvtCommitment, stations: list[str]) -> None:
    """A designed sample drawn elsewhere must still hold the committed stations per stratum."""
    of = dict(pvt.frame(c.contest))
    got: dict[str, int] = {}
    for s in stations:
        got[of[s]] = got.get(of[s], 0) + 1
    want = {h: n for h, n in c.design["allocation"].items() if n}
    if got != want:
        wrong = sorted(h for h in set(got) | set(want) if got.get(h, 0) != want.get(h, 0))
        raise _bad("stations", _("The stations do not follow the committed allocation in "
                                 "%(strata)s"), {"strata": wrong}, strata=_names(wrong))


@transaction.atomic
def reveal(user, commitment_id: int, seed, stations_text: str) -> m.PvtCommitment:
    c = (m.PvtCommitment.objects.select_for_update().select_related("organisation", "contest")
         .filter(pk=commitment_id).first())
    if c is None:
        raise NotFound(message=later(_("No commitment %(commitment)s"),
                                     commitment=commitment_id), field="commitment")
    _require_manager(user, c.organisation)
    if c.revealed_at is not None:
        raise Conflict(message=later(_("This sample is already revealed")), field="commitment")
    value = _parse_seed(seed)
    stations = _check_stations(c, text.parse_stations(stations_text or ""))
    got = text.digest(c.contest_id, value, stations, c.design)
    if got != c.digest:
        raise _bad("digest", _("The revealed sample hashes to %(revealed)s, the commitment is "
                               "%(committed)s: the stations or the seed differ"),
                   {"revealed": got, "committed": c.digest}, revealed=got, committed=c.digest)
    if c.method != m.PvtCommitment.OWN:
        _check_draw(c, value, stations)
    elif c.design:
        _check_allocation(c, stations)
    c.sample = pvt.store_sample(user, c.contest, stations, value,
                                c.method if c.method != m.PvtCommitment.OWN
                                else m.PvtSample.STRATIFIED)
    c.seed, c.revealed_by, c.revealed_at = value, perm.username(user), clock.now()
    c.save(update_fields=["seed", "revealed_by", "revealed_at", "sample"])
    audit.append(perm.username(user), "observation.pvt_reveal", c.contest_id,
                 {"commitment": c.pk, "digest": c.digest, "seed": value, "stations": stations,
                  "sample": c.sample.pk})
    return c


def summary(c: m.PvtCommitment, lang: str = "en") -> dict:
    """What the page and the API show: the committed hash and when, and the reveal."""
    out = {"id": c.pk, "organisation": c.organisation.name(lang), "contest": c.contest_id,
           "method": c.method, "size": c.size, "digest": c.digest, "design": c.design,
           "committed_at": c.committed_at.isoformat(), "committed_by": c.committed_by,
           "election_day": c.contest.election.date.isoformat(),
           "before_election_day": timezone.localtime(c.committed_at).date()
           < c.contest.election.date,
           "revealed": c.revealed_at is not None}
    if c.revealed_at is not None:
        stations = list(c.sample.stations.values_list("station_id", flat=True)) if c.sample else []
        out.update({"revealed_at": c.revealed_at.isoformat(), "revealed_by": c.revealed_by,
                    "seed": c.seed, "sample": c.sample_id, "stations": sorted(stations),
                    "matches": text.digest(c.contest_id, c.seed, stations, c.design)
                    == c.digest})
    return out


def revealed_text(c: m.PvtCommitment) -> str:
    stations = c.sample.stations.values_list("station_id", flat=True) if c.sample else []
    return text.canonical(c.contest_id, c.seed, stations, c.design)
