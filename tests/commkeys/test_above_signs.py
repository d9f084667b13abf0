"""A protocol the commission above typed from the paper on the station's behalf (the station's
commission could not: no connection, no device) is signed by that commission above with its own
confirmed key (`sailau-protocol/4`: the signer and the station inside the signed bytes), never by
the server and never as the station commission's own signature. A commission that is not above
the station is refused; the station's own key and the one above both signing: one is kept, the
other told."""

import base64
import html
import json

import pytest

from sailau.elections.models import Commission as CommissionModel
from sailau.elections.models import CommissionKey
from sailau.ledger.models import Leaf
from sailau.protocols.models import AwaitingSignature, Protocol
from sailau.tlog import leaves
from sailau.verify import signatures
from tests.commkeys.conftest import call, client_for

pytestmark = pytest.mark.django_db


class Above:
    """The station's district commission: two operators who type the paper protocol, the
    coordinator of the territorial commission above it who confirms its key, its key."""

    def __init__(self, own, people, commission_id=None):
        self.own = own
        self.commission = CommissionModel.objects.get(pk=commission_id or own.station.district_id)
        self.users = [people.user("operator", self.commission.pk) for _ in range(2)]
        self.members = [client_for(u) for u in self.users]
        self.confirmer = client_for(people.coordinator(self.commission.parent_id))
        self.private, self.public = signatures.new_key_pair()
        self.key_id = signatures.key_id(self.public)

    def take_key(self):
        r = call(self.members[0], "post", f"/api/keys/commissions/{self.commission.pk}",
                 {"public_key": self.public})
        assert r.status_code == 200, r.content
        r = call(self.confirmer, "post", f"/api/keys/commissions/{self.commission.pk}/"
                                         f"{self.key_id}/confirm")
        assert r.status_code == 200, r.content

    def type_paper(self):
        """Both entries of the station's paper protocol, typed by this commission's operators."""
        from sailau.protocols.catalog import Catalog

        own = self.own
        p = own.syn.protocols[(own.station.id, own.contest)]
        form = Catalog().contest(own.contest).form
        body = {"figures": p["figures"], "choices": p["choices"],
                "acknowledged": [f.code for f in form.check(p["figures"], p["choices"])
                                 if f.severity == "warning"]}
        for n, c in zip((1, 2), self.members, strict=True):
            r = call(c, "post", f"/api/protocols/{own.station.id}/{own.contest}/entry/{n}/"
                                "finalise", body)
            assert r.status_code == 200, r.content
        return r.json()

    def to_sign(self):
        return client_for(self.users[0]).get(f"{self.own.signature_url}?commission="
                                             f"{self.commission.pk}")

    def sign(self, req=None, member=1, commission=None, private=None):
        req = req or self.to_sign().json()
        sig = signatures.sign(private or self.private, base64.b64decode(req["message"]))
        body = {"version": req["protocol"]["version"], "signature": sig}
        if commission:
            body["commission"] = commission
        return call(self.members[member], "post", self.own.signature_url, body)


@pytest.fixture
def above(own, people):
    return Above(own, people)


def current(own):
    return Protocol.objects.current().get(station=own.station, contest_id=own.contest)


def leaf_of(own, version=1):
    return leaves.decode(bytes(Leaf.objects.get(
        kind="protocol", subject=f"{own.station.id}/{own.contest}/{version}").data))


def test_typed_above_waits_for_the_commission_above_and_is_signed_by_it(own, above):
    """The station's commission has no key of its own (the server holds one for it): what
    the district typed waits for the district's signature, not the server's."""
    above.take_key()
    assert above.type_paper()["state"] == "definitive"
    held = AwaitingSignature.objects.get(station=own.station, contest_id=own.contest)
    assert held.typed_by == above.commission.pk
    assert not Protocol.objects.filter(station=own.station, contest_id=own.contest).exists()
    req = above.to_sign().json()
    assert req["format"] == "sailau-protocol/4" and req["commission"] == above.commission.pk
    assert req["key_id"] == above.key_id and req["typed_by"] == above.commission.pk
    assert req["protocol"]["signed_by"] == above.commission.pk
    message = base64.b64decode(req["message"])
    assert message == signatures.behalf_bytes(req["protocol"])
    assert f'"signed_by":"{above.commission.pk}"'.encode() in message
    assert f'"station":"{own.station.id}"'.encode() in message
    # the default request (no commission named) is the same: the station's has no key
    assert own.to_sign().json()["message"] == req["message"]

    r = above.sign(req)
    assert r.status_code == 200, r.content
    assert r.json()["on_behalf"] is True and r.json()["signed_by"] == above.commission.pk
    p = current(own)
    assert (p.signed_with, p.signed_message, p.signed_by) == (
        above.public, "sailau-protocol/4", above.commission.pk)
    server = CommissionKey.objects.get(commission=own.commission, held_by_server=True)
    assert p.signed_with != server.public_key
    leaf = leaf_of(own)
    assert leaf["signature"] == {"key": above.key_id, "signature": p.signature,
                                 "message": "sailau-protocol/4", "by": above.commission.pk}
    assert signatures.verify_signature(above.public, signatures.leaf_bytes(leaf), p.signature)
    # the signature is never the station commission's own: its form names the signer
    assert not signatures.verify_signature(above.public, signatures.signed_bytes(
        {**leaf, "signed_by": None}, "sailau-protocol/2"), p.signature)


def test_without_a_key_above_the_server_still_signs(own, above):
    """A commission above with no key of its own: the server signs as before (a key it holds,
    flagged as such everywhere)."""
    above.type_paper()
    p = current(own)
    assert p.signed_message == "" and p.signed_by == ""


def test_a_commission_not_above_the_station_is_refused(own, above, people):
    above.take_key()
    above.type_paper()
    others = [c for c in CommissionModel.objects.filter(election=own.election,
                                                         level=CommissionModel.DISTRICT)
              if c.pk != own.station.district_id]
    stranger = Above(own, people, others[0].pk)
    stranger.take_key()
    # asking for the bytes as the other district: refused
    r = stranger.to_sign()
    assert r.status_code == 403 and r.json()["error"] == "not_above"
    # signing (as the bytes of the district that typed it would be) as the other district
    req = above.to_sign().json()
    for lang, words in (("kk", "жоғары тұрған комиссия"), ("ru", "вышестоящая комиссия"),
                        ("en", "commission above")):
        r = stranger.members[0].post(own.signature_url, content_type="application/json",
                                     data={"version": 1, "signature": signatures.sign(
                                         stranger.private, base64.b64decode(req["message"]))},
                                     HTTP_ACCEPT_LANGUAGE=lang)
        assert r.status_code == 403 and r.json()["error"] == "not_above", r.content
        assert words in r.json()["message"], r.json()
    r = stranger.sign(req, commission=stranger.commission.pk)
    assert r.status_code == 403 and r.json()["error"] == "not_above"
    # a district above that did not type it may not either (the station's own typed it)
    assert AwaitingSignature.objects.filter(station=own.station).exists()
    assert not Protocol.objects.filter(station=own.station, contest_id=own.contest).exists()


def test_the_commission_above_may_not_sign_what_the_station_typed(own, above):
    own.register()
    own.confirm()
    above.take_key()
    own.enter()  # the station's own operators typed it
    assert AwaitingSignature.objects.get(station=own.station).typed_by == ""
    r = above.to_sign()
    assert r.status_code == 403 and r.json()["error"] == "not_above"
    req = own.to_sign().json()
    r = above.sign({**req, "message": base64.b64encode(signatures.behalf_bytes(
        {**req["protocol"], "signed_by": above.commission.pk})).decode()})
    assert r.status_code == 403 and r.json()["error"] == "not_above"


@pytest.mark.parametrize("first", ["station", "above"])
def test_both_sign_one_is_kept_the_other_told(own, above, first):
    """The station's commission has its own key too: either may sign what the district typed;
    the first signature is kept, the other is told `already_signed`."""
    own.register()
    own.confirm()
    above.take_key()
    above.type_paper()
    mine, theirs = own.to_sign().json(), above.to_sign().json()
    assert mine["format"] == "sailau-protocol/2" and theirs["format"] == "sailau-protocol/4"
    sign_station = lambda: own.sign(mine)
    sign_above = lambda: above.sign(theirs)
    a, b = (sign_station, sign_above) if first == "station" else (sign_above, sign_station)
    assert a().status_code == 200
    r = b()
    assert r.status_code == 409 and r.json()["error"] == "already_signed"
    p = current(own)
    assert p.version == 1 and Protocol.objects.filter(station=own.station).count() == 1
    assert p.signed_by == ("" if first == "station" else above.commission.pk)
    assert p.signed_with == (own.public if first == "station" else above.public)


def test_a_signature_by_the_commission_above_over_other_figures_is_refused(own, above):
    above.take_key()
    above.type_paper()
    req = above.to_sign().json()
    other = {**req["protocol"], "version": 1,
             "choices": {k: v + 1 for k, v in req["protocol"]["choices"].items()}}
    forged = base64.b64encode(signatures.behalf_bytes(other)).decode()
    r = above.sign({**req, "message": forged})
    assert r.status_code == 422 and r.json()["error"] == "signature_invalid"


# --- what readers are told: `sailau verify`, the station page ---------------------------------

def verify(own, capsys, *extra) -> dict:
    from sailau.cli import main
    from sailau.publish.pipeline import snapshots

    capsys.readouterr()
    main(["verify", str(snapshots.election_dir(own.election.id)), "--json", *extra])
    return json.loads(capsys.readouterr().out)


def signed_above(own, above):
    from sailau.publish.pipeline import snapshots

    above.take_key()
    above.type_paper()
    assert above.sign().status_code == 200
    snapshots.publish(own.election.id)


def test_verify_accepts_the_signature_above_and_names_it(own, above, capsys):
    from sailau.cli import main
    from sailau.publish.pipeline import snapshots

    signed_above(own, above)
    report = verify(own, capsys)
    assert [f for f in report["failures"] if f["check"] in ("signatures", "leaves")] == []
    mine = next(s for s in report["signers"] if s["station"] == own.station.id
                and s["contest"] == own.contest)
    assert mine["on_behalf_by"] == above.commission.pk and mine["key"] == above.key_id
    assert mine["commission"] == own.commission.pk and not mine["held_by_server"]
    assert mine["confirmed_by"] == above.commission.parent_id
    n = own.station.number
    assert mine["on_behalf"]["en"] == (f"Typed from the paper and signed by "
                                       f"{above.commission.names["en"]} on behalf of station No. {n}")
    assert f"от имени участка № {n}: {above.commission.names["ru"]}" in mine["on_behalf"]["ru"]
    assert mine["on_behalf"]["kk"].startswith(above.commission.names["kk"])
    assert f"№ {n} учаске атынан қол қойды" in mine["on_behalf"]["kk"]
    capsys.readouterr()
    assert main(["verify", str(snapshots.election_dir(own.election.id)), "--signers",
                 "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert mine["on_behalf"]["ru"] in out and f"key {above.key_id} of {above.commission.pk}" in out


def forge_behalf(own, by: str, private: bytes, public: str) -> None:
    """What an operator could write: version 2, signed `sailau-protocol/4` "on behalf of" the
    station by commission `by` with `private`, into the database and the log, then published."""
    from sailau.ledger import outbox
    from sailau.protocols import logged
    from sailau.publish.pipeline import snapshots

    v1 = current(own)
    a, b = sorted(v1.choices, key=lambda k: -v1.choices[k])[:2]
    moved = min(50, v1.choices[a])
    choices = {**v1.choices, a: v1.choices[a] - moved, b: v1.choices[b] + moved}
    body = {"station": v1.station_id, "contest": v1.contest_id, "version": 2,
            "figures": v1.figures, "choices": choices, "scans": [], "signed_by": by}
    sig = signatures.sign(private, signatures.behalf_bytes(body))
    Protocol.objects.filter(pk=v1.pk).update(current=False)
    Protocol.objects.create(station=v1.station, contest=v1.contest, version=2, figures=v1.figures,
                            choices=choices, source="amendment", signature=sig,
                            signed_with=public, signed_message="sailau-protocol/4",
                            signed_scans=[], signed_by=by)
    outbox.append(own.election.id, "protocol", logged.subject(v1.station_id, v1.contest_id, 2),
                  station=v1.station_id, contest=v1.contest_id, version=2, figures=v1.figures,
                  choices=choices, scans=[], decision=None,
                  signature={"key": signatures.key_id(public), "signature": sig,
                             "message": "sailau-protocol/4", "by": by})
    snapshots.publish(own.election.id)


def test_verify_refuses_a_signature_by_a_commission_not_above_the_station(own, above, people,
                                                                          capsys):
    """Another district, with a key of its own confirmed as the rules want, signs "on behalf
    of" a station that is not its own: `sailau verify` refuses it."""
    signed_above(own, above)
    other = next(c for c in CommissionModel.objects.filter(election=own.election,
                                                           level=CommissionModel.DISTRICT)
                 if c.pk != own.station.district_id)
    stranger = Above(own, people, other.pk)
    stranger.take_key()
    forge_behalf(own, other.pk, stranger.private, stranger.public)
    found = [f["message"] for f in verify(own, capsys)["failures"]
             if f["check"] == "signatures"]
    assert any(f"by commission {other.pk}, which is not above station {own.station.id}" in m
               for m in found), found


def test_verify_refuses_a_signature_above_with_a_key_nobody_confirmed(own, above, capsys):
    """The district above, with a key registered but never confirmed by the territorial
    commission: refused."""
    from sailau.ledger import outbox

    signed_above(own, above)
    private, public = signatures.new_key_pair()
    outbox.append(own.election.id, "commission-key", above.commission.pk, action="register",
                  commission=above.commission.pk, public_key=public, held_by_server=False,
                  reason=None, by=above.commission.pk, late=True)
    forge_behalf(own, above.commission.pk, private, public)
    found = [f["message"] for f in verify(own, capsys)["failures"]
             if f["check"] == "signatures"]
    assert any("that the commission above had not confirmed" in m for m in found), found


def test_the_station_page_says_who_typed_and_signed(own, above):
    from django.test import Client

    signed_above(own, above)
    n = own.station.number
    for lang, name, words in (
            ("kk", above.commission.names["kk"], f"№ {n} учаске атынан қол қойды"),
            ("ru", above.commission.names["ru"], f"подписан от имени участка № {n}"),
            ("en", above.commission.names["en"], f"on behalf of station No. {n}")):
        r = Client().get(f"/{lang}/e/{own.election.id}/s/{n}/")
        assert r.status_code == 200
        text = html.unescape(r.content.decode())
        assert words in text and name in text and above.key_id in text, lang
        # never shown as the station commission's own signature
        assert "Signed by the commission with its own key" not in text
        assert "Комиссия өз кілтімен қол қойды" not in text
        assert "Комиссия подписала своим ключом" not in text


def test_the_sign_page_and_the_work_list_of_the_commission_above(own, above, people):
    """The district's member finds "Sign the protocol" on the work list and the sign page says
    who signs for whom and asks for the district's bytes; a member of another station's
    commission may not open it."""
    above.take_key()
    above.type_paper()
    home = above.members[0].get("/en/entry/").content.decode()
    url = f"/en/entry/{own.station.id}/{own.contest}/sign/"
    assert url in home
    for lang, words in (("kk", f"№ {own.station.number} учаске атынан қол қойды"),
                        ("ru", f"от имени участка № {own.station.number}"),
                        ("en", f"on behalf of station No. {own.station.number}")):
        r = above.members[0].get(url.replace("/en/", f"/{lang}/"))
        assert r.status_code == 200
        text = html.unescape(r.content.decode())
        assert words in text and above.key_id in text, lang
    boot = json.loads(html.unescape(r.content.decode().split('id="key-boot"')[1]
                                    .split(">", 1)[1].split("</script>")[0]))
    assert boot["commission"] == above.commission.pk
    assert boot["to_sign"].endswith(f"?commission={above.commission.pk}")
    stranger = client_for(people.operator(people.stations[-1]))
    assert stranger.get(url).status_code == 403


# --- the paper: its code and its printed words -------------------------------------------------

def test_the_printed_protocol_and_its_code_say_who_signed(own, above, people):
    paper_and_forgery(own, above, people)


def paper_and_forgery(own, above, people) -> tuple[bytes, bytes]:
    """The code is format 4: it names the commission above, its signature verifies with that
    commission's key and with no key of the station's commission; the printed form says so in
    Kazakh and Russian; a scan of it matches, and a code naming another district does not."""
    import io

    import pypdfium2 as pdfium

    from sailau.scans import service
    from sailau.scans.models import Scan
    from sailau.verify import qr

    above.take_key()
    above.type_paper()
    assert above.sign().status_code == 200
    p = current(own)
    code = service.payload_for(p)
    assert code.format == 4 and code.signed_by_commission == above.commission.pk
    assert code.key_id == above.key_id and code.text.startswith("SLU4|")
    assert qr.parse(code.text) == code
    lines, ballot = p.contest.form.keys, service.choice_keys(p.contest)
    assert code.signed_by(above.public, lines, ballot)
    station_keys = CommissionKey.objects.filter(commission=own.commission)
    assert not any(code.signed_by(k.public_key, lines, ballot) for k in station_keys)

    pdf = service.protocol_pdf(p)
    doc = pdfium.PdfDocument(pdf)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))).split()
    doc.close()
    n = own.station.number
    assert "".join(f"№ {n} учаске атынан қол қойды".split()) in "".join(text)
    assert "".join(f"подписан от имени участка № {n}".split()) in "".join(text)
    assert qr.decode_pdf(pdf) == [code.text]
    assert service.upload_scan(p.station, p.contest, pdf, "paper.pdf").status == Scan.MATCH

    # the same figures "signed on its behalf" by another district with its own key: a mismatch
    other = next(c for c in CommissionModel.objects.filter(election=own.election,
                                                           level=CommissionModel.DISTRICT)
                 if c.pk != own.station.district_id)
    stranger = Above(own, people, other.pk)
    stranger.take_key()
    body = {"station": p.station_id, "contest": p.contest_id, "version": 1,
            "figures": p.figures, "choices": p.choices, "scans": p.signed_scans,
            "signed_by": other.pk}
    forged = qr.build(p.station_id, p.contest_id, 1, code.lines, code.choices,
                      signatures.sign(stranger.private, signatures.behalf_bytes(body)),
                      key_id=stranger.key_id, message="sailau-protocol/4",
                      scans=p.signed_scans, signed_by=other.pk)
    png = io.BytesIO()
    qr.to_image(forged).save(png, format="PNG")
    scan = service.upload_scan(p.station, p.contest, png.getvalue(), "forged.png")
    assert (scan.status, scan.reason) == (Scan.MISMATCH, "signature")
    return pdf, png.getvalue()


def test_verify_scans_offline_accepts_the_paper_above_and_refuses_another_district(
        own, above, people, tmp_path, capsys):
    from sailau.publish.pipeline import snapshots

    pdf, forged = paper_and_forgery(own, above, people)
    snapshots.publish(own.election.id)
    (tmp_path / "paper.pdf").write_bytes(pdf)
    (tmp_path / "forged.png").write_bytes(forged)
    report = verify(own, capsys, "--scans", str(tmp_path))
    status = {row["file"]: row["status"] for row in report["scans"]}
    assert status == {"paper.pdf": "matches", "forged.png": "bad_signature"}, report["scans"]
    assert any("not by a commission above station" in f["message"]
               for f in report["failures"] if f["check"] == "scans")


def test_audit_verify_holds_the_database_to_the_leaf_signed_above(own, above, capsys,
                                                                  monkeypatch, tmp_path):
    """`sailau audit verify` rebuilds each version's leaf from its row, the signer included: the
    honest record holds, and a row whose signer was changed afterwards is named."""
    from sailau.cli import main

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))  # this test's snapshots only
    monkeypatch.setattr("sailau.cli.django_setup.setup", lambda: None)  # the test db is set up
    signed_above(own, above)
    assert main(["audit", "verify"]) == 0, capsys.readouterr().out
    Protocol.objects.filter(pk=current(own).pk).update(signed_by=own.station.territory_id)
    capsys.readouterr()
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "signature.by" in out and above.commission.pk in out, out


def test_an_amendment_entered_above_is_signed_above_citing_its_decision(own, above, people,
                                                                        tmp_path, capsys):
    """The district's coordinator amends what the district typed and signed: version 2 waits
    for the district's signature in sailau-protocol/4 with the decision inside (made with
    `sailau keys sign` from a key file, as a commission working through the API would), and
    `sailau verify` accepts it."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from sailau.cli import main
    from sailau.protocols import services
    from sailau.publish.pipeline import snapshots
    from tests import factories as f

    signed_above(own, above)
    v1 = current(own)
    moved = dict(v1.choices)
    a, b = sorted(moved)[:2]
    moved[a], moved[b] = moved[a] - 1, moved[b] + 1
    coordinator = people.coordinator(above.commission.pk)
    services.amend(get_user_model().objects.get(pk=coordinator.pk), own.station.id, own.contest,
                   v1.figures, moved, "7/1", own.election.date + dt.timedelta(days=2),
                   "recount", f.warnings(v1.contest, v1.figures, moved))
    assert AwaitingSignature.objects.get(station=own.station).typed_by == above.commission.pk
    req = above.to_sign().json()
    assert req["format"] == "sailau-protocol/4" and req["protocol"]["decision"]["number"] == "7/1"
    key = tmp_path / "district.key"
    key.write_text(json.dumps({"format": "sailau-commission-key/1", "algorithm": "Ed25519",
                               "commission": above.commission.pk,
                               "private_key": base64.b64encode(above.private).decode(),
                               "public_key": above.public, "key_id": above.key_id}))
    (tmp_path / "to-sign.json").write_text(json.dumps(req))
    capsys.readouterr()
    assert main(["keys", "sign", str(key), str(tmp_path / "to-sign.json")]) == 0
    signed = json.loads(capsys.readouterr().out)
    assert signed["commission"] == above.commission.pk
    r = call(above.members[0], "post", own.signature_url, signed)
    assert r.status_code == 200, r.content
    leaf = leaf_of(own, 2)
    assert leaf["decision"]["number"] == "7/1" and leaf["signature"]["by"] == above.commission.pk
    assert b'"decision":{"date":' in signatures.leaf_bytes(leaf)
    snapshots.publish(own.election.id)
    report = verify(own, capsys)
    assert [x for x in report["failures"] if x["check"] in ("signatures", "leaves")] == []
