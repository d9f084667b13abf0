"""What a structure import refuses before writing anything: a commission tree that is not a
tree (cycles, parents not one level up, precinct commissions without a station), rule sets and
contest kinds sailau.law does not know, numbers the database cannot hold, text longer than its
column; and a fuzzed document never ends in a traceback or a half-written election."""

import datetime as dt
import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sailau.elections import structure
from sailau.elections.models import Commission, Election


def _doc(small_synthetic) -> dict:
    return json.loads(json.dumps(small_synthetic.structure()))


def _errors(doc) -> str:
    with pytest.raises(structure.StructureError) as exc:
        structure.validate(doc)
    return "\n".join(exc.value.errors)


def test_cycle_in_the_commission_tree_is_refused(small_synthetic):
    doc = _doc(small_synthetic)
    cec = next(i for i, c in enumerate(doc["commissions"]) if c["level"] == "cec")
    district = next(c["id"] for c in doc["commissions"] if c["level"] == "district")
    doc["commissions"][cec]["parent"] = district
    assert f"commissions[{cec}]: field 'parent': the CEC has no parent" in _errors(doc)


def test_parents_exactly_one_level_up(small_synthetic):
    doc = _doc(small_synthetic)
    cec = next(c["id"] for c in doc["commissions"] if c["level"] == "cec")
    i = next(i for i, c in enumerate(doc["commissions"]) if c["level"] == "precinct")
    doc["commissions"][i]["parent"] = cec
    text = _errors(doc)
    assert (f"commissions[{i}]: field 'parent': {cec!r} is a cec commission; a precinct "
            "commission's parent is a district commission") in text
    # The station's district column no longer matches its commission's parent either.
    assert "is not the parent of precinct commission" in text


def test_precinct_commission_without_station_and_two_cecs(small_synthetic):
    doc = _doc(small_synthetic)
    district = next(c["id"] for c in doc["commissions"] if c["level"] == "district")
    doc["commissions"].append({"id": "lonely", "level": "precinct", "parent": district,
                               "number": 9999, "name_kk": "L"})
    doc["commissions"].append({"id": "cec2", "level": "cec", "number": 2, "name_kk": "C"})
    text = _errors(doc)
    assert "precinct commission 'lonely' has no station" in text
    assert "expected exactly one commission of level cec, found 2" in text


def test_unknown_rule_set_and_kind_it_does_not_govern(small_synthetic):
    doc = _doc(small_synthetic)
    doc["contests"][0]["ruleset"] = "kz-nowhere-1999"
    doc["contests"][1]["kind"] = "referendum"
    text = _errors(doc)
    assert "contests[0]: field 'ruleset': " in text and "kz-nowhere-1999" in text
    assert "contests[1]: field 'kind': rule set" in text and "does not govern 'referendum'" in text


def test_numbers_beyond_the_database_and_overlong_text(small_synthetic):
    doc = _doc(small_synthetic)
    doc["stations"][0]["registered"] = 2**63
    doc["stations"][1]["number"] = "9" * 5000  # more digits than int() reads: still an error
    doc["stations"][2]["address"] = "a" * 301
    doc["commissions"][0]["id"] = "c" * 121
    doc["parties"][0]["name_kk"] = "bad\x00name"
    text = _errors(doc)
    assert f"stations[0]: field 'registered': must be at most {structure.MAX_INT}" in text
    assert "stations[1]: field 'number'" in text
    assert "stations[2]: field 'address': 301 characters, at most 300" in text
    assert "commissions[0]: field 'id': 121 characters, at most 120" in text
    assert "parties[0]: field 'name_kk': contains a NUL character" in text


@pytest.mark.django_db(transaction=True)
def test_commission_page_with_a_stored_cycle_returns(small_election, client):
    """A cycle stored before imports checked the tree (or by hand) must not hang a page."""
    cec = Commission.objects.get(election=small_election, level="cec")
    district = Commission.objects.filter(election=small_election, level="district").first()
    Commission.objects.filter(pk=cec.pk).update(parent=district)
    out = {}
    t = threading.Thread(target=lambda: out.update(
        r=client.get(f"/en/e/{small_election.id}/c/{district.id}/")), daemon=True)
    t.start()
    t.join(60)
    assert not t.is_alive(), "the commission page never returned"
    assert out["r"].status_code in (200, 404)


# ------------------------------------------------------------------------------ fuzzing

TABLES = ["election", *structure.TABLES]
FIELDS = {t: [f.name for f in fs] for t, fs in structure.TABLES.items()}
FIELDS["election"] = [f.name for f in structure.ELECTION_FIELDS]
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.text(max_size=400), st.sampled_from(["", "cec", "precinct", "kz-mazhilis-2023", "\x00",
                                            "2023-02-30", "\ud800", "1e9", "-0"]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.none(),
                                                         max_size=1))


@st.composite
def mutations(draw):
    """A handful of (table, row, field, value) changes, or a whole table replaced."""
    out = []
    for _ in range(draw(st.integers(1, 4))):
        table = draw(st.sampled_from(TABLES))
        if draw(st.integers(0, 9)) == 0:
            out.append((table, None, None, draw(st.one_of(VALUES, st.lists(VALUES, max_size=2)))))
        else:
            out.append((table, draw(st.integers(0, 5)), draw(st.sampled_from(FIELDS[table])),
                        draw(VALUES)))
    return out


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(changes=mutations())
def test_fuzzed_structure_is_imported_whole_or_refused(small_synthetic, changes):
    doc = _doc(small_synthetic)
    for table, row, field, value in changes:
        if row is None:
            doc[table] = value
        elif table == "election":
            if isinstance(doc["election"], dict):
                doc["election"][field] = value
        elif isinstance(doc.get(table), list) and doc[table]:
            r = doc[table][row % len(doc[table])]
            if isinstance(r, dict):
                r[field] = value
    before = Election.objects.count(), Commission.objects.count()
    try:
        structure.write(structure.validate(doc), replace=True)
    except structure.StructureError as exc:
        assert exc.errors and all(isinstance(e, str) for e in exc.errors)
        assert (Election.objects.count(), Commission.objects.count()) == before
    else:
        Election.objects.all().delete()


def test_an_election_day_outside_its_rule_sets_period_is_refused_with_the_period(small_synthetic):
    doc = _doc(small_synthetic)
    doc["election"]["date"] = "2019-06-09"  # the 2023 rule sets did not govern it
    name = doc["contests"][0]["ruleset"]
    text = _errors(doc)
    assert (f"contests[0]: field 'ruleset': {name} governs elections held from 20") in text
    assert "2019-06-09 is outside it (election.date)" in text


def test_a_presidential_contest_names_the_rule_set_of_its_day(small_synthetic):
    doc = _doc(small_synthetic)
    doc["election"].update(kind="president", date="2019-06-09")
    doc["contests"] = [{**doc["contests"][0], "kind": "president", "ruleset": "kz-president-2022",
                        "seats": 1}]
    doc["candidates"] = []
    text = _errors(doc)
    assert ("kz-president-2022 governs elections held from 2021-05-25; 2019-06-09 is outside it"
            in text)


def test_the_admin_refuses_a_rule_set_not_in_force_on_the_election_day(small_structure):
    from django.core.exceptions import ValidationError

    election = Election.objects.get()
    contest = election.contests.order_by("id").first()
    election.date = dt.date(2019, 6, 9)
    with pytest.raises(ValidationError) as exc:
        election.full_clean()
    assert "is outside it" in str(exc.value.message_dict["date"])
    election.refresh_from_db()
    contest.ruleset = "kz-president-2019"
    contest.kind = "president"
    with pytest.raises(ValidationError) as exc:
        contest.full_clean()
    assert "2019-06-09 to 2021-05-24" in str(exc.value.message_dict["ruleset"])


def test_two_choices_on_one_place_of_a_ballot_are_refused(small_synthetic):
    # the ballot's order is published and logged: a tie would leave it to the database
    doc = _doc(small_synthetic)
    first = doc["choices"][0]
    i, other = next((i, c) for i, c in enumerate(doc["choices"])
                    if c["contest"] == first["contest"] and c["key"] != first["key"])
    other["order"] = first["order"]
    assert (f"choices[{i}]: field 'order': place {first['order']!r} on the ballot of contest "
            f"{first['contest']!r} is already choice {first['key']!r}'s") in _errors(doc)
