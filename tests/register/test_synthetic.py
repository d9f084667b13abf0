import polars as pl

from sailau.register.extract import validate_frame
from sailau.register.iin import is_valid_iin
from sailau.register.synthetic import generate


def test_seeded_and_sized():
    a, b = generate(3000, 0.02, seed=5), generate(3000, 0.02, seed=5)
    assert a.frame.equals(b.frame) and a.truth.equals(b.truth)
    assert len(a.frame) == 3000
    assert not a.frame.equals(generate(3000, 0.02, seed=6).frame)


def test_originals_are_valid_and_duplicates_are_where_the_truth_says():
    syn = generate(5000, 0.02, seed=3)
    frame = syn.frame.with_row_index("row", offset=1).with_columns(pl.col("row").cast(pl.Int64))
    dup_rows = set(syn.truth["row_b"]) | set(syn.truth["row_a"])
    originals = frame.filter(~pl.col("row").is_in(list(dup_rows)))
    _valid, errors = validate_frame(originals)
    assert errors.is_empty(), errors.head()
    assert originals["iin"].n_unique() == len(originals)
    assert len(syn.truth) >= 100  # 100 duplicate rows, a few persons duplicated twice
    # Every true pair shares the person's birth date or its IIN prefix (nothing else survives all
    # perturbations), and every IIN-typo duplicate differs from its original by one edit.
    pairs = syn.truth.join(frame, left_on="row_a", right_on="row").join(
        frame, left_on="row_b", right_on="row", suffix="_b")
    assert (pairs["birth_date"] == pairs["birth_date_b"]).all()
    typo = pairs.filter(pl.col("kinds").str.contains("iin_typo"))
    assert len(typo) > 0
    for a, b in typo.select("iin", "iin_b").iter_rows():
        assert sum(x != y for x, y in zip(a, b)) <= 2 and a != b
    exact = pairs.filter(pl.col("kinds").is_in(["original/exact", "exact/original"]))
    assert (exact["iin"] == exact["iin_b"]).all() and (exact["last_name"] == exact["last_name_b"]).all()


def test_realistic_mix():
    f = generate(20000, 0.0, seed=1).frame
    assert f["region"].n_unique() == 20
    ages = 2026 - f["birth_date"].str.slice(0, 4).cast(pl.Int32)
    assert 0.25 < (ages < 18).mean() < 0.45 and ages.max() > 80
    assert 0.6 < f["last_name"].str.contains("[әғқңөұүһі]|ов$|ова$|ев$|ева$").mean()
    assert f["last_name"].str.contains("^[A-Za-z]").mean() > 0.005  # some Latin spellings
    assert all(is_valid_iin(i) for i in f["iin"].head(500))


def test_chunked_write_is_the_same_file_as_the_whole_frame(tmp_path):
    """`write` streams the CSV in chunks (the 12-million-row run must not hold a whole frame
    beside the columns); the bytes must not depend on the chunk size."""
    from sailau.register.synthetic import write

    syn = generate(5000, 0.02, seed=11)
    write(syn, tmp_path / "chunks.csv", chunk_rows=777)
    syn.frame.write_csv(tmp_path / "whole.csv")
    assert (tmp_path / "chunks.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()


def test_short_columns_are_numpy_strings_not_python_objects():
    syn = generate(2000, 0.01, seed=2)
    for c in ("iin", "birth_date", "house", "apartment", "citizenship", "legal_capacity",
              "in_detention"):
        assert syn.columns[c].dtype.kind == "U", c
