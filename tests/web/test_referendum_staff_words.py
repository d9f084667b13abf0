"""The pages of a referendum's staff and observers speak of a referendum as its public pages do
(`law.kinds.REFERENDUM`'s words): the commission secretary's work list and entry form, the
turnout report (participation), the coordinator's comparison, the observer's phone form (its
checklist and kinds of incident), the observation page, its statistics, PVT and accreditation
pages, the complaints' statistics, the volunteers' pages (their scan check and statistics) and
"Where do I vote", in Kazakh, Russian and English, name no election, voters, turnout, candidate
or party. Through Django's test client on a two-region referendum of `kind_elections`, so it
costs seconds."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sailau.elections.models import Station
from sailau.protocols.models import DataEntry, Protocol
from sailau.register.iin import make_iin
from tests.chain_fixtures import People
from tests.evidence.conftest import add_scan, picture
from tests.web import kind_elections
from tests.web.test_referendum_words import ELECTION
from tests.web.visible_text import visible_text

pytestmark = pytest.mark.django_db
# Besides the public pages' words: Kazakh's "election" alone (Сайлау, as a column's heading).
SAID = {lang: re.compile(rf"(?<!\w)({words}|[Сс]айлау)(?!\w)") for lang, words in ELECTION.items()}


@pytest.fixture
def staff(tmp_path, monkeypatch, settings):
    """A two-region referendum: its first station's protocol not yet typed (the entry form),
    the second's scanned (a volunteer's task); an operator, a coordinator, an accredited
    observer deployed to the first station, and a volunteer."""
    from sailau.evidence import volunteers
    from tests.observation.deployed import deployed_observer

    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path / "media"
    e = kind_elections.referendum(regions=2, yes_regions=1)
    first, second = Station.objects.filter(election=e).order_by("number")[:2]
    Protocol.objects.filter(station=first).delete()
    DataEntry.objects.filter(station=first).delete()
    add_scan(Protocol.objects.get(station=second, current=True), picture(1))
    people = People(e)
    _, obs, observer = deployed_observer(people.admin(), e, first, dt.date(2022, 5, 1))
    _observed(obs, first)
    sample = _estimated(monkeypatch, e)
    volunteer = User.objects.create_user("vol")
    volunteers.become(volunteer)
    operator = people.operator(first)
    contest = e.contests.get().id
    iin = next(filter(None, (make_iin(dt.date(1990, 1, 1), "M", n) for n in range(1, 20))))
    return {"election": e, "iin": iin, "pages": (
        (operator, "entry/"), (operator, f"entry/{first.id}/{contest}/1/"),
        (operator, f"entry/turnout/{first.id}/"),
        (people.coordinator(people.cec.id), f"entry/{second.id}/{contest}/resolve/"),
        (observer, "observation/form/"), (None, f"observation/?election={e.id}"),
        (None, f"observation/copies/?election={e.id}"), (None, f"evidence/?election={e.id}"),
        (None, f"observation/statistics/?election={e.id}"), (None, "complaints/statistics/"),
        (None, f"observation/pvt/{sample.pk}/"),
        (None, f"observation/organisations/?election={e.id}"),
        (volunteer, "evidence/task/"), (volunteer, f"evidence/claims/?election={e.id}"),
        (None, f"voters/?election={e.id}"), (None, f"voters/report/?election={e.id}"),
        (None, f"voters/report/?election={e.id}&territory={first.territory_id}"),
        (operator, f"voters/staff/?election={e.id}"),
        (operator, f"voters/staff/{e.id}/operations/"),
        (operator, f"voters/staff/{e.id}/{first.number}/"))}


def _observed(obs, station):
    """Every checklist item answered the way that is a problem, at every stage, and an incident
    of each kind: the statistics page then names them all."""
    import uuid

    from sailau import clock
    from sailau.observation import checklists
    from sailau.observation import models as m

    for stage in checklists.STAGES:
        answers = {i["key"]: i.get("negative", "bad") for i in checklists.items(stage)}
        m.ChecklistSubmission.objects.create(
            uuid=uuid.uuid4(), observer=obs, station=station, stage=stage,
            form_version=checklists.current_version(), answers=answers, negative=True,
            observed_at=clock.now())
    for kind, _label in m.Incident.KINDS:
        m.Incident.objects.create(uuid=uuid.uuid4(), observer=obs, station=station, kind=kind,
                                  occurred_at=clock.now(), description="—")


def _estimated(monkeypatch, e):
    """A PVT sample of the referendum whose estimate is in (its figures given: the estimator is
    tested on its own), so that its page draws the estimates' table."""
    from sailau.observation import pvt
    from sailau.observation.models import PvtSample

    sample = PvtSample.objects.create(election=e, contest=e.contests.get(), method="simple",
                                      seed=1, size=2, population={}, drawn_by="t")
    band = {"estimate": 0.6, "low95": 0.55, "high95": 0.65, "low99": 0.5, "high99": 0.7}
    monkeypatch.setattr(pvt, "result", lambda _sample: {
        "estimate": {"reported": 2, "shares": {"yes": band}, "turnout": band},
        "official": {"shares": {"yes": 0.61}, "turnout": 0.62},
        "comparison": [{"key": "yes", "flagged": False}, {"key": "turnout", "flagged": False}],
        "names": {"yes": "Иә"}})
    return sample


def _read(html: str) -> str:
    """The page's visible text and the strings its script draws (the phone form's checklist
    items and kinds of incident are in its JSON)."""
    return f"{visible_text(html)} {visible_text(html, declared=False)}"


def test_staff_and_observer_pages_of_a_referendum_speak_of_a_referendum(staff):
    faults, seen = [], {}
    for lang in ("kk", "ru", "en"):
        for user, path in staff["pages"]:
            client = Client()
            if user:
                client.force_login(user)
            r = client.get(f"/{lang}/{path}")
            assert r.status_code == 200, (lang, path, r.status_code)
            text = seen[(lang, path)] = _read(r.content.decode())
            faults += [(lang, path, m.group(0), text[max(0, m.start() - 50):m.end() + 30])
                       for m in SAID[lang].finditer(text)]
        # "Where do I vote", answered: no list of this referendum holds the number.
        r = Client().post(f"/{lang}/voters/", {"election": staff["election"].id,
                                               "iin": staff["iin"]})
        text = seen[(lang, "lookup")] = visible_text(r.content.decode())
        faults += [(lang, "lookup", m.group(0)) for m in SAID[lang].finditer(text)]
    assert not faults, "\n".join(map(str, faults))
    # In the kind's own words (not merely without the election's).
    entry = next(p for _, p in staff["pages"] if p.endswith("/1/"))
    assert "Граждан в списке этого участка до дня голосования: 1000" in seen[("ru", entry)]
    assert "Вопрос" in seen[("ru", "entry/")] and "Сообщить об участии" in seen[("ru", "entry/")]
    assert "Қатысушылар саны" in seen[("kk", "observation/form/")]
    assert "Participants counted" in seen[("en", "observation/form/")]
    # The observers' checklist and incidents in a referendum's words, on the phone and in the
    # statistics; the complaints' repeats are across referendums on a server of referendums.
    stats = f"observation/statistics/?election={staff['election'].id}"
    for page in ("observation/form/", stats):
        assert "Объявлено число граждан в списке" in seen[("ru", page)]
        assert "Тізімдегі азаматтар саны жарияланды" in seen[("kk", page)]
        assert "Lists of citizens or documents refused to observers" in seen[("en", page)]
    assert "Повторяющиеся жалобы на разных референдумах" in seen[("ru", "complaints/statistics/")]
    pvt = next(p for _, p in staff["pages"] if p.startswith("observation/pvt/"))
    assert "Ответ" in seen[("ru", pvt)] and "Участие в референдуме 0,6000" in seen[("ru", pvt)]
    assert "Participation in the referendum 0.6000" in seen[("en", pvt)]
    orgs = f"observation/organisations/?election={staff['election'].id}"
    assert "Центральная комиссия референдума (республиканская)" in seen[("ru", orgs)]
    assert "Әр референдумда қайталанатын шағымдар" in seen[("kk", "complaints/statistics/")]
    eid = staff["election"].id
    assert "Списки граждан: отчёт для наблюдения" in seen[("ru", "lookup")]
    assert "обратитесь в участковую комиссию референдума" in seen[("ru", "lookup")]
    assert "Участники по подсчёту наблюдателей" in seen[("ru", f"evidence/?election={eid}")]
