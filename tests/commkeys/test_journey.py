"""The commission's side end to end through the command and the API: `sailau keys generate`
on the commission's computer, registration by a member, confirmation by the commission above,
two entries, `sailau keys sign`, the version published, `sailau verify` naming the signer."""

import json

import pytest
from django.test import Client

from sailau.cli import main
from sailau.paths import data_dir
from sailau.publish.pipeline import snapshots
from tests.commkeys.conftest import Commission, call

pytestmark = pytest.mark.django_db


def generate(tmp_path, capsys, own, name="commission.key"):
    path = tmp_path / "commission" / name
    path.parent.mkdir(exist_ok=True)
    assert main(["keys", "generate", "--out", str(path), "--commission", own.commission.pk]) == 0
    return path, json.loads(capsys.readouterr().out)


def sign_with_file(tmp_path, capsys, own, key_file):
    request = tmp_path / "to-sign.json"
    request.write_text(Client().get(own.signature_url).content.decode())
    assert main(["keys", "sign", str(key_file), str(request)]) == 0
    return json.loads(capsys.readouterr().out)


def test_generate_register_confirm_enter_sign_publish_verify(own, people, tmp_path, capsys):
    # a station of another commission, which keeps the server-held key
    Commission(own.syn, own.election, people, people.stations[-1]).enter()
    path, printed = generate(tmp_path, capsys, own)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert printed["key_id"] and printed["public_key"]
    r = call(own.members[0], "post", f"/api/keys/commissions/{own.commission.pk}",
             {"public_key": printed["public_key"]})
    assert r.status_code == 200, r.content
    assert own.confirm(printed["key_id"]).status_code == 200
    assert own.enter()["state"] == "definitive"
    signed = sign_with_file(tmp_path, capsys, own, path)
    r = call(own.members[1], "post", own.signature_url, signed)
    assert r.status_code == 200, r.content

    eid = own.election.id
    snapshots.publish(eid)
    folder = str(snapshots.election_dir(eid))
    assert main(["verify", folder, "--signers"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith(f"signer: station {own.station.id} "))
    assert f"key {printed['key_id']} of {own.commission.pk}" in line
    assert f"confirmed by {own.commission.parent_id}" in line and "LATE" in line
    # every other station is signed by a key the server holds, and the report says so
    others = [x for x in out.splitlines() if x.startswith("signer: ") and x != line]
    assert others and all("HELD BY THE SERVER" in x for x in others)
    assert main(["verify", folder, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    mine = [s for s in report["signers"] if s["station"] == own.station.id]
    assert mine[0]["key"] == printed["key_id"] and not mine[0]["held_by_server"]
    assert mine[0]["late"] and mine[0]["confirmed_by"] == own.commission.parent_id
    # one station with its inclusion proof: the commission's signature checks there too
    assert main(["verify", folder, "--station", str(own.station.number)]) == 0, \
        capsys.readouterr().out


def test_generate_refuses_the_data_directory_and_an_existing_file(own, tmp_path, capsys):
    inside = data_dir() / "keys" / "commission.key"
    inside.parent.mkdir(parents=True, exist_ok=True)
    assert main(["keys", "generate", "--out", str(inside)]) == 2
    assert "data directory" in capsys.readouterr().err and not inside.exists()
    path, _ = generate(tmp_path, capsys, own)
    before = path.read_bytes()
    assert main(["keys", "generate", "--out", str(path)]) == 2
    assert "exists" in capsys.readouterr().err and path.read_bytes() == before


def test_sign_refuses_bytes_that_are_not_the_protocol_shown(own, tmp_path, capsys):
    path, printed = generate(tmp_path, capsys, own)
    call(own.members[0], "post", f"/api/keys/commissions/{own.commission.pk}",
         {"public_key": printed["public_key"]})
    own.confirm(printed["key_id"])
    own.enter()
    req = Client().get(own.signature_url).json()
    first = min(req["protocol"]["choices"])
    req["protocol"]["choices"][first] += 1  # the fields shown differ from the bytes
    request = tmp_path / "to-sign.json"
    request.write_text(json.dumps(req))
    assert main(["keys", "sign", str(path), str(request)]) == 2
    assert "not the protocol its fields show" in capsys.readouterr().err
