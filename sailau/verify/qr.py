"""The QR code printed on a protocol: what it carries, how it is written and how it is read back.

Pure Python (no Django), so that anyone can check a scan with this module alone.

Payload, format 2, one line of ASCII fields separated by `|`:

    SLU2|<station id>|<contest id>|<protocol version>|<line figures>|<choice votes>|<signature>|<sha256>

Line figures follow the order of the rule set's form and choice votes the order of the ballot,
comma-separated, as decimal integers without leading zeros; an optional line that the protocol
does not have is an empty field. The signature is the commission's Ed25519 signature of the
protocol version (base64, see `sailau.verify.signatures`): with the commission's published
public key and the form's and ballot's keys (`Payload.protocol`), a scan is verified offline
(`Payload.signed_by`). The last field is the SHA-256 (hex) of everything before its `|`. The
text is its own canonical form: parsing refuses any other spelling of the same numbers, so a
payload that parses and whose hash verifies was written by `build` and not edited by hand
(anyone can recompute a bare hash; what binds the figures to the commission is the signature).
Format 1, written before protocols were signed, is the same without the signature field; it is
still read.

Format 3, a version the commission signed with its own key (docs/commission-keys.md):

    SLU3|<station>|<contest>|<version>|<lines>|<choices>|<key id>|<form>|<scans>|<decision>|<signature>|<sha256>

`key id` is the fingerprint of the commission's key (16 hex digits, the one written on the
paper form), `form` the signed message's form (`2`: sailau-protocol/2, `3`: sailau-protocol/3),
`scans` the SHA-256 (hex, comma-separated, sorted) of the scans the signature covers (empty when
none: the paper is printed after the signature), `decision` for form 3 the base64 of the UTF-8
canonical JSON of the decision the amendment cites (empty for form 2). With them a photo of the
posted paper proves, offline and without the server, what the commission signed. Positions instead of keys keep the code small enough (version ~15) to survive a poor
scan; the keys come from the contest, whose form is versioned.

Format 4, a version the commission above typed from the paper and signed on the station's
behalf with its own key (`sailau-protocol/4`, docs/commission-keys.md):

    SLU4|<station>|<contest>|<version>|<lines>|<choices>|<key id>|4|<scans>|<decision>|<signed by>|<signature>|<sha256>

the format 3 fields with form `4`, `decision` empty unless the version is an amendment, and
`signed by` the id of the commission that signed (inside the signed bytes): the code itself says
the signature is not the station commission's own."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sailau.tlog import canonicaljson
from sailau.verify import signatures

MAGIC = "SLU"
FORMAT = 2
FORMATS = {1: 7, 2: 8, 3: 12, 4: 13}  # format -> number of fields
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_SCANS = re.compile(r"(?:[0-9a-f]{64}(?:,[0-9a-f]{64})*)?")
_DECISION = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_FORMS = {"2": signatures.FORMAT_OWN, "3": signatures.FORMAT_AMENDED,
          "4": signatures.FORMAT_BEHALF}
_SIGNATURE = re.compile(r"[A-Za-z0-9+/]{86}==")
_ID = re.compile(r"[A-Za-z0-9._:\-]{1,140}")
_INT = re.compile(r"0|[1-9][0-9]{0,11}")
# Scans are rendered at this resolution; 200 dpi keeps a version-10 module at ~5 px.
PDF_DPI = 200
PDF_MAX_PAGES = 10
# An A4 page at 600 dpi is ~35M, an A3 at 400 dpi ~31M: refuse beyond what a scanner makes
# (decoding is what costs: 59M pixels took 2.2 s of a core). sailau.uploads keeps the same.
MAX_PIXELS = 40_000_000


class PayloadError(ValueError):
    """The QR text is not a valid protocol payload. `code` says why: `foreign` (not ours),
    `format` (an unknown format version), `malformed`, or `hash` (edited after it was made);
    for `hash`, `unverified` holds what the text claims."""

    def __init__(self, code: str, message: str, unverified: Payload | None = None):
        super().__init__(message)
        self.code = code
        self.unverified = unverified


class ImageError(ValueError):
    """The file cannot be opened as an image or a PDF (corrupt, truncated, or too large)."""


@dataclass(frozen=True)
class Payload:
    station: str
    contest: str
    version: int
    lines: tuple[int | None, ...]  # in the form's order; None: optional line absent
    choices: tuple[int, ...]  # in ballot order
    digest: str  # SHA-256 hex of the body
    signature: str = ""  # base64 Ed25519; "" in format 1 (printed before protocols were signed)
    # format 3 (the commission's own key): its fingerprint, the signed form ("2" or "3"), the
    # scans signed, the amendment's decision (base64 of its canonical JSON, "" for form 2)
    key_id: str = ""
    form: str = ""
    scans: tuple[str, ...] = ()
    decision: str = ""
    # format 4: the commission above that signed on the station's behalf
    signed_by_commission: str = ""

    @property
    def format(self) -> int:
        if self.signed_by_commission:
            return 4
        return 3 if self.key_id else 2 if self.signature else 1

    @property
    def body(self) -> str:
        return _body(self.station, self.contest, self.version, self.lines, self.choices,
                     self.signature, self._own())

    def _own(self) -> tuple | None:
        if not self.key_id:
            return None
        return (self.key_id, self.form, self.scans, self.decision,
                *((self.signed_by_commission,) if self.signed_by_commission else ()))

    @property
    def text(self) -> str:
        return f"{self.body}|{self.digest}"

    def to_json(self) -> dict:
        return {"format": self.format, "station": self.station, "contest": self.contest,
                "version": self.version, "lines": list(self.lines),
                "choices": list(self.choices), "signature": self.signature or None,
                "sha256": self.digest,
                **({"key_id": self.key_id, "signed_message": _FORMS.get(self.form),
                    "signed_scans": list(self.scans)} if self.key_id else {}),
                **({"signed_by": self.signed_by_commission} if self.signed_by_commission
                   else {})}

    def protocol(self, line_keys: Sequence[str], choice_keys: Sequence[str]) -> dict:
        """The protocol version the code carries, keyed by the form's lines and the ballot's
        choices (in the order they were printed), as `signatures.canonical_bytes` reads it."""
        if len(line_keys) != len(self.lines) or len(choice_keys) != len(self.choices):
            raise ValueError(f"the code has {len(self.lines)} lines and {len(self.choices)} "
                             f"choices, the form {len(line_keys)} and the ballot "
                             f"{len(choice_keys)}")
        return {"station": self.station, "contest": self.contest, "version": self.version,
                "figures": {k: v for k, v in zip(line_keys, self.lines) if v is not None},
                "choices": dict(zip(choice_keys, self.choices))}

    def signed_by(self, public_key_b64: str, line_keys: Sequence[str],
                  choice_keys: Sequence[str]) -> bool:
        """True when the code's signature is the holder of that public key's signature of the
        figures the code carries. False for an unsigned code or keys of another shape."""
        try:
            protocol = self.protocol(line_keys, choice_keys)
            if self.key_id:  # the commission's own key: the fingerprint on the paper is it
                if signatures.key_id(public_key_b64) != self.key_id:
                    return False
                protocol["scans"] = list(self.scans)
                if self.decision:
                    protocol["decision"] = json.loads(base64.b64decode(self.decision))
                if self.signed_by_commission:
                    protocol["signed_by"] = self.signed_by_commission
                data = signatures.signed_bytes(protocol, _FORMS[self.form])
            else:
                data = signatures.canonical_bytes(protocol)
        except (ValueError, KeyError, TypeError):
            return False
        return bool(self.signature) and signatures.verify_signature(public_key_b64, data,
                                                                    self.signature)


def _body(station, contest, version, lines, choices, signature="", own=None) -> str:
    figs = ",".join("" if v is None else str(v) for v in lines)
    fmt = (4 if len(own) == 5 else 3) if own else 2 if signature else 1
    body = (f"{MAGIC}{fmt}|{station}|{contest}|{version}|{figs}|"
            f"{','.join(str(v) for v in choices)}")
    if own:
        key_id, form, scans, decision, *by = own
        body = f"{body}|{key_id}|{form}|{','.join(scans)}|{decision}"
        if by:
            body = f"{body}|{by[0]}"
    return f"{body}|{signature}" if signature else body


def decision_field(decision: dict | None) -> str:
    """The QR field of an amendment's decision: base64 of its canonical JSON ("" for none)."""
    if not decision:
        return ""
    data = canonicaljson.encode({k: decision[k] for k in ("date", "number", "reason")})
    return base64.b64encode(data).decode("ascii")


def _check_int(value, what: str) -> int:
    # bool is an int subclass; a True in a protocol is a bug upstream, not a 1.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value >= 10**12:
        raise ValueError(f"{what}: {value!r} is not a non-negative integer below 10^12")
    return value


def build(station: str, contest: str, version: int, lines: Sequence[int | None],
          choices: Sequence[int], signature: str = "", *, key_id: str = "",
          message: str = "", scans: Sequence[str] = (), decision: dict | None = None,
          signed_by: str = "") -> Payload:
    """The payload of one protocol version, figures already in form and ballot order; format 2
    with its signature, format 1 for a version stored unsigned; format 3 with the fingerprint
    `key_id` of the commission's own key, the form signed (`message`), the scans and the
    decision the signature covers; format 4 (`message` sailau-protocol/4) with `signed_by`, the
    commission above that signed on the station's behalf."""
    own = None
    if key_id:
        form = {v: k for k, v in _FORMS.items()}.get(message)
        if not _KEY_ID.fullmatch(key_id) or form is None or not signature:
            raise ValueError("a commission's own signature needs its key id, its form "
                             f"({', '.join(_FORMS.values())}) and the signature")
        scans = tuple(sorted(set(scans)))
        if not _SCANS.fullmatch(",".join(scans)):
            raise ValueError("scans: SHA-256 in lower-case hex")
        if (form == "4") != bool(signed_by) or (signed_by and not _ID.fullmatch(signed_by)):
            raise ValueError("sailau-protocol/4 names the commission that signed (signed_by), "
                             "and only it does")
        own = (key_id, form, scans, decision_field(decision) if form in "34" else "",
               *((signed_by,) if form == "4" else ()))
    for name, value in (("station", station), ("contest", contest)):
        if not _ID.fullmatch(value):
            raise ValueError(f"{name} id {value!r} has characters the payload cannot carry")
    if signature and not _SIGNATURE.fullmatch(signature):
        raise ValueError("the signature is not a base64 Ed25519 signature")
    _check_int(version, "version")
    lines = tuple(None if v is None else _check_int(v, f"line {i + 1}")
                  for i, v in enumerate(lines))
    choices = tuple(_check_int(v, f"choice {i + 1}") for i, v in enumerate(choices))
    if not lines:
        raise ValueError("a protocol payload needs its lines")
    body = _body(station, contest, version, lines, choices, signature, own)
    return Payload(station, contest, version, lines, choices,
                   hashlib.sha256(body.encode("ascii")).hexdigest(), signature,
                   *(own or ()))


def ordered(figures: dict, choices: dict, line_keys: Iterable[str],
            choice_keys: Iterable[str]) -> tuple[tuple[int | None, ...], tuple[int, ...]]:
    """Protocol dicts → the fixed order of the payload. A choice missing from `choices` is a
    zero (no votes recorded); a line missing from `figures` is absent (optional line)."""
    return (tuple(figures.get(k) for k in line_keys),
            tuple(choices.get(k, 0) for k in choice_keys))


def parse(text: str) -> Payload:
    """QR text → Payload, or PayloadError. Verifies the payload's own hash."""
    if not text.startswith(MAGIC):
        raise PayloadError("foreign", "the QR code is not a Sailau protocol code")
    fields = text.split("|")
    head = fields[0][len(MAGIC):]
    fmt = {str(f): f for f in FORMATS}.get(head)
    if fmt is None:
        raise PayloadError("format", f"unknown protocol code format {head!r} (this system reads "
                                     f"formats {', '.join(map(str, FORMATS))})")
    if len(fields) != FORMATS[fmt]:
        raise PayloadError("malformed", f"the protocol code has {len(fields)} fields, not "
                                        f"{FORMATS[fmt]}")
    own: tuple = ()
    if fmt >= 3:
        key_id, form, scans, decision = fields[6:10]
        by = fields[10] if fmt == 4 else ""
        del fields[6:11 if fmt == 4 else 10]
        if not (_KEY_ID.fullmatch(key_id) and form in _FORMS and _SCANS.fullmatch(scans)
                and _DECISION.fullmatch(decision) and (form == "4") == (fmt == 4)
                and (form == "4" or bool(decision) == (form == "3"))
                and (fmt == 3 or _ID.fullmatch(by))):
            raise PayloadError("malformed", "the commission's key, form, scans, decision or "
                                            "signer field is not well formed")
        own = (key_id, form, tuple(scans.split(",")) if scans else (), decision,
               *((by,) if fmt == 4 else ()))
    signature = fields.pop(6) if fmt >= 2 else ""
    _, station, contest, version, lines, choices, digest = fields
    if fmt >= 2 and not _SIGNATURE.fullmatch(signature):
        raise PayloadError("malformed", "the signature field is not a base64 Ed25519 signature")
    if not (_ID.fullmatch(station) and _ID.fullmatch(contest)):
        raise PayloadError("malformed", "station or contest id is not well formed")
    if not _INT.fullmatch(version):
        raise PayloadError("malformed", f"protocol version {version!r} is not a number")
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise PayloadError("malformed", "the hash field is not a SHA-256 in lowercase hex")
    line_values = []
    for i, v in enumerate(lines.split(",")):
        if v and not _INT.fullmatch(v):
            raise PayloadError("malformed", f"line {i + 1}: {v!r} is not a figure")
        line_values.append(int(v) if v else None)
    choice_values = []
    if choices:
        for i, v in enumerate(choices.split(",")):
            if not _INT.fullmatch(v):
                raise PayloadError("malformed", f"choice {i + 1}: {v!r} is not a number")
            choice_values.append(int(v))
    claimed = Payload(station, contest, int(version), tuple(line_values), tuple(choice_values),
                      digest, signature, *own)
    actual = hashlib.sha256(claimed.body.encode("ascii")).hexdigest()
    if actual != digest:
        raise PayloadError("hash", "the figures in the protocol code do not match its own hash: "
                                   "the code was altered after it was printed", claimed)
    return claimed


# --- writing ---------------------------------------------------------------------------------

def make_qr(payload: Payload):
    """The segno QR code. Error correction M, raised when it fits in the same size: a
    signature or a stamp crossing the code should not make it unreadable."""
    import segno

    return segno.make(payload.text, error="m", boost_error=True, micro=False)


def modules(payload: Payload) -> list[list[bool]]:
    """The code as rows of dark (True) / light modules, without the quiet zone."""
    return [[bool(v) for v in row] for row in make_qr(payload).matrix]


def to_image(payload: Payload, scale: int = 4, border: int = 4):
    """The code as a greyscale PIL image, `scale` pixels per module."""
    import numpy as np
    from PIL import Image

    grid = np.pad(np.array(make_qr(payload).matrix, dtype=np.uint8), border)
    img = Image.fromarray(np.where(grid, 0, 255).astype(np.uint8), mode="L")
    return img.resize((img.width * scale, img.height * scale), Image.Resampling.NEAREST)


# --- reading ---------------------------------------------------------------------------------

def decode_image(image) -> list[str]:
    """Every QR text found in a PIL image. Tries the image as given, then a contrast-stretched
    greyscale copy, then an enlarged one (small or low-resolution scans)."""
    import zxingcpp
    from PIL import ImageOps

    def read(img) -> list[str]:
        return [b.text for b in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
                if b.valid and b.text]

    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    if found := read(image):
        return found
    grey = ImageOps.autocontrast(image.convert("L"), cutoff=1)
    if found := read(grey):
        return found
    if max(grey.size) < 2500:
        return read(grey.resize((grey.width * 2, grey.height * 2)))
    return []


def open_image(data: bytes):
    """Bytes of a PNG or JPEG → a loaded PIL image, or ImageError."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageError(f"the image is {probe.width}×{probe.height} pixels, more than "
                                 f"a scanned page needs ({MAX_PIXELS:,} pixels at most)")
            probe.load()  # decodes everything: a truncated file fails here, not later
            return probe.copy()
    except ImageError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise ImageError(f"the image cannot be read: {exc}") from None


def _open_pdf(data: bytes, max_pages: int):
    """(document, page count) of a PDF that opens and has 1 to `max_pages` pages, else
    ImageError; the caller closes the document."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ImageError(f"the PDF cannot be read: {exc}") from None
    n = len(pdf)
    if n == 0 or n > max_pages:
        pdf.close()
        raise ImageError("the PDF has no pages" if n == 0 else
                         f"the PDF has {n} pages; a protocol scan has at most {max_pages}")
    return pdf, n


def pdf_pages(data: bytes, dpi: int = PDF_DPI, max_pages: int = PDF_MAX_PAGES):
    """Bytes of a PDF → its pages rendered as PIL images (a generator), or ImageError. Checks
    that the whole document opens before yielding anything."""
    import pypdfium2 as pdfium

    pdf, n = _open_pdf(data, max_pages)
    try:
        for i in range(n):
            page = pdf[i]
            w, h = page.get_size()  # points
            scale = dpi / 72
            if w * h * scale * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / (w * h)) ** 0.5
            try:
                yield page.render(scale=scale, grayscale=True).to_pil()
            except pdfium.PdfiumError as exc:
                raise ImageError(f"page {i + 1} of the PDF cannot be drawn: {exc}") from None
    finally:
        pdf.close()


def check_pdf(data: bytes) -> int:
    """Opens a PDF and returns its page count, or raises ImageError (corrupt, empty, too long)."""
    pdf, n = _open_pdf(data, PDF_MAX_PAGES)
    pdf.close()
    return n


def decode_pdf(data: bytes) -> list[str]:
    """Every QR text on the pages of a PDF, page by page; stops at the first page with one."""
    for page in pdf_pages(data):
        if found := decode_image(page):
            return found
    return []


def sniff(data: bytes) -> str | None:
    """The content type by magic bytes: application/pdf, image/png, image/jpeg, or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def decode_file(data: bytes) -> list[str]:
    """Every QR text in a PDF, PNG or JPEG file (sniffed by content). ImageError when the file is
    none of these or cannot be opened."""
    kind = sniff(data)
    if kind == "application/pdf":
        check_pdf(data)
        return decode_pdf(data)
    if kind in ("image/png", "image/jpeg"):
        return decode_image(open_image(data))
    raise ImageError("the file is not a PDF, PNG or JPEG")


def first_payload(texts: Iterable[str]) -> Payload:
    """The protocol payload among the codes found on a page: the first that verifies; else the
    most telling error (an altered Sailau code before a foreign code)."""
    errors: list[PayloadError] = []
    for text in texts:
        try:
            return parse(text)
        except PayloadError as exc:
            errors.append(exc)
    if not errors:
        raise PayloadError("none", "no QR code was found on the scan")
    rank = {"hash": 0, "malformed": 1, "format": 2, "foreign": 3}
    raise min(errors, key=lambda e: rank.get(e.code, 9))
