"""Fixtures of the commission-held keys' tests: the synthetic election of the chain's tests,
a key file made as a commission makes it, and helpers to take a protocol through the API."""

import base64
import json

import pytest
from django.test import Client

from sailau.verify import signatures
from tests.chain_fixtures import People, chain_election, people  # noqa: F401 (fixtures)


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def call(c, method, url, body=None):
    kw = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(c, method)(url, **kw)


class Commission:
    """One station's precinct commission taking its own key through the API: its members (two
    operators), the coordinator above, its key (private half only here, as on its device)."""

    def __init__(self, syn, election, crew: People, station):
        from sailau.elections.models import Commission as Model

        self.syn, self.election, self.station = syn, election, station
        self.contest = f"{election.id}.list"
        self.commission = Model.objects.get(pk=station.commission_id)
        self.members = [client_for(crew.operator(station)),
                        client_for(crew.operator(station))]
        self.above = client_for(crew.coordinator(self.commission.parent_id))
        self.private = signatures.new_private_key()
        self.public = signatures.public_key_b64(self.private)
        self.key_id = signatures.key_id(self.public)

    def register(self, public=None):
        return call(self.members[0], "post", f"/api/keys/commissions/{self.commission.pk}",
                    {"public_key": public or self.public})

    def confirm(self, key_id=None, who=None):
        return call(who or self.above, "post", f"/api/keys/commissions/{self.commission.pk}/"
                                               f"{key_id or self.key_id}/confirm")

    def enter(self, figures=None, choices=None):
        """Both entries, equal: the protocol is definitive."""
        from sailau.protocols.catalog import Catalog

        p = self.syn.protocols[(self.station.id, self.contest)]
        body = {"figures": figures or p["figures"], "choices": choices or p["choices"]}
        form = Catalog().contest(self.contest).form
        body["acknowledged"] = [f.code for f in form.check(body["figures"], body["choices"])
                                if f.severity == "warning"]
        for n, c in zip((1, 2), self.members, strict=True):
            r = call(c, "post", f"/api/protocols/{self.station.id}/{self.contest}/entry/{n}/"
                                "finalise", body)
            assert r.status_code == 200, r.content
        return r.json()

    @property
    def signature_url(self):
        return f"/api/keys/protocols/{self.station.id}/{self.contest}/signature"

    def to_sign(self):
        return Client().get(self.signature_url)

    def sign(self, request=None, private=None, version=None, member=1):
        req = request or self.to_sign().json()
        sig = signatures.sign(private or self.private, base64.b64decode(req["message"]))
        return call(self.members[member], "post", self.signature_url,
                    {"version": version or req["protocol"]["version"], "signature": sig})


@pytest.fixture
def own(chain_election, people):  # noqa: F811 (the fixtures imported above)
    syn, election = chain_election
    return Commission(syn, election, people, people.stations[0])
