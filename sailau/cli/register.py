"""`sailau register ...`: the voter register's file tools.

  sailau register synth --n N --dup-rate R --seed S OUT.csv [--truth TRUTH.csv]
  sailau register check FILE.csv [--lang LANG]  (errors by row and field, as CSV)
  sailau register dedupe FILE.csv           (probable duplicate pairs, as CSV)
  sailau register import FILE.csv --election ID [--skip-invalid] [--lang LANG]
                                           (into the database: register + station lists;
                                            all or nothing unless --skip-invalid)

The messages of a file's errors (a row's field, or a file that cannot be read) are the error
model's (sailau.errors), in the language `--lang` names; the codes are what programs match."""

from __future__ import annotations

import sys
from pathlib import Path

from sailau.languages import ENGLISH, LANGUAGES

# `sailau register import` exit statuses besides 0 (all imported) and 2 (bad command line).
IMPORT_REFUSED = 1  # rows with errors: nothing was written
IMPORT_PARTIAL = 3  # --skip-invalid: the valid rows were written, the others skipped


def register(sub) -> None:
    p = sub.add_parser("register", help="voter register: synthetic extracts, validation, duplicates")
    rsub = p.add_subparsers(dest="register_command", metavar="SUBCOMMAND", required=True)

    s = rsub.add_parser("synth", help="write a synthetic population-register extract")
    s.add_argument("out", metavar="OUT.csv")
    s.add_argument("--n", type=int, required=True, help="number of rows (duplicates included)")
    s.add_argument("--dup-rate", type=float, default=0.01, help="share of rows that duplicate another")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--truth", metavar="TRUTH.csv", help="write the true duplicate pairs here")
    s.set_defaults(func=run_synth)

    c = rsub.add_parser("check", help="validate an extract; print errors as CSV row,field,code,message,value")
    c.add_argument("file", metavar="FILE.csv")
    _lang_option(c)
    c.set_defaults(func=run_check)

    d = rsub.add_parser("dedupe", help="print probable duplicate pairs as CSV row_a,row_b,probability")
    d.add_argument("file", metavar="FILE.csv")
    d.add_argument("--threshold", type=float, default=None,
                   help="minimum match probability (default 0.8); same-IIN pairs are always printed")
    d.add_argument("--evidence", action="store_true",
                   help="add match_weight and the level each comparison reached")
    d.add_argument("--model", metavar="MODEL.json", help="use this trained Splink model")
    d.add_argument("--save-model", metavar="MODEL.json", help="write the model used")
    d.add_argument("--truth", metavar="TRUTH.csv",
                   help="also print precision and recall against these true pairs (on stderr)")
    d.add_argument("--memory-limit", metavar="SIZE",
                   help="DuckDB's memory limit, e.g. 6GB (default: DuckDB's, 80%% of RAM)")
    d.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    d.set_defaults(func=run_dedupe)

    i = rsub.add_parser("import", help="import an extract into the register and the election's "
                        "station lists; errors by row and field on stdout as CSV")
    i.add_argument("file", metavar="FILE.csv")
    i.add_argument("--election", required=True, metavar="ID", help="election id")
    i.add_argument("--skip-invalid", action="store_true",
                   help="import the valid rows and report the others (exit status 3); "
                        "by default a file with a bad row imports nothing (exit status 1)")
    i.add_argument("--gazetteer", metavar="PLACES.csv",
                   help="regions and localities (columns region, locality[, aliases]); "
                        "default: the built-in 20 regions and their main towns")
    _lang_option(i)
    i.set_defaults(func=run_import)


def _lang_option(p) -> None:
    p.add_argument("--lang", default=ENGLISH, choices=LANGUAGES,
                   help="the language of the errors' messages (the codes are the same in every "
                        "language)")


def _existing_file(path: str, what: str) -> Path:
    from sailau.cli import CommandError

    p = Path(path)
    if not p.is_file():
        raise CommandError(f"{what}: no such file {path!r}")
    return p


def run_synth(args) -> int:
    from sailau.cli import CommandError
    from sailau.register.synthetic import generate, write

    if args.n < 1:
        raise CommandError("--n must be at least 1")
    if not 0 <= args.dup_rate < 0.5:
        raise CommandError("--dup-rate must be in [0, 0.5)")
    syn = generate(args.n, args.dup_rate, args.seed)
    write(syn, args.out, args.truth)
    print(f"wrote {args.n} rows ({len(syn.truth)} true duplicate pairs) to {args.out}", file=sys.stderr)
    return 0


def _read(path: Path, lang: str = ENGLISH):
    from sailau.cli import CommandError
    from sailau.register.extract import ExtractError, read_extract

    try:
        return read_extract(path)
    except ExtractError as exc:
        raise CommandError(f"FILE.csv: {exc.text(lang)}") from None


def run_check(args) -> int:
    from sailau.register.extract import validate_frame

    raw = _read(_existing_file(args.file, "FILE.csv"), args.lang)
    valid, errors = validate_frame(raw, lang=args.lang)
    errors.write_csv(sys.stdout)
    print(f"{len(valid)} valid rows, {errors['row'].n_unique()} rows with errors", file=sys.stderr)
    return 0 if errors.is_empty() else 1


def run_dedupe(args) -> int:
    import json
    import re

    import polars as pl

    from sailau.cli import CommandError
    from sailau.register import dedupe

    path = _existing_file(args.file, "FILE.csv")
    threshold = dedupe.DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    if not 0 <= threshold <= 1:
        raise CommandError("--threshold must be between 0 and 1")
    model = None
    if args.model:
        try:
            model = json.loads(_existing_file(args.model, "--model").read_text())
        except json.JSONDecodeError as exc:
            raise CommandError(f"--model: not JSON ({exc})") from None
    if args.memory_limit and not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", args.memory_limit, re.IGNORECASE):
        raise CommandError("--memory-limit: a size such as 6GB or 512MB")
    if args.threads is not None and args.threads < 1:
        raise CommandError("--threads must be at least 1")
    # No reference kept here, so that `find_duplicates` can free the raw rows once prepared.
    result = dedupe.find_duplicates(_read(path), threshold=threshold, model=model,
                                    threads=args.threads, memory_limit=args.memory_limit)
    cols = ["row_a", "row_b", "probability"]
    out = result.pairs if args.evidence else result.pairs.select(cols)
    out.with_columns(pl.col("probability").round(6)).write_csv(sys.stdout)
    if args.save_model:
        Path(args.save_model).write_text(json.dumps(result.model, ensure_ascii=False, indent=1))
    if args.truth:
        truth = pl.read_csv(_existing_file(args.truth, "--truth"), schema_overrides={"row_a": pl.Int64, "row_b": pl.Int64})
        m = dedupe.evaluate(result.pairs, truth)
        print(" ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in m.items()), file=sys.stderr)
    return 0


def run_import(args) -> int:
    import csv
    import json

    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup
    from sailau.register.extract import ExtractError
    from sailau.register.gazetteer import Gazetteer

    path = _existing_file(args.file, "FILE.csv")
    gazetteer = None
    if args.gazetteer:
        try:
            gazetteer = Gazetteer.from_csv(_existing_file(args.gazetteer, "--gazetteer"))
        except (KeyError, UnicodeDecodeError) as exc:
            raise CommandError(f"--gazetteer: expected UTF-8 CSV with region, locality ({exc})") from None
    setup()
    from sailau.elections.models import Election
    from sailau.voters.importer import import_extract

    election = Election.objects.filter(pk=args.election).first()
    if election is None:
        raise CommandError(f"--election: no election {args.election!r}")
    try:
        report = import_extract(path, election, gazetteer=gazetteer,
                                skip_invalid=args.skip_invalid)
    except ExtractError as exc:
        raise CommandError(f"FILE.csv: {exc.text(args.lang)}") from None
    w = csv.writer(sys.stdout)
    w.writerow(["row", "field", "code", "message"])
    for e in report.errors:
        w.writerow([e.row, e.field, e.code, e.text(args.lang)])
    summary = {k: v for k, v in report.to_json().items() if k != "errors"}
    print(json.dumps(summary, ensure_ascii=False), file=sys.stderr)
    bad = summary["rows_with_errors"]
    if not report.errors:
        return 0
    if not report.written:
        print(f"nothing imported: {bad} row(s) with errors (listed on stdout); correct them, or "
              "import the valid rows alone with --skip-invalid", file=sys.stderr)
        return IMPORT_REFUSED
    print(f"imported {report.rows - bad} valid row(s); skipped {bad} row(s) with errors "
          "(listed on stdout)", file=sys.stderr)
    return IMPORT_PARTIAL
