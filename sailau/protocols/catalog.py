"""What the chain needs to know about stations and contests, read once and kept: the protocol
form of each contest (from its rule set), its choice keys, and the stations. One `Catalog` serves
a request or a whole bulk run, so a run of 20,000 protocols does not reread the structure."""

from dataclasses import dataclass

from sailau.elections import areas, electorate
from sailau.elections.models import Contest, Electorate, Station
from sailau.errors import Code, NotFound
from sailau.languages import pick
from sailau.law import ProtocolForm


@dataclass(frozen=True)
class ContestInfo:
    contest: Contest
    form: ProtocolForm
    choice_keys: tuple[str, ...]  # without "against_all", which the form adds


STATION_FIELDS = (*areas.STATION_COLUMNS, "commission_id", "number", "registered")


class Catalog:
    def __init__(self):
        self._contests: dict[str, ContestInfo] = {}
        self._stations: dict[str, Station] = {}
        self._electorate: dict[str, set[str]] = {}

    def contest(self, contest_id: str) -> ContestInfo:
        info = self._contests.get(contest_id)
        if info is None:
            c = Contest.objects.select_related("commission").filter(pk=contest_id).first()
            if c is None:
                raise NotFound(message=f"no contest {contest_id!r}", code=Code.UNKNOWN_CONTEST)
            form = c.form
            keys = tuple(k for k in c.choices.values_list("key", flat=True)
                         if not (form.against_all and k == "against_all"))
            info = self._contests[contest_id] = ContestInfo(c, form, keys)
        return info

    def station(self, station_id: str) -> Station:
        s = self._stations.get(station_id)
        if s is None:
            s = Station.objects.only(*STATION_FIELDS).filter(pk=station_id).first()
            if s is None:
                raise NotFound(message=f"no station {station_id!r}", code=Code.UNKNOWN_STATION,
                               field="station")
            self._stations[station_id] = s
        return s

    def preload_stations(self, election_id: str) -> None:
        for s in Station.objects.filter(election_id=election_id).only(*STATION_FIELDS):
            self._stations[s.id] = s
        self._electorate.update(electorate.of_election(election_id))

    def _votes_in(self, station_id: str) -> set[str]:
        """The contests the station votes in (its electorate rows), read once."""
        mine = self._electorate.get(station_id)
        if mine is None:
            mine = self._electorate[station_id] = set(
                Electorate.objects.filter(station_id=station_id)
                .values_list("contest_id", flat=True))
        return mine

    def pair(self, station_id: str, contest_id: str) -> tuple[Station, ContestInfo]:
        """The station and contest, checked to belong together."""
        info = self.contest(contest_id)
        st = self.station(station_id)
        c = info.contest
        if st.election_id != c.election_id:
            raise NotFound(message=f"station {station_id} is not in the election of contest "
                                   f"{contest_id}", code=Code.STATION_NOT_IN_ELECTION)
        if c.id not in self._votes_in(st.id):
            voted = ", ".join(sorted(self._votes_in(st.id))) or "no contest"
            raise NotFound(message=f"station {st.number} ({station_id}) votes in {voted}, "
                                   f"not in {contest_id}",
                           code=Code.STATION_NOT_IN_CONTEST)
        return st, info


def line_names(contest: Contest, lang: str) -> dict[str, str]:
    """What a reader calls each key of a contest's protocol: the choices by name, the form's
    lines by number and label ("8. Ballots found"), for pages that list lines by key
    (amendments, observers' copies, scans that differ)."""
    out = {ln.key: f"{ln.number}. {pick(ln.label, lang)}" for ln in contest.form.lines}
    out.update({ch.key: ch.name(lang) for ch in contest.choices.all()})
    return out
