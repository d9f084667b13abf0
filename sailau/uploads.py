"""Every uploaded file goes through here: protocol scans, observers' incident photos and
complaint attachments alike.

Two gates. `RequestSizeMiddleware` refuses a request whose declared body is larger than
MAX_REQUEST_BYTES before a byte of it is read (anonymous visitors included), and Django reads a
request body only up to its Content-Length, so the declaration is also the streaming cap. Then
`check` judges one file by its content, never its name: size, type by magic bytes, images
decoded whole within a pixel limit (a 48 KB PNG can claim 20000×20000 pixels: the header is read
first and such a bomb is refused before it is decoded), PDFs opened within a page limit.

Refusals carry a stable code, the field and the message in kk/ru/en."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.http import HttpResponse, JsonResponse
from django.utils import translation

from sailau.errors import BadInput, Code
from sailau.i18n import answer_lang
from sailau.languages import ENGLISH, WRITTEN, language, texts

T = texts("uploads")

# One request: a 20 MB scan, or a complaint's attachments, with its form fields around them.
MAX_REQUEST_BYTES = 32 * 1024 * 1024
# The most pixels of any uploaded image (a protocol scan, an observer's photo, a complaint's
# attachment), read from its header before anything is decoded. What real files need: an A4 page
# at 300 dpi is 8.7M pixels, at 400 dpi 15.5M; a phone saves 12-16M unless told otherwise (its
# 48-200-megapixel sensor is binned). Decoding is what costs, and it grows with the pixels, not
# the bytes: `check` of a noisy photo, in a fresh process (median of five, CPU time and the
# peak memory it added), took 0.24 s and 96 MiB for a 25M-pixel JPEG (0.36 s, 96 MiB as a PNG),
# 0.39 s and 153 MiB at 40M pixels (0.57 s, 153 MiB as a PNG): the memory is the decoded pixels,
# 3 bytes each, so every concurrent upload at 40M holds 60 % more. Pillow's own limit follows
# this one for every image opened in the process (`cap_pillow`), whatever path it came by.
MAX_PIXELS = 25_000_000
MAX_PDF_PAGES = 10

PDF, JPEG, PNG, WEBP, GIF = ("application/pdf", "image/jpeg", "image/png", "image/webp",
                             "image/gif")
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", WEBP: ".webp", GIF: ".gif"}
NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", GIF: "GIF"}
# The word that joins the last two kinds a file may be ("PDF, JPEG or PNG").
OR = T("or")


def cap_pillow(max_pixels: int = MAX_PIXELS) -> None:
    """Pillow warns beyond MAX_IMAGE_PIXELS and refuses beyond twice it, while reading the
    header: set so that nothing larger than `max_pixels` is ever decoded here."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = max_pixels // 2


cap_pillow()


class UploadError(BadInput, ValueError):
    """A refused file: `code` (upload.empty, upload.too_large, upload.type, upload.pixels,
    upload.pages, upload.corrupt), the form or API field, HTTP status (422, or 413 for a file
    too large), the message in kk/ru/en (`text(lang)`)."""


@dataclass(frozen=True)
class Checked:
    content_type: str
    width: int = 0  # images
    height: int = 0
    pages: int = 0  # PDFs

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def sniff(data: bytes) -> str | None:
    """The content type by magic bytes, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    return None


def _count(n: int) -> dict[str, str]:
    """A large count as each language groups its digits: "25,000,000" in English, with spaces
    in Kazakh and Russian ("25 000 000")."""
    grouped = f"{n:,}"
    return {lang: grouped if lang == ENGLISH else grouped.replace(",", " ") for lang in WRITTEN}


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}"


def too_large(field: str, size: int, limit: int) -> UploadError:
    return UploadError(code=Code.UPLOAD_TOO_LARGE, field=field, status=413, message=T(
        "The file is too large: {mb_size} MB; at most {mb_limit} MB.").format(mb_size=_mb(size), mb_limit=_mb(limit)))


def check(data: bytes, *, field: str = "file", accept: tuple[str, ...] = (PDF, JPEG, PNG),
          max_bytes: int, max_pages: int = MAX_PDF_PAGES) -> Checked:
    """What `data` is, judged by its content, or UploadError. Opens the file fully, so that a
    corrupt one is refused before anything is stored. Every image has the one ceiling,
    MAX_PIXELS: no caller chooses its own."""
    if not data:
        raise UploadError(code=Code.UPLOAD_EMPTY, field=field, message=T("The file is empty."))
    if len(data) > max_bytes:
        raise too_large(field, len(data), max_bytes)
    kind = sniff(data)
    if kind not in accept:
        names = [NAMES[t] for t in accept]

        def either(word: str) -> str:
            return f"{', '.join(names[:-1])} {word} {names[-1]}" if len(names) > 1 else names[0]

        raise UploadError(code=Code.UPLOAD_TYPE, field=field, message=T(
            "The file is not a {kinds} (judged by its content, not its name).").format(
            kinds={lang: either(OR[lang]) for lang in WRITTEN}))
    if kind == PDF:
        return Checked(PDF, pages=_pdf_pages(data, field, max_pages))
    w, h = _image_size(data, field, kind, MAX_PIXELS)
    return Checked(kind, width=w, height=h)


def _corrupt(field: str, kind: str) -> UploadError:
    name = NAMES[kind]
    return UploadError(code=Code.UPLOAD_CORRUPT, field=field, message=T(
        "The {name} file is damaged or cannot be read.").format(name=name))


def _image_size(data: bytes, field: str, kind: str, max_pixels: int) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Our own limit is lower than Pillow's: its warning would only repeat it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                w, h = im.size  # from the header: nothing is decoded yet
                if w * h > max_pixels:
                    raise UploadError(code=Code.UPLOAD_PIXELS, field=field, message=T(
                        "The image is {width}×{height} pixels; at most {limit} pixels.").format(
                        width=w, height=h, limit=_count(max_pixels)))
                im.load()  # decodes everything: a truncated file fails here, not later
    except UploadError:
        raise
    except Image.DecompressionBombError:
        # Pillow's own limit (twice 89M pixels) stops it while reading the header, before ours.
        raise UploadError(code=Code.UPLOAD_PIXELS, field=field, message=T(
            "The image has more than {limit} pixels.").format(limit=_count(max_pixels))) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _corrupt(field, kind) from None
    return w, h


def _pdf_pages(data: bytes, field: str, max_pages: int) -> int:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise _corrupt(field, PDF) from None
    try:
        n = len(pdf)
    finally:
        pdf.close()
    if n == 0:
        raise _corrupt(field, PDF)
    if n > max_pages:
        raise UploadError(code=Code.UPLOAD_PAGES, field=field,
                          message=T(
                              "The PDF has {n} pages; at most {max_pages}.").format(n=n, max_pages=max_pages))
    return n


class RequestSizeMiddleware:
    """413 for a request that declares a body larger than MAX_REQUEST_BYTES, before it is read.
    A body without Content-Length is read as empty by Django, so nothing larger gets through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > MAX_REQUEST_BYTES:
            lang = translation.get_language_from_request(request)
            err = too_large("request", size, MAX_REQUEST_BYTES)
            if request.path.startswith("/api/"):
                # The one shape of every refusal under /api/ (sailau.api.errors.ErrorOut), in the
                # language the API answers in (answered before LocaleMiddleware has run).
                return JsonResponse(err.to_json(answer_lang(request, lang)), status=413)
            return HttpResponse(err.text(language(lang, default="en")), status=413,
                                content_type="text/plain; charset=utf-8")
        return self.get_response(request)
