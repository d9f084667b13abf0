"""The demo's video of the count: cameras at a sample of stations, registered at build, and their
recordings uploaded while the demo serves (`python -m sailau.video.demo`, started by `sailau
demo` beside the scans' backfill), each through the same path as an upload: hashed, read with
ffprobe, stored, recorded and audited (`sailau.video.services.record`).

The files are small and seconds long, but each has the times of a real night: ONE template clip
is drawn by ffmpeg (a test pattern, a few frames); every recording is that clip re-muxed without
re-encoding (`-c copy`) with its timestamps stretched to the segment's length (`-itsscale`), its
`creation_time` the segment's start and a `station` tag. A recording of two hours is then a
slide show of a frame a few minutes, a few dozen KB, that ffprobe reads as two hours long.

What the sample shows (assumed, not from a source): a camera at 2 % of stations and at least one
in every territory; it starts a few minutes before the polls close and writes a file per hour or
so until a few minutes after the protocol is signed. Of the cameras, about one in ten has a hole
of 20 to 50 minutes in the count, one in ten stops before the signing, and one in twelve has no
recording at all: the first two are what criterion I18 flags; the last is "no video"."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import tempfile
import threading
import zlib
from pathlib import Path

from sailau import clock

SHARE = 0.02
FULL, GAP, EARLY, NONE = "full", "gap", "early", "none"
# Cumulative thresholds of a station's draw in [0, 1): which night its camera had.
KINDS = ((0.10, GAP), (0.20, EARLY), (0.28, NONE), (1.0, FULL))
TEMPLATE_SECONDS = 24  # frames of the template: one a second, 24 of them
BATCH = 16
TAIL_MINUTES = 10  # a camera runs at most this long after the signing
# Seconds between two cameras: three short ffmpeg runs a file are little, but on a 2-core machine
# the night's operators, the publisher and the visitors come first (the recordings can wait).
PAUSE = 2.0
# Written by the commission, as data: in both of the country's languages.
POSITIONS = (("санау үстелінің үстінде, 2,5 м / над столом подсчёта, 2,5 м", "table"),
             ("жәшіктердің қарсы бұрышы / угол напротив урн", "boxes"),
             ("кіреберісте, бүкіл зал / у входа, весь зал", "room"))
INSTALLED_BY = "учаскелік сайлау комиссиясы / участковая избирательная комиссия"


def _rnd(seed: int, station_id: str) -> random.Random:
    return random.Random(zlib.crc32(f"{seed}/video/{station_id}".encode()))


def kind_of(seed: int, station_id: str) -> str:
    draw = _rnd(seed, station_id).random()
    return next(k for limit, k in KINDS if draw < limit)


def sample(stations: list[tuple[str, str]], seed: int, share: float = SHARE) -> list[str]:
    """Station ids with a camera: `share` of (station, territory) pairs drawn with the seed, then
    one more in each territory the draw missed; in the order given."""
    rnd = random.Random(seed * 7919 + 16)
    ids = [s for s, _ in stations]
    chosen = set(rnd.sample(ids, max(1, round(len(ids) * share)))) if ids else set()
    seen = {t for s, t in stations if s in chosen}
    for s, t in stations:
        if t not in seen:
            chosen.add(s)
            seen.add(t)
    return [s for s in ids if s in chosen]


def segments(kind: str, closed: dt.datetime, signed: dt.datetime,
             rnd: random.Random) -> list[tuple[dt.datetime, int]]:
    """(start, seconds) of each file the camera wrote over the count window [closed, signed]."""
    if kind == NONE or signed <= closed:
        return []
    start = closed - dt.timedelta(minutes=rnd.randint(3, 15))
    end = signed + dt.timedelta(minutes=rnd.randint(2, TAIL_MINUTES))
    window = (signed - closed).total_seconds()
    if kind == EARLY:  # the camera stops between half and nine tenths of the way
        end = closed + dt.timedelta(seconds=window * rnd.uniform(0.5, 0.9))
    hole = None
    if kind == GAP:
        at = closed + dt.timedelta(seconds=int(window * rnd.uniform(0.2, 0.6)))
        hole = (at, at + dt.timedelta(minutes=rnd.randint(20, 50)))
    out, t = [], start
    while t < end:
        stop = min(t + dt.timedelta(minutes=rnd.randint(50, 70)), end)
        if hole and t < hole[1] and stop > hole[0]:
            if hole[0] > t:
                out.append((t, hole[0]))
            t = hole[1]
            continue
        out.append((t, stop))
        t = stop
    return [(a, int((b - a).total_seconds())) for a, b in out if (b - a).total_seconds() >= 1]


def template(directory: Path) -> Path:
    """The one clip every recording is made from (H.264 in MP4, which every browser plays)."""
    out = directory / "template.mp4"
    if not out.exists():
        subprocess.run([_ffmpeg(), "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                        f"testsrc2=size=160x90:rate=1:duration={TEMPLATE_SECONDS}",
                        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                        "-g", "6", "-movflags", "+faststart", "-y", str(out)],
                       check=True, timeout=120)
    return out


def length(clip: Path, work: Path) -> float:
    """How long the clip counts when stretched: ffprobe's duration of it stretched 100 times,
    over 100 (the last frame's own length is not stretched as the others are, so the clip's
    plain duration would make every file a few minutes short and open gaps between them)."""
    from sailau.video import probe

    out = restamp(clip, work / "stretched.mp4", clock.now(), 100, "", 1.0)
    try:
        return probe.probe(out).duration_ms / 1000 / 100
    finally:
        out.unlink(missing_ok=True)


def restamp(clip: Path, out: Path, start: dt.datetime, seconds: int, station_id: str,
            clip_seconds: float) -> Path:
    """`clip` (`clip_seconds` long) re-muxed without re-encoding to last `seconds`, starting at
    `start`."""
    scale = seconds / clip_seconds
    when = start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    subprocess.run([_ffmpeg(), "-nostdin", "-v", "error", "-itsscale", f"{scale:.6f}",
                    "-i", str(clip), "-map", "0", "-c", "copy",
                    "-metadata", f"creation_time={when}", "-metadata", f"station={station_id}",
                    "-movflags", "+faststart+use_metadata_tags", "-y", str(out)],
                   check=True, timeout=120)
    return out


def _ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        raise RuntimeError("ffmpeg is missing: apt-get install ffmpeg")
    return path


def operator_of(station) -> str:
    """The precinct commission's first operator, as the demo's protocol chain names it."""
    tag = station.election_id.replace("kz.", "").replace(".", "-")
    return f"{tag}-{station.number:05d}a"


def at_build(election_id: str, seed: int) -> dict:
    """Register the sample's cameras, each by its precinct commission's operator."""
    from django.contrib.auth.models import User

    from sailau.elections.models import Station
    from sailau.video import services
    from sailau.video.models import Camera

    stations = list(Station.objects.filter(election_id=election_id)
                    .order_by("number").values_list("id", "territory_id"))
    chosen = sample(stations, seed)
    have = set(Camera.objects.filter(station_id__in=chosen).values_list("station_id", flat=True))
    objs = Station.objects.in_bulk([s for s in chosen if s not in have])
    users = User.objects.in_bulk([operator_of(s) for s in objs.values()], field_name="username")
    made = 0
    for sid, station in objs.items():
        user = users.get(operator_of(station))
        if user is None or not services.may_manage(user, station):  # no operator made here
            continue
        position, covers = POSITIONS[_rnd(seed, sid).randrange(len(POSITIONS))]
        services.register_camera(user, station, position, covers, INSTALLED_BY)
        made += 1
    kinds = [kind_of(seed, s) for s in chosen]
    return {"cameras": len(chosen), "registered": made,
            **{k: kinds.count(k) for k in (FULL, GAP, EARLY, NONE)}}


def pending(election_id: str, seed: int, limit: int = BATCH) -> list:
    """Cameras of the election whose station has its count window (both times reported) and
    whose camera has stopped since (no file ends after now: the demo's night runs up to the
    present), no recording yet, and a night with recordings."""
    from django.db.models import Exists, OuterRef

    from sailau.protocols.chronometry import POLLS_CLOSED, SIGNED
    from sailau.protocols.models import StepTime
    from sailau.video.models import Camera, Recording

    def step(name, **when):
        return Exists(StepTime.objects.filter(station_id=OuterRef("station_id"), step=name,
                                              **when))

    stopped = clock.now() - dt.timedelta(minutes=TAIL_MINUTES)
    cams = (Camera.objects.filter(station__election_id=election_id, removed_at=None)
            .filter(step(POLLS_CLOSED), step(SIGNED, at__lte=stopped))
            .exclude(Exists(Recording.objects.filter(camera_id=OuterRef("pk"))))
            .select_related("station").order_by("id"))
    return [c for c in cams if kind_of(seed, c.station_id) != NONE][:limit]


def upload(camera, seed: int, clip: Path, clip_seconds: float, work: Path) -> int:
    """Make and upload the recordings of one camera's night; how many were recorded."""
    from django.contrib.auth.models import User

    from sailau.protocols.chronometry import POLLS_CLOSED, SIGNED
    from sailau.protocols.models import StepTime
    from sailau.video import services

    times = dict(StepTime.objects.filter(station_id=camera.station_id,
                                         step__in=(POLLS_CLOSED, SIGNED)).values_list("step", "at"))
    user = User.objects.filter(username=operator_of(camera.station)).first()
    rnd = _rnd(seed, camera.station_id)
    rnd.random()  # the draw of kind_of
    done = 0
    for i, (start, seconds) in enumerate(segments(kind_of(seed, camera.station_id),
                                                  times[POLLS_CLOSED], times[SIGNED], rnd)):
        path = restamp(clip, work / f"{camera.pk}-{i}.mp4", start, seconds, camera.station_id,
                       clip_seconds)
        try:
            services.record(user, camera, path, services.sha256_of(path))
            done += 1
        finally:
            path.unlink(missing_ok=True)
    return done


def run(election_id: str, seed: int = 2023, until_done: bool = False,
        stop: threading.Event | None = None, poll: float = 5.0, pause: float = PAUSE) -> int:
    """Upload recordings as count windows become known, until `stop` (or, with `until_done`,
    until no camera waits). Returns how many were recorded."""
    from sailau.errors import SailauError

    stop = stop or threading.Event()
    total = 0
    with tempfile.TemporaryDirectory(prefix="sailau-video-") as d:
        work = Path(d)
        clip = template(work)
        clip_seconds = length(clip, work)
        while not stop.is_set():
            cams = pending(election_id, seed)
            if not cams:
                if until_done:
                    break
                stop.wait(poll)
                continue
            for cam in cams:
                if stop.wait(pause):
                    break
                try:
                    total += upload(cam, seed, clip, clip_seconds, work)
                except (SailauError, subprocess.CalledProcessError):
                    # A stop signal to the whole group cuts an ffmpeg short: its failure is
                    # checked by the probe (SailauError) or by `restamp` itself.
                    if stop.is_set():
                        break
                    raise
    return total


def main(argv=None) -> int:
    from sailau.background import demo_side_main

    return demo_side_main(
        argv, prog="python -m sailau.video.demo",
        until_done="stop when every camera whose count window is known has its recordings",
        run=lambda a, stop: run(a.election, a.seed, a.until_done, stop),
        summary=lambda n, s: f"video: {n} recordings uploaded in {s:.0f} s")


if __name__ == "__main__":
    raise SystemExit(main())
