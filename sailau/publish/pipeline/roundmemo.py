"""What the batches' process keeps between the publisher's rounds, so that a round reads what
grows with its stations, not with the country (`snapshots._commission_files`). Forgotten at a
full publication (`forget`)."""

from __future__ import annotations

from sailau.elections.logged import structure_stamp
from sailau.publish.files.commission_documents import reported_contests, station_rows_by_commission
from sailau.publish.files.election_data import ElectionData

# The batches' process keeps which contests each station has a current protocol for, with the
# station's fingerprint when it was read (`changes.fingerprints`: it changes with every protocol
# version): a district's or SMD's file lists its stations that reported, and it is written
# again with each of them. Read anew for every station of those commissions, this was 43 % of a
# round at 100,000 stations (an SMD has ~3,400 stations there); now only for the stations whose
# fingerprint moved. A commission whose every station was looked at once is not walked again:
# only the round's own stations can have moved (a fingerprint moves only with a station written
# again, and its district and SMDs are written with it), which was still 7 % of a round there.
_CONTESTS: dict[str, dict[str, frozenset]] = {}  # election -> station -> contests (the answer)
_READ_AT: dict[str, dict[str, str]] = {}  # election -> station -> its fingerprint when read
_WALKED: dict[str, set[str]] = {}  # election -> commissions whose stations were all looked at
# ...which holds only while every round since was this process's: the manifest it published
# last. Another publisher's round (a second `serve`, a `sailau publish`) or a full publication
# elsewhere may have moved stations this process never had in its rounds; then every
# commission is walked again (a national lane's merge, which moves no station, costs one walk).
_OURS: dict[str, int] = {}  # election -> the sequence of this process's last round

# ...and the stations of every district and SMD, read once per structure (`structure_stamp`):
# read for the round's districts and SMDs, they were ~3,400 rows each at 100,000 stations,
# every round.
_ROWS: dict[str, tuple] = {}  # election -> (structure stamp, commission -> station rows)

# ...and what every document of the election needs (`ElectionData`: its contests, choices and
# parties, the commissions above the precincts), loaded once per structure, as the rows above:
# read again for every round it was a sixth of a round's wall time at 100,000 stations (py-spy,
# a 10-minute night: 33 ms of Django's model instances, and 10 ms to index the commissions).
# Every name and place it holds comes from the structure the log's `structure` and
# `structure-change` leaves state, which the stamp follows.
_DATA: dict[str, tuple] = {}  # election -> (structure stamp, ElectionData)


def _of_structure(memo: dict, election_id: str, load) -> tuple[object, bool]:
    """`load()`, kept in `memo` until the election's structure changes (`structure_stamp`);
    and whether it was loaded now."""
    stamp = structure_stamp(election_id)
    hit = memo.get(election_id)
    if hit is not None and hit[0] == stamp:
        return hit[1], False
    memo[election_id] = (stamp, load())
    return memo[election_id][1], True


def election_data(election_id: str) -> ElectionData:
    """The election's `ElectionData` for a round, loaded once per structure. (Its `rounds`,
    which the log can change without a structure leaf, is read only by `election.json`, which
    only a full publication writes, from its own load.)"""
    return _of_structure(_DATA, election_id, lambda: ElectionData.load(election_id))[0]


def station_rows(election, under) -> dict[str, list[tuple]]:
    """`station_rows_by_commission` of the commissions `under`, from the whole election's read
    once per structure."""
    rows, new = _of_structure(_ROWS, election.id, lambda: station_rows_by_commission(election))
    if new:
        _WALKED.pop(election.id, None)  # a commission's stations may be others now
    return {cid: rows.get(cid, []) for cid in under}


def reported(election_id: str, stations_by: dict[str, list[tuple]], prints: dict | None,
             moved=(), after: int | None = None) -> dict:
    """`reported_contests` of the stations of `stations_by` (commission -> rows of its
    stations, the station id first), read only for the stations whose fingerprint in `prints`
    (the round's) is not the one they were read with (without `prints`: all read). `moved`: the
    round's stations, the only ones whose fingerprint can have moved since a commission's
    stations were all looked at, when the last round was this process's (`after`: the sequence
    of the manifest the round follows, `ours`). The answer maps at least those stations to
    their contests."""
    if prints is None:
        return reported_contests({row[0] for rows in stations_by.values() for row in rows})
    read_at = _READ_AT.setdefault(election_id, {})
    walked = _WALKED.setdefault(election_id, set())
    if after is None or _OURS.get(election_id) != after:
        walked.clear()
    answer = _CONTESTS.setdefault(election_id, {})
    looked = set(moved)
    for cid, rows in stations_by.items():
        if cid not in walked:
            looked.update(row[0] for row in rows)
    stale = [sid for sid in looked
             if sid not in answer or read_at.get(sid) != prints.get(sid)]
    read = reported_contests(stale)
    shapes: dict[frozenset, frozenset] = {}  # a few combinations of contests, each kept once
    for sid in stale:
        contests = frozenset(read.get(sid, ()))
        answer[sid] = shapes.setdefault(contests, contests)
        read_at[sid] = prints.get(sid)
    walked.update(stations_by)
    return answer


def ours(election_id: str, sequence: int) -> None:
    """This process published manifest `sequence` (a round with `reported`'s answer)."""
    _OURS[election_id] = sequence


def forget(election_id: str) -> None:
    _CONTESTS.pop(election_id, None)
    _READ_AT.pop(election_id, None)
    _WALKED.pop(election_id, None)
    _OURS.pop(election_id, None)
    _ROWS.pop(election_id, None)
    _DATA.pop(election_id, None)
