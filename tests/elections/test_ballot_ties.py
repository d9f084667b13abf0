"""Two choices on one place of a ballot (the import refuses it, `structure_checks`; a hand-made
change in the database does not) are listed in one order on every database: the order the log's
`contests` leaf gives them (`ballot`: by place, then by key, docs/log-leaves.md). Without the key
as a tie-breaker the database returns them in whatever order it finds them (here the order they
were written in, the reverse of their keys), and election.json and every table would disagree
with the log."""

import pytest

from sailau.elections import logged
from sailau.elections.models import Choice, Contest, Election
from sailau.publish.files.election_data import ElectionData

pytestmark = pytest.mark.django_db


def test_choices_sharing_a_place_follow_the_logged_ballot(small_structure):
    election = Election.objects.get()
    contest = Contest.objects.filter(election=election).order_by("id").first()
    # written in the reverse of their keys, both before every other choice
    Choice.objects.create(contest=contest, key="zz-tie", names={"kk": "Екінші"}, order=0)
    Choice.objects.create(contest=contest, key="aa-tie", names={"kk": "Бірінші"}, order=0)
    ballot = next(c["ballot"] for c in logged.contests(election.id) if c["id"] == contest.id)
    assert ballot[:2] == ["aa-tie", "zz-tie"]
    assert [ch.key for ch in contest.choices.all()] == ballot
    # what election.json, the tables and nist.json list the choices by
    assert ElectionData.load(election).choice_keys[contest.id] == ballot
