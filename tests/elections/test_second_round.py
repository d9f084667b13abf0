"""A presidential second round created from the first round's outcome
(`sailau.elections.rounds`): its candidates are the first round's two leaders as its log's
protocols decide them, its structure the first's carried over under new ids, its day within the
law's term, the two logs naming each other; and each refusal with its reason."""

import datetime as dt
import json

import pytest

from sailau.elections import rounds
from sailau.elections.models import Commission, Contest, Election, Member, Station
from sailau.errors import Code, SailauError
from sailau.ledger.models import Leaf
from sailau.protocols.models import Tally
from tests.elections.president import first_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Set before the election is loaded: its commissions' signing keys and its log live there."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))


def leaves(eid, kind):
    return [json.loads(bytes(d)) for d in Leaf.objects.filter(election_id=eid, kind=kind)
            .order_by("id").values_list("data", flat=True)]


def test_the_second_round_carries_the_structure_and_the_two_leaders(data_dir):
    first = first_round()
    second = rounds.create_second_round(first.id)
    assert second.id == f"{first.id}.round2" and second.kind == "president"
    assert second.date == dt.date(2022, 12, 4)  # the Sunday two weeks after
    contest = Contest.objects.get(election=second)
    assert contest.ruleset == "kz-president-2022-round2"
    assert sorted(contest.choices.values_list("key", flat=True)) == [
        "against_all", "daukeyeva", "tokayev"]
    tok = contest.choices.get(key="tokayev")
    assert (tok.names["ru"], tok.party_id) == ("Токаев К.", f"{second.id}.party.amanat")
    assert contest.candidates.count() == 2
    # Every commission and station, under ids made from the new election's.
    old = {s.id: s for s in Station.objects.filter(election=first)}
    new = {s.id: s for s in Station.objects.filter(election=second)}
    assert set(new) == {rounds.renamed(sid, first.id, second.id) for sid in old}
    for sid, s in old.items():
        t = new[rounds.renamed(sid, first.id, second.id)]
        assert (t.number, t.registered, t.addresses.get("ru", "")) == (s.number, s.registered, s.addresses.get("ru", ""))
        assert t.district_id == rounds.renamed(s.district_id, first.id, second.id)
    assert Commission.objects.filter(election=second).count() == \
        Commission.objects.filter(election=first).count()
    assert Member.objects.filter(commission__election=second).count() == \
        Member.objects.filter(commission__election=first).count()
    assert contest.electorate.count() == 4
    # Totals at zero from the start, as after an import.
    assert Tally.objects.get(contest=contest, commission=contest.commission).stations_expected == 4
    # The two logs name each other.
    (link,) = leaves(second.id, "first-round")
    assert link["first_round"]["election"] == first.id
    assert link["first_round"]["runoff"] == ["tokayev", "daukeyeva"]
    assert link["first_round"]["size"] > 0
    (back,) = leaves(first.id, "second-round")
    assert back["second_round"] == {"election": second.id, "origin": f"sailau.kz/{second.id}",
                                    "contest": contest.id, "date": "2022-12-04"}
    # Right after the structure's leaves, before the keys.
    kinds = list(Leaf.objects.filter(election_id=second.id).order_by("id")
                 .values_list("kind", flat=True))
    assert kinds[:4] == ["structure", "contests", "stations", "first-round"]


def refusal(fn, *args, **kw) -> SailauError:
    with pytest.raises(SailauError) as exc:
        fn(*args, **kw)
    return exc.value


def test_elected_in_the_first_round_is_refused_with_the_winner(data_dir):
    first = first_round({"tokayev": 80, "daukeyeva": 10, "tasmagambetov": 9, "against_all": 1})
    err = refusal(rounds.create_second_round, first.id)
    assert err.code == Code.NO_SECOND_ROUND and err.field == "election"
    assert "Tokayev K. was elected" in err.text("en") and "Токаев К." in err.text("ru")
    assert not Election.objects.filter(id=f"{first.id}.round2").exists()


def test_a_tie_for_a_place_is_refused(data_dir):
    first = first_round({"tokayev": 40, "daukeyeva": 29, "tasmagambetov": 29, "against_all": 2})
    err = refusal(rounds.create_second_round, first.id)
    assert err.code == Code.NO_SECOND_ROUND and "tie" in err.text("en")


def test_not_every_station_reported_is_refused(data_dir):
    first = first_round(reported=3)
    err = refusal(rounds.create_second_round, first.id)
    assert err.code == Code.NO_SECOND_ROUND and "only 3 of the first round's 4" in err.text("en")


def test_a_day_outside_the_term_is_refused_with_the_term(data_dir):
    first = first_round()
    err = refusal(rounds.create_second_round, first.id, date=dt.date(2023, 1, 21))
    assert err.code == Code.SECOND_ROUND_DATE and err.field == "date"
    assert "2023-01-20" in err.text("en") and "2023-01-20" in err.text("kk")
    err = refusal(rounds.create_second_round, first.id, date=first.date)
    assert err.code == Code.SECOND_ROUND_DATE
    assert rounds.create_second_round(first.id, date=dt.date(2023, 1, 20)).date == \
        dt.date(2023, 1, 20)


def test_a_second_second_round_is_refused(data_dir):
    first = first_round()
    rounds.create_second_round(first.id, election_id="kz.president.2022-12-04")
    err = refusal(rounds.create_second_round, first.id)
    assert err.code == Code.SECOND_ROUND_EXISTS and "kz.president.2022-12-04" in err.text("en")
    assert Station.objects.filter(election_id="kz.president.2022-12-04").count() == 4


def test_an_unknown_election_is_named(data_dir):
    err = refusal(rounds.create_second_round, "kz.nothing")
    assert err.code == Code.UNKNOWN_ELECTION and err.status == 404
