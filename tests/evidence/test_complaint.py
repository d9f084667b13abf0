"""From a mismatch to a complaint: only its finder is offered it, pre-filled, to the commission
above the one that tabulated, with the law's deadline and the image attached and audited."""

import dataclasses
import datetime as dt

import pytest

from sailau.errors import Conflict, Forbidden
from sailau.evidence import complaint
from sailau.evidence.models import Image
from sailau.law import deadlines as law
from tests.evidence.test_services import type_it

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(papers, volunteers):
    """An image three volunteers read alike, differing from its official protocol (the third
    confirms what two read)."""
    a, b, c = volunteers[:3]
    r = type_it(a, change={"amanat": 5})
    type_it(b, change={"amanat": 5})
    type_it(c, change={"amanat": 5})
    image = Image.objects.select_related("station__territory__parent").get(pk=r.image_id)
    assert image.status == Image.VERIFIED
    return image, a.user


def test_the_draft_goes_to_the_higher_commission_with_the_laws_deadline(found, monkeypatch):
    from sailau.complaints import services

    image, user = found
    d = complaint.draft(image, user, "en")
    territory = image.station.territory
    assert d["filer_kind"] == "voter"
    assert d["against_kind"] == "commission" and d["commission"] == territory.pk
    assert d["body"] == law.HIGHER_COMMISSION and d["body_commission"] == territory.parent_id
    assert d["topic"] == "tabulation"
    event = dt.date.fromisoformat(d["event_date"])
    assert d["filing_deadline"] == event + dt.timedelta(days=law.KZ_2022.contest_days)
    assert "5 on the paper" in d["text"]
    # The term is the rule set's: another law's term gives another deadline.
    shorter = dataclasses.replace(law.KZ_2022, contest_days=3)
    monkeypatch.setattr(services, "deadlines_for", lambda election: shorter)
    assert complaint.draft(image, user, "en")["filing_deadline"] == event + dt.timedelta(days=3)


def test_filing_attaches_the_image_and_is_audited(found):
    from sailau.audit.models import Record as AuditRecord

    image, user = found
    c, created = complaint.file(image, user, "ru", {"filer_name": "Айгерим"})
    assert created and c.filer_name == "Айгерим" and c.station_id == image.station_id
    (att,) = c.attachments.all()
    assert att.sha256 == image.sha256
    assert c.due_date and c.due_rule
    assert AuditRecord.objects.filter(action="complaint.filed",
                                      subject=f"complaint/{c.pk}").exists()
    (record,) = AuditRecord.objects.filter(action="evidence.complaint_filed")
    assert record.payload["sha256"] == image.sha256
    assert record.payload["differences"][0]["copy"] == 5
    assert complaint.file(image, user, "ru", {"filer_name": "Айгерим"}) == (c, False)
    assert AuditRecord.objects.filter(action="evidence.complaint_filed").count() == 1


def test_only_the_finder_may_file(found, volunteers):
    image, _ = found
    with pytest.raises(Forbidden):
        complaint.draft(image, volunteers[3].user, "kk")


def test_a_match_offers_no_complaint(papers, volunteers):
    a, b = volunteers[:2]
    r = type_it(a)
    type_it(b)
    with pytest.raises(Conflict):
        complaint.draft(Image.objects.get(pk=r.image_id), a.user, "en")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_page_offers_and_files_it(client, found, lang):
    image, user = found
    client.force_login(user)
    page = client.get(f"/{lang}/evidence/image/{image.pk}/").content.decode()
    assert f"/evidence/image/{image.pk}/complaint/" in page
    form = client.get(f"/{lang}/evidence/image/{image.pk}/complaint/")
    assert form.status_code == 200
    d = complaint.draft(image, user, lang)
    assert d["filing_deadline"].isoformat() in form.content.decode()
    sent = client.post(f"/{lang}/evidence/image/{image.pk}/complaint/",
                       {"filer_name": "A", "filer_contact": "", "text": d["text"]})
    assert sent.status_code == 302 and "/complaints/" in sent["Location"]


def test_someone_else_is_refused_in_their_language(client, found, volunteers):
    image, _ = found
    client.force_login(volunteers[4].user)
    page = client.get(f"/ru/evidence/image/{image.pk}/complaint/")
    assert page.status_code == 403
    assert "наблюдатель" in page.content.decode()
