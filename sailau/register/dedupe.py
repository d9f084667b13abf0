"""Duplicate detection in the register with Splink (Fellegi-Sunter record linkage) on DuckDB.

The matcher is Splink's; this module only prepares the columns and says which pairs to compare:
- keys that agree across scripts and spellings (`translit.name_key`; the patronymic reduced to
  the father's name, whatever its style), so transliterations match exactly;
- blocking rules that keep 12 million rows tractable: same IIN; same birth date and same first
  name key; same birth date and same last name key; same birth date with first and last name
  swapped. A duplicate escapes only if its birth date is wrong *and* its IIN differs;
- comparisons: IIN (exact / one edit with one side invalid, i.e. a typo), first+last name (exact,
  swapped, Jaro-Winkler levels, one of the two), patronymic, birth date, sex, address (street /
  locality / region; deliberately not the flat, which families share).
Parameters are learned unsupervised on the input (u by random sampling, m by expectation
maximisation on two blocking passes) when it is large enough; a small file uses the model stored
next to this module (trained on the synthetic register by `train_default_model`), with only the
prior re-estimated from the file. Same-IIN pairs are always reported, whatever their score."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from sailau.register.gazetteer import Gazetteer, place_key
from sailau.register.translit import keys_of, name_key, patronymic_key

DEFAULT_MODEL = Path(__file__).with_name("dedupe_model.json")
TRAIN_MIN_ROWS = 50_000  # below this, EM has too few duplicates to learn from
# At 12 million rows, distinct persons who share a birth date and all three names by chance
# (Zipf-distributed names) become thousands of pairs scoring 0.6-0.7; 0.8 leaves them out.
# Measured on synthetic registers: 12M (seed 7) precision 0.967 at 0.5, 0.994 at 0.8, recall
# 0.9995 / 0.9992; 1M (seed 11) at 0.8: 0.997 / 0.999.
DEFAULT_THRESHOLD = 0.8
# Pairs compared (any rule). A duplicate is missed only if it fails all of them: its IIN differs
# and, besides, its birth date is wrong or both names changed or the first letter of a name did.
BLOCKING_RULES = [
    "l.iin = r.iin",
    "l.dob = r.dob and l.first_key = r.first_key and substr(l.last_key, 1, 1) = substr(r.last_key, 1, 1)",
    "l.dob = r.dob and l.last_key = r.last_key and substr(l.first_key, 1, 1) = substr(r.first_key, 1, 1)",
    "l.dob = r.dob and l.first_key = r.first_key and l.patr_key = r.patr_key",
    "l.dob = r.dob and l.last_key = r.last_key and l.patr_key = r.patr_key",
    "l.dob = r.dob and l.first_key = r.last_key",
]


def prepare(raw, gazetteer: Gazetteer | None = None):
    """The comparison columns for a frame from `extract.read_extract` (all rows, valid or not)."""
    import polars as pl

    from sailau.register.extract import DATE_FORMATS, SEX_VALUES, iin_checks

    g = gazetteer or Gazetteer.builtin()
    # Only the compared columns: at 12 million rows each stripped copy of a column is ~0.2 GB.
    used = ("iin", "first_name", "last_name", "patronymic", "birth_date", "sex", "region",
            "locality", "street")
    df = raw.select("row", *(pl.col(c).str.strip_chars() for c in used))
    # Regions resolve to their canonical name when known, else to their key; same for places.
    regions = {v: (g.region(v) or place_key(v)) for v in df["region"].unique().to_list()}
    dob = pl.coalesce([pl.col("birth_date").str.to_date(f, strict=False) for f in DATE_FORMATS])
    iin_code, _, _ = iin_checks()
    df = df.with_columns(iin_valid=iin_code.is_null() & pl.col("iin").is_not_null())
    out = df.select(
        pl.col("row").alias("unique_id"),
        "iin_valid",
        pl.col("iin").str.replace_all(r"\s", ""),
        keys_of(df["first_name"]).alias("first_key"),
        keys_of(df["last_name"]).alias("last_key"),
        keys_of(df["patronymic"], patronymic_key).alias("patr_key"),
        pl.coalesce([dob.dt.to_string("%Y-%m-%d"), pl.col("birth_date")]).alias("dob"),
        pl.col("sex").str.to_lowercase().replace_strict(SEX_VALUES, default=None, return_dtype=pl.String).alias("sex"),
        pl.col("region").replace_strict(regions, default=None, return_dtype=pl.String).alias("region"),
        keys_of(df["locality"], place_key).alias("locality"),
        keys_of(df["street"], name_key).alias("street"),
    )
    # Empty strings would match each other: make them nulls, which Splink treats as "no evidence".
    return out.with_columns(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c)
                            for c in out.columns if c not in ("unique_id", "iin_valid"))


def settings():
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator

    iin = cl.CustomComparison(
        output_column_name="iin",
        comparison_levels=[
            cll.NullLevel("iin"),
            # Random pairs share an IIN only when they are duplicates (about 1e-8 of pairs in a
            # register of millions): too rare for random sampling to see, so stated here.
            cll.ExactMatchLevel("iin").configure(u_probability=1e-8),
            # One edit with at least one IIN invalid: a typo (the check digit catches most). Two
            # *valid* IINs one edit apart are usually consecutive serials (weight 11 of the last
            # serial digit is 0 mod 11), e.g. twins, so they fall to the last level. Random pairs
            # too rarely show this level for sampling to estimate it; 1e-6 is a cautious bound.
            cll.CustomLevel(
                "damerau_levenshtein(iin_l, iin_r) <= 1 and not (iin_valid_l and iin_valid_r)",
                label_for_charts="IIN one edit apart, one of them invalid (a typo)",
            ).configure(u_probability=1e-6),
            cll.ElseLevel(),
        ],
        comparison_description="IIN",
    )
    jw = cll.JaroWinklerLevel
    names = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.And(cll.NullLevel("first_key"), cll.NullLevel("last_key")),
            cll.And(cll.ExactMatchLevel("first_key"), cll.ExactMatchLevel("last_key")),
            # Swapped first and last name: as rare as an exact match between strangers.
            cll.ColumnsReversedLevel("first_key", "last_key", symmetrical=True).configure(u_probability=1e-5),
            cll.And(jw("first_key", 0.92), jw("last_key", 0.92)),
            cll.And(jw("first_key", 0.85), jw("last_key", 0.85)),
            # A duplicate rarely keeps one name and loses the other entirely (a marriage, a
            # wholly different spelling); EM on the same-IIN pass sees none, so these priors
            # stand in for "almost never" instead of Splink's generic defaults.
            cll.ExactMatchLevel("last_key").configure(m_probability=5e-4),
            cll.ExactMatchLevel("first_key").configure(m_probability=5e-4),
            cll.ElseLevel().configure(m_probability=1e-4),
        ],
        comparison_description="first and last name",
    )
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.And(cll.NullLevel("locality"), cll.NullLevel("region")),
            # No level for the same flat: a family shares it, so on a pair with the same surname
            # and birth date (twins) it would outweigh the different first name and IIN. The
            # street is as precise as an address may be without standing in for a household.
            cll.And(cll.ExactMatchLevel("region"), cll.ExactMatchLevel("locality"), cll.ExactMatchLevel("street")),
            cll.ExactMatchLevel("locality"),
            cll.ExactMatchLevel("region"),
            cll.ElseLevel(),
        ],
        comparison_description="address",
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        comparisons=[
            iin,
            names,
            cl.JaroWinklerAtThresholds("patr_key", [0.92, 0.8]),
            cl.CustomComparison(
                output_column_name="dob",
                comparison_levels=[
                    cll.NullLevel("dob"),
                    cll.ExactMatchLevel("dob"),
                    cll.DamerauLevenshteinLevel("dob", 1).configure(m_probability=0.005),
                    cll.ElseLevel().configure(m_probability=0.001),
                ],
                comparison_description="birth date",
            ),
            cl.CustomComparison(
                output_column_name="sex",
                comparison_levels=[
                    cll.NullLevel("sex"),
                    cll.ExactMatchLevel("sex"),
                    cll.ElseLevel().configure(m_probability=0.001),
                ],
                comparison_description="sex",
            ),
            address,
        ],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
    )


def _deterministic_rules():
    from splink import block_on

    return [block_on("iin"), block_on("dob", "first_key", "last_key", "patr_key")]


def _db(threads: int | None = None, memory_limit: str | None = None):
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    return DuckDBAPI(con)


def train(prepared, *, seed: int = 1, u_pairs: float = 2e7, em_pairs: float = 5e6, db=None) -> dict:
    """An unsupervised model (Splink settings with parameters) learned from `prepared` itself."""
    from splink import Linker, block_on

    db = db or _db()
    linker = Linker(db.register(prepared.to_arrow()), settings(), log_level=logging.WARNING)
    t = linker.training
    t.estimate_probability_two_random_records_match(_deterministic_rules(), recall=0.8)
    t.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    # Two passes, each learning the comparisons its blocking rule does not fix. Both rules admit
    # almost only true duplicates: a looser second pass (birth date and first name) lets EM take
    # homonyms and twins for duplicates and learn that duplicates often have another IIN.
    t.estimate_parameters_using_expectation_maximisation(block_on("iin"), max_pairs=em_pairs)
    t.estimate_parameters_using_expectation_maximisation(
        block_on("dob", "first_key", "last_key", "patr_key", "locality"), max_pairs=em_pairs)
    return linker.misc.save_model_to_json()


@dataclass
class DedupeResult:
    pairs: object  # polars: row_a, row_b, probability, match_weight, and one evidence column per comparison
    model: dict


def find_duplicates(raw, *, threshold: float = DEFAULT_THRESHOLD, model: dict | None = None,
                    gazetteer: Gazetteer | None = None, threads: int | None = None,
                    memory_limit: str | None = None) -> DedupeResult:
    """Probable duplicate pairs among the rows of `raw` (from `extract.read_extract`), with the
    probability and the evidence (the level each comparison reached)."""
    import polars as pl
    from splink import Linker

    prepared = prepare(raw, gazetteer)
    del raw  # the caller may pass its only reference: the raw text is not needed any more
    db = _db(threads, memory_limit)
    if len(prepared) < 2:
        empty = pl.DataFrame(schema={"row_a": pl.Int64, "row_b": pl.Int64, "probability": pl.Float64})
        return DedupeResult(empty, model or {})
    if model is None:
        if len(prepared) >= TRAIN_MIN_ROWS:
            model = train(prepared, db=db)
        else:
            model = json.loads(DEFAULT_MODEL.read_text())
            model = _with_prior(model, prepared, db)
    table = db.register(prepared.to_arrow())
    linker = Linker(table, model, log_level=logging.WARNING)
    scored = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    found = _pairs(scored)
    # Same-IIN pairs are exact duplicates: always reported, whatever their probability.
    same_iin = dict(model, blocking_rules_to_generate_predictions=[BLOCKING_RULES[0]])
    exact = _pairs(Linker(table, same_iin, log_level=logging.WARNING).inference.predict(warning_mode="never"))
    pairs = pl.concat([found, exact.join(found, on=["row_a", "row_b"], how="anti")])
    pairs = _label_evidence(pairs, linker)
    return DedupeResult(pairs.sort("row_a", "row_b"), model)


def _with_prior(model: dict, prepared, db) -> dict:
    """The stored model with the prior (probability that two random rows match) re-estimated
    for this file; a file with no deterministic match keeps a floor of one pair in the file."""
    from splink import Linker

    n = len(prepared)
    floor = 1.0 / max(1.0, n * (n - 1) / 2)
    linker = Linker(db.register(prepared.to_arrow()), model, log_level=logging.WARNING)
    try:
        linker.training.estimate_probability_two_random_records_match(_deterministic_rules(), recall=0.8)
        prior = linker.misc.save_model_to_json()["probability_two_random_records_match"]
    except Exception:  # noqa: BLE001 - Splink refuses a zero estimate; its error type varies by version
        prior = floor
    return dict(model, probability_two_random_records_match=min(max(prior, floor), 0.5))


def _pairs(scored):
    import polars as pl

    df = pl.from_arrow(scored.as_pyarrow_table())
    gammas = [c for c in df.columns if c.startswith("gamma_")]
    a, b = pl.col("unique_id_l"), pl.col("unique_id_r")
    return df.select(
        pl.min_horizontal(a, b).cast(pl.Int64).alias("row_a"),
        pl.max_horizontal(a, b).cast(pl.Int64).alias("row_b"),
        pl.col("match_probability").cast(pl.Float64).alias("probability"),
        pl.col("match_weight").cast(pl.Float64),
        *[pl.col(g).cast(pl.Int64) for g in gammas],
    )


def _label_evidence(pairs, linker):
    """Replace each gamma (comparison level index) with its human-readable label."""
    import polars as pl

    exprs = []
    for comparison in linker._settings_obj.comparisons:
        name = comparison.output_column_name
        col = f"gamma_{name}"
        if col not in pairs.columns:
            continue
        labels = {lvl.comparison_vector_value: lvl.label_for_charts for lvl in comparison.comparison_levels}
        exprs.append(pl.col(col).replace_strict(labels, default=None, return_dtype=pl.String).alias(name))
    return pairs.with_columns(exprs).drop([c for c in pairs.columns if c.startswith("gamma_")])


def evaluate(pairs, truth) -> dict:
    """Pairwise precision and recall of `pairs` (row_a, row_b) against `truth` (row_a, row_b)."""
    found = pairs.select("row_a", "row_b").unique()
    true = truth.select("row_a", "row_b").unique()
    tp = len(found.join(true, on=["row_a", "row_b"], how="inner"))
    precision = tp / len(found) if len(found) else 1.0
    recall = tp / len(true) if len(true) else 1.0
    return {"found": len(found), "true": len(true), "true_positives": tp,
            "precision": precision, "recall": recall}


def train_default_model(n: int = 200_000, seed: int = 20260315) -> dict:
    """Train the stored model on a synthetic register (run: python -m sailau.register.dedupe)."""
    import polars as pl

    from sailau.register.synthetic import generate

    syn = generate(n, 0.01, seed)
    rows = syn.frame.with_row_index("row", offset=1).with_columns(pl.col("row").cast(pl.Int64))
    return train(prepare(rows))


if __name__ == "__main__":
    model = train_default_model()
    DEFAULT_MODEL.write_text(json.dumps(model, ensure_ascii=False, indent=1))
    print(f"wrote {DEFAULT_MODEL}")
