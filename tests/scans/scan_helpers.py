"""Helpers shared by the scan tests."""

import io
from pathlib import PurePosixPath


def stored_files(media=None) -> list[PurePosixPath]:
    """The files in the "default" storage, whichever it is: the test's MEDIA_ROOT (`media`) on
    the local disk, the test's key prefix in the bucket on the S3 pass."""
    from django.core.files.storage import storages

    store = storages["default"]

    def walk(folder: str) -> list[PurePosixPath]:
        try:
            dirs, files = store.listdir(folder)
        except FileNotFoundError:
            return []
        found = [PurePosixPath(folder, f) for f in files]
        for d in dirs:
            found += walk(f"{folder}/{d}" if folder else d)
        return found

    return walk("")


def page_png(pdf: bytes, dpi: int = 150, page: int = 0) -> bytes:
    """The first page of a PDF as a PNG, as a flatbed scanner would give it."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    img = doc[page].render(scale=dpi / 72).to_pil()
    doc.close()
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()
