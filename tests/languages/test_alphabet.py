"""The one order of names (sailau.languages.alphabet): the Kazakh alphabet's, case ignored,
not the code points' (where "І", "Қ", "Ә" and every lower-case name come after "Я")."""

from sailau.languages.alphabet import KAZAKH_CYRILLIC, sort_key
from sailau.languages.latin import LETTERS


def test_kazakh_names_in_the_alphabets_order():
    names = ["Яссауи", "Ірі", "Ыстық", "Үміт", "Ұлт", "Өрлеу", "Қазақ", "Ел", "Бірлік",
             "Болашақ", "Әділет", "Ақ жол", "а-мал"]
    assert sorted(names, key=sort_key) == [
        "а-мал", "Ақ жол", "Әділет", "Болашақ", "Бірлік", "Ел", "Қазақ", "Өрлеу", "Ұлт", "Үміт",
        "Ыстық", "Ірі", "Яссауи"]
    assert sorted(names) != sorted(names, key=sort_key)  # the code points' order differs


def test_russian_and_latin_names():
    assert sorted(["Юг", "ёж", "Ель", "еда", "Жук"], key=sort_key) == [
        "еда", "Ель", "ёж", "Жук", "Юг"]
    # Latin before Cyrillic; a letter with a mark by its base letter, case ignored
    assert sorted(["Ūlt", "zhol", "Äділ", "Birlik", "ädilet", "Ақ"], key=sort_key) == [
        "ädilet", "Äділ", "Birlik", "Ūlt", "zhol", "Ақ"]


def test_case_breaks_ties_only():
    assert sorted(["бір", "Бір", "Бірлік"], key=sort_key) == ["Бір", "бір", "Бірлік"]


def test_the_alphabet_is_every_kazakh_letter_once():
    assert len(KAZAKH_CYRILLIC) == len(set(KAZAKH_CYRILLIC)) == 42
    assert set(KAZAKH_CYRILLIC) == {c for c in LETTERS if c.islower()}
