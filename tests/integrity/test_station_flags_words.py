"""The station page's integrity flags name the commission a station was compared with and the
leader by their names in the page's language, never by their ids (as the report page does)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import ContestFactory, StationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_group_and_the_leader_by_their_names(monkeypatch, lang):
    station = StationFactory()
    contest = ContestFactory(election=station.election)
    leader = contest.choices.order_by("order").first()
    flag = {"code": "I23", "key": "issued_after_evening", "strength": "strong",
            "evidence": {"group": station.territory_id, "evening_z": 7.4},
            "criterion": {"name": {"kk": "К", "ru": "К", "en": "C"},
                          "explanation": {"kk": "Т", "ru": "Т", "en": "T"}}}
    joint = {"code": "I21", "key": "stuffing_joint", "strength": "strong",
             "evidence": {"leader": leader.key, "group": station.territory_id},
             "criterion": flag["criterion"]}
    monkeypatch.setattr("sailau.integrity.templatetags.integrity.flags_of",
                        lambda sid, contest_=None: {"status": "flagged", "contest": contest.id,
                                                    "flags": [flag, joint]})
    with translation.override(lang):
        html = Template("{% load integrity %}{% station_flags sid %}").render(
            Context({"sid": station.id}))
    assert station.territory.names[lang] in html
    assert station.territory_id not in html and f"{leader.key}<" not in html
    assert leader.name("kk" if lang == "kk" else "ru") in html
