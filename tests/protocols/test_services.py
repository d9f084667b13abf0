"""The chain's services against the database: entries, checks, resolutions, amendments, the
tallies they move and the audit records they leave."""

import datetime as dt

import pytest

from sailau import audit
from sailau.accounts.permissions import NotAllowed
from sailau.audit.models import Record
from sailau.elections.models import Contest
from sailau.errors import BadInput, NotFound
from sailau.law.outcomes.types import Computed
from sailau.protocols import content, services, tabulation
from sailau.protocols.errors import EntryRejected, TransitionError
from sailau.protocols.models import Amendment, DataEntry, Protocol, StepTime, Tally
from tests import factories as f
from tests.protocols.conftest import list_contest

pytestmark = pytest.mark.django_db


def paper(station, contest_id):
    return f.paper(Contest.objects.get(pk=contest_id), station)


def acks(contest_id, fig, cho):
    from sailau.protocols.catalog import Catalog

    form = Catalog().contest(contest_id).form
    return [f.code for f in form.check(fig, cho) if f.severity == "warning"]


def make_definitive(election, people, station, contest=None):
    contest = contest or list_contest(election)
    fig, cho = paper(station, contest)
    a, b = people.operator(station), people.operator(station)
    services.finalise(a, station.id, contest, 1, fig, cho, acks(contest, fig, cho))
    res = services.finalise(b, station.id, contest, 2, fig, cho, acks(contest, fig, cho))
    assert res.state == "definitive"
    return a, b


def national_tally(election, contest=None):
    return Tally.objects.get(contest_id=contest or list_contest(election),
                             commission__level="cec", commission__election=election)


def test_two_equal_entries_make_a_definitive_protocol(few, crew):
    election = few
    st = crew.stations[3]
    before = national_tally(election)
    assert before.stations_reported == 0
    make_definitive(election, crew, st)
    p = Protocol.objects.get(station=st, contest_id=list_contest(election))
    assert (p.version, p.current, p.source) == (1, True, "entry")
    fig, cho = paper(st, list_contest(election))
    assert (p.figures, p.choices) == (fig, cho)
    after = national_tally(election)
    assert after.stations_reported == 1 and after.choices == cho
    # The district and territory above the station moved too, and nothing else did.
    moved = Tally.objects.filter(contest_id=list_contest(election), stations_reported=1)
    assert {t.commission_id for t in moved} == {st.district_id, st.territory_id, crew.cec.id}
    # The chain's own records; beside them the crew's role grants and the commission's key,
    # issued (and audited) at its first signature.
    actions = list(Record.objects.values_list("action", flat=True))
    assert [a for a in actions if a.startswith(("entry.", "protocol."))] == [
        "entry.finalised", "entry.finalised", "protocol.published"]
    assert set(actions) <= {"entry.finalised", "protocol.published", "role.granted", "key.issued"}
    assert audit.verify().ok
    steps = set(StepTime.objects.filter(station=st).values_list("step", flat=True))
    assert steps == {"first_entry", "definitive", "published"}


def test_second_entry_by_the_same_user_is_refused(few, crew):
    election = few
    st = crew.stations[0]
    fig, cho = paper(st, list_contest(election))
    a = crew.operator(st)
    ack = acks(list_contest(election), fig, cho)
    services.finalise(a, st.id, list_contest(election), 1, fig, cho, ack)
    with pytest.raises(TransitionError) as exc:
        services.finalise(a, st.id, list_contest(election), 2, fig, cho, ack)
    assert exc.value.code == "second_entry_same_user"
    assert DataEntry.objects.get(station=st).state == "first_entry_finalised"


def test_draft_keeps_what_was_typed_and_shows_findings(few, crew):
    election = few
    st = crew.stations[1]
    a = crew.operator(st)
    c = list_contest(election)
    res = services.save_draft(a, st.id, c, 1, {"voters_on_list": "12", "lost": None}, {})
    assert res.state == "first_entry_in_progress" and res.findings == ()
    view = services.entry_view(a, st.id, c)
    assert view["first"]["figures"] == {"voters_on_list": "12", "lost": None}
    fig, cho = paper(st, c)
    fig["ballots_received"] += 5  # complete but inconsistent: F101 shown while typing
    res = services.save_draft(a, st.id, c, 1, fig, cho)
    assert "F101" in [f.code for f in res.findings]
    with pytest.raises(BadInput) as exc:
        services.save_draft(a, st.id, c, 1, {"nonsense": 1}, {})
    assert exc.value.field == "figures.nonsense"
    assert not Record.objects.exclude(action="role.granted").exists()  # drafts are not audited


def test_second_typist_does_not_see_the_first_entry(few, crew):
    election = few
    st = crew.stations[2]
    c = list_contest(election)
    fig, cho = paper(st, c)
    a, b = crew.operator(st), crew.operator(st)
    services.finalise(a, st.id, c, 1, fig, cho, acks(c, fig, cho))
    seen = services.entry_view(b, st.id, c)
    assert seen["first"] == {"entry": 1, "finalised": True, "mine": False}
    coord = crew.coordinator(st.territory_id)
    assert services.entry_view(coord, st.id, c)["first"]["figures"] == fig
    with pytest.raises(NotAllowed):
        services.entry_view(crew.user(), st.id, c)


def test_errors_block_and_nothing_is_stored(few, crew):
    election = few
    st = crew.stations[4]
    c = list_contest(election)
    fig, cho = paper(st, c)
    fig["cancelled"] += 1  # received ≠ issued + cancelled + lost
    a = crew.operator(st)
    with pytest.raises(EntryRejected) as exc:
        services.finalise(a, st.id, c, 1, fig, cho)
    assert exc.value.code == "entry_has_errors"
    found = exc.value.detail["findings"]
    assert found[0]["code"] == "F101" and set(found[0]["message"]) == {"kk", "ru", "en"}
    assert not DataEntry.objects.exists() and not Record.objects.exclude(action="role.granted").exists()


def test_warnings_must_be_acknowledged_and_are_kept(few, crew):
    election = few
    st = crew.stations[5]
    c = list_contest(election)
    fig, cho = paper(st, c)
    # More ballots in the box than issued: possible, flagged (W201, W204).
    fig["found_stationary"] += 3
    cho[next(iter(cho))] += 3
    a, b = crew.operator(st), crew.operator(st)
    with pytest.raises(EntryRejected) as exc:
        services.finalise(a, st.id, c, 1, fig, cho)
    assert exc.value.code == "warnings_not_acknowledged"
    services.finalise(a, st.id, c, 1, fig, cho, ["W201", "W204"])
    services.finalise(b, st.id, c, 2, fig, cho, ["W201", "W204"])
    p = Protocol.objects.get(station=st, contest_id=c)
    assert {f["code"] for f in p.findings} == {"W201", "W204"}
    rec = Record.objects.filter(action="entry.finalised").first()
    assert rec.payload["acknowledged"] == ["W201", "W204"]


@pytest.mark.parametrize("part,key,value,field", [
    ("figures", "lost", -1, "figures.lost"),
    ("figures", "lost", "1.5", "figures.lost"),
    ("figures", "lost", True, "figures.lost"),
    ("figures", "voters_on_list", 9_999_999, "figures.voters_on_list"),
    ("choices", "nobody", 1, "choices.nobody"),
])
def test_bad_numbers_name_their_field(few, crew, part, key, value, field):
    election = few
    st = crew.stations[6]
    c = list_contest(election)
    fig, cho = paper(st, c)
    (fig if part == "figures" else cho)[key] = value
    with pytest.raises(BadInput) as exc:
        services.finalise(crew.operator(st), st.id, c, 1, fig, cho)
    assert exc.value.field == field


def test_more_ballots_than_voters_is_an_error(few, crew):
    election = few
    st = crew.stations[6]
    c = list_contest(election)
    fig, cho = paper(st, c)
    fig["voters_on_list"] = fig["issued_in_room"] - 1
    with pytest.raises(EntryRejected) as exc:
        services.finalise(crew.operator(st), st.id, c, 1, fig, cho, ["W201", "W204"])
    assert "F104" in exc.value.message


def test_station_outside_the_election_or_contest(few, crew):
    election = few
    st = crew.stations[0]
    a = crew.operator(st)
    with pytest.raises(NotFound) as exc:
        services.save_draft(a, "kz.nowhere.0001", list_contest(election), 1, {}, {})
    assert exc.value.code == "unknown_station"
    other_smd = f"{election.id}.smd"
    with pytest.raises(NotFound) as exc:
        services.save_draft(a, st.id, other_smd, 1, {}, {})
    assert exc.value.code == "station_not_in_contest"


def test_coordinator_resolves_differences(few, crew):
    election = few
    st = crew.stations[7]
    c = list_contest(election)
    fig, cho = paper(st, c)
    ack = acks(c, fig, cho)
    a, b = crew.operator(st), crew.operator(st)
    services.finalise(a, st.id, c, 1, fig, cho, ack)
    slipped = dict(fig, mobile_requests=fig["mobile_requests"] + 10)  # no relation breaks
    res = services.finalise(b, st.id, c, 2, slipped, cho, acks(c, slipped, cho))
    assert res.state == "entries_different" and res.differences == ("figures.mobile_requests",)
    assert not Protocol.objects.exists()
    far = next(s for s in crew.stations if s.territory_id != st.territory_id)
    with pytest.raises(NotAllowed):
        services.resolve(crew.coordinator(far.territory_id), st.id, c, "accept_first")
    with pytest.raises(NotAllowed):  # operators do not resolve
        services.resolve(crew.operator(st), st.id, c, "accept_first")
    coord = crew.coordinator(st.district_id)
    services.resolve(coord, st.id, c, "return_second")
    assert DataEntry.objects.get(station=st, contest_id=c).state == "second_entry_returned"
    res = services.finalise(b, st.id, c, 2, fig, cho, ack)
    assert res.state == "definitive"
    assert Protocol.objects.get(station=st, contest_id=c).figures == fig
    actions = list(Record.objects.values_list("action", flat=True))
    assert actions.count("entry.resolved") == 1 and actions[-1] == "protocol.published"


def test_returned_first_entry_keeps_its_number_in_the_audit(few, crew):
    election = few
    st = crew.stations[6]
    c = list_contest(election)
    fig, cho = paper(st, c)
    ack = acks(c, fig, cho)
    a, b = crew.operator(st), crew.operator(st)
    slipped = dict(fig, mobile_requests=fig["mobile_requests"] + 10)
    services.finalise(a, st.id, c, 1, slipped, cho, acks(c, slipped, cho))
    services.finalise(b, st.id, c, 2, fig, cho, ack)
    services.resolve(crew.coordinator(st.district_id), st.id, c, "return_first")
    row = DataEntry.objects.get(station=st, contest_id=c)
    assert (row.state, row.first_user_id, row.second_user_id) == ("first_entry_returned", a.pk,
                                                                   b.pk)
    assert services.entry_view(a, st.id, c)["first"]["figures"] == slipped  # theirs, to correct
    with pytest.raises(TransitionError):  # entry 2 stands: nobody types it again
        services.finalise(a, st.id, c, 2, fig, cho, ack)
    assert services.finalise(a, st.id, c, 1, fig, cho, ack).state == "definitive"
    typed = [(r.actor, r.payload["entry"]) for r in
             Record.objects.filter(action="entry.finalised", subject=f"{st.id}/{c}").order_by("seq")]
    assert typed == [(a.username, 1), (b.username, 2), (a.username, 1)]


def test_amendment_makes_a_new_version_and_moves_totals(few, crew):
    election = few
    st = crew.stations[8]
    c = list_contest(election)
    make_definitive(election, crew, st)
    fig, cho = paper(st, c)
    coord = crew.coordinator(st.territory_id)
    moved = dict(cho)
    src, dst = sorted(cho, key=lambda k: -cho[k])[:2]
    moved[src] -= 2
    moved[dst] += 2
    with pytest.raises(BadInput) as exc:
        services.amend(coord, st.id, c, fig, moved, "", "2023-03-20", "recount")
    assert exc.value.field == "decision_number"
    with pytest.raises(BadInput) as exc:
        services.amend(coord, st.id, c, fig, moved, "12/3", "2023-02-01", "recount")
    assert exc.value.field == "decision_date"
    with pytest.raises(BadInput):
        services.amend(coord, st.id, c, fig, cho, "12/3", "2023-03-20", "recount",
                       acks(c, fig, cho))
    with pytest.raises(NotAllowed):
        services.amend(crew.operator(st), st.id, c, fig, moved, "12/3", "2023-03-20", "r")
    before = national_tally(election).choices
    res = services.amend(coord, st.id, c, fig, moved, "12/3", dt.date(2023, 3, 20),
                         "recount ordered", acks(c, fig, moved))
    assert res.differences == (f"choices.{dst}", f"choices.{src}") or set(res.differences) == {
        f"choices.{dst}", f"choices.{src}"}
    versions = list(Protocol.objects.filter(station=st, contest_id=c).order_by("version"))
    assert [(v.version, v.current, v.source) for v in versions] == [
        (1, False, "entry"), (2, True, "amendment")]
    am = Amendment.objects.get(protocol=versions[1])
    assert (am.decision_number, am.entered_by) == ("12/3", coord)
    after = national_tally(election)
    assert after.choices[src] == before[src] - 2 and after.choices[dst] == before[dst] + 2
    assert after.stations_reported == 1
    assert content.changed_lines((versions[0].figures, versions[0].choices),
                                 (versions[1].figures, versions[1].choices)) == {
        f"choices.{src}": [cho[src], cho[src] - 2], f"choices.{dst}": [cho[dst], cho[dst] + 2]}
    assert audit.verify().ok


def test_amendment_needs_a_definitive_protocol(few, crew):
    election = few
    st = crew.stations[9]
    fig, cho = paper(st, list_contest(election))
    with pytest.raises(TransitionError) as exc:
        services.amend(crew.coordinator(st.territory_id), st.id, list_contest(election), fig,
                       cho, "1", "2023-03-20", "r")
    assert exc.value.code == "not_definitive"


def test_incremental_totals_equal_a_full_recount(chain_election, people):
    from sailau.demo.chain import route

    syn, election = chain_election
    stats = route(syn, chunk=25)
    assert stats.protocols == len(syn.protocols) and stats.stations == len(people.stations)
    incremental = {(t.contest_id, t.commission_id): (t.figures, t.choices, t.stations_reported)
                   for t in Tally.objects.all()}
    for contest in election.contests.all():
        tabulation.rebuild(contest)
    full = {(t.contest_id, t.commission_id): (t.figures, t.choices, t.stations_reported)
            for t in Tally.objects.all()}
    assert incremental == full
    assert all(t.complete for t in Tally.objects.all())
    # Every protocol came through two entries; the official figures are the synthetic ones.
    for p in Protocol.objects.filter(current=True):
        assert (p.figures, p.choices) == tuple(syn.protocols[(p.station_id, p.contest_id)]
                                               .values())
    assert audit.verify().ok


def test_one_definitive_protocol_costs_a_fixed_number_of_queries(
        few, crew, django_assert_max_num_queries):
    election = few
    st = crew.stations[10]
    c = list_contest(election)
    fig, cho = paper(st, c)
    ack = acks(c, fig, cho)
    a, b = crew.operator(st), crew.operator(st)
    services.finalise(a, st.id, c, 1, fig, cho, ack)
    from sailau.accounts.permissions import grants

    grants(b)
    # (36: the protocol's leaf in the published log and its scans' hashes are two of them; the
    # commission's key, issued at its first signature, with its audit record and leaf, nine;
    # whether the commission signs its own protocols, one; the contests the station votes in,
    # its electorate rows, one)
    with django_assert_max_num_queries(36):  # independent of the number of stations
        services.finalise(b, st.id, c, 2, fig, cho, ack)


def test_outcome_is_provisional_until_complete(few, crew):
    election = few
    make_definitive(election, crew, crew.stations[0])
    out = tabulation.outcome(national_tally(election))
    assert isinstance(out, Computed) and not out.final
    assert out.to_json()["status"] == "provisional"
    assert "seats" in str(out.to_json()["result"])
