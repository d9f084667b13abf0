"""What the public may see of the register: filtering, the public record of a complaint (never a
private filer's name or contact), statistics and repeated complaints across elections."""

import re
from collections import defaultdict
from functools import lru_cache

from django.db.models import Count, Q, QuerySet

from sailau import clock, tabledownload
from sailau.complaints import models as m
from sailau.elections.models import Commission, Station
from sailau.languages import KAZAKH
from sailau.register.translit import name_key

FILTERS = ("election", "topic", "body", "filer_kind", "outcome", "status", "station")


def search(params) -> QuerySet:
    """Complaints matching the filters in `params` (a QueryDict or dict of strings)."""
    qs = m.Complaint.objects.select_related("election", "station__commission", "decision")
    g = lambda k: (params.get(k) or "").strip()
    for k in ("election", "topic", "body", "filer_kind", "status"):
        if g(k):
            qs = qs.filter(**{f"{k}_id" if k == "election" else k: g(k)})
    if g("outcome"):
        qs = qs.filter(decision__isnull=True) if g("outcome") == "pending" else \
            qs.filter(decision__outcome=g("outcome"))
    if g("station").isdigit():
        qs = qs.filter(station__number=int(g("station")))
    if g("late") in ("1", "true"):
        qs = qs.filter(late=True)
    if g("overdue") in ("1", "true"):
        qs = qs.filter(decision__isnull=True, due_date__lt=clock.localdate())
    if g("q"):
        qs = qs.filter(_words(g("q")) | _places(g("q"), g("election")))
    return qs


def _words(q: str) -> Q:
    """The complaints whose receipt, text, target, public filer's name or decision holds `q`.
    SQLite's LIKE folds the case of ASCII letters only: "ескижол" would not find "Ескижол"
    there (PostgreSQL folds every letter), hence the query also as people capitalise it."""
    out = Q()
    for v in dict.fromkeys((q, q.lower(), q.upper(), q.capitalize(), q.title())):
        # the filer's name is searchable only where it is public
        out |= (Q(receipt__icontains=v) | Q(text__icontains=v) | Q(against_name__icontains=v)
                | Q(filer_name__icontains=v, filer_kind__in=m.PUBLIC_NAME_KINDS)
                | Q(decision__text__icontains=v))
    return out


def _keys(text: str) -> set[str]:
    return {_key(w) for w in _WORD.findall(text)} - {""}


@lru_cache(maxsize=16384)
def _key(word: str) -> str:  # the same names are read at every search
    return name_key(word)


_WORD = re.compile(r"\w+")


def _named(q: str, names: str) -> bool:
    """Whether every word of `q` begins a word of `names`, in any script and case: a word's
    key (`register.translit.name_key`) is the same for "Ескіжол", "Ескижол", "ескижол" and
    "Eskijol" (Kazakh in Latin script)."""
    want, have = _keys(q), _keys(names)
    return bool(want) and all(any(h.startswith(w) for h in have) for w in want)


def _places(q: str, election_id: str = "") -> Q:
    """The complaints about a place whose name in Kazakh (either script), Russian or English
    holds the words of `q`: a station of a commission above it (a region's, a district's or
    city's, a single-member district's) so named, a complaint about or filed with such a
    commission, or a station in a settlement so named. The names are matched here rather than
    in SQL: the same few hundred commissions and settlements of an election, every script."""
    commissions = Commission.objects.exclude(level=Commission.PRECINCT)
    stations = Station.objects.all()
    if election_id:
        commissions = commissions.filter(election_id=election_id)
        stations = stations.filter(election_id=election_id)
    ids = [cid for cid, names in commissions.values_list("id", "names")
           if _named(q, " ".join(names.values()))]
    towns = list({kk for names in stations.values_list("settlements", flat=True)
                  if (kk := names.get(KAZAKH)) and _named(q, " ".join(names.values()))})
    if not ids and not towns:
        return Q(pk__in=[])
    return (Q(station__territory_id__in=ids) | Q(station__district_id__in=ids)
            | Q(station__smd_id__in=ids) | Q(station__territorial_smd_id__in=ids)
            | Q(station__district_smd_id__in=ids) | Q(commission_id__in=ids)
            | Q(body_commission_id__in=ids) | Q(station__settlements__kk__in=towns))


def attachments_open(c: m.Complaint, user) -> bool:
    """Whether `user` may open the complaint's attached files. Everyone, when the complaint is
    filed under a public name (a candidate, a party, an observer organisation); a private
    filer's files may carry their name, address or ID (the register never shows those), so only
    the filer and the body deciding it open them. Every attachment's size and SHA-256 are public
    either way; its file name only with the files (see `record`)."""
    if c.filer_kind in m.PUBLIC_NAME_KINDS:
        return True
    if user is None or not user.is_authenticated:
        return False
    from sailau.accounts import permissions as perm

    return c.user_id == user.pk or perm.may_decide(user, c)


def record(c: m.Complaint, today=None) -> dict:
    """The public record of one complaint, JSON-ready."""
    today = today or clock.localdate()
    dec = getattr(c, "decision", None)
    return {
        "receipt": c.receipt,
        "election": c.election_id,
        "filer_kind": c.filer_kind,
        # the data as filed (the pages show an election's own names in their language)
        "filer": c.filer_name if c.filer_kind in m.PUBLIC_NAME_KINDS else c.public_filer,
        "against_kind": c.against_kind,
        "against": c.against_name,
        "topic": c.topic,
        "text": c.text,
        "station": c.station.number if c.station_id else None,
        "commission": c.commission_id,
        "protocol": c.protocol_id,
        "body": c.body,
        "body_commission": c.body_commission_id,
        "appeal_of": c.contests.complaint.receipt if c.contests_id else None,
        "event_date": c.event_date.isoformat() if c.event_date else None,
        "filed_at": c.filed_at.isoformat(),
        "late": c.late,
        "due_date": c.due_date.isoformat(),
        "due_rule": c.due_rule,
        "days_left": None if dec else c.days_left(today),
        "overdue": c.overdue(today),
        "status": c.status,
        "decision": None if dec is None else {
            "number": dec.number, "decided_on": dec.decided_on.isoformat(), "text": dec.text,
            "outcome": dec.outcome, "not_considered_reason": dec.not_considered_reason,
            "effect": dec.effect, "protocol_version": dec.protocol_version_id,
            "on_time": dec.on_time,
        },
        # A private filer's file names ("Ivanova_passport.jpg") are as private as their name:
        # the public record lists such files by number, type, size and SHA-256.
        "attachments": [{"name": a.name if c.filer_kind in m.PUBLIC_NAME_KINDS else f"{i}",
                         "type": a.content_type, "size": a.size, "sha256": a.sha256}
                        for i, a in enumerate(c.attachments.all(), 1)],
    }


CSV_COLUMNS = ["receipt", "election", "filer_kind", "filer", "against_kind", "against", "topic",
               "station", "commission", "body", "appeal_of", "event_date", "filed_at", "late",
               "due_date", "status", "outcome", "not_considered_reason", "effect",
               "protocol_version", "decided_on", "text"]


def csv_row(r: dict) -> list:
    d = r["decision"] or {}
    flat = {**r, "outcome": d.get("outcome", ""),
            "not_considered_reason": d.get("not_considered_reason", ""),
            "effect": d.get("effect", ""), "protocol_version": d.get("protocol_version") or "",
            "decided_on": d.get("decided_on", "")}
    return tabledownload.row("" if flat[k] is None else flat[k] for k in CSV_COLUMNS)


def _counts(qs: QuerySet, field: str, labels: list) -> list[dict]:
    got = dict(qs.values_list(field).annotate(n=Count("id")).order_by())
    return [{"key": k, "label": str(v), "n": got.get(k, 0)} for k, v in labels]


def statistics(qs: QuerySet, today=None, choices: dict | None = None) -> dict:
    """Counts by topic, body, outcome and filer kind, terms kept, and observers' rights; a row
    per choice of `choices` by field ("topic", "body", "filer_kind": a referendum's have none
    of a candidate's, in its words), of the models' lists otherwise."""
    today = today or clock.localdate()
    choices = choices or {}
    topics = choices.get("topic", m.TOPICS)
    bodies = choices.get("body", m.BODIES)
    filer_kinds = choices.get("filer_kind", m.FILER_KINDS)
    outcomes = _counts(qs.filter(decision__isnull=False), "decision__outcome", m.OUTCOMES)
    outcomes.append({"key": "pending", "label": "pending",
                     "n": qs.filter(decision__isnull=True).count()})
    decided = qs.filter(decision__isnull=False)
    observers = qs.filter(topic="observers_rights")
    return {
        "total": qs.count(),
        "by_topic": _counts(qs, "topic", topics),
        "by_body": _counts(qs, "body", bodies),
        "by_filer_kind": _counts(qs, "filer_kind", filer_kinds),
        "by_outcome": outcomes,
        "by_effect": _counts(decided, "decision__effect", m.EFFECTS),
        "late": qs.filter(late=True).count(),
        "overdue": qs.filter(decision__isnull=True, due_date__lt=today).count(),
        "decided_on_time": sum(1 for d in decided.values_list("decision__decided_on", "due_date")
                               if d[0] <= d[1]),
        "decided": decided.count(),
        "observers_rights": {
            "total": observers.count(),
            "by_filer_kind": _counts(observers, "filer_kind", filer_kinds),
            "by_outcome": _counts(observers.filter(decision__isnull=False), "decision__outcome",
                                  m.OUTCOMES),
            "by_body": _counts(observers, "body", bodies),
        },
    }


def repeated(qs: QuerySet | None = None, min_elections: int = 2) -> list[dict]:
    """Complaints on the same topic about the same place (a station's address, or the same
    target when no station is named) in more than one election: the request letter asks whether
    complaints repeat from one election to the next. Station ids change between elections,
    their addresses mostly do not, hence the address."""
    qs = (qs if qs is not None else m.Complaint.objects.all()).select_related("station", "election")
    groups: dict[tuple, dict] = defaultdict(lambda: {"elections": set(), "n": 0, "station": None})
    for c in qs.only("topic", "against_name", "election__id", "election__date",
                     "station__settlements", "station__addresses"):
        place = (c.station.located(KAZAKH) if c.station_id
                 else c.against_name.strip())
        g = groups[(c.topic, place)]
        g["elections"].add(c.election_id)
        g["n"] += 1
        g["station"] = g["station"] or c.station_id  # one of the place's stations, to name it
    out = [{"topic": t, "place": p, "station": g["station"], "elections": sorted(g["elections"]),
            "complaints": g["n"]}
           for (t, p), g in groups.items() if len(g["elections"]) >= min_elections]
    return sorted(out, key=lambda r: (-len(r["elections"]), -r["complaints"], r["place"]))


