"""Every page of a referendum, followed from its election page as a reader would (the nav,
territories, a station, search, downloads, the integrity report with its flagged and watched
stations), in Kazakh, Russian and English, speaks of a referendum: its answers, its majority
answer and participation, never an election's candidate, leader, party, turnout or "elections"
(the integrity report's forensic methods included: their authors told them of a leader and
turnout). Through Django's test client on the 17-region referendum of `kind_elections`, so it
costs seconds; the browser walk (`test_kind_walk`) checks the layout."""

import re
from urllib.parse import urlsplit

import pytest

from sailau import clock
from sailau.elections.models import Station
from sailau.turnout import services
from tests.web import kind_elections
from tests.web.visible_text import visible_text

pytestmark = pytest.mark.django_db

# An election's words, as whole words (the referendum's own: ответ, участие, қатысу, answer).
# The commissions are the referendum's (`law.kinds.REFERENDUM`'s words); not Kazakh's
# "сайлау учаскесі" (a polling station, of a referendum too).
ELECTION = {
    "ru": r"[Ии]збирател\w*|[Вв]ыбор(ы|ов|ам|ах)|[Яя]вк\w*|[Лл]идер\w*|[Кк]андидат\w*|[Пп]арти\w*",
    "kk": (r"[Сс]айлау комиссия\w*|[Сс]айлаушы\w*|[Сс]айлау учаске\w*|[Сс]айлау күні|[Сс]айлауға|[Сс]айлаудың|[Сс]айлауда|[Кк]елу\w*|[Жж]етекші\w*"
           r"|[Кк]өш басшы\w*|[Кк]андидат\w*|[Пп]артия\w*"),
    "en": (r"[Ee]lection [Cc]ommission\w*|[Vv]oters? list\w*|[Pp]olling station\w*|[Ee]lection day|[Ee]lections|[Ww]hole election|[Tt]urnout|[Ll]eader\w*"
           r"|[Cc]andidate\w*|[Pp]art(y|ies)"),
}
SKIP = re.compile(r"\.(csv|json|zip|png|pdf|xml|jsonl|parquet)$|/plots/|/download/.+|/log/")


@pytest.fixture
def referendum(tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    e = kind_elections.referendum(regions=17, yes_regions=12)
    # one station's report at noon: the participation through the day on the election's and
    # its territory's page (`turnout/_by_hour.html`)
    station = Station.objects.filter(election=e).order_by("number").first()
    services.write([(station.id, 12, 305, "operator", clock.now())], e.id)
    return e


def _walk(client, lang: str, start: str, limit: int = 40) -> dict[str, str]:
    """The visible text of every page under `start` that links lead to, breadth first: two of
    each shape of address (two territories, two stations: the others are made alike)."""
    seen, queue, texts, shapes = {start}, [start], {}, {}
    while queue and len(texts) < limit:
        path = queue.pop(0)
        r = client.get(path)
        assert r.status_code == 200, (path, r.status_code)
        html = r.content.decode()
        texts[path] = visible_text(html)
        for href in re.findall(r'href="([^"#]+)', html):
            href = href.replace("&amp;", "&")
            url = urlsplit(href if href.startswith("/") else
                          re.sub(r"[^/]*$", "", path.split("?")[0]) + href)
            target = url.path + (f"?{url.query}" if url.query else "")
            if ".." in target:  # "../" of a nested page
                parts = []
                for p in url.path.split("/"):
                    parts = parts[:-1] if p == ".." else parts + [p]
                target = "/".join(parts) + (f"?{url.query}" if url.query else "")
            shape = re.sub(r"\d+", "N", target)
            if (target.startswith(start) and target not in seen and not SKIP.search(url.path)
                    and "page=" not in url.query and shapes.get(shape, 0) < 2):
                shapes[shape] = shapes.get(shape, 0) + 1
                seen.add(target)
                queue.append(target)
    return texts


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_page_of_a_referendum_speaks_of_a_referendum(client, referendum, lang):
    start = f"/{lang}/e/{referendum.id}/"
    texts = _walk(client, lang, start)
    integrity = f"{start}integrity/"
    # the walk reached the report and its stations to watch (evidence names: I06 at 5 stations)
    # and the participation reported through the day
    assert ("30.50%" if lang == "en" else "30,50%") in texts[start]
    assert integrity in texts and f"{integrity}?status=watch#flagged".split("#")[0] in texts
    said = {(path, text[max(0, m.start() - 50):m.end() + 30])
            for path, text in texts.items()
            for m in re.finditer(rf"(?<!\w)({ELECTION[lang]})(?!\w)", text)}
    assert not said, "an election's words on a referendum's page:\n" + "\n".join(
        map(str, sorted(said)))
    # and the report speaks the referendum's own words, in its forensics and its evidence
    own = {"kk": ("Бүкіл референдумның статистикалық сараптамасы", "көпшілік жауабы"),
           "ru": ("Статистическая экспертиза референдума в целом", "ответ большинства"),
           "en": ("Statistical forensics of the whole referendum", "majority answer")}[lang]
    report = texts[integrity] + texts[f"{integrity}?status=watch"]
    for words in own:
        assert words in report, words


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_refusal_on_a_referendum_server_speaks_of_no_election(client, referendum, lang):
    """A server holding a referendum alone: its 404 and 403 pages lead back to the home page, not
    "back to the elections"."""
    from tests.factories import UserFactory

    client.force_login(UserFactory())  # signed in, with no role: a station's entry form is 403
    station, contest = referendum.stations.first(), referendum.contests.get()
    # A referendum has no candidates nor campaign funds: their addresses, typed by hand, are
    # not found (no page links there), rather than pages of candidates and parties.
    for path, status in ((f"/{lang}/e/{referendum.id}/s/99999/", 404),
                         (f"/{lang}/e/{referendum.id}/candidates/", 404),
                         (f"/{lang}/e/{referendum.id}/candidates/refusals/", 404),
                         (f"/{lang}/e/{referendum.id}/candidates/candidates.csv", 404),
                         (f"/{lang}/e/{referendum.id}/finance/", 404),
                         (f"/{lang}/e/{referendum.id}/finance/finance.json", 404),
                         (f"/{lang}/entry/{station.id}/{contest.id}/1/", 403)):
        r = client.get(path)
        assert r.status_code == status, (path, r.status_code)
        text = visible_text(r.content.decode())
        said = [m.group(0) for m in re.finditer(rf"(?<!\w)({ELECTION[lang]})(?!\w)", text)]
        assert not said, (path, said)
