"""The national tables as the national lane keeps them (spliced station tables, the NIST report,
the results over time from the kept series), by file name: what the tests hold to a whole build."""

from sailau.publish.files import downloads, national_tables, nist, progress
from sailau.publish.files.election_data import ElectionData
from sailau.publish.pipeline.snapshots import _dumps


def kept_tables(eid: str, at) -> dict[str, bytes]:
    data = ElectionData.load(eid)
    out = {"nist.json": national_tables.nist_report(data, at)}
    for c in data.contests:
        for fmt, body in national_tables.station_tables(data, c).items():
            out[f"{c.id}/stations.{fmt}"] = body
        for fmt, body in national_tables.progress_files(c, progress.progress(c)).items():
            out[f"{c.id}/progress.{fmt}"] = body
    return out


def built_tables(eid: str, at, series) -> dict[str, bytes]:
    """The same tables built whole from the database (`series(contest)`: the results over time
    they are written from: the kept series, or the arrivals read whole)."""
    data = ElectionData.load(eid)
    out = {"nist.json": _dumps(nist.report(data, at))}
    for c in data.contests:
        for fmt in downloads.FORMATS:
            out[f"{c.id}/stations.{fmt}"] = downloads.stations_file(data, c, fmt)[0]
        p = series(c)
        for fmt in ("csv", "json"):
            out[f"{c.id}/progress.{fmt}"] = progress.progress_file(c, fmt, p)[0]
    return out
