"""Helpers shared by the scan tests."""

import io


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def page_png(pdf: bytes, dpi: int = 150, page: int = 0) -> bytes:
    """The first page of a PDF as a PNG, as a flatbed scanner would give it."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    img = doc[page].render(scale=dpi / 72).to_pil()
    doc.close()
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()
