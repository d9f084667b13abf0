"""Full publication of the national snapshot to an S3-compatible server against the local disk.

Local: `snapshots.publish` into SAILAU_DATA_DIR/snapshots (today's default), each run into an
emptied election directory so that every object is written. S3: the same publication with the
"snapshots" storage in a bucket of the server (sailau.publish.storage.mirror copies it), each run under
a fresh key prefix so that every object is uploaded (the cold case: the first publication of
the night, or a new bucket), once one object at a time (sequential PUTs) and once with
`mirror.UPLOADERS` PUTs in flight. Runs alternate, local then S3 sequential then S3 parallel,
so that the machine's load weighs on all alike; the table gives the medians and their ratio to
the local disk, with the load average.

Needs an election built beforehand and a running S3-compatible server, e.g.:

    SAILAU_DATA_DIR=DIR .venv/bin/sailau demo --no-serve
    .venv/bin/moto_server -H 127.0.0.1 -p 9000 &
    .venv/bin/python benchmarks/bench_storage.py --data-dir DIR \
        --endpoint http://127.0.0.1:9000 [--runs 3]
"""

import argparse
import os
import shutil
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True, help="holds an election already built")
    ap.add_argument("--endpoint", required=True, help="the S3-compatible server's URL")
    ap.add_argument("--bucket", default="sailau-bench")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.environ["SAILAU_DATA_DIR"] = args.data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    import boto3
    from django.conf import settings
    from django.core.files.storage import storages as handler
    from django.test.utils import override_settings

    from sailau.elections.models import Election
    from sailau.filestores import storages
    from sailau.publish.pipeline import snapshots
    from sailau.publish.storage import mirror, store

    s3_env = {"SAILAU_S3_BUCKET": args.bucket, "SAILAU_S3_ENDPOINT_URL": args.endpoint,
              "SAILAU_S3_ACCESS_KEY": "bench", "SAILAU_S3_SECRET_KEY": "bench"}
    client = boto3.client("s3", endpoint_url=args.endpoint, aws_access_key_id="bench",
                          aws_secret_access_key="bench", region_name="us-east-1")
    try:
        client.create_bucket(Bucket=args.bucket)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    election = Election.objects.get()
    snapshots.publish(election.id)  # warm: the search index, the caches of the first run

    def local() -> tuple[float, int]:
        shutil.rmtree(store.election_dir(election.id))
        t0 = time.perf_counter()
        m = snapshots.publish(election.id)
        return time.perf_counter() - t0, len(mirror.objects_of(m))

    def s3(uploaders: int) -> tuple[float, int]:
        mirror.UPLOADERS = uploaders
        shutil.rmtree(store.election_dir(election.id))
        conf = storages({**s3_env, "SAILAU_S3_PREFIX": f"bench-{uuid.uuid4().hex}"})
        with override_settings(STORAGES={**settings.STORAGES, "snapshots": conf["snapshots"]}):
            mirror._known.clear()
            assert mirror.remote() is not None and handler["snapshots"].bucket_name
            t0 = time.perf_counter()
            m = snapshots.publish(election.id)
            return time.perf_counter() - t0, len(mirror.objects_of(m))

    parallel = mirror.UPLOADERS
    runs = {"local": local, "s3, sequential": lambda: s3(1), "s3, parallel": lambda: s3(parallel)}
    times = {name: [] for name in runs}
    objects = 0
    for _ in range(args.runs):
        for name, run in runs.items():
            seconds, objects = run()
            times[name].append(seconds)
            print(f"  {name}: {seconds:.1f} s", file=sys.stderr)
    med = {k: statistics.median(v) for k, v in times.items()}
    load = os.getloadavg()
    print(f"### Full publication to object storage ({election.stations.count():,} stations, "
          f"{objects:,} objects; {args.runs} runs each, alternating)\n")
    print("| target | median | runs | ratio |")
    print("|---|---|---|---|")
    print(f"| local disk (baseline) | {med['local']:.1f} s | "
          f"{', '.join(f'{t:.1f}' for t in times['local'])} | 1 |")
    for name, label in (("s3, sequential", "one PUT at a time"),
                        ("s3, parallel", f"{parallel} PUTs in flight")):
        print(f"| S3-compatible server ({args.endpoint}), every object uploaded, {label} | "
              f"{med[name]:.1f} s | {', '.join(f'{t:.1f}' for t in times[name])} | "
              f"{med[name] / med['local']:.2f}× |")
    print(f"\nload average at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} "
          f"({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
