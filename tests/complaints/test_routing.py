"""Where a complaint goes: filed with "the higher commission" about a station, it is the
commission above the station's to decide (not the CEC, whom nobody in the demo decides for);
the form names that commission before the complaint is filed and the receipt names it after;
its decider then sees and decides it, and a CEC administrator follows it without deciding."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from sailau.accounts.models import Role
from sailau.complaints import models as m
from sailau.complaints import services

pytestmark = pytest.mark.django_db


def _client(name: str, **role) -> tuple[User, Client]:
    u = User.objects.create_user(name)
    if role:
        Role.objects.create(user=u, **role)
    c = Client()
    c.force_login(u)
    return u, c


def _post(base: dict, **more) -> dict:
    return {**{k: v for k, v in base.items() if k != "filed_at"}, **more}


def test_the_higher_commission_of_a_station_is_the_commission_above_its_own(base, election):
    st = election.stations.order_by("number").first()
    higher, _ = services.file_complaint({**base, "body": "higher_commission"})
    own, _ = services.file_complaint({**base, "text": "To the PEC", "body": "commission"})
    assert higher.body_commission_id == st.commission.parent_id == st.district_id
    assert own.body_commission_id == st.commission_id
    # with no station, a commission complaint is the CEC's, as before
    cec, _ = services.file_complaint({**base, "station": "", "text": "No station",
                                      "body": "higher_commission"})
    assert cec.body_commission_id is None
    assert services.deciding_commission(cec).level == "cec"


def test_an_appeal_to_the_higher_commission_goes_above_the_commission_that_decided(base, election):
    st = election.stations.order_by("number").first()
    first, _ = services.file_complaint({**base, "body": "higher_commission"})
    services.decide(first, {"outcome": "rejected", "text": "No.",
                            "decided_on": first.filed_at.date()})
    appeal, _ = services.file_complaint({**base, "text": "Appeal", "body": "higher_commission",
                                         "contests": first.receipt})
    assert appeal.body_commission_id == st.territory_id  # above the district that decided
    assert appeal.due_rule == "higher_commission_on_lower_decision"
    second, _ = services.file_complaint({**base, "text": "Appeal again",
                                         "body": "higher_commission", "contests": first.receipt,
                                         "filer_name": "Someone Else"})
    services.decide(second, {"outcome": "rejected", "text": "No.",
                             "decided_on": second.filed_at.date()})
    third, _ = services.file_complaint({**base, "text": "To the CEC", "body": "higher_commission",
                                        "contests": second.receipt})
    assert third.body_commission.level == "cec"
    services.decide(third, {"outcome": "rejected", "text": "No.",
                            "decided_on": third.filed_at.date()})
    with pytest.raises(services.ComplaintInputError) as exc, translation.override("en"):
        services.file_complaint({**base, "text": "Above the CEC", "body": "higher_commission",
                                 "contests": third.receipt})
    assert set(exc.value.errors) == {"body"} and "Supreme Court" in exc.value.errors["body"]


def test_a_complaint_filed_on_the_site_reaches_its_decider_who_decides_it(base, election):
    st = election.stations.order_by("number").first()
    district = st.commission.parent
    _, filer = _client("voter-1")
    # Before filing: the form names the district commission, in the page's language.
    r = filer.post("/ru/complaints/file/", _post(base, body="higher_commission", action="route"))
    html = r.content.decode()
    assert r.status_code == 200 and district.names["ru"] in html and district.names["en"] not in html
    assert not m.Complaint.objects.exists()  # asking files nothing
    asked = filer.get("/kk/complaints/file/route/", {"election": election.id,
                                                     "station": st.number,
                                                     "body": "higher_commission"}).json()
    assert asked == {"decides": district.names["kk"], "errors": {}}
    assert filer.get("/en/complaints/file/route/", {"election": election.id, "station": "99999",
                                                    "body": "higher_commission"}).json()[
        "errors"].keys() == {"station"}
    # Filed: the receipt names the same commission.
    r = filer.post("/ru/complaints/file/", _post(base, body="higher_commission"))
    assert r.status_code == 302 and "?filed=1" in r["Location"]
    c = m.Complaint.objects.get()
    assert c.body_commission_id == district.id
    receipt = filer.get(r["Location"]).content.decode()
    assert f"Её рассмотрит: {district.names["ru"]}." in receipt
    # The district's decider lists it and decides it; the precinct's decider does not see it.
    _, pec = _client("pec", kind=Role.DECIDER, commission=st.commission)
    assert c.receipt not in pec.get("/en/complaints/staff/").content.decode()
    _, dec = _client("district", kind=Role.DECIDER, commission=district)
    assert c.receipt in dec.get("/en/complaints/staff/").content.decode()
    page = dec.get(f"/en/complaints/staff/{c.receipt}/").content.decode()
    today = re.search(r'name="decided_on" value="([^"]*)"', page).group(1)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", today), today
    r = dec.post(f"/en/complaints/staff/{c.receipt}/", {
        "action": "decide", "outcome": "rejected", "text": "Not confirmed.", "effect": "none",
        "decided_on": today})
    assert r.status_code == 302
    assert m.Complaint.objects.get(pk=c.pk).decision.outcome == "rejected"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_decision_date_is_an_iso_date_whatever_the_language(base, election, lang):
    """A date input takes YYYY-MM-DD only: 20.03.2023 left the field empty."""
    c, _ = services.file_complaint(base)
    from sailau.accounts.permissions import deciding_body

    commission_id, _body = deciding_body(c)
    _, dec = _client("d", kind=Role.DECIDER, commission_id=commission_id)
    page = dec.get(f"/{lang}/complaints/staff/{c.receipt}/").content.decode()
    field = re.search(r'<input type="date" name="decided_on"[^>]*>', page).group(0)
    assert re.search(r'value="\d{4}-\d{2}-\d{2}"', field), field


def test_a_cec_administrator_follows_complaints_and_decides_none(base, election):
    c, _ = services.file_complaint({**base, "body": "higher_commission"})
    cec = election.commissions.get(level="cec")
    _, admin = _client("admin", kind=Role.ADMIN, commission=cec)
    listed = admin.get("/en/complaints/staff/")
    assert listed.status_code == 200 and c.receipt in listed.content.decode()
    assert "Private Person Qwerty" not in listed.content.decode()  # the body's, not the admin's
    page = admin.get(f"/en/complaints/staff/{c.receipt}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'name="decided_on"' not in html
    assert c.body_commission.names["en"] in html and "Private Person Qwerty" not in html
    r = admin.post(f"/en/complaints/staff/{c.receipt}/", {
        "action": "decide", "outcome": "rejected", "text": "No.", "effect": "none"})
    assert r.status_code == 403 and not m.Decision.objects.exists()
