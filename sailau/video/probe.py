"""What a recording is, read with ffprobe and ffmpeg (Debian's `ffmpeg` package): its container,
duration and start time, and whether it is whole.

ffprobe names the container and reads the `creation_time` tag cameras write; it fails outright
on a file that is not a media file, and on an MP4 whose index (moov) never arrived. A file cut off
after a readable header is caught by reading every packet (`ffmpeg -c copy -f null`, no decoding,
so it runs at disk speed): a cut packet is an error there."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sailau.video import texts

# The first bytes of the containers cameras write: a file that starts like one but that ffprobe
# cannot read was cut off, not something else.
SIGNATURES = ((4, b"ftyp"), (0, b"\x1a\x45\xdf\xa3"), (0, b"\x47"), (0, b"RIFF"),
              (0, b"\x00\x00\x01\xba"))


@dataclass(frozen=True)
class Probe:
    format: str
    duration_ms: int
    started_at: dt.datetime | None
    tags: dict


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise texts.refused(texts.NO_FFPROBE)
    return path


def _looks_like_video(path: Path) -> bool:
    head = path.open("rb").read(16)
    return any(head[at:at + len(sig)] == sig for at, sig in SIGNATURES)


def probe(path: Path) -> Probe:
    """The recording's facts, or a refusal: not a video, or truncated."""
    run = subprocess.run([_tool("ffprobe"), "-v", "error", "-print_format", "json",
                          "-show_format", "-show_streams", str(path)],
                         capture_output=True, text=True, timeout=120, check=False)
    info = json.loads(run.stdout or "{}") if run.returncode == 0 else {}
    streams = [s for s in info.get("streams", ()) if s.get("codec_type") == "video"
               and s.get("disposition", {}).get("attached_pic") != 1]
    fmt = info.get("format") or {}
    if not streams or "duration" not in fmt:
        code = texts.TRUNCATED if _looks_like_video(path) else texts.NOT_VIDEO
        raise texts.refused(code, "file", {"ffprobe": (run.stderr or "")[-300:]})
    whole = subprocess.run([_tool("ffmpeg"), "-nostdin", "-v", "error", "-i", str(path),
                            "-map", "0", "-c", "copy", "-f", "null", "-"],
                           capture_output=True, text=True, timeout=3600, check=False)
    if whole.returncode != 0 or whole.stderr.strip():
        raise texts.refused(texts.TRUNCATED, "file", {"ffmpeg": whole.stderr[-300:]})
    tags = {k.lower(): v for k, v in (fmt.get("tags") or {}).items()}
    for s in streams:  # some containers keep the time on the stream only
        for k, v in (s.get("tags") or {}).items():
            tags.setdefault(k.lower(), v)
    return Probe(format=fmt.get("format_name", "")[:60],
                 duration_ms=round(float(fmt["duration"]) * 1000),
                 started_at=parse_time(tags.get("creation_time")), tags=tags)


def parse_time(value: str | None) -> dt.datetime | None:
    """An ISO 8601 time as cameras write it (`2026-11-22T20:00:00.000000Z`); naive means UTC."""
    if not value:
        return None
    try:
        at = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)
