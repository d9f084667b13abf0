"""Kazakh in Latin script from the Cyrillic, letter by letter (sailau.languages.latin): every
letter of the Kazakh Cyrillic alphabet, the capitals, and the text around the words."""

import pytest

from sailau.languages.latin import LETTERS, from_cyrillic


@pytest.mark.parametrize(("cyrillic", "latin"), [
    # the nine letters of Kazakh that Russian lacks
    ("әке", "äke"), ("ағаш", "ağaş"), ("қала", "qala"), ("мың", "myñ"), ("өзен", "özen"),
    ("ұлт", "ūlt"), ("үй", "üi"), ("шаһар", "şahar"), ("бір", "bır"),
    # и and й share İ i; і is I ı
    ("Ини", "İni"), ("ІНІ", "INI"), ("Іле", "Ile"), ("Йод", "İod"),
    # the letters Kazakh writes only in Russian words: by the sounds they stand for
    ("ёлка", "iolka"), ("цирк", "tsirk"), ("Чай", "Chai"), ("ЧАЙ", "CHAİ"), ("щи", "şşi"),
    ("подъезд", "podezd"), ("пальто", "palto"), ("экран", "ekran"), ("юрта", "iurta"),
    ("Ялта", "Ialta"), ("ЯЛТА", "IALTA"),
    # words as the pages write them
    ("Қазақстан Республикасы", "Qazaqstan Respublikasy"),
    ("Орталық сайлау комиссиясы", "Ortalyq sailau komissiiasy"),
    ("Бұрыңғы өткен заманда", "Būryñğy ötken zamanda"),
])
def test_words(cyrillic, latin):
    assert from_cyrillic(cyrillic) == latin


def test_what_is_not_cyrillic_is_kept():
    """Digits, punctuation, Latin words and the placeholders of gettext and str.format."""
    assert (from_cyrillic("№ 12 учаске (PDF): %(n)d, {seconds} с.")
            == "№ 12 uchaske (PDF): %(n)d, {seconds} s.")
    assert from_cyrillic("") == ""


def test_no_cyrillic_letter_is_left():
    alphabet = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
    assert set(alphabet) == set(LETTERS)
    out = from_cyrillic(alphabet + alphabet.upper())
    assert not any("\u0400" <= ch <= "\u04ff" for ch in out), out
