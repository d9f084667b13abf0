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
