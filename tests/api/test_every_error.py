"""Every error the API can answer, walked from the `Code` enum: each code has its text in kk, ru
and en (no English in the kk and ru ones), and each, raised, is answered by the API's one
handler in the one shape (`ErrorOut`) in the request's language. Beside it, what keeps it so:
one constructor with keyword arguments, no code outside the enum, one `NotFound`, one
`BadInput`."""

import ast
import importlib
import json
import pickle
import pkgutil
import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import translation

import sailau
from sailau.api.api import api
from sailau.api.errors import ErrorOut
from sailau.errors import MESSAGES, BadInput, Code, NotFound, SailauError
from sailau.languages import WRITTEN as LANGS

SAILAU = Path(sailau.__file__).parent
# Names a kk or ru text may keep in Latin letters: formats, protocols and programs, which have
# no Kazakh or Russian name.
LATIN_NAMES = {"Content-Length", "Debian", "Ed25519", "HTTP", "JPEG", "PDF", "PNG", "SHA-256",
               "Upload-Offset", "base64", "creation_time", "ffmpeg", "ffprobe", "started_at",
               # a register extract's encodings and the values its yes/no columns accept
               "UTF-8", "Windows-1251", "NUL", "true", "false", "yes", "no"}
# The statuses a refusal is answered with, by the kind of refusal (the 4xx of `ErrorOut`).
STATUSES = (400, 401, 403, 404, 409, 410, 413, 422, 429)


def _all_kinds() -> list[type[SailauError]]:
    """Every kind of refusal in the project (every module imported, then the subclasses)."""
    for m in pkgutil.walk_packages(sailau.__path__, "sailau."):
        if not m.name.endswith("__main__"):
            importlib.import_module(m.name)
    out, todo = [], [SailauError]
    while todo:
        k = todo.pop()
        out.append(k)
        todo += k.__subclasses__()
    return out


@pytest.mark.parametrize("code", list(Code))
def test_every_code_has_its_text_in_each_language(code):
    text = MESSAGES[code]
    assert set(text) == set(LANGS) and all(text[lang].strip() for lang in LANGS)
    assert text["kk"] != text["en"] and text["ru"] != text["en"]
    for lang in ("kk", "ru"):
        assert re.search("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", text[lang]), (code, lang)
        latin = {w.rstrip("-") for w in re.findall(r"[A-Za-z][A-Za-z0-9_.+-]*", text[lang])}
        assert latin <= LATIN_NAMES, (code, lang, latin - LATIN_NAMES)


def _answer(exc: SailauError, lang: str):
    request = RequestFactory().get("/api/x", HTTP_ACCEPT_LANGUAGE=lang)
    with translation.override(lang):
        return api.on_exception(request, exc)


@pytest.mark.parametrize("code", list(Code))
def test_every_code_raised_is_answered_in_the_one_shape(code):
    status = STATUSES[list(Code).index(code) % len(STATUSES)]
    for lang in LANGS:
        try:  # raised, as a raiser does: an English message naming ids, for logs
            raise SailauError(code=code, field="items", status=status,
                              message=f"station 00-000-0000 refused: {code}")
        except SailauError as exc:
            r = _answer(exc, lang)
        assert r.status_code == status
        body = json.loads(r.content)
        assert set(body) == {"error", "message", "field", "detail"}
        ErrorOut.model_validate(body)
        assert body["error"] == code.value and body["field"] == "items"
        # English keeps the raiser's message; kk and ru show the code's own text, never it.
        expected = body["message"] if lang == "en" else MESSAGES[code][lang]
        assert body["message"] == expected
        if lang == "en":
            assert "00-000-0000" in body["message"]


def test_a_refusal_without_a_message_says_its_codes_text():
    exc = NotFound(code=Code.UNKNOWN_STATION)
    assert str(exc) == MESSAGES[Code.UNKNOWN_STATION]["en"]
    assert exc.text("kk") == MESSAGES[Code.UNKNOWN_STATION]["kk"]


def test_a_refusal_crosses_to_another_process_whole():
    from sailau.law.table import RowError

    exc = RowError.at(3, "party", {"kk": "жоқ", "ru": "нет", "en": "missing"})
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is RowError and back.to_json("ru") == exc.to_json("ru")
    assert back.row == 3 and str(back) == str(exc)


def test_a_code_outside_the_enum_is_refused():
    with pytest.raises(ValueError):
        SailauError(code="no_such_code")


def test_the_one_constructor_takes_keywords_only():
    with pytest.raises(TypeError):
        BadInput(Code.INVALID, "a message", "field")
    kinds = _all_kinds()
    own = [f"{k.__module__}.{k.__qualname__}" for k in kinds if "__init__" in vars(k)]
    assert own == ["sailau.errors.SailauError"]


def test_one_not_found_and_one_bad_input():
    names = [k.__name__ for k in _all_kinds()]
    assert names.count("NotFound") == 1 and names.count("BadInput") == 1


def test_every_kind_names_a_code_of_the_enum():
    for k in _all_kinds():
        assert k.code in set(Code), k


def _literal_codes(path: Path) -> list[str]:
    """Where a refusal is given a code that is a plain string rather than a `Code`."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        pairs = []
        if isinstance(node, ast.Call | ast.ClassDef):
            pairs = [(k.arg, k.value) for k in node.keywords]
        elif isinstance(node, ast.Assign):
            pairs = [(t.id, node.value) for t in node.targets if isinstance(t, ast.Name)]
        for name, value in pairs:
            if (name == "code" and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)):
                out.append(f"{path.relative_to(SAILAU)}:{node.lineno}")
    return out


def test_no_refusal_spells_its_code_as_a_string():
    found = [where for p in sorted(SAILAU.rglob("*.py")) for where in _literal_codes(p)]
    assert found == []
