"""`sailau accounts`: an ordinary account made with a password never on the command line and
checked by Django's validators; listed; disabled (no sign-in, no token) and enabled; its
password set (its tokens stop); its API tokens printed once, working, listed without the token,
revoked. Every refusal names what is wrong and changes nothing."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sailau.cli import main

pytestmark = pytest.mark.django_db
GOOD = "river-Ashes-2023-tulip"


@pytest.fixture(autouse=True)
def _no_migrate(monkeypatch):
    monkeypatch.setattr("sailau.cli.django_setup.setup", lambda migrate=True: None)


def run(capsys, monkeypatch, *argv, stdin: str | None = None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["accounts", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def rows(out: str) -> list[dict]:
    return [json.loads(x) for x in out.splitlines()]


def me(token: str) -> int:
    return Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_create_with_the_password_from_stdin_or_a_file_and_list(capsys, monkeypatch, tmp_path):
    from sailau.audit.models import Record

    code, out, err = run(capsys, monkeypatch, "create", "alice", "--email", "a@cec.kz",
                         "--full-name", "Alice Operator", "--password-stdin", stdin=GOOD + "\n")
    assert code == 0, err
    assert rows(out)[0]["username"] == "alice" and rows(out)[0]["roles"] == []
    assert Client().login(username="alice", password=GOOD)
    f = tmp_path / "pw"
    f.write_text(GOOD + "-bob\nignored second line\n")
    assert run(capsys, monkeypatch, "create", "bob", "--password-file", str(f))[0] == 0
    assert Client().login(username="bob", password=GOOD + "-bob")
    code, out, _ = run(capsys, monkeypatch, "list")
    listed = {r["username"]: r for r in rows(out)}
    assert set(listed) == {"alice", "bob"} and listed["alice"]["full_name"] == "Alice Operator"
    assert listed["alice"]["active"] is True and listed["alice"]["tokens"] == 0
    created = Record.objects.filter(action="account.created").values_list("subject", flat=True)
    assert sorted(created) == ["user/alice", "user/bob"]
    assert GOOD not in json.dumps(list(Record.objects.values("payload")))  # no password recorded


def test_a_password_is_never_an_argument_and_never_asked_without_a_terminal(capsys, monkeypatch):
    with pytest.raises(SystemExit):
        main(["accounts", "create", "carol", "--password", GOOD])
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    code, _, err = run(capsys, monkeypatch, "create", "carol")
    assert code == 2 and "--password-stdin" in err
    assert not get_user_model().objects.filter(username="carol").exists()


@pytest.mark.parametrize("weak,why", [("short-1", "too short"), ("password123456", "too common"),
                                      ("839201748301", "entirely numeric"),
                                      ("dilnaz-sultanova", "too similar")])
def test_a_weak_password_is_refused_by_djangos_validators(capsys, monkeypatch, weak, why):
    code, _, err = run(capsys, monkeypatch, "create", "dilnaz-sultanova", "--password-stdin",
                       stdin=weak)
    assert code == 2 and why in err and "password" in err
    assert not get_user_model().objects.filter(username="dilnaz-sultanova").exists()


def test_duplicate_and_unknown_accounts_are_named(capsys, monkeypatch):
    assert run(capsys, monkeypatch, "create", "erlan", "--password-stdin", stdin=GOOD)[0] == 0
    code, _, err = run(capsys, monkeypatch, "create", "erlan", "--password-stdin", stdin=GOOD)
    assert code == 2 and "an account “erlan” exists already" in err
    assert get_user_model().objects.filter(username="erlan").count() == 1
    for argv in (["disable", "nobody"], ["enable", "nobody"], ["token", "create", "nobody"],
                 ["token", "list", "nobody"], ["token", "revoke", "nobody", "--all"]):
        code, _, err = run(capsys, monkeypatch, *argv)
        assert code == 2 and "no account “nobody”" in err, argv
    code, _, err = run(capsys, monkeypatch, "password", "nobody", "--password-stdin",
                       stdin=GOOD)
    assert code == 2 and "no account “nobody”" in err
    code, _, err = run(capsys, monkeypatch, "create", "bad name!", "--password-stdin", stdin=GOOD)
    assert code == 2 and "username" in err.lower()


def test_a_token_is_printed_once_works_and_is_revoked(capsys, monkeypatch):
    from sailau.accounts.models import ApiToken

    run(capsys, monkeypatch, "create", "farida", "--password-stdin", stdin=GOOD)
    code, out, err = run(capsys, monkeypatch, "token", "create", "farida", "--label", "entry",
                         "--days", "7")
    token = out.strip()
    assert code == 0 and len(token) >= 40 and "\n" not in token and "Bearer" in err
    assert me(token) == 200
    stored = ApiToken.objects.get(user__username="farida", label="entry")
    assert token not in (stored.key_hash, stored.label) and stored.label == "entry"
    code, out, _ = run(capsys, monkeypatch, "token", "list", "farida")
    assert token not in out and rows(out)[0]["id"] == stored.pk and rows(out)[0]["active"]
    code, _, err = run(capsys, monkeypatch, "token", "create", "farida", "--days", "400")
    assert code == 2 and "1 to 366 days" in err
    # The first token is enough to make the next one itself (docs/guides/commission.md).
    r = Client().post("/api/accounts/tokens", data=json.dumps({"label": "next", "days": 7}),
                      content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200 and me(r.json()["token"]) == 200
    code, _, err = run(capsys, monkeypatch, "token", "revoke", "farida", "999999")
    assert code == 2 and "has no token 999999" in err and me(token) == 200
    code, out, _ = run(capsys, monkeypatch, "token", "revoke", "farida", str(stored.pk))
    assert code == 0 and rows(out) == [{"username": "farida", "revoked": 1}]
    assert me(token) == 401


def test_disable_stops_sign_in_and_tokens_and_enable_gives_them_back(capsys, monkeypatch):
    run(capsys, monkeypatch, "create", "gani", "--password-stdin", stdin=GOOD)
    token = run(capsys, monkeypatch, "token", "create", "gani")[1].strip()
    code, out, _ = run(capsys, monkeypatch, "disable", "gani")
    assert code == 0 and rows(out)[0]["active"] is False
    assert not Client().login(username="gani", password=GOOD) and me(token) == 401
    code, _, err = run(capsys, monkeypatch, "token", "create", "gani")
    assert code == 2 and "disabled" in err
    assert run(capsys, monkeypatch, "enable", "gani")[0] == 0
    assert Client().login(username="gani", password=GOOD) and me(token) == 200


def test_setting_a_password_checks_it_and_stops_the_tokens(capsys, monkeypatch):
    run(capsys, monkeypatch, "create", "hana", "--password-stdin", stdin=GOOD)
    token = run(capsys, monkeypatch, "token", "create", "hana")[1].strip()
    code, _, err = run(capsys, monkeypatch, "password", "hana", "--password-stdin",
                       stdin="12345")
    assert code == 2 and "too short" in err
    assert Client().login(username="hana", password=GOOD) and me(token) == 200
    code, _, err = run(capsys, monkeypatch, "password", "hana", "--password-stdin",
                       stdin="new-" + GOOD)
    assert code == 0, err
    assert not Client().login(username="hana", password=GOOD)
    assert Client().login(username="hana", password="new-" + GOOD) and me(token) == 401
