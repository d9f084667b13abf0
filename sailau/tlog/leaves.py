"""The leaves of an election's log: each one published fact, as canonical JSON bytes.

Pure Python (no Django), shared by the server that writes the leaves and by every verifier that
reads them, so that both agree on the bytes by construction. `docs/log-format.md` ("Leaves")
describes the same in prose for someone writing their own reader.

Canonical form: one JSON object, keys sorted at every level, separators `,` and `:` (no
whitespace), UTF-8 with non-ASCII written as is (never `\\u` escapes), integers only (no
floats, no NaN), at most `MAX_BYTES` (an entry bundle prefixes each leaf with a 16-bit length,
C2SP tlog-tiles). `decode` refuses any bytes that are not exactly the canonical encoding of
what they parse to: two spellings of one fact would give two leaf hashes.

Every leaf has `v` (1; a `stations`, `structure`, `contests` or `structure-change` leaf 3, or
2 or 1 in a log published before: `WRITTEN`, `OLDER`), `type`, `election` and `at` (UTC,
`YYYY-MM-DDTHH:MM:SSZ`, when the server recorded the fact). The types and their members are in `TYPES`."""

from __future__ import annotations

import base64
import binascii
import collections
import datetime as dt
import functools
import json
import re
from collections.abc import Mapping

from sailau.tlog import canonicaljson, edkey, note

VERSION = 1
MAX_BYTES = 65535  # uint16 length prefix of an entry in a C2SP entry bundle
# Stations are published in leaves of at most this many, after the `structure` leaf: a country's
# ten thousand stations in one leaf would pass the limit above.
STATIONS_PER_LEAF = 200
_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MAX_COUNT = 10**12  # a figure is a count of people (sailau.verify.signatures has the same bound)


class LeafError(ValueError):
    """A leaf that is not one of this format's; the message names the leaf index and field."""

    def __init__(self, index: int | None, field: str, message: str):
        where = f"leaf {index}" if index is not None else "leaf"
        super().__init__(f"{where}: {field}: {message}")
        self.index, self.field = index, field


@functools.lru_cache(maxsize=1024)
def at(moment: dt.datetime) -> str:
    """The `at` member of a leaf for an aware datetime (seconds, UTC); kept, since a batch of
    leaves shares its time (the day's 51,115 turnout reports have 50)."""
    if moment.tzinfo is None:
        raise ValueError("a leaf's time must be aware (with its offset)")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def encode(leaf: Mapping) -> bytes:
    """The canonical bytes of a leaf, checked (LeafError names what is wrong)."""
    data = _dumps(leaf)
    check(json.loads(data), None)
    if len(data) > MAX_BYTES:
        raise LeafError(None, "", f"{len(data)} bytes, more than an entry can hold ({MAX_BYTES})")
    return data


def decode(data: bytes, index: int | None = None) -> dict:
    """The leaf in `data`, refused (LeafError naming `index` and the field) unless it is a
    valid leaf of a known type in exactly its canonical encoding."""
    try:
        leaf = json.loads(data.decode("utf-8"), parse_float=_no_float,
                          parse_constant=_no_float)
    except UnicodeDecodeError:
        raise LeafError(index, "", "not UTF-8") from None
    except _Float as exc:
        raise LeafError(index, "", f"a number that is not an integer: {exc}") from None
    except ValueError as exc:
        raise LeafError(index, "", f"not JSON: {exc}") from None
    check(leaf, index)
    if _dumps(leaf) != data:
        raise LeafError(index, "", "not in canonical form (keys sorted, no spaces, "
                                   "UTF-8 unescaped)")
    return leaf


def _dumps(leaf) -> bytes:
    try:
        return canonicaljson.encode(leaf)
    except (TypeError, ValueError) as exc:
        raise LeafError(None, "", str(exc)) from None


class _Float(ValueError):
    pass


def _no_float(text):
    raise _Float(text)


# --- the members of each type ----------------------------------------------------------------
# Each checker takes (value, index, field name) and raises LeafError.

def _str(v, i, f):
    if not isinstance(v, str) or not v:
        raise LeafError(i, f, f"{v!r} is not a non-empty string")


def _text(v, i, f):
    if not isinstance(v, str):
        raise LeafError(i, f, f"{v!r} is not a string")


def _bool(v, i, f):
    if not isinstance(v, bool):
        raise LeafError(i, f, f"{v!r} is not true or false")


def _count(v, i, f):
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < _MAX_COUNT:
        raise LeafError(i, f, f"{v!r} is not a non-negative integer below 10^12")


def _positive(v, i, f):
    _count(v, i, f)
    if v < 1:
        raise LeafError(i, f, f"{v!r} is not at least 1")


def _hour(v, i, f):
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 23:
        raise LeafError(i, f, f"{v!r} is not an hour of the day (0 to 23)")


def _one_of(*allowed):
    def check_(v, i, f):
        # type too: JSON's true would equal 1
        if not any(type(v) is type(a) and v == a for a in allowed):
            raise LeafError(i, f, f"{v!r} is not one of {', '.join(map(repr, allowed))}")
    return check_


def _b64(v, i, f):
    _str(v, i, f)
    try:
        base64.b64decode(v, validate=True)
    except (binascii.Error, ValueError):
        raise LeafError(i, f, f"{v!r} is not base64") from None


def _public_key(v, i, f):
    # one key, one spelling; never a key that verifies anything (sailau.tlog.edkey)
    try:
        edkey.public_key(v)
    except edkey.WeakKey as exc:
        raise LeafError(i, f, f"{str(v)[:60]!r} is not an Ed25519 public key worth trusting: "
                              f"{exc}") from None


def _witness_key(v, i, f):
    _str(v, i, f)
    try:
        alg = note.parse_verifier_key(v)[2]
    except note.NoteError as exc:
        raise LeafError(i, f, f"{v[:60]!r} is not a witness's verifier key: {exc}") from None
    if alg != 4:
        raise LeafError(i, f, f"{v[:60]!r} is not a cosignature (witness) key")


def _sha256(v, i, f):
    if not isinstance(v, str) or not _HEX64.fullmatch(v):
        raise LeafError(i, f, f"{v!r} is not a SHA-256 in lower-case hex")


def _date(v, i, f):
    try:
        dt.date.fromisoformat(v)
    except (TypeError, ValueError):
        raise LeafError(i, f, f"{v!r} is not a date YYYY-MM-DD") from None


def _nullable(checker):
    def check_(v, i, f):
        if v is not None:
            checker(v, i, f)
    return check_


def _list(checker):
    def check_(v, i, f):
        if not isinstance(v, list):
            raise LeafError(i, f, "is not a list")
        for n, item in enumerate(v):
            checker(item, i, f"{f}[{n}]")
    return check_


def _map(checker):
    """An object of non-empty string keys to values `checker` accepts."""
    def check_(v, i, f):
        if not isinstance(v, dict):
            raise LeafError(i, f, "is not an object")
        for k, item in v.items():
            if not k:
                raise LeafError(i, f, "has an empty key")
            checker(item, i, f"{f}.{k}")
    return check_


def _object(members: dict, optional: dict | None = None):
    """An object with exactly `members` (and any of `optional`), each checked."""
    optional = optional or {}

    def check_(v, i, f):
        if not isinstance(v, dict):
            raise LeafError(i, f, "is not an object")
        for name, checker in members.items():
            if name not in v:
                raise LeafError(i, f"{f}.{name}" if f else name, "is missing")
        for name, item in v.items():
            checker = members.get(name) or optional.get(name)
            if checker is None:
                raise LeafError(i, f"{f}.{name}" if f else name, "is not a member of this leaf")
            checker(item, i, f"{f}.{name}" if f else name)
    return check_


# The languages a leaf's names and a station's spellings are written in. Versions 1 and 2 name
# them (docs/log-leaves.md): names in kk, ru, en, spellings in kk, ru, the first required.
NAME_LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
SPELLING_LANGUAGES: tuple[str, ...] = ("kk", "ru")
# Version 3 keys them by any language tag of this shape (BCP 47: a language, and its script
# where one is written in a script of its own), Kazakh required: the server writes the written
# languages of its list (sailau.languages.WRITTEN), so a language added to it is in the leaves
# with no new version. A derived spelling (Kazakh in Latin letters) is made from the Kazakh by
# every reader, never written.
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?")
REQUIRED_LANGUAGE = "kk"


def _by_language(v, i, f):
    """A name or spelling of version 3: texts keyed by language tags, Kazakh among them."""
    if not isinstance(v, dict):
        raise LeafError(i, f, "is not an object")
    if REQUIRED_LANGUAGE not in v:
        raise LeafError(i, f"{f}.{REQUIRED_LANGUAGE}", "is missing")
    for lang, text in v.items():
        if not LANGUAGE_TAG.fullmatch(lang):
            raise LeafError(i, f"{f}.{lang}", f"{lang!r} is not a language tag (two or three "
                                              "lower-case letters, a script after '-')")
        _text(text, i, f"{f}.{lang}")


_NAMES = _object({NAME_LANGUAGES[0]: _text}, {lang: _text for lang in NAME_LANGUAGES[1:]})
_SPELLINGS = _object({SPELLING_LANGUAGES[0]: _text},
                     {lang: _text for lang in SPELLING_LANGUAGES[1:]})


def _contest_members(names) -> dict:
    return {"id": _str, "name": names, "kind": _str, "ruleset": _str, "seats": _count,
            "commission": _str,
            "choices": _map(_object({"name": names, "party": _nullable(_str)}))}


_CONTEST = _object(_contest_members(_NAMES))
_STATION = _object({"id": _str, "commission": _str, "contests": _list(_str),
                    "registered": _count})


# Version 2 of a `stations` leaf: where each station lies and every name the published files
# show of it and of the commissions above it (docs/log-leaves.md, `stations`).
def _station_2(spellings):
    return _object({"id": _str, "commission": _str, "contests": _list(_str),
                    "registered": _count, "number": _count, "kind": _str, "territory": _str,
                    "district": _str, "smd": _nullable(_str),
                    "territorial_smd": _nullable(_str), "district_smd": _nullable(_str),
                    "address": spellings, "settlement": spellings, "urban": _bool})


def _party(names):
    return _object({"id": _str, "short": _str, "name": names, "color": _str,
                    "registration_order": _count})


def _commission(names):
    return _object({"id": _str, "level": _str, "number": _count, "parent": _nullable(_str),
                    "name": names})


# `by`: the commission that signed, when it is not the station's own (a commission above signing
# what it typed from the paper on the station's behalf, `sailau-protocol/4`)
_SIGNATURE = _object({"key": _str, "signature": _b64, "message": _str}, {"by": _str})
_DECISION = _object({"number": _str, "date": _date, "reason": _str})

# The two rounds of a presidential election name each other (sailau.elections.rounds): the
# second round's log names the first round's election, log and the checkpoint its two
# candidates were decided at; the first round's log names its second round.
_FIRST_ROUND = _object({"election": _str, "origin": _str, "contest": _str, "size": _positive,
                        "root": _b64, "runoff": _list(_str)})
_SECOND_ROUND = _object({"election": _str, "origin": _str, "contest": _str, "date": _date})

COMMON = {"v": None, "type": _str, "election": _str, "at": None}
TYPES: dict[str, dict] = {
    # Written once when the election is published: the log's origin, its witnesses' verifier
    # keys, and how many `contests` and `stations` leaves follow with the rest of it.
    "structure": {"origin": _str, "witnesses": _list(_witness_key), "contest_leaves": _count,
                  "station_leaves": _count},
    # Part `part` (from 1) of `of` of the contests, each with its choices (key -> name, party).
    "contests": {"part": _positive, "of": _positive, "contests": _list(_CONTEST)},
    # Part `part` (from 1) of `of` of the stations, each with its commission, registered voters
    # and the contests it counts in. A station restated in a later `stations` leaf replaces
    # its earlier statement (a structure change).
    "stations": {"part": _positive, "of": _positive, "stations": _list(_STATION)},
    # A later change of the structure: each contest given replaces the one of the same id,
    # `witnesses`, when present, replaces the list.
    "structure-change": {"contests": _list(_CONTEST), "witnesses": _nullable(_list(_witness_key)),
                         "reason": _text},
    # A commission's key registered, confirmed by the commission above or revoked (with its
    # reason). `held_by_server`: the server generated it and can sign with it. Optional (in
    # OPTIONAL): `by`, the commission that acted (the commission itself registers or revokes,
    # the one above confirms); `late`, a key registered after the polls closed.
    "commission-key": {"action": _one_of("register", "confirm", "revoke"), "commission": _str,
                       "public_key": _public_key, "held_by_server": _bool, "reason": _nullable(_str)},
    # A definitive protocol version, or an amendment (`decision`); the current protocol of a
    # station and contest is its latest leaf.
    "protocol": {"station": _str, "contest": _str, "version": _positive,
                 "figures": _map(_count), "choices": _map(_count), "scans": _list(_sha256),
                 "decision": _nullable(_DECISION), "signature": _SIGNATURE},
    "complaint-decision": {"complaint": _str, "body": _str, "station": _nullable(_str),
                           "number": _text, "decided_on": _date, "outcome": _str,
                           "effect": _str, "text_sha256": _sha256,
                           "protocol_version": _nullable(_positive)},
    # A role granted or revoked: its kind and scope, never who holds it (a login name is
    # personal data); `grant` numbers the grant so that its revocation names the same one.
    "role": {"action": _one_of("granted", "revoked"), "role": _str, "scope": _text,
             "grant": _positive},
    # The audit log's head: its last record's sequence number and hash.
    "audit-head": {"seq": _count, "hash": _sha256},
    # A precinct's report of the ballots issued by `hour` (local) of election day: never
    # replaced, and none once the station's protocol is logged (sailau.turnout).
    "turnout": {"station": _str, "hour": _hour, "issued": _count},
    # In a second round's log, right after its structure's leaves: the first round it repeats
    # (its election, log origin, the contest whose outcome called it, the checkpoint it was
    # decided at and the two choice keys it named).
    "first-round": {"first_round": _FIRST_ROUND},
    # In a first round's log, once: the second round its outcome called (election, log origin,
    # contest, day of the vote).
    "second-round": {"second_round": _SECOND_ROUND},
}


def _ballot_contest(names):
    """A contest of version 2 and 3 (`contests`, `structure-change`): its members, and its
    `ballot` naming every choice key exactly once (the order the ballot prints them in, which
    the sorted keys of `choices` cannot say)."""
    members = _object({**_contest_members(names), "ballot": _list(_str)})

    def check_(v, i, f):
        members(v, i, f)
        ballot, keys = v["ballot"], set(v["choices"])
        twice = sorted(k for k, n in collections.Counter(ballot).items() if n > 1)
        if twice:
            raise LeafError(i, f"{f}.ballot", f"names {twice[0]!r} twice")
        if stray := sorted(set(ballot) - keys):
            raise LeafError(i, f"{f}.ballot", f"names {stray[0]!r}, not a key of choices")
        if missing := sorted(keys - set(ballot)):
            raise LeafError(i, f"{f}.ballot", f"leaves out the choice {missing[0]!r}")
    return check_


def _named(names, spellings) -> dict[str, dict]:
    """The members of the types that carry names, at version 2 (`names`, `spellings`: the
    closed objects of kk, ru, en) or 3 (`_by_language`): the contests' ballot (version 2), the
    stations' places and the election's own name and parties (version 2)."""
    contests = _list(_ballot_contest(names))
    return {"contests": {**TYPES["contests"], "contests": contests},
            "structure-change": {**TYPES["structure-change"], "contests": contests},
            "stations": {"part": _positive, "of": _positive,
                         "commissions": _list(_commission(names)),
                         "stations": _list(_station_2(spellings))},
            "structure": {**TYPES["structure"], "name": names, "kind": _str, "date": _date,
                          "synthetic": _bool, "parties": _list(_party(names))}}


# The version a new leaf of a type is written at, where it is not `VERSION`, and the members of
# each older version a reader still reads (a log published before keeps its bytes). Version 2
# of `contests` and `structure-change` added each contest's `ballot`, of `stations` where each
# station lies and the names shown, of `structure` the election's name, kind, day and parties;
# version 3 of the four keys every name by language tag (`_by_language`).
_V2 = _named(_NAMES, _SPELLINGS)
WRITTEN: dict[str, int] = dict.fromkeys(_V2, 3)
OLDER: dict[tuple[str, int], dict] = {**{(kind, 1): TYPES[kind] for kind in _V2},
                                      **{(kind, 2): members for kind, members in _V2.items()}}
TYPES.update(_named(_by_language, _by_language))


def versions(kind: str) -> tuple[int, ...]:
    """The versions of `kind` a reader accepts."""
    return tuple(sorted({WRITTEN.get(kind, VERSION), *(v for k, v in OLDER if k == kind)}))


# Members a leaf of the type may have (older leaves do not).
OPTIONAL: dict[str, dict] = {
    "commission-key": {"by": _str, "late": _bool},
}


def check(leaf, index: int | None) -> None:
    """Raise LeafError unless `leaf` (parsed JSON) is a valid leaf of a known type."""
    if not isinstance(leaf, dict):
        raise LeafError(index, "", "is not a JSON object")
    kind = leaf.get("type")
    if kind not in TYPES:
        raise LeafError(index, "type", f"{kind!r} is not a leaf type "
                                       f"({', '.join(TYPES)})")
    v = leaf.get("v")
    _one_of(*versions(kind))(v, index, "v")
    members = {**COMMON, **OLDER.get((kind, v), TYPES[kind])}
    members["at"], members["v"] = _at, _any
    _object(members, OPTIONAL.get(kind))(leaf, index, "")


def _any(v, i, f):
    pass


def _at(v, i, f):
    if not isinstance(v, str) or not _AT.fullmatch(v):
        raise LeafError(i, f, f"{v!r} is not a UTC time YYYY-MM-DDTHH:MM:SSZ")
    if not _real_time(v):
        raise LeafError(i, f, f"{v!r} is not a real time")


@functools.lru_cache(maxsize=1024)
def _real_time(v: str) -> bool:
    """Whether a string of the `at` shape is a real time (not 24:00 or 30 February); kept,
    since a batch of leaves shares its time and strptime is most of a small leaf's check."""
    try:
        dt.datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


def make(kind: str, election: str, when: dt.datetime, /, **members) -> bytes:
    """The canonical bytes of a new leaf of `kind`."""
    return encode({"v": WRITTEN.get(kind, VERSION), "type": kind, "election": election, "at": at(when), **members})


def contest_parts(contests: list[dict], budget: int = 60000) -> list[list[dict]]:
    """The contests in id order, cut into `contests` leaves of at most `budget` bytes of
    contests each (a contest of many candidates is large; each must fit alone)."""
    parts: list[list[dict]] = [[]]
    used = 0
    for c in sorted(contests, key=lambda c: c["id"]):
        size = len(_dumps(c)) + 1
        if parts[-1] and used + size > budget:
            parts.append([])
            used = 0
        parts[-1].append(c)
        used += size
    return parts


def structure_parts(commissions: list[dict], stations: list[dict], budget: int = 60000
                    ) -> list[dict]:
    """The members of the `stations` leaves (version 2) that follow a structure leaf: the
    commissions by id, then the stations by id, cut into leaves of at most `budget` bytes of
    items each (at least one leaf, empty when there is nothing)."""
    parts: list[dict] = [{"commissions": [], "stations": []}]
    used = 0
    for member, items in (("commissions", commissions), ("stations", stations)):
        for item in sorted(items, key=lambda x: x["id"]):
            size = len(_dumps(item)) + 1
            if used and used + size > budget:
                parts.append({"commissions": [], "stations": []})
                used = 0
            parts[-1][member].append(item)
            used += size
    return [{"part": n, "of": len(parts), **p} for n, p in enumerate(parts, 1)]


def station_parts(stations: list[dict]) -> list[list[dict]]:
    """The stations cut into the `stations` leaves that follow a structure leaf, in id order."""
    ordered = sorted(stations, key=lambda s: s["id"])
    return [ordered[i:i + STATIONS_PER_LEAF]
            for i in range(0, len(ordered), STATIONS_PER_LEAF)] or [[]]
