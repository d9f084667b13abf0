"""The leaf format (sailau/tlog/leaves.py): canonical bytes, and refusals that name the leaf
index and the field."""

import datetime as dt
import json

import pytest

from sailau.tlog import leaves

WHEN = dt.datetime(2026, 3, 19, 20, 5, 7, 900000, tzinfo=dt.timezone(dt.timedelta(hours=5)))
SIG = {"key": "0123456789abcdef", "signature": "AAAA", "message": "sailau-protocol/1"}
# A witness's verifier key and a commission's public key, as the leaves hold them (real keys:
# the format refuses a key that is not one worth trusting).
WITNESS = "w1+1ecd305d+BPjB1P4MvGz0Buy0/gCoJoJM7JAbaX5Sk6BdJg/32tsG"
PUBLIC = "wZSE2l9zfkC7qh8TXhCkw0V8e9bGK2IWYxHbq8QUTkg="


def protocol(**over):
    members = {"station": "s1", "contest": "c1", "version": 1, "figures": {"1": 10, "2": 7},
               "choices": {"amanat": 5, "aq-jol": 2}, "scans": ["ab" * 32], "decision": None,
               "signature": SIG}
    return leaves.make("protocol", "kz.2026", WHEN, **{**members, **over})


def test_canonical_bytes_sorted_compact_utf8_and_utc():
    data = leaves.make("contests", "kz.2026", WHEN, part=1, of=1,
                       contests=[{"id": "c1", "name": {"kk": "Мәжіліс"}, "kind": "party_list",
                                  "ruleset": "kz-mazhilis", "seats": 69, "commission": "cec",
                                  "choices": {"amanat": {"name": {"kk": "Аманат"},
                                                         "party": "amanat"}},
                                  "ballot": ["amanat"]}])
    assert data.startswith(b'{"at":"2026-03-19T15:05:07Z","contests":[{"ballot":["amanat"],'
                           b'"choices":')
    assert "Мәжіліс".encode() in data and b"\\u" not in data and b" " not in data
    assert leaves.decode(data)["contests"][0]["seats"] == 69
    data = leaves.make("structure", "kz.2026", WHEN, origin="sailau.kz/kz.2026",
                       witnesses=[WITNESS], contest_leaves=1, station_leaves=1,
                       name={"kk": "Мәжіліс"}, kind="mazhilis", date="2026-03-19",
                       synthetic=False, parties=[])
    assert leaves.decode(data)["origin"] == "sailau.kz/kz.2026"


def test_contests_cut_to_fit_entries():
    big = [{"id": f"c{n:03d}", "name": {"kk": "x" * 5000}, "kind": "smd", "ruleset": "r",
            "seats": 1, "commission": "k", "choices": {}, "ballot": []}
           for n in range(30, 0, -1)]
    parts = leaves.contest_parts(big)
    assert len(parts) == 3 and [c["id"] for p in parts for c in p] == sorted(
        c["id"] for c in big)
    for n, p in enumerate(parts, 1):
        assert len(leaves.make("contests", "e", WHEN, part=n, of=3, contests=p)) \
            < leaves.MAX_BYTES


def test_every_type_round_trips():
    made = [
        protocol(),
        protocol(version=2, decision={"number": "12/3", "date": "2026-03-20",
                                      "reason": "recount"}),
        leaves.make("stations", "e", WHEN, part=1, of=1, commissions=[
            {"id": "d1", "level": "district", "number": 1, "parent": None,
             "name": {"kk": "Аудан"}}], stations=[
            {"id": "s1", "commission": "s1", "contests": ["c1"], "registered": 900,
             "number": 1, "kind": "ordinary", "territory": "d1", "district": "d1", "smd": None,
             "territorial_smd": None, "district_smd": None, "address": {"kk": "к-сі 1"},
             "settlement": {"kk": "Астана", "ru": "Астана"}, "urban": True}]),
        # a log published before: version 1, still read
        leaves.encode({"v": 1, "type": "stations", "election": "e", "at": leaves.at(WHEN),
                       "part": 1, "of": 1, "stations": [
                           {"id": "s1", "commission": "s1", "contests": ["c1"],
                            "registered": 900}]}),
        leaves.make("structure-change", "e", WHEN, contests=[], witnesses=None, reason="x"),
        leaves.make("commission-key", "e", WHEN, action="register", commission="k",
                    public_key=PUBLIC, held_by_server=True, reason=None),
        leaves.make("complaint-decision", "e", WHEN, complaint="r-1", body="tec", station=None,
                    number="", decided_on="2026-03-21", outcome="upheld", effect="none",
                    text_sha256="0" * 64, protocol_version=None),
        leaves.make("role", "e", WHEN, action="granted", role="operator", scope="s1", grant=4),
        leaves.make("audit-head", "e", WHEN, seq=12, hash="f" * 64),
    ]
    for i, data in enumerate(made):
        assert leaves.encode(leaves.decode(data, i)) == data


@pytest.mark.parametrize("mutate, field", [
    (lambda o: o.update(figures={"1": 1.5}), ""),  # a float: refused while parsing
    (lambda o: o.update(figures={"1": -1}), "figures.1"),
    (lambda o: o.update(figures={"1": True}), "figures.1"),
    (lambda o: o.update(choices={"amanat": "5"}), "choices.amanat"),
    (lambda o: o.pop("signature"), "signature"),
    (lambda o: o.update(extra=1), "extra"),
    (lambda o: o.update(scans=["AB" * 32]), "scans[0]"),
    (lambda o: o.update(at="2026-03-19 15:05:07"), "at"),
    (lambda o: o.update(at="2026-02-30T15:05:07Z"), "at"),
    (lambda o: o.update(type="vote"), "type"),
    (lambda o: o.update(v=2), "v"),
    (lambda o: o.update(version=0), "version"),
    (lambda o: o["signature"].update(signature="not base64!"), "signature.signature"),
    (lambda o: o.update(decision={"number": "1", "date": "yesterday", "reason": "r"}),
     "decision.date"),
])
def test_decode_names_index_and_field(mutate, field):
    obj = json.loads(protocol())
    mutate(obj)
    data = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    with pytest.raises(leaves.LeafError) as e:
        leaves.decode(data, 41)
    assert str(e.value).startswith(f"leaf 41: {field}:"), str(e.value)
    assert e.value.index == 41 and e.value.field == field


@pytest.mark.parametrize("data, says", [
    (b'{"v": 1}', "not in canonical form"),
    (b"\xff", "not UTF-8"),
    (b"[1]", "not a JSON object"),
    (b"{", "not JSON"),
])
def test_decode_refuses_non_canonical_and_garbage(data, says):
    if data == b'{"v": 1}':  # a valid leaf re-spelt with spaces
        data = protocol().replace(b":", b": ", 1)
    with pytest.raises(leaves.LeafError, match=says):
        leaves.decode(data, 3)


def test_escaped_non_ascii_is_not_canonical():
    data = leaves.make("role", "Сайлау", WHEN, action="granted", role="operator", scope="s",
                       grant=1)
    leaves.decode(data)
    escaped = json.dumps(json.loads(data), sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(leaves.LeafError, match="canonical"):
        leaves.decode(escaped, 0)


def test_leaf_too_large_for_an_entry_bundle():
    with pytest.raises(leaves.LeafError, match="more than an entry can hold"):
        leaves.make("structure-change", "e", WHEN, contests=[], witnesses=None,
                    reason="x" * 70000)


def test_stations_cut_into_parts_in_id_order():
    stations = [{"id": f"s{n:05d}", "commission": "c", "contests": [], "registered": 1}
                for n in range(450, 0, -1)]
    parts = leaves.station_parts(stations)
    assert [len(p) for p in parts] == [200, 200, 50]
    assert parts[0][0]["id"] == "s00001" and parts[2][-1]["id"] == "s00450"
    # the biggest part of a real country fits one entry (version 1, a log published before;
    # version 2 is cut by bytes: tests/tlog/test_station_leaves.py)
    data = leaves.encode({"v": 1, "type": "stations", "election": "kz.mazhilis.2023-03-19",
                          "at": leaves.at(WHEN), "part": 1, "of": 52, "stations": [
        {"id": f"kz.mazhilis.2023-03-19.{n:05d}", "commission": f"kz.mazhilis.2023-03-19.{n:05d}",
         "contests": ["kz.mazhilis.2023-03-19.party-list", "kz.mazhilis.2023-03-19.smd-17"],
         "registered": 3000} for n in range(200)]})
    assert len(data) < leaves.MAX_BYTES
