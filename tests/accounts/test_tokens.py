"""API tokens: they expire, their owner lists and revokes them, a password change revokes them
all, and a revoked or expired token is refused like an unknown one."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def me(token):
    return Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def issue(client, **body):
    r = client.post("/api/accounts/tokens", body, content_type="application/json")
    assert r.status_code == 200, r.content
    return r.json()


def test_expiry_listing_revocation(make_user, settings):
    from sailau.accounts.models import ApiToken

    settings.SAILAU_TOKEN_DAYS = 30
    user, other = make_user("scripter"), make_user("other")
    c = Client()
    c.force_login(user)
    first = issue(c, label="nightly")
    short = issue(c, label="short", days=1)
    row = ApiToken.objects.get(pk=first["id"])
    assert abs(row.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    assert me(first["token"]) == me(short["token"]) == 200
    listed = c.get("/api/accounts/tokens").json()
    assert [t["label"] for t in listed] == ["short", "nightly"]
    assert all("token" not in t and "key_hash" not in t for t in listed)
    # Expired: refused.
    ApiToken.objects.filter(pk=short["id"]).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert me(short["token"]) == 401
    # Revoked by its owner: refused, and shown as revoked.
    r = c.delete(f"/api/accounts/tokens/{first['id']}")
    assert r.status_code == 200 and r.json()["active"] is False
    assert me(first["token"]) == 401
    # Nobody revokes or sees another's token.
    theirs = ApiToken.create(other, "theirs")[0]
    assert c.delete(f"/api/accounts/tokens/{theirs.pk}").status_code == 422
    assert theirs.pk not in {t["id"] for t in c.get("/api/accounts/tokens").json()}
    bad = c.post("/api/accounts/tokens", {"days": 0}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "days"


def test_password_change_revokes_every_token(make_user):
    from sailau.accounts.models import ApiToken
    from sailau.audit.models import Record

    user = make_user("changer")
    tokens = [ApiToken.issue(user, f"t{i}") for i in range(2)]
    assert {me(t) for t in tokens} == {200}
    user.last_login = timezone.now()  # an ordinary save is no change of password
    user.save()
    assert {me(t) for t in tokens} == {200}
    user.set_password("another-Secret-2")
    user.save()
    assert {me(t) for t in tokens} == {401}
    assert not ApiToken.live().filter(user=user).exists()
    assert Record.objects.filter(action="token.revoked", payload__why="password changed").exists()
    # A token issued after the change works.
    assert me(ApiToken.issue(user)) == 200


@pytest.mark.parametrize(("lang", "says"), [("kk", "токен 1-ден 366 күнге дейін жарамды, 0 емес"),
                                            ("ru", "токен действует от 1 до 366 дней, а не 0"),
                                            ("en", "a token lives 1 to 366 days, not 0")])
def test_a_refused_token_is_explained_in_the_requests_language(make_user, lang, says):
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(make_user("scripter"))
    bad = c.post("/api/accounts/tokens", {"days": 0}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["message"] == f"days: {says}"


def test_tokens_issued_in_bulk_work_as_one_issued_alone(make_user, settings):
    """`issue_many` (the demo night's thousands of operators): one token a user however often
    named, each stored as its digest only, with its label and the lifetime one alone gets."""
    from sailau.accounts.models import ApiToken

    settings.SAILAU_TOKEN_DAYS = 30
    a, b = make_user("bulk-a"), make_user("bulk-b")
    tokens = ApiToken.issue_many([a.pk, b.pk, a.pk], "night")
    assert set(tokens) == {a.pk, b.pk} and tokens[a.pk] != tokens[b.pk]
    assert me(tokens[a.pk]) == me(tokens[b.pk]) == 200
    rows = {t.user_id: t for t in ApiToken.objects.filter(label="night")}
    assert {u: r.key_hash for u, r in rows.items()} == {
        u: ApiToken.digest(t) for u, t in tokens.items()}
    for r in rows.values():
        assert r.revoked_at is None
        assert abs(r.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
