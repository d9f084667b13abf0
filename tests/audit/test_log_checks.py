"""`sailau audit verify` holds the database to the election's transparency log, leaf by leaf:
a row that differs from its latest leaf, a row no leaf states and a leaf whose row is gone are
named (the structure's contests and choices, stations, commission keys, protocol versions,
complaint decisions, roles), and the audit log must still hold the last head the log recorded.
The forgeries are made as an operator with database access would make them: raw UPDATEs and
DELETEs, the Head row rewound, published again. Honest data, integrated or still in the
outbox, passes with no finding."""

import pytest
from django.db import connection
from django.utils import timezone

from sailau import audit
from sailau.accounts import services as accounts
from sailau.accounts.models import Role
from sailau.audit.models import Head, Record
from sailau.cli import main
from sailau.complaints import models as cm
from sailau.elections.models import Choice, CommissionKey
from sailau.ledger import audithead, integrator
from sailau.ledger.models import Leaf
from sailau.protocols.models import Protocol
from sailau.publish.pipeline import snapshots
from sailau.verify import signatures
from tests import factories as f
from tests.audit.conftest import delete_amendment, run
from tests.commkeys.conftest import own  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

OK = "log: the database is what the log's leaves state"


def log_lines(out: str) -> list[str]:
    return [x for x in out.splitlines() if x.startswith("log: ")]


def a_protocol(election) -> Protocol:
    return (Protocol.objects.current().filter(station__election=election, version=1)
            .select_related("station").order_by("station__number", "contest_id").first())


@pytest.fixture
def amended(small_election) -> Protocol:
    """Version 2 of a protocol (made before `here` moves the data directory: the commission
    keys are sealed under the first one's key file)."""
    return f.amend(a_protocol(small_election))


@pytest.fixture
def busy(small_election, decided):
    """Honest work of every kind, part of it integrated, the rest still in the outbox."""
    eid = small_election.id
    f.UserFactory(username="clerk")
    st = small_election.stations.order_by("number").first()
    accounts.grant(None, "clerk", "operator", st.commission_id)
    integrator.integrate(eid)
    f.amend(a_protocol(small_election))
    accounts.revoke(None, "clerk", "operator", st.commission_id)
    accounts.grant(None, "clerk", "coordinator", st.territory_id)
    assert audithead.log(eid)
    return small_election


def test_honest_data_integrated_or_waiting_in_the_outbox_has_no_finding(busy, here, capsys):
    eid = busy.id
    assert Leaf.objects.filter(election_id=eid, index__isnull=True).exists()
    assert Leaf.objects.filter(election_id=eid, index__isnull=False).exists()
    code, out = run(capsys)
    assert code == 0, out
    assert log_lines(out) == [next(x for x in log_lines(out) if x.startswith(OK))], out


def _swap_keys(a: Choice, b: Choice) -> None:
    """Three UPDATEs, as the issue's attacker made them: the party each key names swapped."""
    table = connection.ops.quote_name(Choice._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET key = %s WHERE id = %s", ["swapping", a.pk])
        cur.execute(f"UPDATE {table} SET key = %s WHERE id = %s", [a.key, b.pk])
        cur.execute(f"UPDATE {table} SET key = %s WHERE id = %s", [b.key, a.pk])


def test_two_choices_keys_swapped_and_published_again_are_named(small_election, here, capsys):
    snapshots.publish(small_election.id)
    contest = small_election.contests.get(kind="party_list", commission__level="cec")
    a, b = list(Choice.objects.filter(contest=contest, party__isnull=False).order_by("key")[:2])
    _swap_keys(a, b)
    snapshots.publish(small_election.id)  # the files now match the forged rows
    code, out = run(capsys)
    assert code == 1
    lines = log_lines(out)
    for key, now, was in ((a.key, b.party_id, a.party_id), (b.key, a.party_id, b.party_id)):
        line = next(x for x in lines if x.startswith(f"log: contest {contest.id}, choice {key}: "))
        assert f"party: {now!r} in the database, {was!r} in log leaf " in line, out


def test_a_station_edited_and_a_choice_added_by_hand_are_named(small_election, here, capsys):
    from sailau.elections.models import Commission, Station

    st = small_election.stations.order_by("number").first()
    Station.objects.filter(pk=st.pk).update(registered=st.registered + 100,
                                            settlements={**st.settlements, "kk": "Жалған ауыл"})
    Commission.objects.filter(pk=st.district_id).update(
        names={**st.district.names, "kk": "Жалған комиссия"})
    contest = small_election.contests.get(kind="party_list", commission__level="cec")
    Choice.objects.create(contest=contest, key="stowaway", names={"kk": "Жасырын"}, order=99)
    code, out = run(capsys)
    assert code == 1
    lines = log_lines(out)
    assert any(x.startswith(f"log: station № {st.number} ({st.id}): registered: "
                            f"{st.registered + 100} in the database, {st.registered} in log "
                            "leaf ") and "settlement.kk: 'Жалған ауыл' in the database" in x
               for x in lines), out
    assert any(x.startswith(f"log: commission {st.district_id}: name.kk: 'Жалған комиссия' in "
                            "the database, ") for x in lines), out
    assert f"log: contest {contest.id}, choice stowaway: in the database, in no leaf of the " \
           "log" in lines, out


def test_the_election_renamed_and_a_party_recoloured_by_hand_are_named(small_election, here,
                                                                      capsys):
    from sailau.elections.models import Election, Party

    party = Party.objects.filter(election=small_election).order_by("id").first()
    Party.objects.filter(pk=party.pk).update(color="#ff0000")
    Election.objects.filter(pk=small_election.pk).update(
        names={**small_election.names, "ru": "Подложные выборы"})
    code, out = run(capsys)
    assert code == 1
    lines = log_lines(out)
    assert any(x.startswith(f"log: party {party.id}: color: '#ff0000' in the database, "
                            f"{party.color!r} in log leaf ") for x in lines), out
    assert any(x.startswith(f"log: election {small_election.id}: name.ru: 'Подложные выборы' "
                            "in the database, ") for x in lines), out


def test_a_decided_complaint_deleted_with_its_decision_is_named(decided, here, capsys):
    c = decided.complaint
    assert run(capsys)[0] == 0
    cm.Decision.objects.filter(pk=decided.pk).delete()
    cm.Complaint.objects.filter(pk=c.pk).delete()
    code, out = run(capsys)
    assert code == 1
    assert any(x.startswith(f"log: complaint {c.receipt}, decision: decided in log leaf ")
               and "not in the database" in x for x in log_lines(out)), out


def test_a_complaint_decision_edited_is_named_by_the_log(decided, here, capsys):
    c = decided.complaint
    cm.Decision.objects.filter(pk=decided.pk).update(outcome="upheld")
    code, out = run(capsys)
    assert code == 1
    assert any(x.startswith(f"log: complaint {c.receipt}, decision: outcome: 'upheld' in the "
                            "database, 'rejected' in log leaf ") for x in log_lines(out)), out


def test_a_role_inserted_by_hand_and_one_deleted_are_named(small_election, here, capsys):
    user = f.UserFactory(username="clerk")
    st = small_election.stations.order_by("number").first()
    granted, _ = accounts.grant(None, "clerk", "operator", st.commission_id)
    assert run(capsys)[0] == 0
    Role.objects.filter(pk=granted.pk).delete()  # deleted without a revocation
    stowaway = Role.objects.create(user=user, kind=Role.COORDINATOR,
                                   commission_id=st.territory_id, granted_by="sailau roles")
    # with the audit record a grant would have (anyone who writes the database can append
    # one): the audit log's own role check is satisfied
    audit.append("sailau roles", "role.granted", st.territory_id,
                 {"user": "clerk", "kind": "coordinator", "scope": st.territory_id})
    code, out = run(capsys)
    assert code == 1
    lines = log_lines(out)
    assert (f"log: role coordinator at {st.territory_id} (id {stowaway.pk}): in the database, "
            f"no leaf of {small_election.id}'s log grants it") in lines, out
    assert any(x.startswith(f"log: role operator at {st.commission_id} (grant {granted.pk}): "
                            "granted in log leaf ") and "not in the database" in x
               for x in lines), out


def test_a_role_revoked_in_the_log_and_put_back_is_named(small_election, here, capsys):
    f.UserFactory(username="clerk")
    st = small_election.stations.order_by("number").first()
    role, _ = accounts.grant(None, "clerk", "operator", st.commission_id)
    fields = {k: getattr(role, k) for k in ("user_id", "kind", "commission_id", "election_id",
                                            "granted_by", "granted_at")}
    accounts.revoke(None, "clerk", "operator", st.commission_id)
    Role.objects.create(pk=role.pk, **fields)  # the same row put back
    code, out = run(capsys)
    assert code == 1
    assert any(x.startswith(f"log: role operator at {st.commission_id} (id {role.pk}): "
                            "revoked in log leaf ") for x in log_lines(out)), out


def test_a_commission_key_replaced_in_the_database_is_named(small_election, here, capsys):
    key = (CommissionKey.objects.filter(commission__election=small_election,
                                        retired_at__isnull=True).order_by("commission_id").first())
    _, forged = signatures.new_key_pair()
    table = connection.ops.quote_name(CommissionKey._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET public_key = %s WHERE id = %s", [forged, key.pk])
    code, out = run(capsys)
    assert code == 1
    lines = log_lines(out)
    who = f"log: commission {key.commission_id}, key "
    assert (f"{who}{signatures.key_id(forged)}: in the database, never registered in the log"
            in lines), out
    assert any(x.startswith(f"{who}{signatures.key_id(key.public_key)}: registered in log leaf ")
               and x.endswith("not in the database") for x in lines), out


def test_a_protocol_version_edited_is_named_by_the_log(small_election, here, capsys):
    p = a_protocol(small_election)
    line = min(p.figures)
    was = p.figures[line]
    Protocol.objects.filter(pk=p.pk).update(figures={**p.figures, line: was + 9})
    code, out = run(capsys)
    assert code == 1
    assert any(x.startswith(f"log: station № {p.station.number} ({p.station_id}), contest "
                            f"{p.contest_id}, version 1: figures.{line}: {was + 9} in the "
                            f"database, {was} in log leaf ") for x in log_lines(out)), out


def test_a_protocol_version_deleted_is_named_by_the_log(amended, here, capsys):
    p = amended
    delete_amendment(p)
    code, out = run(capsys)
    assert code == 1
    assert any(x.startswith(f"log: station № {p.station.number} ({p.station_id}), contest "
                            f"{p.contest_id}, version 2: in log leaf ")
               and x.endswith("not in the database") for x in log_lines(out)), out


def _cut(keep: int) -> None:
    """The audit log's records after `keep` deleted and the Head row rewound to `keep`: the
    hash chain is intact again, as the attacker wants."""
    last = Record.objects.get(seq=keep)
    Record.objects.filter(seq__gt=keep).delete()
    Head.objects.filter(pk=1).update(seq=keep, hash=last.hash)


def _logged_then_cut(eid: str) -> int:
    """Three records after the last protocol, the audit head logged, then those three cut:
    the head the log holds (now missing from the audit log)."""
    _records(3)
    assert audithead.log(eid)
    logged = Head.objects.get(pk=1).seq
    _cut(logged - 3)
    return logged


def _records(n: int) -> None:
    """Records of no row the data checks compare (what was done after the last protocol)."""
    for i in range(n):
        audit.append("observer-1", "test.noted", f"note/{i}", {"n": i})


def test_the_audit_logs_last_records_cut_are_named(decided, here, capsys):
    logged = _logged_then_cut(decided.complaint.election_id)
    assert main(["audit", "verify", "--chain-only"]) == 0  # the chain alone cannot tell
    capsys.readouterr()
    code, out = run(capsys)
    assert code == 1
    assert any(x.startswith(f"log: the audit log: its records after {logged - 3} are missing: "
                            f"record {logged} was its head, logged at ")
               for x in log_lines(out)), out


def test_the_audit_logs_last_records_cut_and_written_again_are_named(decided, here, capsys):
    logged = _logged_then_cut(decided.complaint.election_id)
    _records(5)  # written again: longer than before, other hashes
    code, out = run(capsys)
    assert code == 1
    assert any(x.startswith(f"log: the audit log: record {logged} is not the one logged at ")
               for x in log_lines(out)), out


def test_a_leaf_row_deleted_with_its_fact_is_named_against_the_signed_tree(decided, here,
                                                                           capsys):
    """The forger deletes the decision's leaf too, so that the log no longer states it: the
    table's leaves then no longer give the tree that was signed (and cosigned)."""
    from sailau.ledger.models import LogState
    from sailau.tlog.merkle import root_from_leaf_hashes

    c = decided.complaint
    eid = c.election_id
    integrator.integrate(eid)
    state = LogState.objects.get(pk=eid)
    assert state.checkpoint_size == state.size
    Leaf.objects.filter(election_id=eid, kind="complaint-decision").delete()
    cm.Decision.objects.filter(pk=decided.pk).delete()
    cm.Complaint.objects.filter(pk=c.pk).delete()
    code, out = run(capsys)
    assert code == 1
    assert f"log: {eid}'s log: {state.size - 1} leaves have an index, its state says " \
           f"{state.size}" in log_lines(out), out
    # and the state made to agree with what is left: the signed checkpoint still says otherwise
    hashes = [bytes(h) for h in Leaf.objects.filter(election_id=eid, index__isnull=False)
              .order_by("index").values_list("hash", flat=True)]
    LogState.objects.filter(pk=eid).update(size=len(hashes), root=root_from_leaf_hashes(hashes))
    code, out = run(capsys)
    assert code == 1
    assert f"log: {eid}'s log: its latest checkpoint has {state.size} leaves, " \
           f"{state.size - 1} have an index" in log_lines(out), out


def test_a_commissions_own_key_and_what_it_signed_follow_the_log(own, here, capsys):  # noqa: F811
    """A key the commission made itself (registered, confirmed by the commission above, the
    server's key retired) and a protocol it signed (its signed message and scans): honest, no
    finding; confirmed by an UPDATE instead, or its signed scans edited, named."""
    assert own.register().status_code == 200
    assert run(capsys)[0] == 0
    mine = CommissionKey.objects.filter(commission=own.commission, held_by_server=False)
    mine.update(confirmed_at=timezone.now())  # so that it signs, with no confirmation logged
    code, out = run(capsys)
    assert code == 1
    assert any(x.startswith(f"log: commission {own.commission.pk}, key {own.key_id}: "
                            "confirmed: True in the database, False in log leaf ")
               for x in log_lines(out)), out
    mine.update(confirmed_at=None)
    assert own.confirm().status_code == 200
    own.enter()
    assert own.sign().status_code == 200
    code, out = run(capsys)
    assert code == 0, out
    p = Protocol.objects.current().get(station=own.station, contest_id=own.contest)
    assert p.signed_message == "sailau-protocol/2"
    Protocol.objects.filter(pk=p.pk).update(signed_scans=["0" * 64])
    code, out = run(capsys)
    assert code == 1
    assert any(x.startswith(f"log: station № {own.station.number} ({own.station.id}), contest "
                            f"{own.contest}, version 1: scans: ") for x in log_lines(out)), out


def test_places_on_the_ballot_swapped_by_hand_are_named(small_election, here, capsys):
    contest = small_election.contests.get(kind="party_list", commission__level="cec")
    first, second = contest.choices.order_by("order")[:2]
    Choice.objects.filter(pk=first.pk).update(order=second.order)
    Choice.objects.filter(pk=second.pk).update(order=first.order)
    code, out = run(capsys)
    assert code == 1
    line = next((x for x in log_lines(out) if x.startswith(f"log: contest {contest.id}: ")), "")
    assert line.startswith(f"log: contest {contest.id}: ballot: [{second.key!r}, "
                           f"{first.key!r}, "), out
    assert f"] in the database, [{first.key!r}, {second.key!r}, " in line, out
