"""The snapshot check of `sailau audit verify`: every election's published snapshot against the
database (`publish.snapshots`), every mismatching file named, and the copy in object storage
complete. A publication merely behind the database (a live night) is said once, not reported
file by file as a forgery."""

from __future__ import annotations

from sailau.audit.findings import Finding

# What a publication that is merely behind the database shows: a difference, not a forgery.
LAGGING = ("published file differs from the database", "in the database but not published",
           "published but no longer in the database")


def _head() -> int:
    from sailau.audit.models import Head

    return Head.objects.filter(pk=1).values_list("seq", flat=True).first() or 0


def _publications_not_at(head: int) -> dict[str, tuple[int, int]]:
    """{election: (audit record of its latest publication, `head`)} for each published
    election whose latest publication was not made at the moment the database is read (a live
    night: protocols arrive after each publication, and the publisher writes while the check
    reads its files)."""
    from sailau.publish.storage import store

    out = {}
    for eid in (store.root().iterdir() if store.root().exists() else ()):
        links = store.chain(eid.name) if eid.is_dir() else []
        mark = (links[-1].get("audit") or {}) if links else {}
        if mark and mark.get("seq", 0) != head:
            out[eid.name] = (mark["seq"], head)
    return out


def _records_since(eid: str, after: int, upto: int) -> str:
    """What the audit records after an election's latest publication are, said truly: its own
    (a station's subject begins with its election's id) or others', and so why the files that
    differ are not compared."""
    from collections import Counter

    from sailau.audit.models import Record
    from sailau.elections.models import Election

    # An election whose id begins with this one's (its second round, `<id>.round2`) owns the
    # subjects under its own id: they are not this election's.
    longer = [f"{x}." for x in Election.objects.filter(id__startswith=f"{eid}.")
              .values_list("id", flat=True)]
    rows = Record.objects.filter(seq__gt=after, seq__lte=upto).values_list("action", "subject")
    mine, other = Counter(), Counter()
    for action, subject in rows:
        ours = (subject == eid or subject.startswith(f"{eid}.")) and not any(
            subject.startswith(x) or subject == x[:-1] for x in longer)
        (mine if ours else other)[action] += 1

    def said(counts: Counter) -> str:
        return ", ".join(f"{a} {n}" for a, n in counts.most_common(3)) + \
            (", ..." if len(counts) > 3 else "")
    total = sum(mine.values()) + sum(other.values())
    if mine:
        return (f"{sum(mine.values())} of the {total} records since are this election's "
                f"({said(mine)}): the files that differ are not compared while they are "
                "written (run again when it is quiet)")
    return (f"none of the {total} records since names this election ({said(other)}: other "
            "elections' records, or ones not tied to an election); the files that differ are "
            "not compared, since a record not tied to an election may still be this one's "
            "(run again when no record is being written)")


def _behind(eid: str, published_at: int, now: int) -> str:
    """Why an election's files that differ from the database are not compared: records came
    after its publication, or (the publisher writing while the check reads) its publication came
    after the moment the database was read."""
    if published_at > now:
        return (f"its latest publication (audit record {published_at}) was made after the "
                f"database was read (record {now}); the files that differ are not compared, "
                "since they may show what came in between (run again when no record is being "
                "written)")
    return (f"the latest publication was made at audit record {published_at}, the database "
            f"was read at record {now}: " + _records_since(eid, published_at, now))


def check_snapshots() -> tuple[list[Finding], list[str], list[str]]:
    """(findings, elections published, elections with no snapshot yet)."""
    from sailau.elections.models import Election
    from sailau.filestores import failures
    from sailau.publish.pipeline.snapshot_check import snapshot_problems
    from sailau.publish.storage import mirror
    from sailau.publish.storage.store import latest_manifest

    published, unpublished = [], []
    for eid in Election.objects.order_by("id").values_list("id", flat=True):
        (published if latest_manifest(eid) is not None else unpublished).append(eid)
    findings = []
    head = _head()
    behind = _publications_not_at(head)
    for problem in snapshot_problems(audit_head=head):
        where, _, what = problem.partition(": ")
        eid = where.split(": ", 1)[0]
        if eid in behind and what.endswith(LAGGING):
            continue  # said once below: the publisher has not caught up yet
        findings.append(Finding("snapshots", where, what))
    for eid, (published_at, now) in sorted(behind.items()):
        print(f"snapshots: {eid}: " + _behind(eid, published_at, now))
    for eid in published:  # the copy readers get, when snapshots live in object storage
        try:
            for name in mirror.missing(eid):
                findings.append(Finding("snapshots", f"{eid}/{name}",
                                        "missing from the snapshot storage, which readers "
                                        "are sent to"))
        except failures() as exc:
            findings.append(Finding("snapshots", eid, f"the snapshot storage cannot be read: "
                                                      f"{exc}"))
    return findings, published, unpublished
