"""A seeded synthetic population-register extract with a ground truth of injected duplicates.

Persons: Kazakh and Russian names (Zipf-weighted pools), patronymics in the Russian (-ович) and
Kazakh (-ұлы/-қызы) styles, an age pyramid shaped like Kazakhstan's, valid unique IINs, addresses
in the 20 regions weighted by population, some twins (same birth date, surname, patronymic and
address: distinct persons that a matcher must not merge), a few non-citizens, legally incapable
and detained persons. Then `dup_rate · n` of the n rows are duplicates of other rows, each with
one or two perturbations: exact copy, typo in a name, transliteration (Latin/Cyrillic, patronymic
style), first and last name swapped, moved address, IIN typo.

Bulk columns are built with numpy; only the duplicates (1% of rows) are perturbed in Python."""

from __future__ import annotations

import datetime as dt

import numpy as np

from sailau.register import names as N
from sailau.register.gazetteer import REGIONS
from sailau.register.iin import WEIGHTS_1, WEIGHTS_2

# Share of the population by age decade 0-9, 10-19, ... 90-99 (approximately Kazakhstan's
# pyramid in the 2020s: a large young cohort, a dip for those born in the 1990s).
AGE_DECADE_WEIGHTS = (0.19, 0.15, 0.13, 0.16, 0.13, 0.11, 0.085, 0.035, 0.012, 0.003)
PERTURBATIONS = ("exact", "typo", "translit", "swap", "moved", "iin_typo")
PERTURBATION_WEIGHTS = (0.15, 0.25, 0.2, 0.1, 0.2, 0.1)
TWIN_RATE = 0.004  # share of persons who are the second of a pair of twins
CYRILLIC_LOWER = "абвгдежзийклмнопрстуфхцчшщыэюяәғқңөұүһі"
LATIN_LOWER = "abcdefghijklmnopqrstuvwxyz"


class Synthetic:
    """The extract as numpy columns plus the file order; `frame` builds the polars DataFrame
    (small registers), `write` streams the CSV in chunks so that 12 million rows never exist
    as one frame beside the columns (the cause of the 12 GB peak)."""

    def __init__(self, columns: dict[str, np.ndarray], order: np.ndarray, truth):
        self.columns = columns  # extract.COLUMNS -> array in generation order
        self.order = order  # file position p holds generation index order[p]
        self.truth = truth  # polars DataFrame: row_a, row_b (1-based, row_a < row_b), kinds
        self._frame = None

    def __len__(self) -> int:
        return len(self.order)

    def chunk(self, start: int, stop: int):
        import polars as pl

        from sailau.register.extract import COLUMNS

        idx = self.order[start:stop]
        return pl.DataFrame({c: pl.Series(c, self.columns[c][idx].tolist(), dtype=pl.String)
                             for c in COLUMNS})

    @property
    def frame(self):
        if self._frame is None:
            self._frame = self.chunk(0, len(self.order))
        return self._frame


def _zipf(rng, k: int, size: int, s: float = 0.9) -> np.ndarray:
    w = 1.0 / np.arange(1, k + 1) ** s
    return rng.choice(k, size=size, p=w / w.sum())


def _check_digits(d: np.ndarray) -> np.ndarray:
    """Check digit of each row of an (n, 11) digit matrix; 10 where none exists."""
    c = (d @ np.array(WEIGHTS_1)) % 11
    c2 = (d @ np.array(WEIGHTS_2)) % 11
    return np.where(c == 10, c2, c)


def _patronymic(father: str, sex: str, style: str) -> str:
    if style == "kk":
        return father + ("ұлы" if sex == "M" else "қызы")
    stem, vowel = (father[:-1], "е") if father.endswith("й") else (father, "о")
    if father[-1] in "аеиоуыэюяәі":
        stem, vowel = father[:-1], "е"
    return stem + vowel + ("вич" if sex == "M" else "вна")


def _dates(rng, n: int, ref: dt.date) -> np.ndarray:
    decade = rng.choice(10, size=n, p=np.array(AGE_DECADE_WEIGHTS) / sum(AGE_DECADE_WEIGHTS))
    age_days = ((decade * 10 + rng.random(n) * 10) * 365.2425).astype(np.int64)
    return np.datetime64(ref, "D") - age_days.astype("timedelta64[D]")


def _iins(rng, dates: np.ndarray, male: np.ndarray, group_key: np.ndarray | None = None):
    """Unique valid IINs; persons with the same `group_key` (twins) get adjacent serials."""
    n = len(dates)
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    century = np.where(years >= 2000, 5, np.where(years >= 1900, 3, 1)) + (~male).astype(np.int64)
    # Serial: rank within (date, sex) spread over 0..9999 with a random offset, then stepped past
    # the rare serials for which no check digit exists.
    key = (dates.astype(np.int64) * 2 + male.astype(np.int64))
    order = np.lexsort((rng.random(n), key))
    sorted_key = key[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_key)) + 1]
    rank = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    step = max(2, 9999 // (int(rank.max()) + 2))
    serial = np.empty(n, dtype=np.int64)
    serial[order] = rank * step + rng.integers(0, step - 1, size=n)
    yy = years % 100
    head = np.stack([yy // 10, yy % 10, months // 10, months % 10, days // 10, days % 10, century], axis=1)
    while True:
        tail = np.stack([serial // 1000 % 10, serial // 100 % 10, serial // 10 % 10, serial % 10], axis=1)
        digits = np.concatenate([head, tail], axis=1)
        check = _check_digits(digits)
        bad = check == 10
        if not bad.any():
            break
        serial[bad] += 1  # stays below the next person's serial: offsets are < step - 1
    full = np.concatenate([digits, check[:, None]], axis=1).astype(np.uint8) + ord("0")
    return np.frombuffer(full.tobytes(), dtype="S12").astype(str)


def _persons(rng, n: int, ref: dt.date) -> dict[str, np.ndarray]:
    kazakh = rng.random(n) < 0.72
    male = rng.random(n) < 0.485
    first = np.empty(n, dtype=object)
    last = np.empty(n, dtype=object)
    father = np.empty(n, dtype=object)
    for is_kz, pools in ((True, (N.KAZAKH_MALE, N.KAZAKH_FEMALE, N.KAZAKH_SURNAMES)),
                         (False, (N.RUSSIAN_MALE, N.RUSSIAN_FEMALE, N.RUSSIAN_SURNAMES))):
        male_pool, female_pool, surnames = (np.array(p, dtype=object) for p in pools)
        for sex_mask, pool in ((male, male_pool), (~male, female_pool)):
            m = (kazakh == is_kz) & sex_mask
            first[m] = pool[_zipf(rng, len(pool), int(m.sum()))]
        m = kazakh == is_kz
        last[m] = surnames[_zipf(rng, len(surnames), int(m.sum()), 0.7)]
        father[m] = male_pool[_zipf(rng, len(male_pool), int(m.sum()))]
    fem = ~male
    last[fem] = [N.feminine(s) for s in last[fem]]
    style = np.where(kazakh & (rng.random(n) < 0.3), "kk", "ru")
    sexes = np.where(male, "M", "F")
    patronymic = np.array([_patronymic(f, s, st) for f, s, st in zip(father, sexes, style)], dtype=object)
    patronymic[rng.random(n) < 0.04] = ""  # not everyone has one recorded
    dates = _dates(rng, n, ref)

    pops = np.array([r[3] for r in REGIONS], dtype=float)
    region_idx = rng.choice(len(REGIONS), size=n, p=pops / pops.sum())
    region = np.array([r[0] for r in REGIONS], dtype=object)[region_idx]
    locality = np.empty(n, dtype=object)
    for i, r in enumerate(REGIONS):
        m = region_idx == i
        locs = np.array(r[4], dtype=object)
        # The main town holds about half of its region's population.
        p = np.full(len(locs), 0.5 / max(1, len(locs) - 1))
        p[0] = 0.5 if len(locs) > 1 else 1.0
        locality[m] = locs[rng.choice(len(locs), size=int(m.sum()), p=p / p.sum())]
    street = np.array(N.STREETS, dtype=object)[rng.integers(0, len(N.STREETS), n)]
    # Fixed-width numpy strings, not Python objects: 4 bytes a character instead of ~50 bytes
    # an object (the columns that are not names are short).
    house = rng.integers(1, 200, n).astype("U3")
    apartment = np.where(rng.random(n) < 0.55, rng.integers(1, 250, n).astype("U3"), "")

    cols = {"last_name": last, "first_name": first, "patronymic": patronymic, "sex": sexes,
                "region": region, "locality": locality, "street": street, "house": house, "apartment": apartment}
    # Twins: the person after a twin's index becomes their sibling (same family data, own name).
    twins = np.flatnonzero(rng.random(n) < TWIN_RATE)
    twins = twins[twins > 0]
    src = twins - 1
    for c in ("last_name", "patronymic", "region", "locality", "street", "house", "apartment"):
        cols[c][twins] = cols[c][src]
    dates[twins] = dates[src]
    same_sex = rng.random(len(twins)) < 0.6
    male[twins] = np.where(same_sex, male[src], ~male[src])
    sexes[twins] = np.where(male[twins], "M", "F")
    kz_t = kazakh[src]
    for t, s, is_kz, is_male in zip(twins, src, kz_t, male[twins]):
        pool = (N.KAZAKH_MALE if is_male else N.KAZAKH_FEMALE) if is_kz else (
            N.RUSSIAN_MALE if is_male else N.RUSSIAN_FEMALE)
        name = pool[rng.integers(0, len(pool))]
        while name == cols["first_name"][s]:
            name = pool[rng.integers(0, len(pool))]
        cols["first_name"][t] = name
        base = cols["last_name"][s].removesuffix("а") if not male[s] and cols["last_name"][s].endswith(("ова", "ева", "ина")) else cols["last_name"][s]
        cols["last_name"][t] = base if is_male else N.feminine(base)
        pat = cols["patronymic"][s]
        for a, b in (("ович", "овна"), ("евич", "евна"), ("ұлы", "қызы")):
            pat = pat.replace(a, b) if not is_male else pat.replace(b, a)
        cols["patronymic"][t] = pat
    cols["sex"] = sexes
    cols["iin"] = _iins(rng, dates, male)
    cols["birth_date"] = np.datetime_as_string(dates, unit="D")

    # Some records were written in Latin letters (passports, records made abroad).
    latin = np.flatnonzero(rng.random(n) < 0.02)
    for i in latin:
        for c in ("last_name", "first_name", "patronymic"):
            cols[c][i] = N.to_latin(cols[c][i])
    citizenship = np.full(n, "KAZ", dtype="U3")
    other = rng.random(n)
    citizenship[other < 0.006] = "RUS"
    citizenship[(other >= 0.006) & (other < 0.009)] = "UZB"
    citizenship[(other >= 0.009) & (other < 0.010)] = "XXX"
    adult = (np.datetime64(ref, "D") - dates) > np.timedelta64(18 * 365, "D")
    cols["citizenship"] = citizenship
    cols["legal_capacity"] = np.where(adult & (rng.random(n) < 0.003), "0", "1")
    cols["in_detention"] = np.where(adult & (rng.random(n) < 0.002), "1", "0")
    return cols


def _typo(rng, s: str) -> str:
    if len(s) < 3:
        return s + "а"
    i = int(rng.integers(1, len(s)))  # the first letter is the one people get right
    alphabet = LATIN_LOWER if s[i].lower() in LATIN_LOWER else CYRILLIC_LOWER
    kind = rng.integers(0, 4)
    if kind == 0:  # substitution
        return s[:i] + alphabet[rng.integers(0, len(alphabet))] + s[i + 1:]
    if kind == 1:  # deletion
        return s[:i] + s[i + 1:]
    if kind == 2:  # insertion (doubled letter)
        return s[:i] + s[i] + s[i:]
    j = min(i + 1, len(s) - 1)  # transposition
    return s[:i - 1] + s[i] + s[i - 1] + s[i + 1:] if j == i else s[:i] + s[j] + s[i] + s[j + 1:]


def _is_cyrillic(s: str) -> bool:
    return any("а" <= ch.lower() <= "я" or ch.lower() in "әғқңөұүһі" for ch in s)


def _transliterate(rng, rec: dict) -> None:
    table = N.ICAO if rng.random() < 0.6 else N.KAZAKH_LATIN
    pat = rec["patronymic"]
    if _is_cyrillic(pat) and rng.random() < 0.4:  # the other patronymic style
        for a, b in (("ович", "ұлы"), ("евич", "ұлы"), ("овна", "қызы"), ("евна", "қызы")):
            if pat.endswith(a):
                pat = pat[: -len(a)] + b
                break
        rec["patronymic"] = pat
    for c in ("last_name", "first_name", "patronymic"):
        if _is_cyrillic(rec[c]):
            rec[c] = N.to_latin(rec[c], table)


def _perturb(rng, rec: dict, kind: str) -> None:
    if kind == "typo":
        c = ("last_name", "first_name", "patronymic")[rng.choice(3, p=[0.45, 0.35, 0.2])]
        rec[c] = _typo(rng, rec[c])
    elif kind == "translit":
        _transliterate(rng, rec)
    elif kind == "swap":
        rec["first_name"], rec["last_name"] = rec["last_name"], rec["first_name"]
    elif kind == "moved":
        pops = np.array([r[3] for r in REGIONS], dtype=float)
        if rng.random() < 0.5:  # a move across regions, or within the same one
            r = REGIONS[rng.choice(len(REGIONS), p=pops / pops.sum())]
            rec["region"] = r[0]
        else:
            r = next(x for x in REGIONS if x[0] == rec["region"])
        rec["locality"] = r[4][rng.integers(0, len(r[4]))]
        rec["street"] = N.STREETS[rng.integers(0, len(N.STREETS))]
        rec["house"] = str(rng.integers(1, 200))
        rec["apartment"] = str(rng.integers(1, 250)) if rng.random() < 0.55 else ""
    elif kind == "iin_typo":
        iin = rec["iin"]
        i = int(rng.integers(0, 12))
        if rng.random() < 0.7 or i == 11:
            d = str((int(iin[i]) + int(rng.integers(1, 10))) % 10)
            rec["iin"] = iin[:i] + d + iin[i + 1:]
        else:
            rec["iin"] = iin[:i] + iin[i + 1] + iin[i] + iin[i + 2:]


def generate(n: int, dup_rate: float = 0.01, seed: int = 0,
             reference_date: dt.date = dt.date(2026, 1, 1)) -> Synthetic:
    """n rows, of which round(dup_rate · n) duplicate other rows; shuffled; with the truth."""

    from sailau.register.extract import COLUMNS

    if n < 1 or not 0 <= dup_rate < 0.5:
        raise ValueError("need n >= 1 and 0 <= dup_rate < 0.5")
    rng = np.random.default_rng(seed)
    n_dup = round(dup_rate * n)
    n_base = n - n_dup
    cols = _persons(rng, n_base, reference_date)
    # Each duplicate copies a person (a few persons are duplicated more than once).
    person = np.arange(n)
    person[n_base:] = rng.integers(0, n_base, n_dup)
    kinds_of = {}
    dup_rows = []
    for k in range(n_dup):
        src = int(person[n_base + k])
        rec = {c: cols[c][src] for c in cols}
        first = PERTURBATIONS[rng.choice(len(PERTURBATIONS), p=PERTURBATION_WEIGHTS)]
        kinds = [first]
        if first != "exact" and rng.random() < 0.3:
            second = PERTURBATIONS[rng.choice(len(PERTURBATIONS), p=PERTURBATION_WEIGHTS)]
            if second not in kinds and second != "exact":
                kinds.append(second)
        for kind in kinds:
            _perturb(rng, rec, kind)
        kinds_of[n_base + k] = "+".join(kinds)
        dup_rows.append(rec)
    data = {}
    for c in list(cols):
        if dup_rows:  # a numpy string column stays one (np.concatenate widens it if needed)
            extra = [str(r[c]) for r in dup_rows]
            kind = np.array(extra) if cols[c].dtype.kind == "U" else np.array(extra, dtype=object)
            data[c] = np.concatenate([cols[c], kind])
        else:
            data[c] = cols[c]
        del cols[c]
    # Shuffle into file order: position p of the file holds original index order[p].
    order = rng.permutation(n)
    file_row = np.empty(n, dtype=np.int64)
    file_row[order] = np.arange(1, n + 1)
    truth = _truth(person, file_row, kinds_of)
    return Synthetic({c: data[c] for c in COLUMNS}, order, truth)


def _truth(person: np.ndarray, file_row: np.ndarray, kinds_of: dict[int, str]):
    """Every pair of rows of the same person (so a person duplicated twice gives three pairs)."""
    import polars as pl

    dup_idx = np.array(sorted(kinds_of), dtype=np.int64)
    if len(dup_idx) == 0:
        return pl.DataFrame(schema={"row_a": pl.Int64, "row_b": pl.Int64, "kinds": pl.String})
    persons = np.unique(person[dup_idx])
    members = pl.DataFrame({"idx": np.arange(len(person)), "person": person}).filter(
        pl.col("person").is_in(persons))
    members = members.with_columns(
        row=pl.Series(file_row[members["idx"].to_numpy()]),
        kind=pl.col("idx").replace_strict(kinds_of, default="original", return_dtype=pl.String),
    )
    pairs = members.join(members, on="person", suffix="_b").filter(pl.col("row") < pl.col("row_b"))
    return pairs.select(
        pl.col("row").alias("row_a"), pl.col("row_b"),
        pl.concat_str(["kind", "kind_b"], separator="/").alias("kinds"),
    ).sort("row_a", "row_b")


def write(syn: Synthetic, out, truth_path=None, chunk_rows: int = 500_000) -> None:
    with open(out, "wb") as f:
        for start in range(0, max(len(syn), 1), chunk_rows):
            syn.chunk(start, start + chunk_rows).write_csv(f, include_header=start == 0)
    if truth_path is not None:
        syn.truth.write_csv(truth_path)
