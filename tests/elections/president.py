"""A small presidential election as a structure document (a CEC, one region, one district, a
few stations, three candidates and "against all"), and protocols for it: for the tests of the
second round (`sailau.elections.rounds`)."""

from sailau.elections import structure as structures
from sailau.elections.models import Contest, Election
from sailau.protocols import services, tabulation
from tests.chain_fixtures import People

ELECTION = "kz.president.2022-11-20"
RUNOFF = {"tokayev": 45, "daukeyeva": 30, "tasmagambetov": 20, "against_all": 5}
CANDIDATES = {"tokayev": ("Тоқаев Қ.", "Токаев К.", "Tokayev K.", "amanat"),
              "daukeyeva": ("Дәукеева Ж.", "Даукеева Ж.", "Daukeyeva Zh.", None),
              "tasmagambetov": ("Тасмағамбетов Е.", "Тасмагамбетов Е.", "Tasmagambetov Ye.",
                                None)}


def structure(stations: int = 4, eid: str = ELECTION) -> dict:
    cec, tc, dec = f"{eid}.cec", f"{eid}.tc.01", f"{eid}.dec.0101"
    names = lambda kk, ru, en: {"name_kk": kk, "name_ru": ru, "name_en": en}
    commissions = [
        {"id": cec, "level": "cec", "parent": None, "number": 0,
         **names("Орталық сайлау комиссиясы", "Центральная избирательная комиссия",
                 "Central Election Commission")},
        {"id": tc, "level": "territorial", "parent": cec, "number": 1,
         **names("Астана қаласы аумақтық сайлау комиссиясы",
                 "Территориальная избирательная комиссия: город Астана",
                 "Astana territorial election commission")},
        {"id": dec, "level": "district", "parent": tc, "number": 101,
         **names("Есіл аудандық сайлау комиссиясы", "Есильская районная избирательная комиссия",
                 "Yesil district election commission")}]
    rows = []
    for n in range(1, stations + 1):
        pec = f"{eid}.pec.{n:04d}"
        commissions.append({"id": pec, "level": "precinct", "parent": dec, "number": n,
                            **names(f"№{n} учаскелік сайлау комиссиясы",
                                    f"Участковая избирательная комиссия №{n}",
                                    f"Precinct election commission {n}"),
                            "address": f"Абай даңғылы, {n}", "address_ru": f"проспект Абая, {n}"})
        rows.append({"id": pec, "commission": pec, "district": dec, "territory": tc,
                     "number": n, "kind": "ordinary", "settlement": "Астана",
                     "settlement_ru": "Астана", "address": f"Абай даңғылы, {n}",
                     "address_ru": f"проспект Абая, {n}", "urban": True,
                     "registered": 1000 + 10 * n})
    contest = f"{eid}.president"
    return {
        "format": "sailau-structure/1",
        "election": {"id": eid, "kind": "president", "date": eid.rsplit(".", 1)[1],
                     **names("Қазақстан Республикасы Президентінің сайлауы",
                             "Выборы Президента Республики Казахстан",
                             "Presidential election of the Republic of Kazakhstan")},
        "commissions": commissions, "stations": rows,
        "parties": [{"id": f"{eid}.party.amanat", "short": "AMANAT", "registration_order": 1,
                     **names("AMANAT партиясы", "Партия AMANAT", "AMANAT party")}],
        "contests": [{"id": contest, "kind": "president", "ruleset": "kz-president-2022",
                      "seats": 1, "commission": cec,
                      **names("Президент", "Президент", "President")}],
        "choices": [{"contest": contest, "key": k, "order": i,
                     "party": f"{eid}.party.{p}" if p else None, **names(kk, ru, en)}
                    for i, (k, (kk, ru, en, p)) in enumerate(CANDIDATES.items(), 1)]
        + [{"contest": contest, "key": "against_all", "order": 9,
            **names("Барлығына қарсы", "Против всех", "Against all")}],
        "candidates": [{"id": f"{contest}.{k}", "contest": contest, "choice": k,
                        "party": f"{eid}.party.{p}" if p else None, "full_name": ru}
                       for k, (_kk, ru, _en, p) in CANDIDATES.items()],
        "members": [{"commission": c["id"], "full_name": f"Мүше {i}", "role": "chair",
                     "nominated_by": "AMANAT", "party": f"{eid}.party.amanat"}
                    for i, c in enumerate(commissions)],
    }


def protocol(registered: int, shares: dict[str, int]) -> tuple[dict, dict]:
    """Figures that pass every control relation, and the votes split by `shares` (per cent of
    the valid ballots, the remainder to the first)."""
    issued = registered * 6 // 10
    invalid = issued // 100
    valid = issued - invalid
    votes = {k: valid * s // 100 for k, s in shares.items()}
    first = next(iter(shares))
    votes[first] += valid - sum(votes.values())
    figures = {"voters_on_list": registered, "ballots_received": registered,
               "issued_in_room": issued, "issued_mobile": 0, "issued_absentee": 0,
               "cancelled": registered - issued, "lost": 0, "found_stationary": issued,
               "found_mobile": 0, "mobile_requests": 0, "invalid": invalid}
    return figures, votes


def first_round(shares=RUNOFF, stations=4, reported=None, eid=ELECTION) -> Election:
    """The election imported, its totals at zero, then the protocols of its first `reported`
    stations (all by default) entered twice by two operators, votes split by `shares`."""
    election = structures.write(structures.validate(structure(stations, eid)))
    tabulation.ensure_election(election.id)
    enter(election, shares, reported)
    return election


def enter(election: Election, shares: dict, reported=None) -> None:
    people = People(election)
    contest = Contest.objects.get(election=election)
    for s in people.stations[:reported]:
        figures, choices = protocol(s.registered, shares)
        acks = [f.code for f in contest.form.check(figures, choices) if f.severity == "warning"]
        for n in (1, 2):
            res = services.finalise(people.operator(s, f"op-{s.id}-{n}"), s.id, contest.id, n,
                                    figures, choices, acks)
        assert res.state == "definitive"
