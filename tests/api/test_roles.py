"""Every role against every write endpoint, inside and outside its territory: nobody writes
outside their own territory, and each write is open only to the roles meant for it."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENTER, RESOLVE, AMEND, TIME, RECEIVE, ADMIN = ("enter", "resolve", "amend", "time", "receive",
                                               "admin")
# role name -> the actions it may take inside its territory
MAY = {
    "public": set(),
    "no role": set(),
    "precinct operator": {ENTER, TIME},
    "district operator": {ENTER, TIME},
    "territorial operator": {ENTER, TIME, RECEIVE},
    "district coordinator": {RESOLVE, AMEND},
    "territorial coordinator": {RESOLVE, AMEND, RECEIVE},
    "CEC admin": {ENTER, TIME, RESOLVE, AMEND, RECEIVE, ADMIN},
}


def endpoints(syn, station, contest, cec):
    p = syn.protocols[(station.id, contest)]
    body = {"figures": p["figures"], "choices": p["choices"], "acknowledged": ["W201", "W204"]}
    base = f"/api/protocols/{station.id}/{contest}"
    times = f"/api/chronometry/stations/{station.id}"
    return [
        (ENTER, "put", f"{base}/entry/1", {"figures": {}, "choices": {}}),
        (ENTER, "post", f"{base}/entry/1/finalise", body),
        (ENTER, "delete", f"{base}/entry/1", None),
        (ENTER, "post", "/api/protocols/bulk",
         {"items": [{"station": station.id, "contest": contest, "entry": 1, **body}]}),
        (RESOLVE, "post", f"{base}/resolve", {"action": "accept_first"}),
        (AMEND, "post", f"{base}/amendments",
         {**body, "decision_number": "1", "decision_date": "2023-03-20", "reason": "r"}),
        (TIME, "post", times, {"step": "protocol_signed", "at": "2023-03-19T23:00:00+06:00"}),
        (RECEIVE, "post", times,
         {"step": "received_by_territory", "at": "2023-03-20T04:00:00+06:00"}),
        (ADMIN, "post", "/api/accounts/roles",
         {"username": "someone", "kind": "operator", "commission": station.commission_id}),
    ]


def test_every_role_against_every_write(chain_election, people):
    from django.contrib.auth.models import User

    syn, election = chain_election
    User.objects.create_user("someone")
    c = f"{election.id}.list"
    # A station, one in another district of its territory (inside territorial roles only) and
    # one in another territory (outside everyone's but the CEC's).
    home, neighbour = next((a, b) for a in people.stations for b in people.stations
                           if a.territory_id == b.territory_id and a.district_id != b.district_id)
    far = next(s for s in people.stations if s.territory_id != home.territory_id)
    users = {
        "public": None,
        "no role": people.user(),
        "precinct operator": people.operator(home),
        "district operator": people.user("operator", home.district_id),
        "territorial operator": people.user("operator", home.territory_id),
        "district coordinator": people.coordinator(home.district_id),
        "territorial coordinator": people.coordinator(home.territory_id),
        "CEC admin": people.admin(),
    }
    checked = 0
    for role, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        targets = [(home, True), (far, role == "CEC admin"),
                   (neighbour, role.startswith(("territorial", "CEC")))]
        for station, inside in targets:
            for action, method, url, body in endpoints(syn, station, c, people.cec):
                kw = ({"data": json.dumps(body), "content_type": "application/json"}
                      if body is not None else {})
                status = getattr(client, method)(url, **kw).status_code
                if user is None:
                    expected_denied = True
                else:
                    expected_denied = not (inside and action in MAY[role])
                    if action == ADMIN:  # the CEC admin administers the whole election
                        expected_denied = action not in MAY[role]
                denied = status in (401, 403)
                assert denied == expected_denied, (role, action, station.id, status)
                checked += 1
    assert checked == 8 * 3 * 9
