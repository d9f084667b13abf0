"""The scans' part of a protocol's leaf in the published log (`protocols.logged`)."""

from sailau.scans.models import Scan


def scan_hashes(keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    wanted = set(keys)
    out: dict[tuple[str, str], list[str]] = {}
    stations = sorted({s for s, _ in keys})
    for i in range(0, len(stations), 500):
        for sid, cid, sha in Scan.objects.filter(station_id__in=stations[i:i + 500]).values_list(
                "station_id", "contest_id", "sha256"):
            if (sid, cid) in wanted:
                out.setdefault((sid, cid), []).append(sha)
    return out
