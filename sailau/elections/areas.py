"""Which stations a commission's area holds, and which levels' totals count a station.

Who votes in a contest is not decided here: it is the electorate table, written with the
structure (`sailau.elections.electorate`), by default from these areas. A commission's area is
the whole country (CEC: the Mazhilis list), a region or city of republican significance
(territorial: its maslikhat's list), a district or city (its maslikhat's list), or one
single-member district: in 2023 one voter got the Mazhilis list, a Mazhilis district, the
regional maslikhat's list and district, and the district maslikhat's district.

A single-member district's parent says whose it is (the CEC: the Mazhilis; a territorial
commission: the regional or city maslikhat; a district/city commission: its maslikhat), and
each has its own column on the station, so a station is in at most one district of each and
every test here is a comparison of ids, no query."""

from django.db.models import Q

from sailau.elections.models import Commission, Contest, Station

# The station's column naming its single-member district, by the level of the district's parent.
SMD_FIELD = {Commission.CEC: "smd", Commission.TERRITORIAL: "territorial_smd",
             Commission.DISTRICT: "district_smd"}
SMD_COLUMNS = tuple(f"{f}_id" for f in SMD_FIELD.values())
# What `contains` reads of a station: pass to `.only()` when loading many.
STATION_COLUMNS = ("id", "election_id", "district_id", "territory_id", *SMD_COLUMNS)


def smd_ids(station: Station) -> list[str]:
    """The single-member districts the station votes in (Mazhilis, then maslikhats)."""
    return [i for i in (getattr(station, c) for c in SMD_COLUMNS) if i]


def station_q(commission: Commission) -> Q:
    """The stations of the commission's area (within its election: filter on that too)."""
    level, cid = commission.level, commission.id
    if level == Commission.CEC:
        return Q()
    if level == Commission.TERRITORIAL:
        return Q(territory_id=cid)
    if level == Commission.DISTRICT:
        return Q(district_id=cid)
    if level == Commission.SMD:
        q = Q()
        for column in SMD_COLUMNS:
            q |= Q(**{column: cid})
        return q
    return Q(commission_id=cid)


def stations(commission: Commission):
    return Station.objects.filter(station_q(commission), election_id=commission.election_id)


def contains(commission: Commission, station: Station) -> bool:
    level, cid = commission.level, commission.id
    if level == Commission.CEC:
        return commission.election_id == station.election_id
    if level == Commission.TERRITORIAL:
        return station.territory_id == cid
    if level == Commission.DISTRICT:
        return station.district_id == cid
    if level == Commission.SMD:
        return cid in smd_ids(station)
    return station.id == cid


def station_area_ids(station: Station) -> list[str]:
    """Every commission above the station whose area holds it, the CEC left out."""
    return [station.territory_id, station.district_id, *smd_ids(station)]


def contests_of(station: Station):
    """The contests the station votes in: its rows of the electorate table."""
    from sailau.elections import electorate

    return electorate.contests(station)


def tally_areas(station: Station, contest: Contest) -> list[str]:
    """Ids of the commissions whose totals for `contest` include `station`, one of its electorate
    (`sailau.elections.electorate`: who votes in a contest is that table's, not this module's):
    the contest's own and, for a contest above a district, the station's district and
    territory on the way."""
    c = contest.commission
    if c.level == Commission.CEC:
        return [station.district_id, station.territory_id, c.id]
    if c.level == Commission.TERRITORIAL:
        return [station.district_id, c.id]
    return [c.id]
