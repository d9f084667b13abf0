import time

from django.db import models

from sailau.voters import models as m


def test_demo_register_is_small_fast_and_uses_every_operation(election):
    from sailau.voters.demo import generate

    t = time.perf_counter()
    out = generate(election, seed=3, n=2000)
    assert time.perf_counter() - t < 30
    assert out["imported"] == 2000 and out["absentee"] == 10 and out["same_day"] >= 1
    assert out["refused_second_redemptions"] >= 1
    # Children are in the population register but not on the lists (about a third of it).
    assert m.ListEntry.objects.filter(election=election, state="on_list", station__isnull=True).count() == 0
    assert m.ListEntry.objects.filter(election=election, station__isnull=False).count() > 1000
    assert m.MobileRequest.objects.count() == out["mobile"]
    assert m.RefusedRedemption.objects.count() == out["refused_second_redemptions"]


def test_cli_import_prints_errors_by_row_and_field(election, tmp_path, capsys, settings):
    from sailau.cli import main
    from tests.voters.conftest import person, write_extract

    bad = person(2, sex="X")
    path = write_extract(tmp_path / "e.csv", [person(1), bad])
    assert main(["register", "import", str(path), "--election", election.pk]) == 1
    out = capsys.readouterr()
    assert "row,field,code,message" in out.out and "2,sex,unknown" in out.out
    assert '"written": false' in out.err and '"created": 0' in out.err  # all or nothing
    assert main(["register", "import", str(path), "--election", "nope"]) == 2
    assert "--election" in capsys.readouterr().err


def test_demo_transfers_go_to_another_station(election):
    """A transfer drawn at random once drew the voter's own station and the build stopped
    (`same_station`: `sailau demo --stations 400`); seed 6 draws it on this election."""
    from sailau.voters.demo import generate

    out = generate(election, seed=6, n=800)
    assert out["transfers"] == m.Transfer.objects.count() > 0
    assert not m.Transfer.objects.filter(from_station=models.F("to_station")).exists()
