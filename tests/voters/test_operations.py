import datetime as dt

import pytest
from django.utils import timezone

from sailau.voters import models as m
from sailau.voters import report, services
from tests import factories as f


def at(election, days_before, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(election.date - dt.timedelta(days=days_before),
                                                   dt.time(hour, minute)))


@pytest.fixture
def entry(imported, election, admin):
    rows, _ = imported
    return services.entry_by_iin(election, rows[0]["iin"], admin)


def test_absentee_until_1800_the_day_before_and_voter_leaves_the_list(entry, election, admin):
    home = entry.station
    with pytest.raises(services.VoterError) as late:
        services.issue_absentee(entry, admin, at=at(election, 1, 18, 1))
    assert (late.value.code, late.value.field) == ("deadline_passed", "at")
    with pytest.raises(services.VoterError, match="from"):
        services.issue_absentee(entry, admin, at=at(election, 16, 12))
    cert = services.issue_absentee(entry, admin, at=at(election, 1, 18, 0))
    entry.refresh_from_db()
    assert entry.state == m.ListEntry.ABSENTEE and entry.station is None
    assert cert.home_station == home
    assert not m.ListEntry.objects.filter(station=home, voter=entry.voter).exists()


def test_redeemed_once_at_any_station_second_refused_and_reported(entry, election, admin):
    cert = services.issue_absentee(entry, admin, at=at(election, 3, 10))
    other = election.stations.exclude(pk=cert.home_station_id).order_by("number")[5]
    done = services.redeem_absentee(election, cert.number, other.number, admin, at=at(election, 0, 9))
    assert done.redeemed_station == other
    third = election.stations.order_by("number")[7]
    with pytest.raises(services.VoterError) as again:
        services.redeem_absentee(election, cert.number, third.number, admin, at=at(election, 0, 15))
    assert again.value.code == "already_redeemed" and again.value.status == 409
    assert str(other.number) in again.value.message
    refusal = m.RefusedRedemption.objects.get()
    assert refusal.station == third
    cert.refresh_from_db()
    assert cert.redeemed_station == other  # the first redemption stands
    rows = {r["station"]: r for r in report.by_station(election)}
    assert rows[third.number]["second_redemptions_refused"] == 1
    assert rows[other.number]["absentee_redeemed_here"] == 1
    from sailau.audit.models import Record
    assert Record.objects.filter(action="voters.absentee_refused").count() == 1


@pytest.mark.parametrize("when", [
    {"days_before": -3 * 365, "hour": 10},  # three years after election day
    {"days_before": 0, "hour": 6, "minute": 59},  # before the polls open
    {"days_before": 0, "hour": 20, "minute": 1},  # after they close
    {"days_before": 1, "hour": 12},  # the day before
])
def test_a_certificate_is_redeemed_during_voting_only(entry, election, admin, when):
    cert = services.issue_absentee(entry, admin, at=at(election, 3, 10))
    other = election.stations.exclude(pk=cert.home_station_id).order_by("number")[5]
    with pytest.raises(services.VoterError) as refused:
        services.redeem_absentee(election, cert.number, other.number, admin, at=at(election, **when))
    assert refused.value.code == "not_election_day" and refused.value.field == "at"
    cert.refresh_from_db()
    assert cert.redeemed_at is None
    # At closing time it is still good.
    done = services.redeem_absentee(election, cert.number, other.number, admin, at=at(election, 0, 20))
    assert done.redeemed_station == other


def test_mobile_request_until_noon_on_election_day(entry, election, admin):
    with pytest.raises(services.VoterError) as late:
        services.request_mobile(entry, "illness", admin, at=at(election, 0, 12, 1))
    assert late.value.code == "deadline_passed"
    with pytest.raises(services.VoterError) as empty:
        services.request_mobile(entry, " ", admin, at=at(election, 0, 11))
    assert empty.value.field == "reason"
    r = services.request_mobile(entry, "illness", admin, at=at(election, 0, 11, 59))
    assert r.station == entry.station
    with pytest.raises(services.VoterError, match="already"):
        services.request_mobile(entry, "illness", admin, at=at(election, 0, 11, 59))


def test_transfer_moves_the_voter_before_the_deadline_only(entry, election, admin):
    to = election.stations.exclude(pk=entry.station_id).order_by("number")[3]
    with pytest.raises(services.VoterError, match="deadline"):
        services.transfer(entry, to.number, "Абая 1", admin, at=at(election, 0, 9))
    t = services.transfer(entry, to.number, "Абая 1", admin, at=at(election, 5, 9))
    entry.refresh_from_db()
    assert (entry.station, entry.state, t.from_station_id) == (to, m.ListEntry.TRANSFERRED,
                                                               entry.home_station_id)
    with pytest.raises(services.VoterError):  # an absentee certificate now would be a 2nd vote
        services.issue_absentee(entry, admin, at=at(election, 3, 9))


def _person(iin, **kw):
    return services.Person(iin=iin, last_name="Омарова", first_name="Дана", locality="Астана",
                           region="Астана", **kw)


def test_same_day_addition_logged_with_reason_document_and_who(election, admin):
    from sailau.register.iin import make_iin

    st = election.stations.order_by("number").first()
    iin = make_iin(dt.date(1990, 1, 2), "F", 4321)
    with pytest.raises(services.VoterError) as not_today:
        services.add_same_day(election, st.number, _person(iin), "not_on_list", "id_card", "N1",
                              admin, at=at(election, 1, 10))
    assert not_today.value.code == "not_election_day"
    with pytest.raises(services.VoterError) as no_doc:
        services.add_same_day(election, st.number, _person(iin), "not_on_list", "id_card", "",
                              admin, at=at(election, 0, 10))
    assert no_doc.value.field == "document_number"
    with pytest.raises(services.VoterError) as bad_iin:
        services.add_same_day(election, st.number, _person(iin[:-1] + "0" if iin[-1] != "0" else iin[:-1] + "1"),
                              "not_on_list", "id_card", "N1", admin, at=at(election, 0, 10))
    assert bad_iin.value.field == "iin"
    a = services.add_same_day(election, st.number, _person(iin), "not_on_list", "passport",
                              "N0012345", admin, at=at(election, 0, 10))
    assert (a.reason, a.document_kind, a.document_number, a.added_by) == (
        "not_on_list", "passport", "N0012345", admin)
    assert a.entry.same_day and a.entry.station == st
    assert a.entry.voter.birth_date == dt.date(1990, 1, 2)  # from the IIN
    with pytest.raises(services.VoterError) as twice:
        services.add_same_day(election, election.stations.order_by("number")[1].number,
                              _person(iin), "not_on_list", "passport", "N0012345", admin,
                              at=at(election, 0, 11))
    assert twice.value.code == "not_addable"
    rows = {r["station"]: r for r in report.by_station(election)}
    assert rows[st.number]["same_day"] == 1 and rows[st.number]["same_day_not_on_list"] == 1
    terr = {t["territory"]: t for t in report.by_territory(report.by_station(election))}
    assert terr[st.territory_id]["same_day"] == 1


def test_voter_already_on_a_list_cannot_be_added_elsewhere(entry, election, admin):
    other = election.stations.exclude(pk=entry.station_id).order_by("number")[0]
    with pytest.raises(services.VoterError) as e:
        services.add_same_day(election, other.number, _person(entry.voter.iin), "not_on_list",
                              "id_card", "N1", admin, at=at(election, 0, 10))
    assert e.value.code == "not_addable" and str(entry.station.number) not in str(e.value)


def test_someone_without_a_role_is_refused(entry, election, db):
    from sailau.accounts.permissions import NotAllowed

    nobody = f.UserFactory(username="nobody")
    with pytest.raises(NotAllowed):
        services.issue_absentee(entry, nobody, at=at(election, 3, 10))


def test_staff_of_another_station_cannot_move_a_voter_or_learn_their_state(entry, election):
    to = election.stations.exclude(pk=entry.station_id).order_by("number")[3]
    clerk = f.operator(to)
    with pytest.raises(Exception, match="no role covers it"):
        services.transfer(entry, to.number, "Абая 1", clerk, at=at(election, 5, 9))
    with pytest.raises(Exception, match="no role covers it"):
        services.request_mobile(entry, "illness", clerk, at=at(election, 0, 9))
    entry.refresh_from_db()
    assert entry.state == m.ListEntry.ON_LIST and entry.station_id != to.pk
    assert not entry.mobile_requests.exists()


def test_an_account_without_a_role_cannot_learn_whether_an_iin_is_registered(imported, election,
                                                                               client):
    """The lookup is refused before the register is read: a registered IIN and an unknown one
    get the same 403, whatever the deadline."""
    rows, _ = imported
    nobody = f.UserFactory(username="curious")
    client.force_login(nobody)
    url = f"/api/voters/{election.pk}"
    answers = set()
    for iin in (rows[0]["iin"], "990101300001"):
        for op, body in (("mobile", {"iin": iin, "reason": "illness"}), ("absentee", {"iin": iin}),
                         ("transfers", {"iin": iin, "station": 1, "address": "x"})):
            r = client.post(f"{url}/{op}", body, content_type="application/json")
            answers.add((op, r.status_code, r.json().get("error")))
    assert {a[1] for a in answers} == {403}, answers
    assert len({a[2] for a in answers}) == 1


def test_a_same_day_addition_is_no_oracle_of_where_or_why(imported, election, admin, client):
    """An operator adding a voter by IIN learns "cannot be added here, see the territorial
    commission" for a voter of another station, an absentee voter and a person the law excludes
    alike: never the station, the absentee state or the reason. Each such refusal is in the audit
    log (the IIN by its keyed hash) and counts against the account's probing limit."""
    import json
    from unittest import mock

    from sailau.audit.models import Record
    from sailau.register.iin import make_iin
    from sailau.voters import probing

    rows, _ = imported
    elsewhere = services.entry_by_iin(election, rows[0]["iin"], admin)
    away = services.entry_by_iin(election, rows[1]["iin"], admin)
    services.issue_absentee(away, admin, at=at(election, 3, 10))
    here = election.stations.exclude(pk__in=[elsewhere.station_id, away.home_station_id]) \
        .order_by("number").first()
    own = services.entry_by_iin(election, rows[2]["iin"], admin)
    own.station = here
    own.save(update_fields=["station"])
    client.force_login(f.operator(here))
    url = f"/api/voters/{election.pk}/additions"

    def add(iin):
        body = {"station": here.number, "iin": iin, "reason": "not_on_list",
                "document_kind": "id_card", "document_number": "N1", "last_name": "Омарова",
                "first_name": "Дана", "locality": "Астана"}
        with mock.patch("sailau.voters.services.clock.now", return_value=at(election, 0, 10)):
            return client.post(url, body, content_type="application/json")

    non_citizen = rows[5]["iin"]
    answers = [add(iin) for iin in (elsewhere.voter.iin, away.voter.iin, non_citizen)]
    assert {a.status_code for a in answers} == {409}
    assert len({json.dumps(a.json()) for a in answers}) == 1, [a.json() for a in answers]
    assert answers[0].json()["error"] == "not_addable"
    text = answers[0].content.decode()
    assert str(elsewhere.station.number) not in text and "citizen" not in text.lower()
    refused = Record.objects.filter(action="voters.addition_refused")
    assert refused.count() == 3
    assert not any(r["iin"] in json.dumps(x.payload) for x in refused for r in rows)
    # The station's own list is the operator's to see: that answer may say so.
    mine = add(own.voter.iin)
    assert (mine.status_code, mine.json()["error"]) == (409, "same_station")
    # Walking the register by additions is stopped like any other IIN probe.
    for serial in range(probing.MISS_LIMIT - 3):
        add(elsewhere.voter.iin)
    stopped = add(make_iin(dt.date(1990, 1, 2), "F", 4321))  # a new person: would be added
    assert stopped.status_code == 429 and stopped.json()["error"] == "rate_limited"
    assert not m.SameDayAddition.objects.exists()


def test_certificate_numbers_cannot_be_guessed_from_one_another(imported, election, admin):
    """Redeemed by its number at any station: a number made from the list entry's id let
    anyone who saw one certificate burn the next voter's. Typed in lower case it still works."""
    rows, _ = imported
    entries = [services.entry_by_iin(election, r["iin"], admin) for r in rows[:3]]
    certs = [services.issue_absentee(e, admin, at=at(election, 3, 10)) for e in entries]
    for c, e in zip(certs, entries, strict=True):
        station, *token = c.number.split("-")
        assert station == str(c.home_station.number) and len("".join(token)) == 10
        assert str(e.pk) not in token
    assert len({c.number.split("-", 1)[1] for c in certs}) == 3
    other = election.stations.exclude(pk=certs[0].home_station_id).order_by("number")[0]
    done = services.redeem_absentee(election, certs[0].number.lower(), other.number, admin,
                                    at=at(election, 0, 9))
    assert done.pk == certs[0].pk
