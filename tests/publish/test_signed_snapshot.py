"""A snapshot publishes every commission's public keys (keys.json, in the manifest) and, in each
station file, its protocols' signatures: from the files alone, each protocol verifies."""

import json

import pytest

from sailau.publish.pipeline import snapshots
from sailau.verify import signatures as sig
from tests.snapshotfiles import opened


@pytest.mark.django_db
def test_snapshot_carries_keys_and_every_protocol_signature(small_election, snapshot_dir):
    manifest = snapshots.publish(small_election.id)
    folder = snapshots.election_dir(small_election.id)

    def read(name):
        entry = manifest["files"][name]
        return json.loads(opened(folder / "objects" / f"{entry['sha256']}.json"))

    keys = read("keys.json")
    assert keys["format"] == "sailau-public-keys/1" and keys["algorithm"] == "Ed25519"
    checked = 0
    for name in manifest["files"]:
        if not name.startswith("stations/"):
            continue
        doc = read(name)
        for part in doc["contests"]:
            p = part["protocol"]
            if not p:
                continue
            assert p["signed_with"] in keys["commissions"][doc["commission"]]
            data = sig.canonical_bytes({"station": doc["id"], "contest": part["contest"],
                                        **p})
            assert sig.verify_signature(p["signed_with"], data, p["signature"]), name
            first = next(iter(p["choices"]))
            forged = {**p, "choices": {**p["choices"], first: p["choices"][first] + 500}}
            assert not sig.verify_signature(p["signed_with"], sig.canonical_bytes(
                {"station": doc["id"], "contest": part["contest"], **forged}), p["signature"])
            checked += 1
    assert checked > 100


@pytest.mark.django_db
def test_keys_json_points_to_the_published_specification(small_structure, snapshot_dir):
    """keys.json's `signed` names the manual's section that says the signed bytes, a section
    that exists, not a file of the source tree."""
    import re
    from pathlib import Path

    manifest = snapshots.publish(small_structure.id)
    entry = manifest["files"]["keys.json"]
    keys = json.loads(opened(snapshots.election_dir(small_structure.id) / "objects" /
                             f"{entry['sha256']}.json"))
    assert "sailau/" not in keys["signed"]
    page, anchor = re.search(r"(docs/[\w/.-]+\.md)#([\w-]+)", keys["signed"]).groups()
    text = (Path(__file__).resolve().parents[2] / page).read_text()
    headings = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
                for h in re.findall(r"^#+ (.*)$", text, re.MULTILINE)}
    assert anchor in headings
    assert f"`{page}#{anchor}`" in (Path(__file__).resolve().parents[2] /
                                    "docs/published-files.md").read_text()
