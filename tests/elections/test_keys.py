"""Commission signing keys: issued with the structure, sealed at rest, rotated and exported by
`sailau keys`; the demo's definitive protocols all carry a valid signature."""

import json
import os
import stat

import pytest

from sailau.cli import main
from sailau.elections import keys
from sailau.elections.models import Commission, CommissionKey
from sailau.protocols.models import Protocol
from sailau.protocols.signing import protocol_dict
from sailau.verify import signatures as sig
from tests.snapshotfiles import opened


@pytest.mark.django_db
def test_structure_import_gives_every_commission_one_sealed_key(small_structure):
    commissions = set(Commission.objects.filter(election=small_structure)
                      .values_list("id", flat=True))
    active = CommissionKey.objects.filter(commission__election=small_structure,
                                          retired_at__isnull=True)
    assert sorted(active.values_list("commission_id", flat=True)) == sorted(commissions)
    assert len({k.public_key for k in active}) == len(commissions)
    # At rest the private key is sealed: its raw bytes are nowhere in the row ...
    some = [k.commission_id for k in active[:3]]
    opened = keys.private_keys(some)
    for k in active.filter(commission_id__in=some):
        public, private = opened[k.commission_id]
        assert public == k.public_key == sig.public_key_b64(private)
        assert private not in bytes(k.sealed_private_key)
    # ... under a key file only its owner reads.
    mode = stat.S_IMODE(os.stat(keys._key_file()).st_mode)
    assert mode == 0o600
    assert keys.without_key(small_structure.id) == []


@pytest.mark.django_db
def test_demo_signs_every_definitive_protocol(small_election):
    published = {}
    for k in keys.public_keys(small_election.id):
        published.setdefault(k["commission"], set()).add(k["public_key"])
    protocols = Protocol.objects.filter(station__election=small_election).select_related(
        "station")
    assert protocols.count() > 100
    for p in protocols:
        assert p.signed_with in published[p.station.commission_id], p
        data = sig.canonical_bytes(protocol_dict(p.station_id, p.contest_id, p.version,
                                                 p.figures, p.choices))
        assert sig.verify_signature(p.signed_with, data, p.signature), p


@pytest.mark.django_db
def test_keys_cli_issues_lists_and_exports(small_structure, tmp_path, capsys):
    e = small_structure.id
    pec = Commission.objects.filter(election=small_structure, level=Commission.PRECINCT).first()
    old = CommissionKey.objects.get(commission=pec, retired_at__isnull=True).public_key
    assert main(["keys", "issue", pec.id]) == 0
    new = json.loads(capsys.readouterr().out)
    assert new["commission"] == pec.id and new["public_key"] != old
    assert main(["keys", "list", e, "--commission", pec.id]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["public_key"], bool(r["retired_at"])) for r in rows] == [(old, True),
                                                                        (new["public_key"], False)]
    assert main(["keys", "export", e, "-o", str(tmp_path / "keys.json")]) == 0
    doc = json.loads((tmp_path / "keys.json").read_text())
    assert doc["format"] == keys.PUBLIC_KEYS_FORMAT and doc["election"] == e
    assert len(doc["keys"]) == Commission.objects.filter(election=small_structure).count() + 1
    assert "sealed" not in json.dumps(doc) and "private" not in json.dumps(doc["keys"])
    # A commission whose key was removed gets one with --missing; nothing else changes.
    CommissionKey.objects.filter(commission=pec).delete()
    assert main(["keys", "issue", "--missing", e]) == 0
    assert [json.loads(line)["commission"]
            for line in capsys.readouterr().out.splitlines()] == [pec.id]
    from sailau.audit.models import Record

    assert Record.objects.filter(action="key.issued", subject=pec.id).count() == 2


@pytest.mark.django_db
def test_issuing_a_key_republishes_a_published_election(small_structure, capsys, tmp_path,
                                                         monkeypatch):
    from sailau.publish.pipeline import snapshots

    # Its snapshot in a data directory of its own: one left in the worker's shared directory is
    # read by every later test's `audit verify` as this election's publication.
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))

    def published_keys():
        m = snapshots.latest_manifest(small_structure.id)
        body = opened(snapshots.election_dir(small_structure.id) / "objects"
                      / f"{m['files']['keys.json']['sha256']}.json")
        return json.loads(body)["commissions"]

    snapshots.publish(small_structure.id)
    pec = Commission.objects.filter(election=small_structure, level=Commission.PRECINCT).first()
    assert main(["keys", "issue", pec.id]) == 0
    new = json.loads(capsys.readouterr().out)["public_key"]
    assert published_keys()[pec.id][-1] == new


@pytest.mark.django_db
def test_keys_cli_refuses_what_is_not_there(small_structure, capsys):
    assert main(["keys", "issue", "no-such-commission"]) == 2
    assert "no commission 'no-such-commission'" in capsys.readouterr().err
    assert main(["keys", "list", "no-such-election"]) == 2
    assert main(["keys", "issue"]) == 2
    assert "one of the three" in capsys.readouterr().err
