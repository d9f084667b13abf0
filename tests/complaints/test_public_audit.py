"""The public audit log (`/api/audit/records`) lets nobody recover a private complainant: no
account name, no file name, and no digest of their name or contact that can be recomputed
without the server's secret. Operators are named by role and commission, not by log-in name
(their names were a list of accounts to lock out)."""

import hashlib
import hmac

from django.contrib.auth import get_user_model
from django.test import Client

from sailau.accounts.services import grant
from sailau.complaints import services
from sailau.complaints.audit import filing_record
from sailau.complaints.services import Upload
from tests.complaints.test_services import PNG

NAME, CONTACT = "Айгерім Сейітова", "+7 701 123 4567"
FILE = "Seitova_udostoverenie.png"


def _digests(text: str) -> set[str]:
    """Every unkeyed digest a curious reader would try."""
    b = text.encode()
    return {hashlib.new(a, b).hexdigest() for a in ("md5", "sha1", "sha256", "sha512")}


def test_no_public_record_recovers_a_private_filer(base, election, settings):
    from sailau.audit.models import Record

    before = Record.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    citizen = get_user_model().objects.create_user("aigerim.s.1990")
    clerk = get_user_model().objects.create_user("clerk.astana.7")
    st = election.stations.order_by("number").first()
    grant(None, clerk.username, "operator", st.commission_id)
    c, _ = services.file_complaint({**base, "filer_name": NAME, "filer_contact": CONTACT},
                                   [Upload(FILE, PNG)], user=citizen)

    page = Client().get(f"/api/audit/records?after={before}&limit=1000")
    records, text = page.json(), page.content.decode()
    mine = [r for r in records if r["subject"] == f"complaint/{c.pk}"]
    assert {r["action"] for r in mine} == {"complaint.filed", "complaint.attached"}
    for secret in (citizen.username, clerk.username, NAME, CONTACT, FILE):
        assert secret not in text, secret
    guesses = set()
    for guess in (f"{NAME}\n{CONTACT}", NAME, CONTACT, FILE, citizen.username):
        guesses |= _digests(guess)
        # An HMAC under a key anyone could guess is no better than a plain hash.
        guesses |= {hmac.new(k, guess.encode(), hashlib.sha256).hexdigest()
                    for k in (b"", b"sailau", b"secret")}
    assert not guesses & set(_hex_strings(records))
    # The digest that is there depends on the server's secret: another secret, another digest.
    filed = next(r for r in mine if r["action"] == "complaint.filed")
    assert filed["payload"]["filer_hmac"] == filing_record(c)["filer_hmac"]
    settings.SECRET_KEY = "another secret"
    assert filing_record(c)["filer_hmac"] != filed["payload"]["filer_hmac"]
    # Who filed and who was granted what: roles and commissions.
    assert filed["actor"] == "account" and filed["redacted"]
    granted = next(r for r in records if r["action"] == "role.granted")
    assert granted["payload"]["user"] == f"operator@{st.commission_id}", granted


def _hex_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _hex_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _hex_strings(v)


def test_the_public_register_shows_no_private_filers_file_name(base, election):
    citizen = get_user_model().objects.create_user("aigerim.s.1991")
    c, _ = services.file_complaint({**base, "filer_name": NAME, "filer_contact": CONTACT},
                                   [Upload(FILE, PNG)], user=citizen)
    for url in (f"/api/complaints/?election={c.election_id}", f"/en/complaints/c/{c.receipt}/",
                "/en/complaints/complaints.json"):
        page = Client().get(url)
        assert page.status_code == 200 and "Seitova" not in page.content.decode(), url
