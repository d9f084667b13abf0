import datetime as dt

import pytest
from django.utils import timezone, translation

from sailau.complaints import models as m
from sailau.complaints import services
from sailau.complaints.services import ComplaintInputError, Upload


def _file(fmt: str) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format=fmt)
    return out.getvalue()


# Real files: attachments are decoded (sailau.uploads), not only sniffed.
PDF = _file("PDF")
PNG = _file("PNG")


def at(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_filing_gives_receipt_and_five_day_deadline(base, election):
    c, created = services.file_complaint(base)
    assert created and c.receipt.startswith(f"{election.date:%Y%m%d}-")
    filed = election.date + dt.timedelta(days=10)
    assert c.due_date == filed + dt.timedelta(days=5) and c.due_rule == "commission"
    assert not c.late and c.status == m.REGISTERED


def test_immediate_on_election_day(base, election):
    c, _ = services.file_complaint({**base, "filed_at": at(election.date, 15)})
    assert c.due_date == election.date and c.due_rule == "immediate_near_election_day"


def test_voter_list_same_day(base, election):
    day = election.date - dt.timedelta(days=20)
    c, _ = services.file_complaint({**base, "topic": "voter_lists", "filed_at": at(day)})
    assert c.due_date == day and c.due_rule == "voter_list_same_day"


@pytest.mark.parametrize("field", services.REQUIRED)
def test_missing_field_named(base, field):
    with pytest.raises(ComplaintInputError) as e:
        services.file_complaint({**base, field: ""})
    assert field in e.value.errors
    assert m.Complaint.objects.count() == 0


def test_unknown_station_and_choices(base):
    with pytest.raises(ComplaintInputError) as e:
        services.file_complaint({**base, "station": "99999", "topic": "weather", "body": "king"})
    assert set(e.value.errors) >= {"station", "topic", "body"}
    assert "99999" in e.value.errors["station"]


def test_attachment_wrong_type_and_too_large(base, monkeypatch):
    with pytest.raises(ComplaintInputError) as e:
        services.file_complaint(base, [Upload("virus.exe", b"MZ\x90\x00")])
    assert "attachments[0]" in e.value.errors and "virus.exe" in e.value.errors["attachments[0]"]
    # a PNG named .pdf is refused too: the content decides, and must match the name
    with pytest.raises(ComplaintInputError):
        services.file_complaint(base, [Upload("scan.pdf", PNG)])
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", len(PDF) + 100)
    with translation.override("en"):  # the messages are lazy: read them in English too
        with pytest.raises(ComplaintInputError) as e:
            services.file_complaint(base, [Upload("ok.pdf", PDF),
                                           Upload("big.pdf", PDF + b"x" * 200)])
        assert "attachments[1]" in e.value.errors
        assert "too large" in str(e.value.errors["attachments[1]"])
    assert m.Complaint.objects.count() == 0 and m.Attachment.objects.count() == 0


def test_attachments_stored_with_hash(base, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c, _ = services.file_complaint(base, [Upload("act.pdf", PDF), Upload("photo.png", PNG)])
    assert sorted(c.attachments.values_list("content_type", flat=True)) == [
        "application/pdf", "image/png"]


def test_late_filing_accepted_and_marked(base, election):
    filed = election.date + dt.timedelta(days=10)
    c, created = services.file_complaint({**base, "event_date": filed - dt.timedelta(days=11)})
    assert created and c.late
    c2, _ = services.file_complaint({**base, "text": "other", "event_date": filed - dt.timedelta(days=10)})
    assert not c2.late


def test_duplicate_returns_existing_receipt(base, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c1, created1 = services.file_complaint(base, [Upload("a.pdf", PDF)])
    later = {**base, "text": "  ballots NOT shown one by one. ", "filed_at": base["filed_at"] + dt.timedelta(minutes=5)}
    c2, created2 = services.file_complaint(later, [Upload("a.pdf", PDF), Upload("b.png", PNG)])
    assert created1 and not created2 and c1.pk == c2.pk
    assert m.Complaint.objects.count() == 1
    assert c1.attachments.count() == 2  # the new file is kept, the repeated one not stored twice
    # outside the window, or at another body, it is a new filing
    c3, created3 = services.file_complaint({**base, "filed_at": base["filed_at"] + dt.timedelta(days=3)})
    assert created3 and c3.pk != c1.pk


def test_court_first_commission_suspends_then_resumes(base):
    com, _ = services.file_complaint(base)
    court, _ = services.file_complaint({**base, "body": "admin_court"})
    com.refresh_from_db()
    assert com.status == m.SUSPENDED and court.status == m.REGISTERED
    services.decide(court, {"outcome": "rejected", "text": "Not proven."})
    com.refresh_from_db()
    assert com.status == m.REGISTERED


def test_decision_validation(base):
    c, _ = services.file_complaint(base)
    with pytest.raises(ComplaintInputError) as e:
        services.decide(c, {"outcome": "not_considered", "text": "x"})
    assert "not_considered_reason" in e.value.errors
    with pytest.raises(ComplaintInputError) as e:
        services.decide(c, {"outcome": "rejected", "effect": "station_cancelled", "text": "x"})
    assert "effect" in e.value.errors
    with pytest.raises(ComplaintInputError) as e:
        services.decide(c, {"outcome": "bogus", "text": ""})
    assert {"outcome", "text"} <= set(e.value.errors)
    assert not m.Decision.objects.exists()


def test_appeal_chain_and_three_day_term(base, election):
    first, _ = services.file_complaint(base)
    decided_on = first.filed_at.date() + dt.timedelta(days=2)
    services.decide(first, {"outcome": "rejected", "text": "No.", "decided_on": decided_on})
    appeal, _ = services.file_complaint({**base, "body": "higher_commission", "contests": first.receipt,
                                         "text": "Appeal", "filed_at": at(decided_on + dt.timedelta(days=1))})
    assert appeal.due_rule == "higher_commission_on_lower_decision"
    assert appeal.due_date == decided_on + dt.timedelta(days=4)
    assert appeal.event_date == decided_on and not appeal.late
    services.decide(appeal, {"outcome": "rejected", "text": "No.", "decided_on": appeal.due_date})
    court, _ = services.file_complaint({**base, "body": "admin_court", "contests": appeal.receipt,
                                        "text": "Court", "filed_at": at(decided_on + dt.timedelta(days=20))})
    assert court.late  # more than 10 days after the decision appealed
    chain = services.case_chain(court)
    assert [(d, c.receipt) for d, c in chain] == [(0, first.receipt), (1, appeal.receipt),
                                                 (2, court.receipt)]
    assert services.case_chain(first) == chain


def test_appeal_of_undecided_refused(base):
    c, _ = services.file_complaint(base)
    with pytest.raises(ComplaintInputError) as e:
        services.file_complaint({**base, "contests": c.receipt, "text": "appeal"})
    assert "contests" in e.value.errors


def test_overdue(base, election):
    c, _ = services.file_complaint(base)
    assert c.overdue(c.due_date + dt.timedelta(days=1))
    assert not c.overdue(c.due_date)
    assert c.days_left(c.due_date - dt.timedelta(days=2)) == 2
