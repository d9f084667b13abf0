import io
import random

import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def picture(seed: int) -> bytes:
    """A JPEG unlike any other seed's: blocks of grey at random, as different pages differ."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    img = Image.new("L", (256, 256), 255)
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.randrange(200), rng.randrange(200)
        draw.rectangle((x, y, x + rng.randrange(20, 56), y + rng.randrange(20, 56)),
                       fill=rng.randrange(0, 200))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()


def add_scan(protocol, data: bytes):
    """A scan row of `protocol` (its file `data`), as an upload stores it; the evidence app
    registers it as an image."""
    import hashlib

    from django.core.files.base import ContentFile

    from sailau.scans.models import Scan

    scan = Scan(station=protocol.station, contest=protocol.contest, protocol=protocol,
                sha256=hashlib.sha256(data).hexdigest(), content_type="image/jpeg",
                size=len(data), status=Scan.UNREADABLE)
    scan.file.save(f"{scan.sha256}.jpg", ContentFile(data), save=False)
    scan.save()
    return scan


@pytest.fixture
def papers(db):
    """Four stations of one district, each with a definitive party-list protocol and a scan."""
    from tests.factories import ContestFactory, DefinitiveProtocolFactory, StationFactory, beside

    first = StationFactory()
    stations = [first] + [beside(first) for _ in range(3)]
    contest = ContestFactory(election=first.election)
    out = []
    for i, st in enumerate(stations):
        p = DefinitiveProtocolFactory(station=st, contest=contest)
        add_scan(p, picture(i))
        out.append(p)
    return out


@pytest.fixture
def volunteers(db):
    from sailau.evidence import volunteers
    from tests.factories import UserFactory

    return [volunteers.become(UserFactory()) for _ in range(6)]
