"""What two equal readings of an image are checked against before they become its verified
reading.

Two volunteers who make the same slip on the same image agree with each other, so agreement
alone cannot tell a slip from a falsified protocol. What can is anything independent of the
two: the official figures of the paper's protocol, what the machine read from a scan (its QR
code, its printed digits by OCR) and the form's control relations, which act as a checksum on
every reading. When the agreed reading differs from any of them, it is not final until a third
volunteer, who never saw the first two readings, types the same (`readings.judge`); a real
mismatch survives that, a shared slip almost never does. When there is nothing to check
against (an observer's photo of a station whose official protocol is not in yet), a third
reading is asked for too: a later official protocol would otherwise be compared with a
reading only two people made.

Pure reads: the caller holds the image row locked."""

from __future__ import annotations

from sailau.evidence.models import Image
from sailau.observation.compare import differences
from sailau.scans import ocr

OFFICIAL, MACHINE, RELATIONS, NOTHING = "official", "machine", "relations", "nothing"
# Why a scan's QR code is not trusted for its figures (`Scan.REASONS`): an altered or re-made
# code, a damaged one, or none at all.
_UNTRUSTED = {"altered", "no_qr", "foreign", "malformed", "format", "shape", "signature"}


def paper_protocol(image: Image) -> tuple[dict, dict] | None:
    """The official figures the paper is compared with: the version printed on a scan (a
    reading of a superseded version is compared with that version: the amendment is not a
    volunteer's slip), the current protocol for an observer's copy."""
    from sailau.protocols.models import Protocol

    if image.protocol_id:
        p = image.protocol
        return dict(p.figures), dict(p.choices)
    row = (Protocol.objects.current().filter(station_id=image.station_id,
                                             contest_id=image.contest_id)
           .values_list("figures", "choices").first())
    return (dict(row[0]), dict(row[1])) if row else None


def machine_readings(image: Image) -> list[tuple[dict, dict]]:
    """What the machine read from a scan: the figures of its QR code (the protocol version it
    names, with the lines the code gives otherwise) and those of its printed digits (OCR) when
    read with confidence. None from an observer's photo: handwriting is the volunteers' to read,
    and nothing from a code that was not read or not trusted."""
    if image.source != Image.SCAN or not image.scan_id or not image.protocol_id:
        return []
    scan = image.scan
    out = []
    if scan.payload and scan.reason not in _UNTRUSTED:
        figures, choices = dict(image.protocol.figures), dict(image.protocol.choices)
        for m in scan.mismatches or []:
            part = {"line": figures, "choice": choices}.get(m.get("kind"))
            if part is not None and isinstance(m.get("printed"), int):
                part[m["line"]] = m["printed"]
        out.append((figures, choices))
    read = scan.ocr or {}
    if read.get("status") in (ocr.AGREES, ocr.DIFFERS):
        out.append((dict(read.get("figures") or {}), dict(read.get("choices") or {})))
    return out


def _differs(machine: tuple[dict, dict], figures: dict, choices: dict) -> bool:
    """Whether a machine reading gives any line otherwise (the lines it read: the OCR may
    leave an optional line out)."""
    return any(key in typed and typed[key] != value
               for read, typed in zip(machine, (figures, choices)) for key, value in read.items())


def doubts(image: Image, form, figures: dict, choices: dict, findings: list) -> list[str]:
    """Why an agreed reading is not final on two volunteers' word: [] when the official
    figures, the machine's readings and the control relations all agree with it. A relation
    the official figures break too is the paper's own (evidence, not a slip)."""
    out = []
    official = paper_protocol(image)
    if official is None:
        out.append(NOTHING)
    elif differences(*official, figures, choices):
        out.append(OFFICIAL)
    if any(_differs(machine, figures, choices) for machine in machine_readings(image)):
        out.append(MACHINE)
    broken = {f["code"] for f in findings}
    if broken and official is not None:
        broken -= {f.code for f in form.check(*official)}
    if broken:
        out.append(RELATIONS)
    return out
