"""A record's names, addresses and settlements are one mapping by written language: what the
admin's forms (a model's `clean`) accept and refuse of it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sailau.elections.models import Commission, Election, Station, spellings
from sailau.errors import MESSAGES, Code


def test_a_key_not_among_the_written_languages_is_refused_by_the_form():
    c = Commission(id="c", level="cec", names={"kk": "ОСК", "de": "Wahlkommission"})
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        c.clean()
    assert list(refused.value.message_dict) == ["names"]
    assert "names: de is not one of the written languages (kk, ru, en)" in \
        refused.value.message_dict["names"][0]
    with translation.override("kk"), pytest.raises(ValidationError) as refused:
        c.clean()  # a Kazakh form reads the code's own Kazakh text
    assert refused.value.message_dict["names"] == [
        MESSAGES[Code.UNKNOWN_LANGUAGE].in_language("kk")]
    c.names = {"kk": "ОСК"}
    c.addresses = {"kk-latn": "Astana"}  # a derived language is made when read, never kept
    with pytest.raises(ValidationError) as refused:
        c.clean()
    assert list(refused.value.message_dict) == ["addresses"]


def test_the_kazakh_name_and_a_stations_kazakh_address_are_required():
    with pytest.raises(ValidationError) as refused:
        Election(id="e", names={"ru": "Выборы"}).clean()
    assert list(refused.value.message_dict) == ["names"]
    with pytest.raises(ValidationError) as refused:
        Station(id="s", number=1, addresses={"kk": "Абай көшесі, 1"},
                settlements={"ru": "Астана"}).clean()
    assert list(refused.value.message_dict) == ["settlements"]


def test_the_form_keeps_only_the_spellings_given_in_the_order_of_the_list():
    c = Commission(id="c", level="cec", names={"en": "CEC", "ru": "", "kk": "ОСК"})
    c.clean()
    assert list(c.names.items()) == [("kk", "ОСК"), ("en", "CEC")]
    assert spellings(c, "name") == {"kk": "ОСК", "ru": "", "en": "CEC"}
    assert c.name("ru") == "ОСК" and c.name("kk-latn") == "OSK"
