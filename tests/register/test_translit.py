import pytest

from sailau.register.translit import keys_of, name_key, patronymic_key


@pytest.mark.parametrize("spellings", [
    ("Жанар", "Zhanar", "Janar"),
    ("Қайрат", "Кайрат", "Qairat", "Kairat"),
    ("Юлия", "Yuliya", "Iuliia"),
    ("Ержан", "Yerzhan", "Erzhan"),
    ("Щукин", "Shchukin"),
    ("Чингиз", "Chingiz", "Çingiz"),
    ("Әйгерім", "Айгерим", "Aigerim", "Äigerim"),
    ("Цой", "Tsoi"),
    ("Жақсылық", "Zhaksylyk", "Jaqsylyq"),
])
def test_spellings_share_a_key(spellings):
    assert len({name_key(s) for s in spellings}) == 1, [name_key(s) for s in spellings]


@pytest.mark.parametrize("a,b", [("Нурлан", "Ерлан"), ("Ахметов", "Ахметова"), ("Асель", "Алия")])
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_patronymic_styles_reduce_to_the_fathers_name():
    assert {patronymic_key(p) for p in ("Нурланович", "Нұрланұлы", "Nurlanuly", "Nurlanovich")} == {"nurlan"}
    assert patronymic_key("Нурлановна") == patronymic_key("Нұрланқызы") == "nurlan"
    assert patronymic_key("") == ""


def test_keys_of_matches_scalar():
    import polars as pl

    s = pl.Series(["Жанар", None, "Zhanar", "Ахметов", "Жанар"])
    assert keys_of(s).to_list() == ["janar", None, "janar", "ahmetov", "janar"]
