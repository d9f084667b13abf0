"""Scans of signed protocols against the published figures: each scan's QR code decoded
(`sailau.verify.qr`, pure Python) and held to the station's current published protocol. A scan of
an earlier version is reported as superseded (the archives keep those scans); a scan whose code
claims other figures for the current version, whose code was edited, whose signature is not by
one of the station's commission's published keys (for a code signed on the station's behalf,
format 4, one of the keys of the commission above it names, which must be the station's
district or territory), or that is not an image, fails."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sailau.verify.report import Report

SUFFIXES = {".png", ".jpg", ".jpeg", ".pdf"}


def scan_files(folder: Path):
    """(name, read()) of every scan under `folder`: image and PDF files, and the scans inside
    the published scan archives (`scans/<territory>.zip`) a reader downloaded there."""
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.name.startswith("."):
            continue
        name = str(p.relative_to(folder))
        if p.suffix.lower() in SUFFIXES:
            yield name, p.read_bytes
        elif p.suffix.lower() == ".zip":
            yield from _archive(name, p)


def _archive(name: str, path: Path):
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        def broken():
            raise OSError(0, "not a readable zip archive")
        yield name, broken
        return
    for info in sorted(z.infolist(), key=lambda i: i.filename):
        if Path(info.filename).suffix.lower() in SUFFIXES:
            yield f"{name}/{info.filename}", lambda info=info: z.read(info)


def check_scans(folder: Path, election: dict, by_id: dict[str, dict], report: Report,
                keys: dict | None = None) -> None:
    """`keys`: the snapshot's commission keys (keys.json's "commissions"); a signed code must
    be signed by one of its station's commission's keys."""
    from sailau.law import get_ruleset
    from sailau.verify import qr

    contests = {c["id"]: c for c in election.get("contests", [])}
    keys = keys or {}
    for name, read in scan_files(folder):
        row = {"file": name}
        report.scans.append(row)
        try:
            payload = qr.first_payload(qr.decode_file(read()))
        except qr.ImageError as exc:
            row["status"] = "unreadable"
            report.fail("scans", name, f"not a readable scan: {exc}")
            continue
        except qr.PayloadError as exc:
            row["status"] = "no_code" if exc.code in ("none", "foreign") else "altered_code"
            report.fail("scans", name, str(exc))
            continue
        except (OSError, zipfile.BadZipFile) as exc:
            row["status"] = "unreadable"
            report.fail("scans", name, f"cannot be read ({getattr(exc, 'strerror', exc)})")
            continue
        row.update(station=payload.station, contest=payload.contest, version=payload.version)
        doc, c = by_id.get(payload.station), contests.get(payload.contest)
        part = next((p for p in (doc or {}).get("contests", [])
                     if p.get("contest") == payload.contest), None)
        current = part and part.get("protocol")
        if c is None or doc is None or current is None:
            row["status"] = "unknown"
            report.fail("scans", name, f"station {payload.station} has no published protocol "
                                       f"of contest {payload.contest}")
            continue
        if payload.version < current.get("version", 0):
            row["status"] = "superseded"
            report.note("scans", name, f"a scan of version {payload.version}; station "
                                       f"{doc.get('number')} is now at version "
                                       f"{current.get('version')}")
            continue
        form = get_ruleset(c["ruleset"]).form(c["kind"])
        ballot = [ch["key"] for ch in c.get("choices", [])]
        lines, votes = qr.ordered(current.get("figures", {}), current.get("choices", {}),
                                  form.keys, ballot)
        if payload.version != current.get("version") or (payload.lines, payload.choices) != (
                lines, votes):
            row["status"] = "differs"
            report.fail("scans", name, f"the code's figures (version {payload.version}) differ "
                                       f"from station {doc.get('number')}'s published protocol "
                                       f"(version {current.get('version')})")
            continue
        published_keys = keys.get(doc.get("commission") or doc.get("id"), [])
        if payload.signed_by_commission:  # signed on the station's behalf: by a commission above
            published_keys = (keys.get(payload.signed_by_commission, [])
                              if payload.signed_by_commission in (doc.get("district"),
                                                                  doc.get("territory")) else [])
        if payload.signature:
            if not any(payload.signed_by(k, form.keys, ballot) for k in published_keys):
                row["status"] = "bad_signature"
                report.fail("scans", name, f"the code's signature is not by station "
                                           f"{doc.get('number')}'s commission (none of its "
                                           f"{len(published_keys)} published keys)"
                            if not payload.signed_by_commission else
                            f"the code's signature is not by a commission above station "
                            f"{doc.get('number')} ({payload.signed_by_commission}: "
                            f"{len(published_keys)} keys that may sign for it)")
                continue
        elif keys:
            report.note("scans", name, "an unsigned code (printed before protocols were signed)")
        row["status"] = "matches"
        report.ok("scans")

