"""The published log's banner on a referendum's pages, with no witness named (the CEC has added
none yet): it speaks of the log, not of "these elections" (`publish/_log.html`), in Kazakh and
Russian, as every other line of a referendum's page does (`test_referendum_words`, whose
election has no checkpoint yet and so no banner)."""

import re

import pytest

from sailau.cli import main
from tests.web import kind_elections
from tests.web.test_referendum_words import ELECTION
from tests.web.visible_text import visible_text

pytestmark = pytest.mark.django_db
SAID = {"ru": "Свидетели этого журнала не названы.", "kk": "Бұл журналдың куәгерлері аталмаған."}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_referendums_log_banner_without_witnesses(client, tmp_path, monkeypatch, lang):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = kind_elections.referendum(regions=2, yes_regions=1)
    assert main(["log", "integrate", e.id]) == 0  # a signed checkpoint: the banner is shown
    for path in (f"/{lang}/e/{e.id}/", f"/{lang}/e/{e.id}/s/{e.stations.order_by('number')[0].number}/"):
        r = client.get(path)
        assert r.status_code == 200, path
        text = visible_text(r.content.decode())
        assert SAID[lang] in text, path
        assert not re.search(rf"(?<!\w)({ELECTION[lang]})(?!\w)", text), path
