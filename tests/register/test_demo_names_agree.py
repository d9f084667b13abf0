"""The demos' invented people: a woman's surname takes her form (Динара Сейітова, never
Динара Сейітов), in the observers' and in the campaign funds' names alike."""

import random

import pytest

from sailau.finance import demo as finance_demo
from sailau.observation import demo as observation_demo
from sailau.register.names import feminine

MASCULINE = ("ов", "ев", "ин", "ёв")


def test_feminine_form():
    assert feminine("Ахметов") == "Ахметова" and feminine("Ким") == "Ким"


@pytest.mark.parametrize("module, first_word_is_surname", [(observation_demo, False),
                                                          (finance_demo, True)])
def test_a_womans_surname_agrees_with_her_first_name(module, first_word_is_surname):
    women = {n for n, woman in (module.NAMES if hasattr(module, "NAMES") else module.FIRST)
             if woman}
    rnd = random.Random(7)
    seen_women = 0
    for _ in range(400):
        words = module._person(rnd).split()
        last, first = (words[0], words[1]) if first_word_is_surname else (words[1], words[0])
        if first in women:
            seen_women += 1
            assert not last.endswith(MASCULINE), (first, last)
        else:
            assert not last.endswith(tuple(m + "а" for m in MASCULINE)), (first, last)
    assert seen_women > 50
