"""PVT commitments: the hash of a sample published before election day, the reveal after the
count checked against it (refused, naming what differs, in the page's language, with nothing
written), audit records for both, the page and the API."""

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from sailau.accounts.models import ApiToken
from sailau.analysis import pvt as maths
from sailau.analysis import pvt_commitment as text
from sailau.analysis import pvt_design
from sailau.audit.models import Record as AuditRecord
from sailau.errors import BadInput
from sailau.observation import commitment, pvt
from sailau.observation import models as m

pytestmark = pytest.mark.django_db
SEED, SIZE = 2024, 12


@pytest.fixture
def setup(org_setup):
    """The election is ten days ahead; the manager has drawn a stratified sample offline."""
    election = org_setup["station"].election
    election.date = timezone.localdate() + dt.timedelta(days=10)
    election.save(update_fields=["date"])
    contest = election.contests.get(kind="party_list")
    units = pvt.frame(contest)
    drawn = [s for s, _ in maths.draw([s for s, _ in units], SIZE, SEED, [h for _, h in units])]
    org_setup.update(contest=contest, drawn=drawn, units=units,
                     digest=text.digest(contest.id, SEED, drawn))
    return org_setup


def _commit(s, **kw):
    args = {"digest": s["digest"], "size": SIZE, "method": "stratified"} | kw
    return commitment.commit(s["manager"], s["organisation"].pk, s["contest"].id, **args)


def _logged_in(user):
    c = Client()
    c.force_login(user)
    return c


def test_commit_then_reveal_creates_the_sample_and_two_audit_records(setup):
    c = _commit(setup)
    page = Client().get(f"/en/observation/pvt/commitments/{c.pk}/").content.decode()
    assert setup["digest"] in page and "committed before election day" in page
    assert "not revealed yet" in page and setup["drawn"][0] not in page
    commitment.reveal(setup["manager"], c.pk, str(SEED), "\n".join(reversed(setup["drawn"])))
    c.refresh_from_db()
    assert c.seed == SEED and c.revealed_at >= c.committed_at
    assert sorted(c.sample.stations.values_list("station_id", flat=True)) == sorted(setup["drawn"])
    assert c.sample.population == {h: sum(1 for _, k in setup["units"] if k == h)
                                   for _, h in setup["units"]}
    actions = list(AuditRecord.objects.filter(subject=setup["contest"].id,
                                              action__startswith="observation.pvt_")
                   .order_by("seq").values_list("action", "payload"))
    assert [a for a, _ in actions] == ["observation.pvt_commit", "observation.pvt_reveal"]
    assert actions[0][1]["digest"] == setup["digest"] and actions[1][1]["seed"] == SEED
    # anyone can check the revealed text against the published hash
    body = Client().get(f"/en/observation/pvt/commitments/{c.pk}.txt").content
    assert hashlib.sha256(body).hexdigest() == setup["digest"]
    for lang, word in (("kk", "бекітілген мәнге сәйкес"), ("ru", "совпадает с зафиксированным"),
                       ("en", "hashes to the committed value")):
        html = Client().get(f"/{lang}/observation/pvt/commitments/{c.pk}/").content.decode()
        assert word in html, lang
        assert str(SEED) in html
    assert Client().get(f"/en/observation/pvt/{c.sample.pk}/").status_code == 200


def _swap(s):
    other = next(u for u, _ in s["units"] if u not in s["drawn"])
    return s["drawn"][1:] + [other]


BAD = [  # (what the reveal changes, the words the refusal must carry in en and ru)
    ("seed", lambda s: (str(SEED + 1), s["drawn"]), "the stations or the seed differ",
     "изменены участки или зерно"),
    ("station", lambda s: (str(SEED), _swap(s)), "the stations or the seed differ",
     "изменены участки или зерно"),
    ("fewer", lambda s: (str(SEED), s["drawn"][:-1]), "11 stations revealed, the commitment is for 12",
     "Раскрыто участков: 11, зафиксировано: 12"),
    ("unknown", lambda s: (str(SEED), s["drawn"][:3] + ["kz.nowhere"] + s["drawn"][3:]),
     "Line 4: station kz.nowhere does not vote in this contest", "Строка 4: участка kz.nowhere нет"),
    ("twice", lambda s: (str(SEED), s["drawn"] + [s["drawn"][0]]),
     "is already on line 1", "уже указан в строке 1"),
    ("not a seed", lambda s: ("12ab", s["drawn"]), "The seed is a whole number", "Зерно — неотрицательное"),
]


@pytest.mark.parametrize("case,change,en,ru", BAD, ids=[b[0] for b in BAD])
def test_a_bad_reveal_is_refused_naming_what_differs(setup, case, change, en, ru):
    c = _commit(setup)
    seed, stations = change(setup)
    with pytest.raises(BadInput) as err:
        commitment.reveal(setup["manager"], c.pk, seed, "\n".join(stations))
    assert en in err.value.text("en")
    if case in ("seed", "station"):
        got = text.digest(setup["contest"].id, int(seed), stations)
        assert got in err.value.text("en") and setup["digest"] in err.value.text("en")
    r = _logged_in(setup["manager"]).post(f"/ru/observation/pvt/commitments/{c.pk}/",
                                          {"seed": seed, "stations": "\n".join(stations)})
    assert r.status_code == 422 and ru in r.content.decode()
    c.refresh_from_db()
    assert c.revealed_at is None and c.sample is None and c.seed is None
    assert not m.PvtSample.objects.exists()
    assert not AuditRecord.objects.filter(action="observation.pvt_reveal").exists()


def test_a_list_the_seed_does_not_draw_is_refused_even_when_its_hash_matches(setup):
    stations = _swap(setup)
    c = _commit(setup, digest=text.digest(setup["contest"].id, SEED, stations))
    with pytest.raises(BadInput) as err:
        commitment.reveal(setup["manager"], c.pk, str(SEED), "\n".join(stations))
    assert f"The seed {SEED} does not draw these stations: not drawn {stations[-1]}" in err.value.text("en")
    # drawn elsewhere ("own"): the hash is the whole check
    own = _commit(setup, digest=text.digest(setup["contest"].id, SEED, stations), method="own")
    commitment.reveal(setup["manager"], own.pk, str(SEED), "\n".join(stations))


def test_commit_refused_on_election_day_for_others_and_for_a_bad_hash(setup, org_setup):
    with pytest.raises(BadInput, match="64 hexadecimal"):
        _commit(setup, digest="abc")
    with pytest.raises(commitment.perm.NotAllowed):
        commitment.commit(setup["user"], setup["organisation"].pk, setup["contest"].id,
                          setup["digest"], SIZE, "stratified")
    election = setup["contest"].election
    election.date = timezone.localdate()
    election.save(update_fields=["date"])
    r = _logged_in(setup["manager"]).post("/kk/observation/pvt/commit/", {
        "organisation": setup["organisation"].pk, "contest": setup["contest"].id,
        "digest": setup["digest"], "size": SIZE, "method": "stratified"})
    assert r.status_code == 422 and "сайлау күніне" in r.content.decode()
    assert not m.PvtCommitment.objects.exists()


def test_commit_form_and_api(setup):
    r = _logged_in(setup["manager"]).post("/en/observation/pvt/commit/", {
        "organisation": setup["organisation"].pk, "contest": setup["contest"].id,
        "digest": setup["digest"].upper(), "size": SIZE, "method": "stratified"})
    c = m.PvtCommitment.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/pvt/commitments/{c.pk}/")
    assert c.digest == setup["digest"]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(setup['manager'])}")
    bad = api.post(f"/api/observation/pvt/commitments/{c.pk}/reveal",
                   {"seed": str(SEED + 1), "stations": setup["drawn"]}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "digest"
    ok = api.post(f"/api/observation/pvt/commitments/{c.pk}/reveal",
                  {"seed": str(SEED), "stations": setup["drawn"]}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["matches"] is True
    again = api.post(f"/api/observation/pvt/commitments/{c.pk}/reveal",
                     {"seed": str(SEED), "stations": setup["drawn"]}, content_type="application/json")
    assert again.status_code == 409
    public = Client().get(f"/api/observation/pvt/commitments/{c.pk}").json()
    assert public["stations"] == sorted(setup["drawn"]) and public["before_election_day"] is True
    index = Client().get(f"/ru/observation/?election={setup['contest'].election_id}").content.decode()
    assert f"/pvt/commitments/{c.pk}/" in index


def test_cli_prints_the_hash_the_site_checks(setup, tmp_path, capsys):
    from sailau.cli import main

    f = tmp_path / "sample.csv"
    f.write_text("station,stratum\n" + "".join(f"{s},x\n" for s in setup["drawn"]), encoding="utf-8")
    assert main(["pvt", "commitment", "--contest", setup["contest"].id, "--seed", str(SEED),
                 "--stations", str(f)]) == 0
    assert capsys.readouterr().out.strip() == setup["digest"]
    f.write_text(f"{setup['drawn'][0]}\n{setup['drawn'][0]}\n", encoding="utf-8")
    assert main(["pvt", "commitment", "--contest", "c", "--seed", "1", "--stations", str(f)]) == 2
    assert "line 2: station" in capsys.readouterr().err
    assert main(["pvt", "commitment", "--contest", "c", "--seed", "x", "--stations", str(f)]) == 2


def test_refusals_are_msgids_read_in_each_language(setup):
    """Refusals are msgids of the .po files (one error model), so each reads in kk, ru and en,
    and the API answers in the language of the request."""
    from sailau.errors import Conflict, NotFound
    from sailau.i18n import Later

    with pytest.raises(NotFound) as missing:
        commitment.reveal(setup["manager"], 999999, str(SEED), "")
    assert missing.value.text("kk") == "999999 бекітімі жоқ"
    assert missing.value.text("ru") == "Нет зафиксированной выборки 999999"
    c = _commit(setup)
    commitment.reveal(setup["manager"], c.pk, str(SEED), "\n".join(setup["drawn"]))
    with pytest.raises(Conflict) as again:
        commitment.reveal(setup["manager"], c.pk, str(SEED), "\n".join(setup["drawn"]))
    assert [again.value.text(lang) for lang in ("kk", "ru", "en")] == [
        "Бұл іріктеме бұрын ашылған", "Эта выборка уже раскрыта",
        "This sample is already revealed"]
    with pytest.raises(commitment.perm.NotAllowed) as other:
        commitment.commit(setup["user"], setup["organisation"].pk, setup["contest"].id,
                          setup["digest"], SIZE, "stratified")
    assert "ұйымын басқармайды" in other.value.text("kk")
    with pytest.raises(BadInput) as method:
        _commit(setup, method="guess")
    assert method.value.text("ru") == "Метод: simple, stratified или own"
    with pytest.raises(BadInput) as twice:
        commitment.reveal(setup["manager"], _commit(setup).pk, str(SEED),
                          "\n".join(setup["drawn"] + setup["drawn"][:1]))
    assert twice.value.detail == {"line": SIZE + 1}
    for err in (missing, again, other, method, twice):  # msgids, not inline translations
        assert isinstance(err.value.message, Later), err.value.message


def _designed(setup):
    """A Neyman allocation of the sample (weights as if fitted on a past election: one
    stratum's variance twice the others'), and the stations the seed draws with it."""
    sizes = {}
    for _, h in setup["units"]:
        sizes[h] = sizes.get(h, 0) + 1
    heavy = max(sizes, key=lambda h: (sizes[h], h))
    alloc = pvt_design.allocate(sizes, {h: 2.0 if h == heavy else 1.0 for h in sizes}, SIZE,
                                mix=1.0, minimum=0)
    design = {"method": "neyman", "mix": 1.0, "past": "mazhilis 2021", "allocation": alloc}
    units = setup["units"]
    drawn = [s for s, _ in maths.draw([s for s, _ in units], SIZE, SEED, [h for _, h in units],
                                      alloc)]
    return design, drawn


def test_a_designed_sample_commits_to_its_design(setup):
    design, drawn = _designed(setup)
    digest = text.digest(setup["contest"].id, SEED, drawn, design)
    assert digest != text.digest(setup["contest"].id, SEED, drawn)  # the design is hashed
    assert "design neyman mix 1.0 past mazhilis 2021\nallocate " in text.canonical(
        setup["contest"].id, SEED, drawn, design)
    c = _commit(setup, digest=digest, design=design)
    assert c.design["allocation"] == design["allocation"]
    commitment.reveal(setup["manager"], c.pk, str(SEED), "\n".join(drawn))
    c.refresh_from_db()
    s = commitment.summary(c)
    assert s["matches"] and s["design"]["method"] == "neyman"
    assert "allocate " in commitment.revealed_text(c)


def test_a_designed_sample_must_follow_its_allocation(setup):
    design, drawn = _designed(setup)
    # The proportional draw under the designed hash: the seed does not draw it.
    c = _commit(setup, digest=text.digest(setup["contest"].id, SEED, setup["drawn"], design),
                design=design)
    with pytest.raises(BadInput) as e:
        commitment.reveal(setup["manager"], c.pk, str(SEED), "\n".join(setup["drawn"]))
    assert e.value.field == "stations"
    # Drawn elsewhere ("own"): the committed stations per stratum are still checked.
    own = _commit(setup, method="own", design=design,
                  digest=text.digest(setup["contest"].id, SEED, setup["drawn"], design))
    assert sorted(drawn) != sorted(setup["drawn"])
    with pytest.raises(BadInput) as e:
        commitment.reveal(setup["manager"], own.pk, str(SEED), "\n".join(setup["drawn"]))
    assert "allocation" in e.value.text("en")
    with pytest.raises(BadInput) as e:
        _commit(setup, design={**design, "allocation": {"x": 1}})
    assert e.value.field == "design"
