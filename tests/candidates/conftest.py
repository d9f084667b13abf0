import pytest

from sailau.elections import electorate
from sailau.elections.models import Candidate, Commission, Contest
from tests import factories as f

HEADER = ("record,key,date,contest,party,party_share,nominated_by,full_name,birth_date,"
          "residence_years,citizen,woman,list_position,deposit_kzt,deposit_date,decision,reason,"
          "note,body,appeal_to,outcome,outcome_date\n")


def csv_of(*rows: str) -> str:
    return HEADER + "".join(r + "\n" for r in rows)


def person(key: str, contest: str = "smd.1", party: str = "", by: str = "self",
           name: str = "Омарова Айгүл", born: str = "1980-05-01", years: str = "30",
           woman: str = "yes", position: str = "", deposit: str = "1050000",
           date: str = "2023-02-01", share: str = "") -> str:
    return (f"nomination,{key},{date},{contest},{party},{share},{by},{name},{born},{years},yes,"
            f"{woman},{position},{deposit},{date if deposit else ''},,,,,,,")


def decision(key: str, decision: str, reason: str = "", date: str = "2023-02-10",
             note: str = "", body: str = "") -> str:
    return f"decision,{key},{date},,,,,,,,,,,,,{decision},{reason},{note},{body},,,"


def appeal(key: str, to: str = "court", outcome: str = "", date: str = "2023-02-12",
           decided: str = "") -> str:
    return f"appeal,{key},{date},,,,,,,,,,,,,,,,,{to},{outcome},{decided}"


def party_list(key: str, party: str, share: str = "", date: str = "2023-02-01") -> str:
    return f"list,{key},{date},list,{party},{share},,,,,,,,,,,,,,,,"


@pytest.fixture
def election(db):
    """An election with the 2023 Mazhilis list contest (id `<election>.list`; parties amanat,
    auyl, respublica) and one single-member district under the CEC with a ballot candidate."""
    cec = f.CecFactory(election=f.ElectionFactory())
    election = cec.election
    f.ContestFactory(election=election, commission=cec, id=f"{election.id}.list")
    smd_c = Commission.objects.create(id=f"{election.id}.smdc.1", election=election,
                                      level=Commission.SMD, parent=cec, number=1,
                                      names={"kk": "№1 округтік комиссия"})
    smd = Contest.objects.create(id=f"{election.id}.smd.1", election=election,
                                 kind=Contest.SINGLE_MEMBER, ruleset="kz-smd-2023", seats=1,
                                 commission=smd_c, names={"kk": "№1 округ"})
    electorate.fill(election.id)
    Candidate.objects.create(id=f"{smd.id}.c1", contest=smd, full_name="Омарова Айгүл")
    return f.logged(election)
