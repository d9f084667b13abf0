"""Two members of the commission submit its signature at the same moment (PostgreSQL, two
connections): one signature is kept, the other member is told, and one version is written."""

import threading

import pytest
from django.contrib.auth import get_user
from django.db import connection, connections

from sailau.errors import SailauError
from sailau.protocols import own_signing
from sailau.protocols.models import Protocol
from sailau.verify import signatures

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="two connections at once")
def test_one_signature_kept_the_other_member_told(own):
    import base64

    assert own.register().status_code == 200 and own.confirm().status_code == 200
    own.enter()
    req = own.to_sign().json()
    sig = signatures.sign(own.private, base64.b64decode(req["message"]))
    users = [get_user(c) for c in own.members]
    start, out = threading.Barrier(2), [None, None]

    def sign(n):
        try:
            start.wait()
            out[n] = own_signing.submit(users[n], own.station.id, own.contest, 1, sig)["state"]
        except SailauError as exc:
            out[n] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(out) == ["already_signed", "definitive"], out
    assert Protocol.objects.filter(station=own.station, contest_id=own.contest).count() == 1
    assert connection.vendor == "postgresql"
