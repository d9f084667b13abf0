import json

from sailau.cli import main


def test_pvt_size_peru(capsys):
    assert main(["pvt", "size", "--registered", "14570774", "--p", "0.5", "--margin", "0.0032",
                 "--z", "2.58", "--turnout", "0.8", "--station-size", "1000"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["voters"] == 160718  # 160,717.27 rounded up
    assert out["stations"] == 201  # ceil(160718 / (0.8 * 1000))


def test_pvt_size_bad_input(capsys):
    assert main(["pvt", "size", "--registered", "1000", "--margin", "2"]) == 2
    assert "--margin" in capsys.readouterr().err
