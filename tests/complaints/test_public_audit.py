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
    assert filed["actor"] == "filer"
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


def test_a_guessed_filer_name_learns_nothing_and_attaches_nothing(base, election):
    """Re-filing a complaint's public text under a guessed private filer name, from another
    account, is a new complaint whether the guess is right or wrong: the victim's receipt is
    never told, the guesser's file never joins the victim's complaint, and the victim's
    complaint is not suspended by the same text filed with a court."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sailau.complaints import models as m

    victim = get_user_model().objects.create_user("victim.1990")
    guesser = get_user_model().objects.create_user("guesser.1990")
    now = {k: v for k, v in base.items() if k != "filed_at"}  # filed now, as the API files
    theirs, _ = services.file_complaint({**now, "filer_name": NAME}, user=victim)
    client = Client()
    client.force_login(guesser)
    form = {k: str(v) for k, v in base.items() if k != "filed_at"}
    answers = []
    for guess in (NAME, "Somebody Else"):
        r = client.post("/api/complaints/", {**form, "filer_name": guess,
                                             "attachments": SimpleUploadedFile("g.png", PNG)})
        answers.append(r)
    assert [a.status_code for a in answers] == [201, 201], [a.content for a in answers]
    assert {tuple(sorted(a.json())) for a in answers} == {tuple(sorted(answers[0].json()))}
    assert all(a.json()["created"] is True for a in answers)
    assert theirs.receipt not in answers[0].content.decode()
    assert not theirs.attachments.exists()
    # Filed with a court, the same text does not suspend the victim's complaint either.
    services.file_complaint({**now, "filer_name": NAME, "body": "admin_court"}, user=guesser)
    theirs.refresh_from_db()
    assert theirs.status != m.SUSPENDED
    # The filer's own resubmission is still recognised as theirs.
    again, created = services.file_complaint({**now, "filer_name": NAME}, user=victim)
    assert (again.pk, created) == (theirs.pk, False)


def test_the_public_log_names_no_role_of_a_private_filer(base, election):
    """An observer filing as a private person is "filer" in the public log: not
    `observer@<organisation>`, which narrows them down to a handful of people. A candidate,
    filing under a public name, is shown by role."""
    from sailau.audit.models import Record

    before = Record.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    observer = get_user_model().objects.create_user("observer.private.1")
    st = election.stations.order_by("number").last()  # not the station complained about
    grant(None, observer.username, "operator", st.commission_id)  # any role the public sees
    c, _ = services.file_complaint({**base, "filer_kind": "observer", "filer_name": NAME},
                                   [Upload(FILE, PNG)], user=observer)
    public, _ = services.file_complaint({**base, "filer_kind": "party", "filer_name": "Party",
                                         "text": "another"}, user=observer)
    records = Client().get(f"/api/audit/records?after={before}&limit=1000").json()
    mine = [r for r in records if r["subject"] == f"complaint/{c.pk}"]
    assert {r["action"] for r in mine} == {"complaint.filed", "complaint.attached"}
    assert {r["actor"] for r in mine} == {"filer"}, mine
    assert st.commission_id not in str(mine)
    party = next(r for r in records if r["subject"] == f"complaint/{public.pk}")
    assert party["actor"] == f"operator@{st.commission_id}"
