"""What the server refuses of keys and signatures, each with its code and a message in kk, ru
and en: a bad signature, a signature over other figures, a replay of an older version's
signature, an unconfirmed or revoked key, who may register, confirm and sign."""

import base64
import datetime as dt

import pytest

from sailau.protocols import services
from sailau.protocols.models import Protocol
from sailau.verify import signatures
from tests import factories as f
from tests.commkeys.conftest import call, client_for

pytestmark = pytest.mark.django_db


def refused(r, status, code):
    assert r.status_code == status, r.content
    body = r.json()
    assert body["error"] == code, body
    return body


def ready(own):
    assert own.register().status_code == 200
    assert own.confirm().status_code == 200
    own.enter()
    return own.to_sign().json()


def test_a_signature_that_does_not_verify_is_refused_in_three_languages(own):
    req = ready(own)
    other = signatures.new_private_key()
    for lang, word in (("kk", "Қолтаңба"), ("ru", "Подпись"), ("en", "signature")):
        # the API answers in the request's language
        r = own.members[1].post(own.signature_url, data={"version": 1, "signature":
                                signatures.sign(other, b"x")}, content_type="application/json",
                                HTTP_ACCEPT_LANGUAGE=lang)
        assert word.lower() in refused(r, 422, "signature_invalid")["message"].lower()
    # The wrong key over the right bytes is refused too; nothing is published.
    refused(own.sign(req, private=other), 422, "signature_invalid")
    assert not Protocol.objects.filter(station=own.station, contest_id=own.contest).exists()


def test_a_signature_over_other_figures_is_refused(own):
    req = ready(own)
    forged = dict(req["protocol"])
    first = min(forged["choices"])
    forged["choices"] = {**forged["choices"], first: forged["choices"][first] + 100}
    sig = signatures.sign(own.private, signatures.own_bytes(forged))
    refused(call(own.members[1], "post", own.signature_url, {"version": 1, "signature": sig}),
            422, "signature_invalid")
    # The commission's signature of what awaits it is accepted.
    assert own.sign(req).status_code == 200


def test_replay_of_an_older_versions_signature_is_refused(own):
    req = ready(own)
    assert own.sign(req).status_code == 200
    v1 = Protocol.objects.current().get(station=own.station, contest_id=own.contest)
    moved = dict(v1.choices)
    a, b = sorted(moved)[:2]
    moved[a], moved[b] = moved[a] - 1, moved[b] + 1
    services.amend(_coordinator_user(own), own.station.id, own.contest, v1.figures, moved,
                   "5/1", own.election.date + dt.timedelta(days=1), "recount",
                   f.warnings(v1.contest, v1.figures, moved))
    req2 = own.to_sign().json()
    assert req2["protocol"]["version"] == 2
    # version 1's signature, presented for version 2 (as version 1, then as version 2)
    refused(call(own.members[0], "post", own.signature_url,
                 {"version": 1, "signature": v1.signature}), 409, "signature_version")
    refused(call(own.members[0], "post", own.signature_url,
                 {"version": 2, "signature": v1.signature}), 422, "signature_invalid")
    # an amendment waits while a version awaits the signature
    with pytest.raises(Exception) as exc:
        services.amend(_coordinator_user(own), own.station.id, own.contest, v1.figures,
                       v1.choices, "5/2", own.election.date + dt.timedelta(days=1), "again", [])
    assert getattr(exc.value, "code", None) == "awaiting_signature"
    assert own.sign(req2).status_code == 200
    assert Protocol.objects.current().get(station=own.station,
                                          contest_id=own.contest).version == 2


def _coordinator_user(own):
    from django.contrib.auth import get_user

    return get_user(own.above)


def test_an_unconfirmed_or_revoked_key_cannot_sign(own):
    assert own.register().status_code == 200
    assert own.confirm().status_code == 200
    own.enter()
    req = own.to_sign().json()
    # the device was lost: revoked, a new key registered, not yet confirmed
    r = call(own.members[0], "post", f"/api/keys/commissions/{own.commission.pk}/{own.key_id}"
                                     "/revoke", {"reason": "device lost"})
    assert r.status_code == 200 and r.json()["state"] == "revoked"
    refused(own.sign(req), 409, "key_revoked")
    new = signatures.new_private_key()
    assert own.register(signatures.public_key_b64(new)).status_code == 200
    refused(own.sign(req, private=new), 409, "key_not_confirmed")
    # a key registered twice, a second key while one is active
    refused(own.register(signatures.public_key_b64(new)), 409, "key_active")
    refused(own.register(signatures.public_key_b64(signatures.new_private_key())), 409,
            "key_active")
    assert own.confirm(signatures.key_id(signatures.public_key_b64(new))).status_code == 200
    assert own.sign(req, private=new).status_code == 200


def test_who_may_register_confirm_and_sign(own, people):
    stranger = client_for(people.operator(people.stations[-1]))
    refused(call(stranger, "post", f"/api/keys/commissions/{own.commission.pk}",
                 {"public_key": own.public}), 403, "not_allowed")
    refused(call(own.members[0], "post", f"/api/keys/commissions/{own.commission.pk}",
                 {"public_key": "AAAA"}), 422, "key_invalid")
    assert own.register().status_code == 200
    # a member cannot confirm the commission's own key: the commission above does
    refused(own.confirm(who=own.members[1]), 403, "not_allowed")
    assert own.confirm().status_code == 200
    refused(own.confirm(), 409, "key_confirmed")
    own.enter()
    req = own.to_sign().json()
    sig = signatures.sign(own.private, base64.b64decode(req["message"]))
    # a member of another station's commission: not above this station (`not_above`)
    refused(call(stranger, "post", own.signature_url, {"version": 1, "signature": sig}), 403,
            "not_above")


def test_a_weak_or_second_spelling_of_a_key_is_refused_in_three_languages(own):
    """A small-order key (the identity: one constant signature verifies any protocol with it)
    and a non-canonical encoding are `key_weak`; another base64 spelling of a key is
    `key_invalid`, never a second key. 422 with the field, in kk, ru and en."""
    identity = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    sign_bit = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIA="
    for lang, word in (("kk", "кілт"), ("ru", "ключ"), ("en", "key")):
        r = own.members[0].post(f"/api/keys/commissions/{own.commission.pk}",
                                data={"public_key": identity}, HTTP_ACCEPT_LANGUAGE=lang,
                                content_type="application/json")
        body = refused(r, 422, "key_weak")
        assert body["field"] == "public_key" and word in body["message"].lower()
    refused(own.register(sign_bit), 422, "key_weak")
    assert own.register().status_code == 200
    for spelling in (own.public.rstrip("="), own.public + " ", own.public.replace("/", "_")
                     .replace("+", "-") if ("/" in own.public or "+" in own.public)
                     else own.public[:-1] + " "):
        body = refused(own.register(spelling), 422, "key_invalid")
        assert body["field"] == "public_key"
