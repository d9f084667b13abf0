"""The `protocol` leaves of the published log (sailau.tlog.leaves), written by the chain in the
transaction that makes a protocol version definitive or amends it: the version's figures, its
votes by choice key, the SHA-256 of the scans stored for it by then, the amendment's decision,
and the commission signature with its key's fingerprint and the signed message's format.

The scans live in an app above this one: it lends its hashes through `SCAN_HASHES` (set by
`sailau.scans` when Django starts), so the chain never imports it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sailau.ledger import outbox
from sailau.verify import signatures

Key = tuple[str, str]
# (station, contest) keys -> their scans' SHA-256, each sorted; None until `scans` registers.
SCAN_HASHES: list[Callable[[list[Key]], dict[Key, list[str]]]] = []


def scan_hashes(keys: list[Key]) -> dict[Key, list[str]]:
    out: dict[Key, list[str]] = {}
    for provider in SCAN_HASHES:
        for key, hashes in provider(keys).items():
            out[key] = sorted(set(out.get(key, [])) | set(hashes))
    return out


def subject(station_id: str, contest_id: str, version: int) -> str:
    """The outbox's subject of a protocol version's leaf (a station file looks its index up)."""
    return f"{station_id}/{contest_id}/{version}"


def members(station_id: str, contest_id: str, version: int, figures: dict, choices: dict,
            signed_with: str, signature: str, decision: dict | None, scans: list[str],
            message: str = "", signed_by: str = "") -> dict:
    """A version's leaf members: what the chain logs when the version is made, and what `sailau
    audit verify` builds from the stored row to compare with that leaf. `decision`: the
    amendment's {"decision_number", "decision_date" (YYYY-MM-DD), "reason"}, or None;
    `message`: what the signature is over ("" for sailau-protocol/1); `signed_by`: the
    commission above that signed on the station's behalf (sailau-protocol/4), the signature's
    `by`."""
    signature = {"key": signatures.key_id(signed_with), "signature": signature,
                 "message": message or signatures.FORMAT}
    if signed_by:
        signature["by"] = signed_by
    return {
        "station": station_id, "contest": contest_id, "version": version,
        # the signed form (an optional line left out is absent), as the signature covers it
        "figures": {k: n for k, n in figures.items() if n is not None},
        "choices": dict(choices),
        "scans": scans,
        "decision": {"number": decision["decision_number"], "date": decision["decision_date"],
                     "reason": decision["reason"]} if decision else None,
        "signature": signature}


def write(versions: Iterable, election_of: Callable[[str], str], decisions: dict, now) -> int:
    """Outbox leaves for the new `versions` (with station_id, contest_id, version, figures,
    choices, signature, signed_with), in their order; `decisions` maps id(version) to its
    amendment's decision."""
    versions = list(versions)
    scans = scan_hashes(sorted({(v.station_id, v.contest_id) for v in versions}))
    # a commission's own signature covers the scans it saw: those, not today's
    items = [(election_of(v.station_id), "protocol", subject(v.station_id, v.contest_id,
                                                               v.version),
              members(v.station_id, v.contest_id, v.version, v.figures, v.choices, v.signed_with,
                      v.signature, decisions.get(id(v)),
                      (v.scans if getattr(v, "scans", None) is not None
                       else scans.get((v.station_id, v.contest_id), [])),
                      getattr(v, "message", ""), getattr(v, "signed_by", "")))
             for v in versions]
    return outbox.append_many(items, now)
