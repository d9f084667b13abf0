"""`sailau forensics FILE`: statistical forensics on a whole election's station results, printed
as a JSON report (see sailau.analysis.report)."""

from __future__ import annotations

import argparse


def register(sub) -> None:
    p = sub.add_parser("forensics", help="statistical forensics on station-level results (JSON report)",
                       description=__doc__.split("\n")[0])
    p.add_argument("file", help="results file: .csv, .csv.gz or .zip")
    p.add_argument("--format", choices=("izbirkom", "csv", "sailau"), default="izbirkom",
                   help="izbirkom: Russian CEC layout; csv: generic with --columns; sailau: this project's download")
    p.add_argument("--columns", help="for --format csv: ROLE=COLUMN,... with roles station, registered, "
                                     "ballots, valid, invalid, leader")
    p.add_argument("--leader", help="the leader's column (exact name or a unique part of it); "
                                    "default: the choice with the most votes")
    p.add_argument("--group-by", dest="group_by", help="column naming the territory for per-group results")
    p.add_argument("--plots", help="directory to write fingerprint PNGs into")
    p.add_argument("--stations", help="also write the per-station results to this CSV")
    p.add_argument("--resamples", type=int, default=1000, help="Monte Carlo / bootstrap resamples (default 1000)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    import json
    import sys

    from sailau.analysis import report, sources
    from sailau.cli import CommandError

    if args.resamples < 10:
        raise CommandError("--resamples: at least 10")
    try:
        columns = sources.parse_column_mapping(args.columns)
        if args.columns and args.format != "csv":
            raise sources.SourceError("--columns: only with --format csv")
        results = sources.load(args.file, args.format, columns, leader=args.leader, group_by=args.group_by)
    except sources.SourceError as exc:
        raise CommandError(str(exc)) from exc
    if len(results) == 0:
        raise CommandError(f"{args.file}: no usable station ({len(results.unusable)} unusable, "
                           f"first: {results.unusable[:1]})")
    out, stations = report.analyse(results, group_by=args.group_by, resamples=args.resamples,
                                   seed=args.seed, plots=args.plots)
    if args.stations:
        write_station_csv(stations, args.stations)
        out["stations_file"] = args.stations
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, default=_json_default)
    sys.stdout.write("\n")
    return 0


def _json_default(o):
    import numpy as np

    if isinstance(o, np.generic):
        return o.item()
    raise TypeError(f"not JSON serialisable: {type(o)}")


def write_station_csv(stations: dict, path: str) -> None:
    import polars as pl

    pl.DataFrame({k: list(v) if v.dtype == object else v for k, v in stations.items()}).write_csv(path)
