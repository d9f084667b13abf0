"""The commission's key in the browser (Debian's Chromium, Playwright): the secretary makes the
key on the commission's page (WebCrypto Ed25519, non-extractable, in IndexedDB) and registers it,
the coordinator above confirms it on their page, two entries, the chair confirms "we sign this
protocol" and the page signs; the protocol is published and `sailau verify` names the signer.
The page's bytes are the Python bytes, and a browser without WebCrypto Ed25519 is told so."""

import json

import pytest

from tests.browser import NEEDS_CHROMIUM

pytestmark = [*NEEDS_CHROMIUM, pytest.mark.slow]
PASSWORD = "commission-key-1"


@pytest.fixture
def night(transactional_db):
    # Loaded before Playwright starts: its event loop makes the ORM refuse to run in this thread.
    from django.contrib.auth.models import User

    from sailau.accounts import services
    from sailau.demo.load import load
    from sailau.elections.models import Commission, Station
    from sailau.protocols.catalog import Catalog
    from tests.chain_fixtures import synthetic

    syn = synthetic()
    election = load(syn, route=False)
    st = Station.objects.filter(election=election).order_by("number").first()
    commission = Commission.objects.get(pk=st.commission_id)
    contest = f"{election.id}.list"
    for name, kind, at in (("secretary", "operator", st.commission_id),
                           ("chair", "operator", st.commission_id),
                           ("coordinator", "coordinator", commission.parent_id)):
        User.objects.create_user(name, password=PASSWORD)
        services.grant(None, name, kind, at)
    p = syn.protocols[(st.id, contest)]
    form = Catalog().contest(contest).form
    body = {"figures": p["figures"], "choices": p["choices"],
            "acknowledged": [f.code for f in form.check(p["figures"], p["choices"])
                             if f.severity == "warning"]}
    return {"election": election, "station": st, "commission": commission, "contest": contest,
            "body": body}


def log_in(browser, base, name, lang="kk"):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(f"{base}/{lang}/entry/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/{lang}/entry/")
    return page


def finalise(page, base, night, n):
    url = (f"{base}/api/protocols/{night['station'].id}/{night['contest']}/entry/{n}/finalise")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    r = page.request.post(url, data=json.dumps(night["body"]),
                          headers={"Content-Type": "application/json", "X-CSRFToken": token,
                                   "Referer": base + "/"})
    assert r.status == 200, r.text()
    return r.json()


def test_secretary_makes_the_key_coordinator_confirms_chair_signs_verify_names_it(
        night, live_server, browser, monkeypatch, tmp_path, capsys):
    base, commission = live_server.url, night["commission"]
    secretary = log_in(browser, base, "secretary")
    secretary.click(f"a[href='/kk/entry/keys/{commission.pk}/']")
    secretary.click("#make-key")
    secretary.wait_for_selector("#key-status[data-key-id]")
    key_id = secretary.get_attribute("#key-status", "data-key-id")
    # the private key in IndexedDB is a CryptoKey that cannot be exported
    assert secretary.evaluate("""(commission) => new Promise(ok => {
        indexedDB.open("sailau-commission-keys").onsuccess = e => {
          e.target.result.transaction("keys").objectStore("keys").get(commission).onsuccess =
            r => ok([r.target.result.privateKey.extractable, r.target.result.privateKey.type,
                     r.target.result.keyId]);
        };
      })""", commission.pk) == [False, "private", key_id]
    shown = secretary.inner_text("body")  # no English on the Kazakh page
    assert "Кілт осы компьютерде жасалып, тіркелді" in shown
    assert "register" not in shown.lower() and "key" not in shown.lower()

    coordinator = log_in(browser, base, "coordinator", "ru")
    coordinator.click("a.to-confirm")
    coordinator.click(f"tr[data-key='{key_id}'] button.confirm-key")
    coordinator.wait_for_selector("text=Ключ подтверждён")

    assert finalise(secretary, base, night, 1)["state"] != "definitive"
    chair = log_in(browser, base, "chair")
    assert finalise(chair, base, night, 2)["state"] == "definitive"
    # the chair signs on the computer where the key was made (the same browser profile here:
    # the secretary's context holds the key; the chair's own context holds none)
    chair.goto(f"{base}/kk/entry/")
    chair.click("text=Хаттамаға қол қою")
    chair.check("#we-sign")
    chair.click("#sign")
    chair.wait_for_selector("#sign-status.error")
    assert "Бұл компьютерде комиссияның кілті жоқ" in chair.inner_text("#sign-status")
    secretary.goto(f"{base}/kk/entry/")
    secretary.click("text=Хаттамаға қол қою")
    assert secretary.is_disabled("#sign")  # not before "we sign this protocol" is ticked
    secretary.check("#we-sign")
    secretary.click("#sign")
    secretary.wait_for_selector("#sign-status[data-signed]")
    assert key_id in secretary.inner_text("#sign-status")

    # Playwright's loop is still open in this thread: the ORM may run here, the test's own
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from sailau.cli import main
    from sailau.protocols.models import Protocol
    from sailau.publish.pipeline import snapshots

    p = Protocol.objects.current().get(station=night["station"], contest_id=night["contest"])
    assert p.signed_message == "sailau-protocol/2" and p.signed_with
    eid = night["election"].id
    snapshots.publish(eid)
    capsys.readouterr()
    assert main(["verify", str(snapshots.election_dir(eid)), "--signers"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines()
                if x.startswith(f"signer: station {night['station'].id} "))
    assert f"key {key_id} of {commission.pk}" in line and f"confirmed by {commission.parent_id}" \
        in line


def test_the_pages_bytes_are_the_python_bytes(night, live_server, browser):
    from sailau.verify import key_vectors, signatures

    page = log_in(browser, live_server.url, "secretary", "en")
    page.goto(f"{live_server.url}/en/entry/keys/{night['commission'].pk}/")
    cases = [(key_vectors.PROTOCOL, "sailau-protocol/2",
              signatures.own_bytes(key_vectors.PROTOCOL)),
             (key_vectors.AMENDED, "sailau-protocol/3",
              signatures.amended_bytes(key_vectors.AMENDED)),
             # a line left out as null, repeated and unsorted scans, a Kazakh reason
             ({**key_vectors.AMENDED, "figures": {**key_vectors.PROTOCOL["figures"], "lost": None},
               "scans": key_vectors.PROTOCOL["scans"] * 2,
               "decision": {"number": "№ 7/2", "date": "2023-03-22",
                            "reason": "Қайта санау \"дауыс\"\n"}}, "sailau-protocol/3", None),
             # typed from the paper and signed by the commission above (and an amendment so)
             ({**key_vectors.PROTOCOL, "signed_by": key_vectors.ABOVE}, "sailau-protocol/4",
              signatures.behalf_bytes({**key_vectors.PROTOCOL, "signed_by": key_vectors.ABOVE})),
             ({**key_vectors.AMENDED, "signed_by": key_vectors.ABOVE}, "sailau-protocol/4",
              None)]
    for protocol, form, expected in cases:
        expected = expected or signatures.signed_bytes(protocol, form)
        got = page.evaluate("([p, f]) => Array.from(SailauCommissionKey.signedBytes(p, f))",
                            [protocol, form])
        assert bytes(got) == expected, (form, bytes(got))


def test_a_browser_without_webcrypto_ed25519_is_pointed_to_the_command(night, live_server,
                                                                         browser):
    page = log_in(browser, live_server.url, "secretary")
    page.add_init_script("""crypto.subtle.generateKey = (alg, ...rest) =>
        Promise.reject(new DOMException("Ed25519 is not supported", "NotSupportedError"));""")
    page.goto(f"{live_server.url}/kk/entry/keys/{night['commission'].pk}/")
    page.wait_for_selector("#no-webcrypto:not([hidden])")
    text = page.inner_text("#no-webcrypto")
    assert "sailau keys generate" in text and "Бұл браузер" in text
    assert page.is_hidden("#make-key")
    assert "This browser" not in page.content()
