"""Login throttling: after 10 wrong passwords the account is refused from that address, even
with the right password, with a message in the page's language; the count lives in the
database, so every server process shares it."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

MESSAGES = {"kk": "Бұл тіркелгі үшін қате құпиясөз тым көп",
            "ru": "Слишком много неверных паролей для этой учётной записи",
            "en": "Too many wrong passwords for this account"}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_ten_wrong_passwords_lock_out_and_the_right_one_is_then_refused(make_user, lang):
    from axes.models import AccessAttempt

    make_user("target", password="right-Secret-1")
    url = f"/{lang}/entry/login/"
    c = Client()
    for i in range(10):
        r = c.post(url, {"username": "target", "password": f"wrong-{i}"})
        assert r.status_code in (200, 429)
    assert AccessAttempt.objects.get(username="target").failures_since_start >= 10
    # Another process is another client: the database, not memory, holds the count.
    r = Client().post(url, {"username": "target", "password": "right-Secret-1"})
    assert r.status_code == 429
    assert MESSAGES[lang] in r.content.decode()
    assert "_auth_user_id" not in Client().session


def test_a_few_wrong_passwords_do_not_lock_out(make_user):
    make_user("typo", password="right-Secret-1")
    c = Client()
    for i in range(3):
        c.post("/en/entry/login/", {"username": "typo", "password": f"wrong-{i}"})
    r = c.post("/en/entry/login/", {"username": "typo", "password": "right-Secret-1"})
    assert r.status_code == 302


# Behind the proxy (SAILAU_TRUSTED_PROXIES): the client address is the one the proxy appended.
# tests/accounts/test_behind_proxy.py does the same through a real proxy and server.

def _through_proxy(client_ip):
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=client_ip)


def test_wrong_passwords_from_one_client_do_not_lock_the_owner_out_elsewhere(make_user, settings):
    settings.SAILAU_TRUSTED_PROXIES = "127.0.0.1"
    make_user("operator", password="right-Secret-1")
    attacker = _through_proxy("198.51.100.66")
    for i in range(12):
        attacker.post("/en/entry/login/", {"username": "operator", "password": f"wrong-{i}"})
    refused = attacker.post("/en/entry/login/", {"username": "operator",
                                                 "password": "right-Secret-1"})
    assert refused.status_code == 429
    owner = _through_proxy("203.0.113.10")
    assert owner.post("/en/entry/login/", {"username": "operator",
                                           "password": "right-Secret-1"}).status_code == 302


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_one_password_sprayed_over_many_accounts_stops_the_address(make_user, settings, lang):
    from sailau.accounts.lockout import ADDRESS_MESSAGE

    settings.SAILAU_TRUSTED_PROXIES = "127.0.0.1"
    settings.SAILAU_LOGIN_FAILURES_PER_ADDRESS = 8
    make_user("victim", password="right-Secret-1")
    sprayer = _through_proxy("198.51.100.66")
    statuses = [sprayer.post(f"/{lang}/entry/login/", {"username": f"user{i}",
                                                        "password": "Qwerty123"}).status_code
                for i in range(12)]
    assert statuses[:8] == [200] * 8 and set(statuses[8:]) == {429}, statuses
    # Even an account that exists, with its right password, is refused from that address...
    r = sprayer.post(f"/{lang}/entry/login/", {"username": "victim", "password": "right-Secret-1"})
    assert r.status_code == 429 and ADDRESS_MESSAGE[lang].split("{")[0] in r.content.decode()
    # ...and from anywhere else it is open.
    assert _through_proxy("203.0.113.10").post(
        f"/{lang}/entry/login/", {"username": "victim", "password": "right-Secret-1"}
    ).status_code == 302


def test_a_staff_session_lasts_one_shift_a_citizens_the_default(make_user, settings):
    from sailau.accounts.models import Role
    from tests.factories import RoleFactory, StationFactory

    clerk = make_user("clerk", password="right-Secret-1")
    RoleFactory(user=clerk, kind=Role.OPERATOR, commission=StationFactory().commission)
    make_user("citizen", password="right-Secret-1")
    ages = {}
    for name in ("clerk", "citizen"):
        c = Client()
        assert c.post("/en/entry/login/", {"username": name,
                                           "password": "right-Secret-1"}).status_code == 302
        ages[name] = c.session.get_expiry_age()
    assert ages["clerk"] == settings.SAILAU_STAFF_SESSION_HOURS * 3600 == 12 * 3600
    assert ages["citizen"] == settings.SESSION_COOKIE_AGE
