"""The register extract's refusals are the one error model's: a bad row's field and a file that
cannot be read say what is wrong in kk, ru and en (their texts in the catalogue), and the
register's commands write them in the language asked for."""

import pytest

from sailau.cli import main
from sailau.errors import MESSAGES, Code
from sailau.register.extract import ExtractError, parse_extract, read_extract, validate_frame
from sailau.register.iin import IinError, parse_iin

from .conftest import person

# Each language's words for a wrong check digit, as the catalogue writes them.
CHECK_DIGIT = {"kk": "ЖСН-нің бақылау цифры қате", "ru": "неверная контрольная цифра ИИН",
               "en": "IIN check digit is wrong"}


def bad_check_digit():
    row = person(serial=124)
    row[0] = row[0][:11] + str((int(row[0][11]) + 1) % 10)
    return row


def test_a_row_s_refusal_reads_in_each_language_with_the_value_as_read(write_extract):
    row = bad_check_digit()
    _, errors = parse_extract(write_extract([row]))
    (error,) = errors
    assert (error.row, error.field, error.code, error.value) == (1, "iin", "check_digit", row[0])
    for lang, words in CHECK_DIGIT.items():
        assert error.text(lang) == f"{words}: {row[0]!r}"
    assert error.text("kk-latn").startswith("JSN-nıñ baqylau")  # derived from the Kazakh, not English
    assert error.message == error.text("en")


def test_the_checked_frame_s_messages_are_in_the_language_asked(write_extract):
    raw = read_extract(write_extract([bad_check_digit(), person(serial=125)]))
    for lang, words in CHECK_DIGIT.items():
        valid, errors = validate_frame(raw, lang=lang)
        assert len(valid) == 1
        assert errors.select("code", "message").rows() == [("check_digit", words)]


@pytest.mark.parametrize("header, code, named", [
    (b"", Code.EXTRACT_EMPTY, ""),
    ("иин,фамилия\n".encode("cp1251"), Code.EXTRACT_ENCODING, ""),
    (b"iin,last_name\n", Code.EXTRACT_MISSING_COLUMNS, "first_name, patronymic"),
])
def test_a_file_that_cannot_be_read_is_refused_in_each_language(tmp_path, header, code, named):
    path = tmp_path / "x.csv"
    path.write_bytes(header + b"1,2\n" if header else b"\n")
    with pytest.raises(ExtractError) as exc:
        read_extract(path)
    assert exc.value.code == code and exc.value.status == 422
    for lang in ("kk", "ru", "en"):
        said = exc.value.text(lang)
        assert said.startswith(MESSAGES[code][lang]) and named in said
    assert exc.value.to_json("ru")["error"] == code


def test_a_column_named_twice_is_named_in_the_refusal(tmp_path, write_extract):
    path = write_extract([])
    text = path.read_text()
    path.write_text(text.replace("sex,", "sex,sex,", 1))
    with pytest.raises(ExtractError) as exc:
        read_extract(path)
    assert exc.value.code == Code.EXTRACT_REPEATED_COLUMNS
    assert exc.value.text("kk") == "Бағандар атаулары жолында екі рет аталған бағандар: sex"
    assert exc.value.detail == {"columns": ["sex"]}


def test_an_iin_s_refusal_reads_in_each_language():
    with pytest.raises(IinError) as exc:
        parse_iin("850314301235")
    assert exc.value.code == "check_digit" and exc.value.field == "iin"
    assert {lang: exc.value.text(lang) for lang in CHECK_DIGIT} == CHECK_DIGIT


def test_register_check_writes_the_messages_in_the_language_asked(write_extract, capsys):
    path = write_extract([bad_check_digit()])
    assert main(["register", "check", str(path), "--lang", "ru"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "row,field,code,message,value"
    assert out[1].startswith(f"1,iin,check_digit,{CHECK_DIGIT['ru']},")
    assert main(["register", "check", str(path)]) == 1  # English unless asked
    assert f",{CHECK_DIGIT['en']}," in capsys.readouterr().out


def test_register_check_refuses_an_unreadable_file_in_the_language_asked(tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_text("iin,last_name\n")
    assert main(["register", "check", str(path), "--lang", "kk"]) == 2
    err = capsys.readouterr().err
    assert "Файлда мына бағандар жоқ: first_name" in err and "missing" not in err.lower()
