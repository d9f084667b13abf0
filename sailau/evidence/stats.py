"""Statistics by territory, each row a territory and the last row the total:

- the volunteers' images: how many, verified, matching or differing from the official protocol,
  of a superseded version, waiting for a moderator, duplicates;
- stations: with an observer's copy, with a verified scan, where an observer's copy differs from
  the official protocol, where an observer answered that the copy was NOT posted for the public
  (the counting checklist's `copy_posted`, as ODIHR counts it);
- voters: at the stations where an observer counted the voters at departure, the observers'
  count beside the official turnout (ballots issued) of the same stations, the national contest.
  An observers' count lower than the official one is what stuffed ballots look like."""

from __future__ import annotations

from collections import defaultdict

from sailau.elections.models import Commission
from sailau.evidence import compare
from sailau.evidence.models import Image

IMAGE_COLUMNS = ("images", "verified", "matches", "mismatches", "superseded", "moderation",
                 "duplicates")
STATION_COLUMNS = ("with_copy", "with_verified_scan", "copy_differs", "copy_not_posted",
                   "voters_counted_at", "voters_observed", "voters_official")
COLUMNS = IMAGE_COLUMNS + STATION_COLUMNS


def _images(election_id: str, rows) -> None:
    images = list(Image.objects.filter(station__election_id=election_id)
                  .select_related("station", "protocol").order_by("id"))
    territory = {i.pk: i.station.territory_id or "" for i in images}
    scanned: dict[str, set] = defaultdict(set)
    for i in images:
        row = rows[territory[i.pk]]
        row["images"] += 1
        row["moderation"] += i.status in (Image.MODERATION, Image.UNREADABLE)
        row["duplicates"] += i.duplicate_of_id is not None
        if i.source == Image.SCAN and i.status == Image.VERIFIED:
            scanned[territory[i.pk]].add(i.station_id)
    for tid, stations in scanned.items():
        rows[tid]["with_verified_scan"] = len(stations)
    for c in compare.compared(images):
        row = rows[territory[c["image"].pk]]
        row["verified"] += 1
        row[{compare.MATCH: "matches", compare.MISMATCH: "mismatches",
             compare.SUPERSEDED: "superseded"}.get(c["status"], "verified")] += (
            c["status"] != compare.NO_OFFICIAL)


def _observers(election_id: str, rows) -> None:
    from sailau.evidence.copies import national_contest
    from sailau.law.forms import ISSUED
    from sailau.observation import models as m
    from sailau.observation.compare import compared
    from sailau.protocols.models import Protocol

    copies: dict[str, set] = defaultdict(set)
    differ: dict[str, set] = defaultdict(set)
    qs = (m.ObserverCopy.objects.filter(station__election_id=election_id)
          .select_related("station").only("station_id", "station__territory_id", "contest_id",
                                          "observer_id", "figures", "choices").order_by())
    for row in compared(qs):
        sid, tid = row["station"], row["copy"].station.territory_id or ""
        copies[tid].add(sid)
        if row["status"] == "different":
            differ[tid].add(sid)
    not_posted: dict[str, set] = defaultdict(set)
    for sid, tid, answers in (m.ChecklistSubmission.objects
                              .filter(station__election_id=election_id, stage="counting")
                              .values_list("station_id", "station__territory_id", "answers")):
        if (answers or {}).get("copy_posted") == "no":
            not_posted[tid or ""].add(sid)
    counted: dict[str, tuple[str, int]] = {}  # station -> (territory, the latest departure count)
    for sid, tid, voters in (m.VoterCount.objects
                             .filter(station__election_id=election_id, moment="departure")
                             .order_by("at", "received_at", "id")
                             .values_list("station_id", "station__territory_id", "voters")):
        counted[sid] = (tid or "", voters)
    contest = national_contest(election_id)
    issued = {}
    if contest is not None and counted:
        issued = {sid: sum(fig.get(k) or 0 for k in ISSUED) for sid, fig in
                  Protocol.objects.current().filter(contest=contest, station_id__in=counted)
                  .values_list("station_id", "figures")}
    for tid, stations in copies.items():
        rows[tid]["with_copy"] = len(stations)
    for tid, stations in differ.items():
        rows[tid]["copy_differs"] = len(stations)
    for tid, stations in not_posted.items():
        rows[tid]["copy_not_posted"] = len(stations)
    for sid, (tid, voters) in counted.items():
        if sid not in issued:  # no official figure yet: nothing to set the count against
            continue
        rows[tid]["voters_counted_at"] += 1
        rows[tid]["voters_observed"] += voters
        rows[tid]["voters_official"] += issued[sid]


def by_territory(election_id: str, lang: str = "kk") -> list[dict]:
    names = {c.id: c.place(lang) for c in Commission.objects.filter(
        election_id=election_id, level=Commission.TERRITORIAL)}
    rows: dict[str, dict] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    _images(election_id, rows)
    _observers(election_id, rows)
    out = [{"territory": tid, "name": names.get(tid, tid), **row}
           for tid, row in sorted(rows.items(), key=lambda kv: names.get(kv[0], kv[0]))]
    if out:
        out.append({"territory": "", "name": "", **{k: sum(r[k] for r in out) for k in COLUMNS}})
    return out
