"""When a photo was taken, from what the camera wrote in it.

The phone app sends the file's own time (`captured_at`, a camera capture's is the moment of the
shot); a client that sends none (the API used directly, a photo passed on from another device)
still often carries the camera's EXIF record, DateTimeOriginal (with its UTC offset when the
camera wrote one). That is read here, so a photo keeps its capture time whichever way it came.
An EXIF time without offset is the camera's local clock: taken as the election's time zone
(`settings.TIME_ZONE`), where the photo was shot. Anything unreadable or implausible gives None:
a missing time is better than a wrong one."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from sailau import clock

_EXIF_IFD = 0x8769
_ORIGINAL, _OFFSET_ORIGINAL, _DATETIME = 36867, 36881, 306


def exif_taken(data: bytes) -> dt.datetime | None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            exif = img.getexif()
            sub = exif.get_ifd(_EXIF_IFD)
    except Exception:  # noqa: BLE001 - a damaged EXIF block is no capture time, not an error
        return None
    raw = sub.get(_ORIGINAL) or exif.get(_DATETIME)
    if not isinstance(raw, str):
        return None
    try:
        when = dt.datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = sub.get(_OFFSET_ORIGINAL)
    try:
        when = (dt.datetime.fromisoformat(when.isoformat() + offset.strip("\x00 "))
                if isinstance(offset, str) else timezone.make_aware(when))
    except ValueError:
        when = timezone.make_aware(when)
    if not dt.datetime(2000, 1, 1, tzinfo=dt.UTC) < when < clock.now() + dt.timedelta(minutes=10):
        return None
    return when
