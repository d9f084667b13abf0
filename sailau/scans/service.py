"""Printing a definitive protocol, and uploading the scan of the signed paper.

`upload_scan` checks the file by its content (never its name), stores it under its SHA-256,
decodes the QR code and compares it with the current definitive protocol: `match`, `mismatch`
(with the lines that differ) or `unreadable`. A scan belongs to the protocol version its code
shows: after an amendment, the old paper's scan stays the scan of the old version, and the
current version has no scan until the new paper's is uploaded (`standing`). The same file twice gives back the stored scan; a
scan whose code belongs to another station or contest is refused and nothing is stored."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from sailau import clock, uploads
from sailau.elections.models import Contest, Station, spellings
from sailau.elections.places import address_line
from sailau.errors import BadInput, Code, Forbidden
from sailau.filestores import refused_when_unavailable
from sailau.languages import OFFICIAL, WRITTEN, pick, texts
from sailau.protocols.models import Amendment, Protocol
from sailau.scans import printing
from sailau.scans.models import Scan, scan_path
from sailau.verify import qr, signatures

T = texts("scans.service")

MAX_BYTES = 20 * 1024 * 1024  # a 600-dpi colour A4 JPEG is ~5 MB; 20 leaves room for PDFs
# A scanned image has the ceiling of every uploaded image (`sailau.uploads.MAX_PIXELS`, 25M
# pixels, read from its header before anything is decoded); a 600-dpi A4 scan (34.8M) is
# refused with the advice to scan at 300 or 400 dpi.


class ScanError(BadInput, ValueError):
    """A refused upload. `code` is stable (`scan.too_large`...), the message in kk/ru/en
    (`text(lang)`); str() is the English text."""


# What a non-match means, for pages (the codes are `Scan.reason`).
REASONS = {
    "figures": T("The figures in the QR code differ from the definitive protocol"),
    "version": T("Another version of the protocol was printed"),
    "altered": T("The QR code was altered after printing (its own hash does not match)"),
    "no_qr": T("No QR code was found on the scan"),
    "foreign": T("The QR code is not a Sailau protocol code"),
    "malformed": T("The QR code is damaged"),
    "format": T("Unknown QR code format"),
    "shape": T("The QR code does not have the lines of this protocol form"),
    "printed": T("The figures printed on the paper differ from its QR code (read by "
                 "machine, the control relations hold)"),
    "signature": T("The signature in the QR code was not made with the precinct "
                   "commission's key"),
}


# --- the protocol's fixed order ------------------------------------------------------------

def choice_keys(contest: Contest) -> list[str]:
    return list(contest.choices.order_by("order", "id").values_list("key", flat=True))


def payload_for(protocol: Protocol, form=None, keys: list[str] | None = None) -> qr.Payload:
    """The QR payload of a protocol version."""
    form = form or protocol.contest.form
    keys = choice_keys(protocol.contest) if keys is None else keys
    lines, votes = qr.ordered(protocol.figures, protocol.choices, form.keys, keys)
    if protocol.signed_message:
        # The commission's own signature (format 3): with its key's fingerprint, the scans it
        # covers (those the server held when the commission signed) and an amendment's
        # decision, so that a photo of the paper proves what the commission signed.
        a = (Amendment.objects.filter(protocol_id=protocol.pk).first()
             if protocol.signed_message in (signatures.FORMAT_AMENDED,
                                            signatures.FORMAT_BEHALF) else None)
        return qr.build(protocol.station_id, protocol.contest_id, protocol.version, lines,
                        votes, protocol.signature,
                        key_id=signatures.key_id(protocol.signed_with),
                        message=protocol.signed_message, scans=protocol.signed_scans or [],
                        decision={"number": a.decision_number,
                                  "date": a.decision_date.isoformat(),
                                  "reason": a.reason} if a else None,
                        # format 4: typed and signed by the commission above, on its behalf
                        signed_by=protocol.signed_by)
    return qr.build(protocol.station_id, protocol.contest_id, protocol.version, lines, votes,
                    protocol.signature)


def definitive_protocol(station: Station, contest: Contest) -> Protocol:
    """The current version of the station's protocol, the one a scan or a print is of; a
    ScanError in the three languages when there is none yet."""
    if station.election_id != contest.election_id:
        raise ScanError(
            code=Code.SCAN_NOT_IN_ELECTION,
            message=T("Station № {number} is not in the election of “{contest}”.").format(
                number=station.number, contest=spellings(contest, "name")))
    try:
        return (Protocol.objects.current().of(station, contest)
                .select_related("station", "contest").get())
    except Protocol.DoesNotExist:
        raise ScanError(
            code=Code.SCAN_NO_PROTOCOL,
            message=T("Station № {number} has no definitive protocol yet for “{contest}”: "
                      "upload the scan once the protocol is definitive.").format(
                number=station.number, contest=spellings(contest, "name"))) from None


# --- printing --------------------------------------------------------------------------------

# A member's title on the paper, in each of the state's languages it is printed in (OFFICIAL),
# in the order the signatures are listed.
_ROLES = {"chair": T("Chair"), "deputy": T("Deputy chair"), "secretary": T("Secretary"),
          "member": T("Member")}


def _member(member) -> printing.PrintedMember:
    title = _ROLES.get(member.role)
    return printing.PrintedMember(full_name=member.full_name, **{
        f"role_{lang}": title[lang] if title else "" for lang in OFFICIAL})


def printable(protocol: Protocol) -> printing.PrintableProtocol:
    station = protocol.station
    contest = protocol.contest
    election = contest.election
    commission = station.commission
    form = contest.form
    choices = list(contest.choices.order_by("order", "id"))
    payload = payload_for(protocol, form, [c.key for c in choices])
    rank = {role: i for i, role in enumerate(_ROLES)}  # chair, deputy, secretary, members
    members = [_member(m) for m in sorted(commission.members.all(),
                                          key=lambda m: (rank.get(m.role, 9), m.id))]
    printed_at = clock.localtime().strftime("%Y-%m-%d %H:%M")
    return printing.PrintableProtocol(
        election_kk=election.name("kk"), election_ru=election.name("ru"),
        contest_kk=contest.name("kk"), contest_ru=contest.name("ru"),
        station_number=station.number,
        commission_kk=commission.name("kk"), commission_ru=commission.name("ru"),
        # the station's own spellings, as the commission wrote them (no fallback on paper)
        address_kk=address_line(*(spellings(station, f)["kk"] for f in ("settlement", "address"))),
        address_ru=address_line(*(spellings(station, f)["ru"] for f in ("settlement", "address"))),
        version=protocol.version, payload=payload,
        lines=tuple(printing.PrintedLine(line.number, line.label["kk"], line.label["ru"],
                                         protocol.figures.get(line.key))
                    for line in form.lines),
        choices=tuple(printing.PrintedChoice(i + 1, c.name("kk"), c.name("ru"),
                                             protocol.choices.get(c.key, 0))
                      for i, c in enumerate(choices)),
        members=tuple(members), printed_at=f"{printed_at} ({timezone.get_current_timezone_name()})",
        **_behalf(protocol, station), **kind_words(contest))


def kind_words(contest) -> dict:
    """The title and the station's name the paper of a contest's kind carries, where the kind
    has its own (a referendum's: `law.kinds.Wording.protocol`, `.station`): the printed
    protocol's, and the page the demo's scans are drawn from (`scans.demo.forms`)."""
    words = contest.contest_kind.wording
    if words is None or words.protocol is None:
        return {}
    out = {"title_kk": words.protocol["kk"], "title_ru": words.protocol["ru"]}
    if words.station:  # in the middle of a line: "№ 7 референдум учаскесі"
        out |= {f"station_{lang}": words.station[lang][:1].lower() + words.station[lang][1:]
                for lang in OFFICIAL}
    return out


def _behalf(protocol: Protocol, station: Station) -> dict:
    """What the paper says of a version the commission above signed on the station's behalf."""
    if not protocol.signed_by:
        return {}
    from sailau.elections.models import Commission
    from sailau.verify import behalf

    above = Commission.objects.filter(pk=protocol.signed_by).first()
    name = ({code: above.name(code) for code in WRITTEN} if above
            else protocol.signed_by)
    return {f"behalf_{lang}": behalf.sentence(name, station.number, lang) for lang in OFFICIAL}


def protocol_pdf(protocol: Protocol) -> bytes:
    return printing.render(printable(protocol))


# --- comparing -------------------------------------------------------------------------------

def compare(payload: qr.Payload, protocol: Protocol, form=None,
            keys: list[str] | None = None) -> tuple[str, str, list[dict]]:
    """(status, reason, mismatches) of a verified payload against a protocol version."""
    form = form or protocol.contest.form
    keys = choice_keys(protocol.contest) if keys is None else keys
    if len(payload.lines) != len(form.lines) or len(payload.choices) != len(keys):
        return Scan.MISMATCH, "shape", [{"line": "shape",
                                         "printed": [len(payload.lines), len(payload.choices)],
                                         "definitive": [len(form.lines), len(keys)]}]
    diffs = []
    for line, printed in zip(form.lines, payload.lines):
        definitive = protocol.figures.get(line.key)
        if printed != definitive:
            diffs.append({"line": line.key, "number": line.number, "kind": "line",
                          "printed": printed, "definitive": definitive})
    for key, printed in zip(keys, payload.choices):
        definitive = protocol.choices.get(key, 0)
        if printed != definitive:
            diffs.append({"line": key, "kind": "choice", "printed": printed,
                          "definitive": definitive})
    if payload.version != protocol.version:
        reason = "figures" if diffs else "version"
        diffs.append({"line": "version", "kind": "version", "printed": payload.version,
                      "definitive": protocol.version})
        return Scan.MISMATCH, reason, diffs
    if diffs:
        return Scan.MISMATCH, "figures", diffs
    return Scan.MATCH, "", []


# --- uploading -------------------------------------------------------------------------------

def check_file(data: bytes) -> str:
    """Size and type by content (`sailau.uploads`, as for every upload); returns the content
    type or raises ScanError. Opens the file fully, so a corrupt one is refused before anything
    is stored."""
    try:
        return uploads.check(data, accept=(uploads.PDF, uploads.JPEG, uploads.PNG),
                             max_bytes=MAX_BYTES,
                             max_pages=qr.PDF_MAX_PAGES).content_type
    except uploads.UploadError as exc:
        if exc.code == Code.UPLOAD_PIXELS:
            raise _too_many_pixels(exc) from None
        raise _scan_error(exc) from None


def _scan_error(exc: uploads.UploadError) -> ScanError:
    return ScanError(code=exc.code.replace("upload.", "scan.", 1), field=exc.field,
                     message=exc.message)


def _too_many_pixels(exc: uploads.UploadError) -> ScanError:
    """The pixel refusal, with what to do: a protocol needs no more than 300-400 dpi."""
    said = {lang: exc.text(lang).rstrip(".") for lang in WRITTEN}
    return ScanError(code=Code.SCAN_PIXELS, field=exc.field, message=T(
        "{said}. Scan the protocol at 300 or 400 dpi, or photograph it with a phone at its "
        "usual quality.").format(said=said))


def too_large(size: int) -> ScanError:
    """The refusal of a file of `size` bytes; views call it before reading the upload."""
    return _scan_error(uploads.too_large("file", size, MAX_BYTES))


def _corrupt(kind: str, exc: Exception) -> ScanError:
    name = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}[kind]
    return ScanError(code=Code.SCAN_CORRUPT,
                     message=T(
                         "The {name} file is corrupt or cannot be read: {exc}").format(name=name, exc=exc))


def _read_payload(data: bytes, kind: str) -> tuple[qr.Payload | None, str]:
    """(payload, reason): a verified payload and "", or the unverified one and "altered", or
    None and why not."""
    try:
        if kind == "application/pdf":
            texts = qr.decode_pdf(data)
        else:
            texts = qr.decode_image(qr.open_image(data))
    except qr.ImageError as exc:
        raise _corrupt(kind, exc) from None
    try:
        return qr.first_payload(texts), ""
    except qr.PayloadError as exc:
        if exc.code == "hash":
            return exc.unverified, "altered"
        return None, "no_qr" if exc.code == "none" else exc.code


def _refuse_other(payload: qr.Payload, station: Station, contest: Contest) -> None:
    if payload.station != station.id:
        other = Station.objects.filter(id=payload.station).first()
        if other is None:
            raise ScanError(
                code=Code.SCAN_OTHER_STATION,
                message=T(
                    "This is the protocol of a station that is not here ({station}), "
                    "not of station № {number}.").format(station=payload.station, number=station.number))
        raise ScanError(
            code=Code.SCAN_OTHER_STATION,
            message=T("This is the protocol of station № {other} ({settlement}), not of station "
                      "№ {number}.").format(other=other.number, number=station.number,
                                            settlement=spellings(other, "settlement")))
    if payload.contest != contest.id:
        other = Contest.objects.filter(id=payload.contest).first()
        names = {lang: other.name(lang) if other else payload.contest
                 for lang in WRITTEN}
        raise ScanError(
            code=Code.SCAN_OTHER_CONTEST,
            message=T("This is the protocol of “{other}”, not of “{contest}”.").format(
                other=names, contest=spellings(contest, "name")))


def _signed_by_commission(payload: qr.Payload, station: Station, contest: Contest) -> bool:
    """Whether the code's signature is by one of the station's commission keys (retired ones
    included: a paper printed before a rotation stays valid), or for a code signed on the
    station's behalf (format 4) by one of the keys of the commission above it names (its
    district or territorial commission), over the figures the code carries, read in the form's
    and the ballot's order as the verifier reads them."""
    from sailau.elections.models import CommissionKey

    signer = station.commission_id
    if payload.signed_by_commission:  # signed on the station's behalf: by a commission above
        signer = payload.signed_by_commission
        if signer not in (station.district_id, station.territory_id):
            return False
    keys = CommissionKey.objects.filter(commission_id=signer).values_list(
        "public_key", flat=True)
    lines, ballot = contest.form.keys, choice_keys(contest)
    return any(payload.signed_by(k, lines, ballot) for k in keys)


def may_upload(user, station: Station) -> bool:
    """Whether `user` may upload scans for `station` (None: the system itself, e.g. the demo):
    a role covering the station that allows scanning (accounts.permissions.SCAN)."""
    if user is None:
        return True
    from sailau.accounts.permissions import SCAN, allowed

    return allowed(user, SCAN, station)


def _require(user, station: Station) -> None:
    if not may_upload(user, station):
        who = getattr(user, "username", "") or "the public"
        raise Forbidden(code=Code.NOT_ALLOWED, message=f"{who} may not upload scans for station "
                        f"№ {station.number} ({station.id})")


def _read_figures(data: bytes, kind: str, payload: qr.Payload, contest: Contest) -> dict | None:
    """The OCR reading of the printed figures (`ocr.Reading` as JSON), or None when there is
    nothing to read by machine: a PDF (its figures are text, and its layout is reportlab's,
    not `page.layout`), or no tesseract data installed."""
    from sailau.scans import ocr

    if kind == "application/pdf" or not ocr.available():
        return None
    form = contest.form
    try:
        reading = ocr.read(qr.open_image(data), payload.text, form, list(form.keys),
                           choice_keys(contest), payload.lines, payload.choices)
    except Exception as exc:  # noqa: BLE001 - advisory: a failed reading never refuses a scan
        return ocr.Reading(ocr.UNREAD, note=f"error: {type(exc).__name__}").to_json()
    return reading.to_json()


def upload_scan(station: Station, contest: Contest, file_bytes: bytes, filename: str = "",
                user=None, ocr: bool = True) -> Scan:
    """Check, store and compare one scan. Returns the Scan; `scan.created` is False when the
    same file was already stored for this station and contest. Raises ScanError when refused,
    Forbidden when `user` has no role allowing it (`user=None` is the system). `ocr`:
    read the printed figures too (~0.2 s of CPU), and flag a paper whose digits differ from
    its code (reason "printed")."""
    _require(user, station)
    kind = check_file(file_bytes)
    digest = hashlib.sha256(file_bytes).hexdigest()
    existing = Scan.objects.filter(station=station, contest=contest, sha256=digest).first()
    if existing is not None:
        existing.created = False
        return existing
    protocol = definitive_protocol(station, contest)
    payload, reason = _read_payload(file_bytes, kind)
    if payload is not None and not reason:
        _refuse_other(payload, station, contest)
        # The scan belongs to the version its code shows (the paper of version 1 stays the
        # paper of version 1 after an amendment); a version that does not exist is compared
        # with the current one, and shows as another version.
        protocol = (Protocol.objects.filter(station=station, contest=contest,
                                            version=payload.version)
                    .select_related("station", "contest").first() or protocol)
        status, reason, mismatches = compare(payload, protocol)
        if (status == Scan.MATCH and payload.signature
                and not _signed_by_commission(payload, station, protocol.contest)):
            # the definitive figures, but not signed by the commission: a re-made code (one
            # whose figures differ is flagged for them already, naming the lines)
            status, reason = Scan.MISMATCH, "signature"
            mismatches = [*mismatches, {"line": "signature", "kind": "signature",
                                        "printed": payload.signature,
                                        "definitive": station.commission_id}]
        reading = _read_figures(file_bytes, kind, payload, protocol.contest) if ocr else None
        if reading is not None and reading["status"] == "differs" and status == Scan.MATCH:
            # the code is the commission's and matches, but the paper says otherwise
            status, reason = Scan.MISMATCH, "printed"
            mismatches = [{"line": d["line"], "kind": "printed", "printed": d["printed"],
                           "definitive": d["code"]} for d in reading["diffs"]]
    elif payload is not None:  # altered: its claims are shown, but not trusted for anything
        reading = None
        status, mismatches = Scan.MISMATCH, [{"line": "sha256", "kind": "hash",
                                              "printed": payload.digest,
                                              "definitive": payload_for(protocol).digest}]
    else:
        reading, (status, mismatches) = None, (Scan.UNREADABLE, [])
    scan = Scan(station=station, contest=contest, protocol=protocol, sha256=digest,
                content_type=kind, size=len(file_bytes), original_name=(filename or "")[-255:],
                uploaded_by=user if getattr(user, "pk", None) else None,
                status=status, reason=reason, mismatches=mismatches,
                payload=payload.to_json() if payload else None, ocr=reading)
    name = scan_path(scan, filename)
    # The name is the hash: a file already there holds these very bytes (an earlier attempt
    # whose row was rolled back, or the same scan for another contest of the station).
    # Storage down: a 503 refusal before any row is written (`refused_when_unavailable`).
    with refused_when_unavailable(f"storing scan {name}"):
        stored_now = not default_storage.exists(name)
        saved = default_storage.save(name, ContentFile(file_bytes)) if stored_now else name
    try:
        with transaction.atomic():
            scan.file.name = saved
            scan.save()
            _record(scan, user)
    except IntegrityError:
        # Another request stored the same file for the same station between our check and now
        # (if both wrote the file, storage gave ours another name: drop that copy).
        scan = Scan.objects.get(station=station, contest=contest, sha256=digest)
        if stored_now and saved != scan.file.name:
            default_storage.delete(saved)
        scan.created = False
        return scan
    except BaseException:
        if stored_now and not Scan.objects.filter(file=saved).exists():
            default_storage.delete(saved)  # nothing stored unless the row is
        raise
    scan.created = True
    return scan


# --- versions -------------------------------------------------------------------------------

# What a page says of a scan of an earlier version, and when the current one has none.
EARLIER = T("This scan is of version {shown} of the protocol; the current version is "
            "{current}.")
NO_CURRENT_SCAN = T("No scan of the current version of the protocol has been uploaded yet.")


def standing(scans: list[dict], current: int | None, lang: str) -> tuple[list[dict], str]:
    """The scans of one station's protocol as a page shows them, and the note to show when its
    current version has none of its own (else ""). `scans`: dicts with `protocol_version`,
    `status` and `reason` (the published station document's); `current`: the current version.
    Whether a scan matches is only said of a scan of the current version."""
    out, own = [], False
    for s in scans:
        shown = s.get("protocol_version")
        if current is not None and shown != current:
            out.append({**s, "of_current": False,
                        "note": EARLIER[lang].format(shown=shown, current=current)})
            continue
        own = True
        out.append({**s, "of_current": True,
                    "note": pick(REASONS.get(s.get("reason") or "", {}), lang)})
    return out, (NO_CURRENT_SCAN[lang] if scans and not own else "")


def _record(scan: Scan, user) -> None:
    """The audit record and the chronometry step of a new scan, in the scan's transaction."""
    from sailau.ledger import wake
    from sailau.protocols import chronometry

    actor = getattr(user, "username", "") or "system"
    _audit(actor, "scan.upload", scan)
    wake.stage_written("batches")  # the station's file lists its scans: woken on commit
    chronometry.record(scan.station_id, chronometry.SCAN_UPLOADED, scan.uploaded_at, actor)


def _audit(actor: str, action: str, scan: Scan) -> None:
    from django.apps import apps

    if apps.is_installed("sailau.audit"):
        from sailau import audit

        audit.append(actor, action, f"{scan.station_id}/{scan.contest_id}", {
            "scan": scan.pk, "sha256": scan.sha256, "size": scan.size,
            "content_type": scan.content_type, "protocol_version": scan.protocol.version,
            "status": scan.status, "reason": scan.reason, "mismatches": scan.mismatches})
