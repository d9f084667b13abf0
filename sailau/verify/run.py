"""`sailau verify`: a published snapshot checked with nothing but its files (no database, no
Django settings): hashes and the manifest chain, every level's totals from the station rows, the
tables, the outcomes under the rule set, the signatures, and optionally scans."""

from __future__ import annotations

from pathlib import Path

from sailau.verify import files, totals
from sailau.verify.report import Report
from sailau.verify.snapshot import Snapshot, Unusable  # noqa: F401 (the CLI catches it)


def verify(location: str, scans: Path | None = None) -> Report:
    """The report of every check. Raises `Unusable` when the snapshot cannot be read at all."""
    snap = Snapshot(location)
    report = Report(location)
    files.check_chain(snap, report)
    docs = files.check_files(snap, report)
    election = docs.get("election.json")
    if not isinstance(election, dict):
        report.fail("files", "election.json", "missing or unreadable: nothing to check the "
                                              "stations against")
        return report
    by_id = totals.stations(docs)
    sums = totals.sums(election, by_id, report)
    totals.check_levels(docs, sums, report)
    totals.check_tables(docs, snap.manifest, by_id, sums, report)
    totals.check_outcomes(docs, election, sums, report)
    totals.check_signatures(docs, by_id, report)
    if scans is not None:
        from sailau.verify.scans import check_scans

        keys = docs.get("keys.json")
        check_scans(scans, election, by_id, report,
                    keys.get("commissions", {}) if isinstance(keys, dict) else {})
    return report
