"""Upload throughput of one large recording through the resumable path (tus: chunks with their
checksums, staged on local disk, the whole file hashed, read through by ffprobe/ffmpeg, then
saved to storages["recordings"]) against a plain single PUT of the same file to the same storage
(`storage.save`, the floor of any upload). Both timed from the first byte sent to the recording
stored; medians of --repeat runs, side by side, in a fresh data directory (SQLite; the database
does a handful of writes per upload, the bytes dominate).

The recording is a real MPEG-TS video of --mb megabytes, made once by ffmpeg (a short clip looped
with `-c copy`). The tus path runs in-process through Django's test client, so no socket is timed
on either side. `--endpoint URL` measures against an S3-compatible server instead of the local
disk (a bucket `sailau-bench` made there, each run under a fresh key prefix), e.g. moto's:

    .venv/bin/moto_server -H 127.0.0.1 -p 9107 &
    .venv/bin/python benchmarks/bench_video.py [--mb 1024] [--chunk-mb 16] [--repeat 3] \
        [--endpoint http://127.0.0.1:9107]
"""

import argparse
import base64
import hashlib
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_video(directory: Path, mb: int) -> Path:
    clip = directory / "clip.ts"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc2=size=1280x720:rate=25:duration=10", "-c:v", "mpeg2video",
                    "-b:v", "40M", "-y", str(clip)], check=True)
    loops = max(0, math.ceil(mb * 2**20 / clip.stat().st_size) - 1)
    big = directory / "night.ts"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-stream_loop", str(loops), "-i",
                    str(clip), "-c", "copy", "-y", str(big)], check=True)
    return big


def tus_upload(client, camera, path: Path, chunk: int) -> None:
    size = path.stat().st_size
    sha = hashlib.sha256()
    with path.open("rb") as f:
        while piece := f.read(1 << 24):
            sha.update(piece)
    meta = ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}"
                    for k, v in (("camera", camera.pk), ("sha256", sha.hexdigest()),
                                 # MPEG-TS keeps no creation_time: the camera declares the start
                                 ("started_at", "2026-11-22T15:00:00Z")))
    tus = {"Tus-Resumable": "1.0.0"}
    r = client.post("/api/video/uploads/", headers={**tus, "Upload-Length": str(size),
                                                    "Upload-Metadata": meta})
    assert r.status_code == 201, r.content
    url, offset = r["Location"], 0
    with path.open("rb") as f:
        while offset < size:
            piece = f.read(chunk)
            digest = base64.b64encode(hashlib.sha1(piece).digest()).decode()
            r = client.generic("PATCH", url, piece,
                               content_type="application/offset+octet-stream",
                               headers={**tus, "Upload-Offset": str(offset),
                                        "Upload-Checksum": f"sha1 {digest}"})
            assert r.status_code == 204, r.content
            offset = int(r["Upload-Offset"])


def _bucket(endpoint: str) -> None:
    """The recordings storage in a bucket of the server at `endpoint` (sailau.filestores)."""
    import uuid

    import boto3

    os.environ.update({"SAILAU_S3_BUCKET": "sailau-bench", "SAILAU_S3_ENDPOINT_URL": endpoint,
                       "SAILAU_S3_ACCESS_KEY": "bench", "SAILAU_S3_SECRET_KEY": "bench",
                       "SAILAU_S3_PREFIX": f"bench-{uuid.uuid4().hex}"})
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="bench",
                          aws_secret_access_key="bench", region_name="us-east-1")
    try:
        client.create_bucket(Bucket="sailau-bench")
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("--chunk-mb", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--endpoint", help="an S3-compatible server (default: the local disk)")
    ap.add_argument("--video", type=Path, help="the recording to send: made there if missing, "
                    "reused otherwise (the local and the S3 run send the same file)")
    args = ap.parse_args()
    if args.endpoint:
        _bucket(args.endpoint)
    work = Path(tempfile.mkdtemp(prefix="bench-video-"))
    os.environ["SAILAU_DATA_DIR"] = str(work / "var")
    os.environ.pop("SAILAU_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    from django.core.files import File
    from django.test import Client

    from sailau.video import services
    from sailau.video.models import Recording
    from tests.factories import StationFactory, operator

    video = args.video if args.video and args.video.exists() else make_video(work, args.mb)
    if args.video and not args.video.exists():
        video = Path(shutil.move(video, args.video))
    size = video.stat().st_size
    station = StationFactory()
    user = operator(station)
    store = services.storage()
    client = Client()
    client.force_login(user)
    tus_s, put_s = [], []
    for i in range(args.repeat):
        t = time.perf_counter()
        with video.open("rb") as f:
            name = store.save(f"plain/{i}.ts", File(f, name="plain.ts"))
        put_s.append(time.perf_counter() - t)
        store.delete(name)
        camera = services.register_camera(user, station, f"wall {i}", "room", "bench")
        t = time.perf_counter()
        tus_upload(client, camera, video, args.chunk_mb << 20)
        tus_s.append(time.perf_counter() - t)
        rec = Recording.objects.get(camera=camera)
        store.delete(rec.object_name)
        rec.delete()
    mib = size / 2**20
    tus_m, put_m = statistics.median(tus_s), statistics.median(put_s)
    print(f"recording: {mib:.0f} MiB MPEG-TS, chunks of {args.chunk_mb} MiB with sha1, "
          f"storage {type(store).__name__}, {args.repeat} runs")
    print(f"single PUT (storage.save): median {put_m:.2f} s = {mib / put_m:.0f} MiB/s "
          f"(runs {', '.join(f'{s:.2f}' for s in put_s)})")
    print(f"resumable (tus, checked):  median {tus_m:.2f} s = {mib / tus_m:.0f} MiB/s "
          f"(runs {', '.join(f'{s:.2f}' for s in tus_s)})")
    print(f"ratio resumable / single PUT: {tus_m / put_m:.2f}x the time")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} "
          f"({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
