"""`sailau audit verify` compares the data with what the audit log recorded of it: a row edited
in the database behind the application's back is named (object and what differs) and the
command exits 1, whether or not the election was published; a missing scan file is a finding,
never a traceback."""

import datetime as dt

import pytest
from django.utils import timezone

from sailau.audit.models import Record
from sailau.cli import main
from sailau.complaints import models as cm
from sailau.complaints import services as complaints
from sailau.complaints.audit import attachment_record
from sailau.protocols.models import DataEntry, Protocol
from sailau.publish.pipeline import snapshots
from tests import factories as f
from tests.audit.conftest import delete_amendment, run

pytestmark = pytest.mark.django_db


def a_protocol(election) -> Protocol:
    return (Protocol.objects.current().filter(station__election=election, version=1)
            .select_related("station").order_by("station__number", "contest_id").first())


def test_untouched_data_passes_and_says_there_is_no_snapshot_yet(small_election, here, capsys):
    code, out = run(capsys)
    assert code == 0, out
    assert "protocols: every protocol version has the figures its audit record published" in out
    assert "entries: every finalised data entry is what its audit record says" in out
    assert f"snapshots: {small_election.id}: no snapshot yet" in out
    assert "match the database" not in out


def test_a_structure_import_is_an_audit_record(small_election):
    rec = Record.objects.filter(action="structure.imported", subject=small_election.id).get()
    assert rec.payload["stations"] == small_election.stations.count()
    assert len(rec.payload["sha256"]) == 64


@pytest.mark.parametrize("publish", [False, True], ids=["unpublished", "published"])
def test_a_protocol_edited_in_the_database_names_its_station_and_contest(
        small_election, here, capsys, publish):
    if publish:
        snapshots.publish(small_election.id)
    p = a_protocol(small_election)
    party = min(p.choices)
    was = p.choices[party]
    Protocol.objects.filter(pk=p.pk).update(choices={**p.choices, party: was + 500})
    if publish:  # published again from the forged row: the snapshot matches, the log does not
        snapshots.publish(small_election.id)
    code, out = run(capsys)
    assert code == 1
    line = next(x for x in out.splitlines() if x.startswith("protocols: "))
    assert f"station № {p.station.number} ({p.station_id}), contest {p.contest_id}" in line
    assert f"choices.{party}: {was + 500} in the database, {was} in audit record #" in line


@pytest.fixture
def amended(small_election) -> Protocol:
    return f.amend(a_protocol(small_election))


def test_an_amended_version_edited_is_named_with_the_line(amended, here, capsys):
    p = amended
    assert run(capsys)[0] == 0
    Protocol.objects.filter(pk=p.pk).update(figures={**p.figures, "invalid": 9999})
    code, out = run(capsys)
    assert code == 1
    assert (f"contest {p.contest_id}, version {p.version}: figures.invalid: 9999 in the "
            f"database, {p.figures['invalid']} in audit record #") in out


def test_the_current_flag_moved_to_an_old_version_is_named(amended, here, capsys):
    p = amended
    Protocol.objects.filter(pk=p.pk).update(current=False)
    Protocol.objects.filter(station=p.station, contest=p.contest, version=1).update(current=True)
    code, out = run(capsys)
    assert code == 1
    assert f"contest {p.contest_id}: versions [1, 2] with [1] current" in out


def test_a_deleted_version_is_named(amended, here, capsys):
    p = amended
    delete_amendment(p)
    code, out = run(capsys)
    assert code == 1
    assert (f"contest {p.contest_id}, version 2: published by audit record #") in out
    assert "missing from the database" in out


def test_a_data_entry_row_edited_is_named(small_election, here, capsys):
    row = (DataEntry.objects.filter(station__election=small_election, state="definitive")
           .select_related("station").order_by("station__number").first())
    first = row.first
    line = min(first["figures"])
    DataEntry.objects.filter(pk=row.pk).update(
        first={**first, "figures": {**first["figures"], line: first["figures"][line] + 7}})
    code, out = run(capsys)
    assert code == 1
    assert (f"entries: station № {row.station.number} ({row.station_id}), contest "
            f"{row.contest_id}, data entry 1: figures.{line}: {first['figures'][line] + 7} in "
            f"the database, {first['figures'][line]} in audit record #") in out


def test_a_complaint_decision_is_recorded_and_its_edit_named(decided, here, capsys):
    rec = Record.objects.get(action="complaint.decided", subject=f"complaint/{decided.complaint_id}")
    assert rec.payload["outcome"] == "rejected" and rec.payload["text"] == "Not proven."
    assert run(capsys)[0] == 0
    cm.Decision.objects.filter(pk=decided.pk).update(outcome="upheld", text="Proven.")
    code, out = run(capsys)
    assert code == 1
    line = next(x for x in out.splitlines() if x.startswith("complaints: "))
    assert f"complaint {decided.complaint.receipt} (id {decided.complaint_id})" in line
    assert "outcome: 'upheld' in the database, 'rejected' in audit record #" in line
    assert "text: 'Proven.' in the database, 'Not proven.' in audit record #" in line


@pytest.fixture
def scanned(small_election, here):
    from sailau.scans import service

    p = a_protocol(small_election)
    return service.upload_scan(p.station, p.contest, service.protocol_pdf(p), "protocol.pdf")


def test_a_missing_scan_file_is_a_finding_not_a_traceback(scanned, here, capsys):
    assert run(capsys)[0] == 0
    scanned.file.storage.delete(scanned.file.name)
    code, out = run(capsys)
    assert code == 1
    assert f"scans: scan {scanned.id} of station № " in out and "the file is missing" in out


def test_a_scan_file_replaced_is_named_with_both_hashes(scanned, here, capsys):
    with scanned.file.storage.open(scanned.file.name, "wb") as fh:
        fh.write(b"%PDF-1.4 another paper")
    code, out = run(capsys)
    assert code == 1
    assert f"{scanned.sha256} recorded" in out


def test_the_data_is_still_compared_when_the_chain_is_broken(small_election, here, capsys):
    rec = Record.objects.filter(action="entry.discarded").first() or Record.objects.first()
    Record.objects.filter(pk=rec.pk).update(actor="someone-else")
    p = a_protocol(small_election)
    Protocol.objects.filter(pk=p.pk).update(figures={**p.figures, "invalid": 12345})
    code, out = run(capsys)
    assert code == 1
    assert f"audit log broken at record {rec.seq}" in out
    assert "figures.invalid: 12345 in the database" in out


def test_chain_only_is_the_old_check(small_election, here, capsys):
    p = a_protocol(small_election)
    Protocol.objects.filter(pk=p.pk).update(figures={**p.figures, "invalid": 12345})
    assert main(["audit", "verify", "--chain-only"]) == 0
    assert "protocols:" not in capsys.readouterr().out


def test_roles_are_compared_with_their_grants(small_election, here, capsys):
    from sailau.accounts import services as accounts
    from sailau.accounts.models import Role

    user = f.UserFactory(username="clerk")
    st = small_election.stations.order_by("number").first()
    accounts.grant(None, "clerk", "operator", st.commission_id)
    assert run(capsys)[0] == 0
    # made a coordinator by an UPDATE: no grant matches the row any more
    Role.objects.filter(user=user).update(kind=Role.COORDINATOR)
    code, out = run(capsys)
    assert code == 1
    assert f"roles: role coordinator of clerk at {st.commission_id} (id " in out
    assert "no audit record grants it" in out
    Role.objects.filter(user=user).update(kind=Role.OPERATOR)
    assert run(capsys)[0] == 0
    # revoked through the service, then inserted again behind its back
    accounts.revoke(None, "clerk", "operator", st.commission_id)
    assert run(capsys)[0] == 0
    Role.objects.create(user=user, kind=Role.OPERATOR, commission_id=st.commission_id,
                        election=small_election)
    code, out = run(capsys)
    assert code == 1 and f"role operator of clerk at {st.commission_id}" in out


def test_a_complaint_filing_is_recorded_and_its_edit_named(decided, here, capsys):
    c = decided.complaint
    rec = Record.objects.get(action="complaint.filed", subject=f"complaint/{c.pk}")
    assert rec.payload["receipt"] == c.receipt and rec.payload["text"] == c.text
    assert "Private Person" not in str(rec.payload)  # the filer's name is private
    assert run(capsys)[0] == 0  # decided since: its status changed, its filing did not
    cm.Complaint.objects.filter(pk=c.pk).update(text="Nothing happened.", against_name="CEC")
    code, out = run(capsys)
    assert code == 1
    line = next(x for x in out.splitlines() if "filing" in x)
    assert line.startswith(f"complaints: complaint {c.receipt} (id {c.pk}), filing: ")
    assert "text: 'Nothing happened.' in the database, 'Ballots not shown one by one.' in " \
           "audit record #" in line
    assert "against_name: 'CEC' in the database, 'PEC' in audit record #" in line
    cm.Complaint.objects.filter(pk=c.pk).update(text=c.text, against_name="PEC",
                                                filer_name="Someone Else")
    code, out = run(capsys)
    assert code == 1 and "filer_hmac: " in out


def test_every_mismatching_snapshot_file_is_named(small_election, here, capsys):
    m = snapshots.publish(small_election.id)
    objects = snapshots.election_dir(small_election.id) / "objects"
    names = sorted(n for n in m["files"] if n.startswith("stations/"))[:2]
    for name in names:
        (objects / f"{m['files'][name]['sha256']}.json").write_bytes(b"{}")
    p = a_protocol(small_election)
    Protocol.objects.filter(pk=p.pk).update(figures={**p.figures, "invalid": 4321})
    code, out = run(capsys)
    assert code == 1
    lines = [x for x in out.splitlines() if x.startswith("snapshots: ")]
    for name in names:
        assert f"snapshots: {small_election.id}: {name}: object " in out and \
               "does not match its hash" in out
    assert f"stations/{p.station.number}.json: published file differs from the database" in out
    assert len(lines) >= 3, lines


def _image(color: str) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, format="PNG")
    return out.getvalue()


def test_attachments_are_recorded_resubmitted_ones_too_and_their_edits_named(
        small_election, here, capsys):
    st = small_election.stations.order_by("number").first()
    data = {"election": small_election.id, "filer_kind": "voter", "filer_name": "A Voter",
            "filer_contact": "", "against_kind": "commission", "against_name": "PEC",
            "topic": "counting", "text": "The seal was broken.", "body": "commission",
            "station": str(st.number),
            "filed_at": timezone.make_aware(dt.datetime.combine(small_election.date,
                                                                 dt.time(22)))}
    c, created = complaints.file_complaint(data, [complaints.Upload("seal.png", _image("red"))])
    # The same complaint sent again with one more photo: the photo is added, and audited.
    again, created_again = complaints.file_complaint(
        data, [complaints.Upload("seal.png", _image("red")),
               complaints.Upload("box.png", _image("blue"))])
    assert created and not created_again and again.pk == c.pk
    records = Record.objects.filter(action="complaint.attached", subject=f"complaint/{c.pk}")
    # The file names by keyed digest only (a private filer's file may be named after them).
    assert sorted(r.payload["name_hmac"] for r in records) == sorted(
        attachment_record(a)["name_hmac"] for a in c.attachments.all())
    assert not any(n in str(r.payload) for r in records for n in ("seal", "box"))
    assert run(capsys)[0] == 0

    added = c.attachments.get(name="box.png")
    cm.Attachment.objects.filter(pk=added.pk).update(name="other.png")
    code, out = run(capsys)
    assert code == 1
    assert f"complaints: complaint {c.receipt} (id {c.pk}), attachment 'other.png': name_hmac: " \
        in out
    cm.Attachment.objects.filter(pk=added.pk).update(name="box.png")
    with added.file.open("wb") as fh:
        fh.write(_image("green"))
    code, out = run(capsys)
    assert code == 1 and "attachment 'box.png': the file's SHA-256 is " in out
    added.file.storage.delete(added.file.name)
    code, out = run(capsys)
    assert code == 1 and "attachment 'box.png': the file is missing" in out


def test_roles_the_application_gives_itself_stand_granted(small_election, here, capsys):
    """A volunteer's sign-up, an observer organisation's application, the demo registrar and
    the demo's observers: each role row with its audit record (the honest demo failed its own
    audit with 84 such rows), and a citizen role inserted by hand is still named."""
    from sailau.accounts.models import Role
    from sailau.evidence import volunteers
    from sailau.observation import services as observation
    from sailau.voters import demo as voters_demo

    signed_up = f.UserFactory(username="volunteer-1")
    volunteers.become(signed_up)
    volunteers.become(signed_up)  # twice: one role, one record
    volunteers.become(f.UserFactory(username="volunteer-2"))
    observation.apply(f.UserFactory(username="org-head"), small_election.id, "party",
                      "Бақылаушылар")
    voters_demo._user(small_election)
    code, out = run(capsys)
    assert code == 0, out
    assert Role.objects.filter(user__username="volunteer-1", kind=Role.CITIZEN).count() == 1
    Role.objects.create(user=f.UserFactory(username="stowaway"), kind=Role.CITIZEN)
    code, out = run(capsys)
    assert code == 1 and "role citizen of stowaway at (no scope)" in out
