"""The translation catalogues are merged by git's union driver (parallel work adds entries at
the end of each file), so two landings can define one msgid twice: gettext's msgfmt refuses
such a file, and which definition polib compiles is an accident. One definition per message."""

from collections import Counter
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "sailau" / "locale"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_message_is_defined_once(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    seen = Counter((e.msgctxt, e.msgid) for e in po if not e.obsolete)
    assert [key for key, n in seen.items() if n > 1] == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_message_is_translated(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries() if not e.obsolete][:10] == []
