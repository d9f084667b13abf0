"""Accreditation, deployment and the reports from stations, with the bad input the issue
names: not deployed, unknown station, duplicate sync, a photo that is not an image."""

import datetime as dt
import io
import uuid

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from sailau.accounts.permissions import NotAllowed
from sailau.audit.models import Record
from sailau.elections.models import Commission
from sailau.observation import models as m
from sailau.observation import reports, services
from sailau.observation.errors import Conflict, NotDeployed, ObservationError, Unknown

pytestmark = pytest.mark.django_db


def png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 10, 10)).save(buf, "PNG")
    return buf.getvalue()


def counting_answers(**extra):
    return {"voters_on_list_announced": "no", "choice_announced": "yes", "overall": "bad", **extra}


def test_refusal_needs_reasons_and_is_recorded(election, admin_user):
    applicant = User.objects.create_user("applicant")
    acc = services.apply(applicant, election.id, "citizen", "Қор")
    with pytest.raises(ObservationError, match="reasons"):
        services.decide(admin_user, acc.pk, "refused", "3/2023", dt.date(2023, 3, 1))
    services.decide(admin_user, acc.pk, "refused", "3/2023", dt.date(2023, 3, 1), "Late application")
    acc.refresh_from_db()
    assert (acc.status, acc.reasons, acc.decision_number) == ("refused", "Late application", "3/2023")
    assert Record.objects.filter(action="observation.accreditation_refused").exists()
    with pytest.raises(ObservationError, match="already decided"):
        services.decide(admin_user, acc.pk, "granted", "4/2023", dt.date(2023, 3, 2))
    # a refused organisation cannot register observers
    with pytest.raises(ObservationError, match="not accredited"):
        services.register_observer(applicant, acc.organisation_id, "citizen", "A B")


def test_regional_organisation_is_decided_by_its_territorial_commission(election):
    from sailau.accounts.models import Role

    t1, t2 = Commission.objects.filter(election=election, level="territorial").order_by("number")[:2]
    own, other = User.objects.create_user("coord1"), User.objects.create_user("coord2")
    Role.objects.create(user=own, kind=Role.COORDINATOR, commission=t1)
    Role.objects.create(user=other, kind=Role.COORDINATOR, commission=t2)
    applicant = User.objects.create_user("applicant")
    acc = services.apply(applicant, election.id, "citizen", "Өңірлік", territory_id=t1.id)
    assert acc.commission_id == t1.id
    with pytest.raises(NotAllowed):
        services.decide(other, acc.pk, "granted", "1", dt.date(2023, 3, 1))
    services.decide(own, acc.pk, "granted", "1", dt.date(2023, 3, 1))
    obs = services.register_observer(applicant, acc.organisation_id, "citizen", "Ержан Өңірлік")
    outside = election.stations.exclude(territory=t1).first()
    with pytest.raises(ObservationError, match="outside"):
        services.deploy(applicant, obs.pk, outside.id)
    inside = election.stations.filter(territory=t1).first()
    assert services.deploy(applicant, obs.pk, inside.number).station_id == inside.id


def test_checklist_stored_once_and_refused_where_not_deployed(org_setup):
    user, station = org_setup["user"], org_setup["station"]
    u = uuid.uuid4()
    now = timezone.now()
    first = reports.submit_checklist(user, u, station.id, "counting", counting_answers(), now)
    again = reports.submit_checklist(user, str(u), station.id, "counting", counting_answers(), now)
    assert first.created and not again.created and again.report.pk == first.report.pk
    assert first.report.negative
    assert m.ChecklistSubmission.objects.count() == 1
    assert Record.objects.filter(action="observation.checklist").count() == 1
    with pytest.raises(Conflict):
        reports.submit_checklist(user, u, station.id, "counting",
                                  counting_answers(overall="good"), now)
    other = station.election.stations.exclude(pk=station.pk).first()
    with pytest.raises(NotDeployed, match=str(other.number)):
        reports.submit_checklist(user, uuid.uuid4(), other.id, "counting", counting_answers(), now)
    assert m.ChecklistSubmission.objects.count() == 1


@pytest.mark.parametrize("stage,answers,field", [
    ("counting", {"choice_announced": "yes"}, "answers.overall"),
    ("counting", {"overall": "good", "nonsense": "yes"}, "answers.nonsense"),
    ("counting", {"overall": "excellent"}, "answers.overall"),
    ("closing", {"overall": "good"}, "stage"),
])
def test_checklist_answers_checked_against_the_form(org_setup, stage, answers, field):
    with pytest.raises(ObservationError) as e:
        reports.submit_checklist(org_setup["user"], uuid.uuid4(), org_setup["station"].id,
                                  stage, answers, timezone.now())
    assert e.value.field == field


def test_only_observers_send_reports(org_setup):
    with pytest.raises(NotAllowed):
        reports.submit_checklist(org_setup["manager"], uuid.uuid4(), org_setup["station"].id,
                                  "counting", counting_answers(), timezone.now())


def test_incident_with_photos_and_a_file_that_is_not_an_image(org_setup):
    user, station = org_setup["user"], org_setup["station"]
    with pytest.raises(ObservationError, match="not a JPEG, PNG, WebP or GIF"):
        reports.report_incident(user, uuid.uuid4(), station.id, "obstruction", timezone.now(),
                                 "Kept 15 m from the table", [b"%PDF-1.4 not a photo"])
    assert not m.Incident.objects.exists()
    u = uuid.uuid4()
    s = reports.report_incident(user, u, station.id, "obstruction", timezone.now(),
                                 "Kept 15 m from the table", [png()])
    assert s.created and s.report.photos.get().width == 8
    with pytest.raises(ObservationError, match="GIF file is damaged"):
        reports.add_incident_photo(user, u, b"GIF89a broken")
    reports.add_incident_photo(user, u, png())  # the same photo again: kept once
    assert s.report.photos.count() == 1


def test_voter_counts(org_setup):
    user, station = org_setup["user"], org_setup["station"]
    s = reports.submit_count(user, uuid.uuid4(), station.id, "departure", timezone.now(), 412)
    assert s.created and s.report.voters == 412
    with pytest.raises(ObservationError, match="moment"):
        reports.submit_count(user, uuid.uuid4(), station.id, "noon", timezone.now(), 1)
    with pytest.raises(ObservationError, match="voters"):
        reports.submit_count(user, uuid.uuid4(), station.id, "arrival", timezone.now(), -3)


def test_copy_compared_with_the_official_protocol(org_setup):
    from sailau.observation.compare import compared
    from sailau.protocols.models import Protocol

    user, station = org_setup["user"], org_setup["station"]
    p = Protocol.objects.get(station=station, contest__kind="party_list", current=True)
    same = reports.submit_copy(user, uuid.uuid4(), station.id, p.contest_id, p.figures, p.choices)
    changed = dict(p.choices)
    changed["amanat"] -= 40
    changed["auyl"] += 40
    diff = reports.submit_copy(user, uuid.uuid4(), station.id, p.contest_id, p.figures, changed)
    rows = {r["copy"].pk: r for r in compared(m.ObserverCopy.objects.all())}
    assert rows[same.report.pk]["status"] == "equal"
    d = rows[diff.report.pk]
    assert d["status"] == "different"
    assert {(x["line"], x["by"]) for x in d["differences"]} == {("amanat", 40), ("auyl", -40)}


def test_copy_where_the_official_protocol_is_missing(org_setup):
    from sailau.observation.compare import compared
    from sailau.protocols.models import Protocol

    user, station = org_setup["user"], org_setup["station"]
    p = Protocol.objects.get(station=station, contest__kind="party_list", current=True)
    Protocol.objects.filter(station=station, contest=p.contest).update(current=False)
    reports.submit_copy(user, uuid.uuid4(), station.id, p.contest_id, p.figures, p.choices)
    assert compared(m.ObserverCopy.objects.all())[0]["status"] == "official_missing"


def test_copy_bad_input(org_setup):
    from sailau.protocols.models import Protocol

    user, station = org_setup["user"], org_setup["station"]
    p = Protocol.objects.get(station=station, contest__kind="party_list", current=True)
    with pytest.raises(Unknown, match="no station"):
        reports.submit_copy(user, uuid.uuid4(), "kz.nowhere.999", p.contest_id, p.figures,
                             p.choices)
    with pytest.raises(Unknown, match="no station"):
        reports.submit_copy(user, uuid.uuid4(), "99999", p.contest_id, p.figures, p.choices)
    with pytest.raises(ObservationError) as e:
        reports.submit_copy(user, uuid.uuid4(), station.id, p.contest_id,
                             {**p.figures, "invalid": -1}, p.choices)
    assert "invalid" in e.value.message
    with pytest.raises(ObservationError, match="not a JPEG, PNG, WebP or GIF"):
        reports.submit_copy(user, uuid.uuid4(), station.id, p.contest_id, p.figures, p.choices,
                             photo=b"\x00\x01not an image")
    assert not m.ObserverCopy.objects.exists()
    s = reports.submit_copy(user, uuid.uuid4(), station.id, p.contest_id, p.figures, p.choices,
                             photo=png())
    assert len(s.report.photo_sha256) == 64


def test_tabulation_checklist_names_the_commission_upstream(org_setup):
    user, station = org_setup["user"], org_setup["station"]
    answers = {"figures_entered_in_view": "yes", "overall": "good"}
    now = timezone.now()
    with pytest.raises(ObservationError, match="commission: the territorial or district"):
        reports.submit_checklist(user, uuid.uuid4(), station.id, "tabulation", answers, now)
    other = Commission.objects.filter(election=station.election, level="territorial").exclude(
        pk=station.territory_id).first()
    with pytest.raises(ObservationError, match="does not tabulate"):
        reports.submit_checklist(user, uuid.uuid4(), station.id, "tabulation", answers, now,
                                 commission=other.id)
    with pytest.raises(ObservationError, match="only a tabulation checklist"):
        reports.submit_checklist(user, uuid.uuid4(), station.id, "counting", counting_answers(),
                                 now, commission=station.territory_id)
    u = uuid.uuid4()
    s = reports.submit_checklist(user, u, station.id, "tabulation", answers, now,
                                 commission=station.district_id)
    assert s.created and s.report.commission_id == station.district_id
    again = reports.submit_checklist(user, u, station.id, "tabulation", answers, now,
                                     commission=station.district_id)
    assert not again.created and m.ChecklistSubmission.objects.count() == 1


def test_photo_hashed_on_the_phone_must_arrive_unchanged(org_setup):
    import hashlib

    user, station = org_setup["user"], org_setup["station"]
    u = uuid.uuid4()
    reports.report_incident(user, u, station.id, "copy_refused", timezone.now(), "No copy given")
    data = png()
    taken = timezone.now() - dt.timedelta(hours=2)
    with pytest.raises(ObservationError, match="sha256: the photo that arrived") as exc:
        reports.add_incident_photo(user, u, data, "0" * 64, taken)
    assert exc.value.code == "hash_mismatch"
    assert not m.IncidentPhoto.objects.exists()
    good = hashlib.sha256(data).hexdigest()
    photo = reports.add_incident_photo(user, u, data, good.upper(), taken.isoformat())
    assert photo.sha256 == good and photo.captured_at == taken
    assert reports.add_incident_photo(user, u, data, good, taken).pk == photo.pk  # once
    with pytest.raises(ObservationError, match="captured_at: is in the future"):
        reports.add_incident_photo(user, u, data, good, timezone.now() + dt.timedelta(days=1))


def test_counts_through_the_day_and_an_observer_no_longer_accredited(org_setup):
    user, station = org_setup["user"], org_setup["station"]
    for hour, voters in ((9, 40), (10, 95)):
        at = timezone.now().replace(hour=hour, minute=0) - dt.timedelta(days=1)
        assert reports.submit_count(user, uuid.uuid4(), station.id, "during", at, voters).created
    acc = org_setup["organisation"].accreditations.get()
    services.decide(org_setup["admin"], acc.pk, "revoked", "9/2023", dt.date(2023, 3, 5),
                    "Observers campaigned at the stations")
    user = User.objects.get(pk=user.pk)  # roles are read once per request
    with pytest.raises(NotAllowed, match="is not accredited") as exc:
        reports.submit_count(user, uuid.uuid4(), station.id, "departure", timezone.now(), 410)
    assert exc.value.field == "organisation"
    assert m.VoterCount.objects.count() == 2


def _jpeg_with_exif(taken: str, offset: str | None = None) -> bytes:
    import io

    from PIL import Image

    img = Image.new("RGB", (64, 48), (200, 180, 160))
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[36867] = taken  # DateTimeOriginal, as a camera writes it
    if offset:
        sub[36881] = offset  # OffsetTimeOriginal
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_sent_without_its_time_keeps_the_one_its_camera_wrote(org_setup):
    user, station = org_setup["user"], org_setup["station"]
    u = uuid.uuid4()
    reports.report_incident(user, u, station.id, "copy_refused", timezone.now(), "No copy given")
    with_offset = reports.add_incident_photo(user, u, _jpeg_with_exif("2024:03:10 21:05:30",
                                                                     "+05:00"))
    assert with_offset.captured_at == dt.datetime(2024, 3, 10, 16, 5, 30, tzinfo=dt.UTC)
    # no offset: the camera's clock, in the election's time zone (Asia/Almaty, UTC+5)
    local = reports.add_incident_photo(user, u, _jpeg_with_exif("2024:03:10 22:00:00"))
    assert local.captured_at == dt.datetime(2024, 3, 10, 17, 0, tzinfo=dt.UTC)
    # the time sent with the photo wins; a photo with no EXIF has no time rather than a guess
    sent = timezone.now() - dt.timedelta(hours=1)
    assert reports.add_incident_photo(user, u, _jpeg_with_exif("2024:03:11 08:00:00",
                                                               "+05:00"), None,
                                      sent).captured_at == sent
    assert reports.add_incident_photo(user, u, png()).captured_at is None
    assert reports.add_incident_photo(user, u, _jpeg_with_exif("garbage")).captured_at is None
