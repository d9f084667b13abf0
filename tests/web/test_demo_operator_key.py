"""The demo's visitor signs as a commission, as the README's accounts table says, in Chromium:
`demo-operator` makes its commission's key on the key page (WebCrypto Ed25519, kept in the
browser), `demo-district-coordinator` confirms it, `demo-operator` and `demo-district-operator`
type the protocol, and `demo-operator` signs it in the browser where the key was made; the
protocol is published with that key's signature. On the demo's clock the polls have closed, so
the key is flagged late, as the README says."""

import json

import pytest

from tests.browser import NEEDS_CHROMIUM
from tests.web.test_readme_walk import README, visitors  # noqa: F401 (a fixture)

pytestmark = [*NEEDS_CHROMIUM, pytest.mark.slow]


@pytest.fixture
def operators_protocol(visitors):  # noqa: F811 (the fixture imported above)
    """The operator's station, its commission and its list protocol as its paper says. Read
    before Playwright starts (its event loop makes the ORM refuse to run in this thread)."""
    from sailau.demo import synthetic
    from sailau.elections.models import Commission, Station
    from sailau.protocols.catalog import Catalog

    station = Station.objects.get(election_id=visitors["E"], number=visitors["reserved"][0])
    # the paper of the night `night` built (seed 11, 120 stations), drawn again
    syn = synthetic.build(seed=11, stations=120, maslikhats=True)
    contest = next(c["id"] for c in syn.contests if c["kind"] == "party_list")
    p = syn.protocols[(station.id, contest)]
    form = Catalog().contest(contest).form
    body = {"figures": p["figures"], "choices": p["choices"],
            "acknowledged": [f.code for f in form.check(p["figures"], p["choices"],
                                                        registered=station.registered)
                             if f.severity == "warning"]}
    return {"station": station.id, "contest": contest, "body": body, "election": visitors["E"],
            "commission": Commission.objects.get(pk=station.commission_id)}


def sign_in(browser, base, account):
    page = browser.new_context().new_page()
    page.goto(f"{base}/ru/entry/login/")
    page.fill("#id_username", account)  # "The passwords are the account names."
    page.fill("#id_password", account)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return page


def finalise(page, base, p, n):
    url = f"{base}/api/protocols/{p['station']}/{p['contest']}/entry/{n}/finalise"
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    r = page.request.post(url, data=json.dumps(p["body"]),
                          headers={"Content-Type": "application/json", "X-CSRFToken": token,
                                   "Referer": base + "/"})
    assert r.status == 200, r.text()
    return r.json()["state"]


def test_the_readme_says_who_makes_confirms_and_signs_the_key():
    text = README.read_text()
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()
            if line.startswith("| ") and "`demo-" in line}
    assert any("key" in task and "`demo-operator`" in row for task, row in rows.items()), rows
    assert any("key" in task and "`demo-district-coordinator`" in row
               for task, row in rows.items()), rows


def test_the_demo_operator_makes_the_key_and_signs(operators_protocol, live_server, browser,
                                                   monkeypatch):
    base, p = live_server.url, operators_protocol
    commission = p["commission"]
    operator = sign_in(browser, base, "demo-operator")
    operator.goto(f"{base}/ru/entry/")
    operator.click(f"a[href='/ru/entry/keys/{commission.pk}/']")
    operator.click("#make-key")
    operator.wait_for_selector("#key-status[data-key-id]")
    key_id = operator.get_attribute("#key-status", "data-key-id")

    above = sign_in(browser, base, "demo-district-coordinator")
    above.goto(f"{base}/ru/entry/")
    above.click("a.to-confirm")
    above.click(f"tr[data-key='{key_id}'] button.confirm-key")
    above.wait_for_selector("text=Ключ подтверждён")

    assert finalise(operator, base, p, 1) != "definitive"
    second = sign_in(browser, base, "demo-district-operator")
    assert finalise(second, base, p, 2) == "definitive"
    operator.goto(f"{base}/ru/entry/")
    operator.click("text=Подписать протокол")
    operator.check("#we-sign")
    operator.click("#sign")
    operator.wait_for_selector("#sign-status[data-signed]")
    assert key_id in operator.inner_text("#sign-status")

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop is open
    from sailau.elections.models import CommissionKey
    from sailau.protocols.models import Protocol
    from sailau.verify.signatures import key_id as fingerprint

    signed = Protocol.objects.current().get(station_id=p["station"], contest_id=p["contest"])
    key = CommissionKey.objects.get(commission=commission, held_by_server=False)
    assert fingerprint(signed.signed_with) == key_id == fingerprint(key.public_key)
    assert signed.signed_message == "sailau-protocol/2"
    assert key.late and key.confirmed_by_commission == commission.parent_id
