"""A referendum's results table adds up to its share base: the answers' rows and, under them,
the ballots marked both yes and no and the invalid ones (the law's participants,
`figures.counted`), each with its share; the answers alone left a reader a share of the hundred
the footnote named and no row showed."""

import re

import pytest

from sailau.elections.models import Contest
from sailau.protocols.models import Tally
from tests.web import kind_elections

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_referendums_table_shows_every_ballot_of_its_base(client, tmp_path, monkeypatch, lang):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = kind_elections.referendum(regions=2, yes_regions=1)
    contest = Contest.objects.get(election=e)
    tally = Tally.objects.get(contest=contest, commission=contest.commission)
    fig, cho = tally.figures, tally.choices
    assert fig["both_marked"] and fig["invalid"]  # the point is lost on zeros
    html = client.get(f"/{lang}/e/{e.id}/").content.decode()
    table = re.search(r'<table class="results">.*?</table>', html, re.DOTALL).group(0)
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="n">([^<]+)</td>'
                      r'<td class="n">([^<]+)</td>', table)
    got = {name.strip(): int(re.sub(r"\D", "", votes)) for name, votes, _ in rows}
    form = contest.form
    for key in ("both_marked", "invalid"):
        assert got[form.line(key).label.in_language(lang)] == fig[key], (key, got)
    assert sum(got.values()) == cho["yes"] + cho["no"] + fig["both_marked"] + fig["invalid"]
    shares = [float(share.replace("%", "").replace(",", ".")) for *_, share in rows]
    assert sum(shares) == pytest.approx(100, abs=0.05)
