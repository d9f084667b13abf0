"""`sailau roles grant|revoke|list`: every role kind with its scope, errors that name what is
wrong, each change in the audit log, and the first superuser made CEC administrator."""

import json

import pytest

from sailau.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_migrate(monkeypatch):
    # Django is set up and the test database migrated already: skip the command's own check.
    monkeypatch.setattr("sailau.cli.django_setup.setup", lambda migrate=True: None)


def run(capsys, *argv):
    code = main(["roles", *argv])
    out = capsys.readouterr()
    return code, [json.loads(x) for x in out.out.splitlines()], out.err


def test_every_kind_granted_listed_and_revoked_with_audit(capsys, election, tree, make_user):
    from sailau.accounts.models import Role
    from sailau.audit.models import Record
    from sailau.observation.models import Organisation

    org = Organisation.objects.create(election=election, kind="citizen", names={"kk": "Қор"})
    for name in ("ada", "bob", "cem", "dan", "eve", "fay", "gul", "hal"):
        make_user(name)
    grants = [("ada", "admin", election.id), ("bob", "coordinator", tree["territory"].id),
              ("cem", "precinct-operator", tree["precinct"].id),
              ("dan", "org_manager", f"org:{org.pk}"), ("eve", "observer", f"org:{org.pk}"),
              ("fay", "decider", tree["precinct"].id),
              ("gul", "decider", f"{election.id}:admin_court"), ("hal", "citizen", "")]
    for user, kind, scope in grants:
        code, rows, err = run(capsys, "grant", user, kind, *([scope] if scope else []))
        assert code == 0, err
        assert rows[0]["created"] is True
    assert Role.objects.count() == 8
    assert Role.objects.get(user__username="ada").commission == tree["cec"]  # election -> CEC
    assert Role.objects.get(user__username="gul").election == election
    assert Role.objects.get(user__username="hal").election is None
    # The observer role made the account an observer of the organisation.
    assert org.observers.get().user.username == "eve"
    code, rows, _ = run(capsys, "list")
    assert {(r["username"], r["kind"]) for r in rows} == {
        ("ada", "admin"), ("bob", "coordinator"), ("cem", "operator"), ("dan", "org_manager"),
        ("eve", "observer"), ("fay", "decider"), ("gul", "decider"), ("hal", "citizen")}
    assert next(r for r in rows if r["username"] == "cem")["as"] == "precinct-operator"
    code, rows, _ = run(capsys, "list", "gul")
    assert rows == [rows[0]] and rows[0]["scope"] == f"{election.id}:admin_court"
    # Granting again changes nothing and records nothing.
    before = Record.objects.filter(action="role.granted").count()
    assert run(capsys, "grant", "bob", "coordinator", tree["territory"].id)[1][0]["created"] is False
    assert Record.objects.filter(action="role.granted").count() == before == 8
    for user, kind, scope in grants:
        code, rows, err = run(capsys, "revoke", user, kind, *([scope] if scope else []))
        assert code == 0 and rows[0]["revoked"], err
    assert Role.objects.count() == 0 and org.observers.get().user is None
    revoked = Record.objects.filter(action="role.revoked")
    assert revoked.count() == 8 and {r.actor for r in revoked} == {"sailau roles"}
    assert {r.payload["user"] for r in revoked} == {g[0] for g in grants}


@pytest.mark.parametrize(("argv", "says"), [
    (["grant", "nobody", "operator", "X"], "scope: no commission “X”"),
    (["grant", "op", "operator", "{far}"], None),
    (["grant", "op", "overlord", "{cec}"], "kind: must be one of"),
    (["grant", "op", "admin", "{precinct}"], "cannot belong to a precinct commission"),
    (["grant", "op", "coordinator", "{precinct}"], "cannot belong to a precinct commission"),
    (["grant", "op", "decider", "{election}:tribunal"], "the body must be one of"),
    (["grant", "op", "observer", "org:999999"], "no observer organisation"),
    (["grant", "op", "citizen", "{cec}"], "a citizen role has no scope"),
    (["grant", "op", "operator"], "needs a scope"),
    (["grant", "ghost", "operator", "{cec}"], "no account “ghost”"),
    (["revoke", "op", "coordinator", "{cec}"], "has no coordinator role"),
])
def test_bad_grants_exit_2_naming_what(capsys, election, tree, make_user, argv, says):
    make_user("op")
    fill = {"far": tree["far_precinct"].id, "cec": tree["cec"].id,
            "precinct": tree["precinct"].id, "election": election.id}
    code, _, err = run(capsys, *[a.format(**fill) for a in argv])
    if says is None:  # the control: a good grant
        assert code == 0
        return
    assert code == 2 and says in err, err


def test_first_superuser_becomes_cec_administrator_in_one_command(capsys, election, tree, client):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password="pw-Secret-1")
    client.login(username="root", password="pw-Secret-1")
    url = "/api/accounts/roles"
    body = {"username": "root", "kind": "operator", "scope": tree["precinct"].id}
    # A superuser is nobody in the role model until granted a role.
    assert client.post(url, body, content_type="application/json").status_code == 403
    assert run(capsys, "grant", "root", "admin", election.id)[0] == 0
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 200 and r.json()["scope"] == tree["precinct"].id
