"""The commission's key pages without a browser: who may see them, the coordinator's
confirmation through the page's form, the work list's links, the sign page's fields."""

import pytest

from sailau.elections.models import CommissionKey
from tests.commkeys.conftest import client_for

pytestmark = pytest.mark.django_db


def test_only_members_and_the_commission_above_see_the_key_page(own, people):
    url = f"/kk/entry/keys/{own.commission.pk}/"
    assert own.members[0].get(url).status_code == 200
    assert own.above.get(url).status_code == 200
    stranger = client_for(people.operator(people.stations[-1]))
    assert stranger.get(url).status_code == 403
    assert own.members[0].get("/kk/entry/keys/no-such-commission/").status_code == 404


def test_the_coordinator_confirms_through_the_page(own, people):
    assert own.register().status_code == 200
    home = own.above.get("/ru/entry/").content.decode()
    assert f'href="/ru/entry/keys/{own.commission.pk}/"' in home and "to-confirm" in home
    # a member cannot confirm the commission's own key
    own.members[0].post(f"/kk/entry/keys/{own.commission.pk}/", {"key_id": own.key_id})
    assert CommissionKey.objects.get(public_key=own.public).confirmed_at is None
    r = own.above.post(f"/ru/entry/keys/{own.commission.pk}/", {"key_id": own.key_id})
    assert r.status_code == 302 and "confirmed=1" in r["Location"]
    k = CommissionKey.objects.get(public_key=own.public)
    assert k.confirmed_by_commission == own.commission.parent_id
    page = own.above.get(r["Location"]).content.decode()
    assert "Ключ подтверждён" in page and "to-confirm" not in own.above.get("/ru/entry/").content.decode()
    # confirming again is refused with the page's language
    r = own.above.post(f"/ru/entry/keys/{own.commission.pk}/", {"key_id": own.key_id})
    assert r.status_code == 200 and 'id="problem"' in r.content.decode()
    # in English too, the page says the code's text, not the log's message naming the key
    from html import unescape

    from sailau.errors import MESSAGES, Code

    r = own.above.post(f"/en/entry/keys/{own.commission.pk}/", {"key_id": own.key_id})
    page = unescape(r.content.decode())
    assert MESSAGES[Code.KEY_CONFIRMED]["en"] in page and " of commission " not in page


def test_the_sign_page_shows_what_awaits_the_signature(own):
    url = f"/kk/entry/{own.station.id}/{own.contest}/sign/"
    assert 'id="nothing"' in own.members[0].get(url).content.decode()
    assert own.register().status_code == 200 and own.confirm().status_code == 200
    own.enter()
    home = own.members[1].get("/kk/entry/").content.decode()
    assert f'href="{url}"' in home and "Хаттамаға қол қою" in home
    page = own.members[1].get(url).content.decode()
    assert own.key_id in page and 'id="we-sign"' in page and "sailau keys generate" in page
    votes = own.syn.protocols[(own.station.id, own.contest)]["choices"]
    assert all(f'<td class="n">{n}</td>' in page for n in votes.values() if n < 1000)
    assert own.above.get(url).status_code == 403  # the commission above does not sign for it
