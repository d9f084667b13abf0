"""Duplicate detection end to end on small synthetic registers (the stored model) and on
hand-made cases; the national-scale measurement is benchmarks/bench_register.py."""

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from sailau.register import dedupe
from sailau.register.extract import COLUMNS, read_extract
from sailau.register.synthetic import generate, write

from .conftest import person

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "sailau", *map(str, args)], cwd=ROOT, check=False,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    d = tmp_path_factory.mktemp("reg")
    syn = generate(4000, 0.02, seed=11)
    path, truth = d / "x.csv", d / "truth.csv"
    write(syn, path, truth)
    return path, truth, syn


def test_small_register_meets_precision_and_recall(small):
    path, _, syn = small
    result = dedupe.find_duplicates(read_extract(path))
    m = dedupe.evaluate(result.pairs, syn.truth)
    # Small files use the stored model with a file-sized prior, which is less sceptical than at
    # national scale: twins (same surname, birth date, patronymic, street) are mostly what is
    # reported wrongly here; at 1M rows precision is 0.99 (benchmarks/bench_register.py).
    assert m["recall"] >= 0.98 and m["precision"] >= 0.8, m
    # The evidence names the level each comparison reached.
    assert {"iin", "name", "dob", "address"} <= set(result.pairs.columns)


def test_transliteration_swap_and_iin_typo_are_found_twins_are_not(write_extract):
    base = person()
    translit = person()
    translit[1:4] = ["Akhmetov", "Nurlan", "Serikuly"]
    swapped = person()
    swapped[1], swapped[2] = swapped[2], swapped[1]
    swapped[0] = swapped[0][:3] + str((int(swapped[0][3]) + 1) % 10) + swapped[0][4:]
    swapped[7:10] = ["Карагандинская область", "Темиртау", "Ленина"]
    twin = person(serial=777, first="Ерлан")
    stranger = person(serial=555, last="Петров", first="Сергей", patronymic="Иванович")
    rows = [base, translit, swapped, twin, stranger] + [
        person(serial=1000 + i * 7, first=f, last=l)
        for i, (f, l) in enumerate([("Асель", "Омарова"), ("Динара", "Касымова"), ("Ерлан", "Садыков")])]
    rows[5][5] = rows[6][5] = "F"
    path = write_extract(rows)
    out = run_cli("register", "dedupe", path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "row_a,row_b,probability"
    prob = {tuple(map(int, line.split(",")[:2])): float(line.split(",")[2]) for line in lines[1:]}
    assert {(1, 2), (1, 3), (2, 3)} <= set(prob)  # same IIN twice, and a swap with an IIN typo
    assert not any(5 in p for p in prob), prob  # the stranger with the same birth date
    # The twin may be listed for review, but below every true duplicate.
    assert prob.get((1, 4), 0) < min(prob[(1, 2)], prob[(1, 3)])


def test_cli_synth_then_dedupe_with_truth(tmp_path):
    out_csv, truth = tmp_path / "s.csv", tmp_path / "t.csv"
    r = run_cli("register", "synth", "--n", 3000, "--dup-rate", 0.02, "--seed", 3, out_csv, "--truth", truth)
    assert r.returncode == 0, r.stderr
    assert pl.read_csv(truth).columns == ["row_a", "row_b", "kinds"]
    r = run_cli("register", "dedupe", out_csv, "--truth", truth, "--evidence")
    assert r.returncode == 0, r.stderr
    assert "precision=" in r.stderr and r.stdout.startswith("row_a,row_b,probability,match_weight")


def test_cli_bad_input_exit_2(tmp_path):
    assert run_cli("register", "dedupe", tmp_path / "missing.csv").returncode == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    r = run_cli("register", "dedupe", bad)
    assert r.returncode == 2 and "Columns missing from the file: iin, last_name" in r.stderr
    assert run_cli("register", "synth", "--n", 0, tmp_path / "o.csv").returncode == 2
    ok = tmp_path / "ok.csv"
    ok.write_text(",".join(COLUMNS) + "\n")
    r = run_cli("register", "dedupe", ok, "--memory-limit", "lots")
    assert r.returncode == 2 and "--memory-limit" in r.stderr


def test_cli_check_reports_rows(write_extract):
    bad = person()
    bad[0] = "123"
    r = run_cli("register", "check", write_extract([person(serial=9), bad]))
    assert r.returncode == 1
    assert r.stdout.splitlines()[1].startswith("2,iin,format,")
