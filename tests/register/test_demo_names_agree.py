"""The demos' invented people: a surname takes the form of its bearer's sex (Динара Сейітова,
never Динара Сейітов; Асхат Иванов, never Асхат Иванова; Нұрлан Серікұлы, Мадина Серікқызы),
in every generator of names: observers, campaign funds, complaints, the election's candidates
and commission members, same-day voters and the synthetic register."""

import datetime as dt
import random

import numpy as np
import pytest

from sailau.complaints import demo as complaints_demo
from sailau.demo import geography
from sailau.finance import demo as finance_demo
from sailau.observation import demo as observation_demo
from sailau.register import names as N
from sailau.register import synthetic
from sailau.voters import demo as voters_demo

# Read from the surname's ending alone, not from the code under test: a woman's forms, then a
# man's; a surname with neither (Ким, Сейтқали, Шевченко) is the same for both.
# The register spells some names in Latin letters, as real records do.
HERS = ("ова", "ева", "ёва", "ина", "қызы", "кызы", "ская", "цкая", "ova", "eva", "ina", "kyzy",
        "qyzy", "skaia", "skaya")
HIS = ("ов", "ев", "ёв", "ин", "ұлы", "улы", "ский", "цкий", "ov", "ev", "in", "uly", "ūly",
       "skii", "skiy")


def _sex_of_surname(last: str) -> str | None:
    return "F" if last.endswith(HERS) else "M" if last.endswith(HIS) else None


def _flagged(pairs, woman: bool) -> set[str]:
    return {n for n, w in pairs if w == woman}


WOMEN = (set(N.KAZAKH_FEMALE) | set(N.RUSSIAN_FEMALE) | set(geography.FIRST_NAMES_F)
         | _flagged(observation_demo.NAMES, True) | _flagged(finance_demo.FIRST, True)
         | _flagged(complaints_demo.FIRST, True))
MEN = (set(N.KAZAKH_MALE) | set(N.RUSSIAN_MALE) | set(geography.FIRST_NAMES_M)
       | _flagged(observation_demo.NAMES, False) | _flagged(finance_demo.FIRST, False)
       | _flagged(complaints_demo.FIRST, False))


def test_no_first_name_is_both_a_mans_and_a_womans():
    assert WOMEN & MEN == set()


def test_feminine_form():
    assert [N.feminine(s) for s in ("Ахметов", "Мусин", "Серікұлы", "Ковальский", "Ким",
                                    "Сейтқали", "Шевченко")] == [
        "Ахметова", "Мусина", "Серікқызы", "Ковальская", "Ким", "Сейтқали", "Шевченко"]


def _people(source: str, n: int) -> list[tuple[str, str]]:
    """(first name, surname) of `n` people from one generator; the register's with its sex
    ("M", "F") for the first name, which it may spell in Latin letters."""
    rnd = random.Random(7)
    if source == "observers":
        return [tuple(observation_demo._person(rnd).split()) for _ in range(n)]
    if source == "complaints":
        return [tuple(complaints_demo._person(rnd).split()) for _ in range(n)]
    if source == "funds":
        return [tuple(finance_demo._person(rnd).split()[::-1]) for _ in range(n)]
    if source == "election":  # candidates, commission members, senators
        return [tuple(geography.person_name(rnd, rnd.random() < 0.5).split()[::-1])
                for _ in range(n)]
    if source == "same-day voters":
        return [voters_demo.newcomer_name(rnd, rnd.choice("MF")) for _ in range(n)]
    cols = synthetic._persons(np.random.default_rng(7), n, dt.date(2023, 3, 19))
    return list(zip(cols["sex"], cols["last_name"]))


@pytest.mark.parametrize("source", ["observers", "complaints", "funds", "election",
                                    "same-day voters", "register"])
def test_a_surname_agrees_with_its_first_name(source):
    people = [(first, last, first if first in ("M", "F") else "F" if first in WOMEN else
               "M" if first in MEN else "?") for first, last in _people(source, 3000)]
    assert [f for f, _, sex in people if sex == "?"] == []  # every first name's sex is known
    wrong = [(f, s) for f, s, sex in people if _sex_of_surname(s) not in (None, sex)]
    assert wrong == []
    hers = [s for _, s, sex in people if sex == "F" and _sex_of_surname(s) == "F"]
    his = [s for _, s, sex in people if sex == "M" and _sex_of_surname(s) == "M"]
    assert len(hers) > 300 and len(his) > 300  # both kinds were generated and read
