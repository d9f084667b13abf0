"""What the batches' process keeps between the publisher's rounds, so that a round reads what
grows with its stations, not with the country (`snapshots._commission_files`). Forgotten at a
full publication (`forget`)."""

from __future__ import annotations

from sailau.elections.logged import structure_stamp
from sailau.publish.commission_documents import reported_contests, station_rows_by_commission

# The batches' process keeps which contests each station has a current protocol for, with the
# station's fingerprint when it was read (`changes.fingerprints`: it changes with every protocol
# version): a district's or SMD's file lists its stations that reported, and it is written
# again with each of them. Read anew for every station of those commissions, this was 43 % of a
# round at 100,000 stations (an SMD has ~3,400 stations there); now only for the stations whose
# fingerprint moved.
_REPORTED: dict[str, dict[str, tuple]] = {}  # election -> station -> (fingerprint, contests)

# ...and the stations of every district and SMD, read once per structure (`structure_stamp`):
# read for the round's districts and SMDs, they were ~3,400 rows each at 100,000 stations,
# every round.
_ROWS: dict[str, tuple] = {}  # election -> (structure stamp, commission -> station rows)


def station_rows(election, under) -> dict[str, list[tuple]]:
    """`station_rows_by_commission` of the commissions `under`, from the whole election's read
    once per structure."""
    stamp = structure_stamp(election.id)
    hit = _ROWS.get(election.id)
    if hit is None or hit[0] != stamp:
        hit = _ROWS[election.id] = (stamp, station_rows_by_commission(election))
    return {cid: hit[1].get(cid, []) for cid in under}


def reported(election_id: str, station_ids, prints: dict | None) -> dict:
    """`reported_contests` of `station_ids`, read only for the stations whose fingerprint in
    `prints` (the round's: those it compared, else the last publication's) is not the one they
    were read with (without `prints`: all read)."""
    if prints is None:
        return reported_contests(station_ids)
    memo = _REPORTED.setdefault(election_id, {})
    stale = [sid for sid in station_ids
             if (hit := memo.get(sid)) is None or hit[0] != prints.get(sid)]
    read = reported_contests(stale)
    shapes: dict[frozenset, frozenset] = {}  # a few combinations of contests, each kept once
    for sid in stale:
        contests = frozenset(read.get(sid, ()))
        memo[sid] = (prints.get(sid), shapes.setdefault(contests, contests))
    return {sid: memo[sid][1] for sid in station_ids}


def forget(election_id: str) -> None:
    _REPORTED.pop(election_id, None)
    _ROWS.pop(election_id, None)
