import datetime as dt

import pytest

from sailau.register.extract import ExtractError, parse_extract

from .conftest import person


def errors_by_row(errors):
    return {(e.row, e.field, e.code) for e in errors}


def test_valid_rows_are_typed(write_extract):
    path = write_extract([person(), person(dt.date(2001, 12, 31), "F", 45, "Иванова", "Мария", "",
                                        "Карагандинская область", "Темиртау", "да", "нет")])
    records, errors = parse_extract(path)
    assert errors == []
    assert [r.row for r in records] == [1, 2]
    assert records[1].birth_date == dt.date(2001, 12, 31) and records[1].sex == "F"
    assert records[1].region == "Карагандинская область" and records[1].legal_capacity is True
    assert records[0].citizenship == "KAZ" and records[0].region == "Алматы"


def test_each_bad_field_reported_by_row_and_rest_imported(write_extract):
    good = person()
    bad_check = person(serial=124)
    bad_check[0] = bad_check[0][:11] + str((int(bad_check[0][11]) + 1) % 10)
    impossible = person(serial=125)
    impossible[4] = "30.02.1985"
    impossible[5] = "X"
    unknown_place = person(serial=126)
    unknown_place[8] = "Бостон"
    unknown_region = person(serial=127)
    unknown_region[7] = "Марс"
    mismatch = person(serial=128)
    mismatch[4] = "1985-03-15"
    bad_iin_date = person(serial=129)
    bad_iin_date[0] = "851314" + bad_iin_date[0][6:]
    cp1251 = ",".join(person(serial=130)).encode("cp1251") + b"\n"
    path = write_extract([good, bad_check, impossible, unknown_place, unknown_region, mismatch,
                          bad_iin_date, cp1251, person(serial=131)])
    records, errors = parse_extract(path)
    assert [r.row for r in records] == [1, 9]
    got = errors_by_row(errors)
    assert {(2, "iin", "check_digit"), (3, "birth_date", "date"), (3, "sex", "unknown"),
            (4, "locality", "unknown"), (5, "region", "unknown"), (6, "birth_date", "iin_mismatch"),
            (7, "iin", "date"), (8, "last_name", "encoding"), (8, "first_name", "encoding")} <= got
    # An unknown region does not also blame its locality.
    assert (5, "locality", "unknown") not in got
    # The cp1251 row: its ASCII fields were readable, so only the Cyrillic ones are blamed.
    assert {f for r, f, _ in got if r == 8} == {"last_name", "first_name", "patronymic", "region",
                                                  "locality", "street"}


def test_required_and_boolean_fields(write_extract):
    r = person()
    r[2] = ""
    r[12] = "maybe"
    _, errors = parse_extract(write_extract([r]))
    assert errors_by_row(errors) == {(1, "first_name", "required"), (1, "legal_capacity", "not_boolean")}


def test_same_iin_twice_in_a_file_keeps_the_first(write_extract):
    records, errors = parse_extract(write_extract([person(), person(last="Ahmetov")]))
    assert [r.row for r in records] == [1]
    assert errors_by_row(errors) == {(2, "iin", "duplicate_iin")}


def test_missing_column_is_a_file_error(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("iin,last_name\n1,2\n")
    with pytest.raises(ExtractError, match="Columns missing from the file: first_name, ") as exc:
        parse_extract(p)
    assert exc.value.code == "extract.missing_columns" and exc.value.field == "header"
    assert exc.value.detail["columns"][0] == "first_name" and "iin" not in exc.value.detail["columns"]


def test_header_only_gives_nothing(write_extract):
    assert parse_extract(write_extract([])) == ([], [])


def test_validation_in_slices_equals_one_pass_even_for_repeats_across_slices(tmp_path):
    """`validate_frame` works on slices to bound memory at 12 million rows; a repeated IIN
    whose first row is in an earlier slice must still be reported."""
    from sailau.register.extract import read_extract, validate_frame
    from sailau.register.synthetic import generate

    syn = generate(4000, 0.05, seed=9)
    syn.frame.write_csv(tmp_path / "x.csv")
    raw = read_extract(tmp_path / "x.csv")
    v_all, e_all = validate_frame(raw, chunk_rows=10**9)
    v_cut, e_cut = validate_frame(raw, chunk_rows=333)
    assert v_all.sort("row").equals(v_cut.sort("row")) and e_all.equals(e_cut)
    dups = e_cut.filter(e_cut["code"] == "duplicate_iin")
    assert len(dups) > 10
    import polars as pl

    firsts = raw.group_by("iin").agg(first=pl.col("row").min())
    first_of = dict(firsts.iter_rows())
    iin_of = dict(raw.select("row", "iin").iter_rows())
    # Some repeats refer to a first row more than one slice earlier.
    assert any((first_of[iin_of[r]] - 1) // 333 < (r - 1) // 333 for r in dups["row"])
