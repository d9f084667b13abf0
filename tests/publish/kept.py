"""The national tables as the national lane keeps them (spliced station tables, the NIST report,
the results over time from the kept series), by file name: what the tests hold to a whole build."""

from sailau.publish.files import national_tables, progress
from sailau.publish.files.election_data import ElectionData


def kept_tables(eid: str, at) -> dict[str, bytes]:
    data = ElectionData.load(eid)
    out = {"nist.json": national_tables.nist_report(data, at)}
    for c in data.contests:
        for fmt, body in national_tables.station_tables(data, c).items():
            out[f"{c.id}/stations.{fmt}"] = body
        for fmt, body in national_tables.progress_files(c, progress.progress(c)).items():
            out[f"{c.id}/progress.{fmt}"] = body
    return out
