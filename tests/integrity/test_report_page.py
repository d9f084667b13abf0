"""The report page keeps to a readable length: flagged stations are listed, the stations to
watch are a count and a link (and their own pages), and evidence reads as "name: value" text."""

import re

import pytest

from sailau.analysis import criteria, stuffing
from sailau.integrity import service, table, views


@pytest.fixture
def report(small_election, monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    contest = table.principal_contest(small_election.id)
    return contest, service.get(contest)


def _listed_ids(html: str) -> set[str]:
    return set(re.findall(r'<tr id="([^"]+)"><th scope="row">', html))


def test_page_lists_only_flagged_stations_by_default(report, client):
    contest, data = report
    html = client.get(f"/en/e/{contest.election_id}/integrity/").content.decode()
    flagged = {s for s, v in data["stations"].items() if v["status"] == criteria.FLAGGED}
    watch = {s for s, v in data["stations"].items() if v["status"] == criteria.WATCH}
    assert flagged and watch
    assert _listed_ids(html) == flagged  # the small election has fewer than a page of them
    assert f"{len(watch)} more stations are only to watch" in html
    assert "status=watch" in html and "flagged.csv" in html
    assert '{"' not in html  # no raw JSON evidence


def test_watch_stations_are_paginated(report, client, monkeypatch):
    contest, data = report
    monkeypatch.setattr(views, "PAGE_ROWS", 3)
    watch = {s for s, v in data["stations"].items() if v["status"] == criteria.WATCH}
    seen, page = set(), 1
    while True:
        r = client.get(f"/en/e/{contest.election_id}/integrity/?status=watch&page={page}")
        ids = _listed_ids(r.content.decode())
        assert 0 < len(ids) <= 3 and not ids & seen
        seen |= ids
        if "rel=\"next\"" not in r.content.decode():
            break
        page += 1
    assert seen == watch and page == -(-len(watch) // 3)


def test_evidence_reads_as_name_and_value():
    items = views.evidence_items({"voters_on_list": 1312, "issued": 1312, "turnout": 1.0}, "en")
    assert items == ["voters on the list: 1312", "ballots issued: 1312", "turnout: 100.0%"]
    # the page's language's decimal separator, whatever language is active: a comma in Kazakh
    assert views.evidence_items({"turnout": 0.625, "z": 2.5}, "kk")[0].endswith(": 62,5%")
    assert views.evidence_items({"turnout": 0.625, "z": 2.5}, "en")[1].endswith(": 2.5")
    # an incident's summary is the observer's words, shown as written on a kk-latn page too
    (said,) = views.evidence_items({"summary": "Учаске 20 минут кеш ашылды."}, "kk-latn")
    assert '<span translate="no">Учаске 20 минут кеш ашылды.</span>' in said
    finding = {"findings": [{"code": "W201", "severity": "warning", "lines": ["found_mobile"],
                             "message": {"kk": "Жәшіктерде көп.", "ru": "В ящиках больше.",
                                         "en": "More in the boxes."}}]}
    assert views.evidence_items(finding, "ru") == ["W201: В ящиках больше."]
    scans = {"scans": [{"status": "mismatch", "reason": "figures",
                        "mismatches": [{"line": "invalid", "kind": "figure", "printed": 5,
                                        "definitive": 7}]}]}
    (text,) = views.evidence_items(scans, "en")
    assert "Invalid ballots — printed on the scan: 5, definitive protocol: 7" in text
    assert "does not match" in text and "kind" not in text


def test_evidence_names_choices_and_commissions_in_the_page_language(report):
    from sailau.elections.models import Commission

    contest, _ = report
    group = Commission.objects.filter(election=contest.election).exclude(names__ru="").last()
    choice = contest.choices.exclude(names__ru="").first()
    evidence = {"leader": choice.key, "turnout": 0.5, "group": group.id}
    flags = [{"code": "I05", "evidence": evidence}]
    words = views.Words(contest, "ru", flags)
    leader, turnout, compared = views.evidence_items(evidence, "ru", words)
    assert leader.endswith(f": {choice.names["ru"]}") and compared.endswith(f": {group.names["ru"]}")
    assert turnout.endswith(": 50,0%") and group.id not in compared  # decimal comma in Russian
    words = views.Words(contest, "en", flags)
    assert views.evidence_items(evidence, "en", words)[0] == f"leader: {choice.name('en')}"
    assert views.evidence_items({"group": "*"}, "en", words) == ["compared with: all stations"]


def test_new_protocols_show_the_last_report_marked_stale_while_it_is_recomputed(
        report, client, monkeypatch):
    contest, data = report
    started = []
    monkeypatch.setattr(service, "refresh_in_background", started.append)
    url = f"/en/e/{contest.election_id}/integrity/"
    assert "being recomputed" not in client.get(url).content.decode() and started == []
    # A new protocol changes what the report depends on: the page answers at once with the
    # last report, says so, and hands the recomputation to the background.
    monkeypatch.setattr(service, "cache_key", lambda c: "changed")
    html = client.get(url).content.decode()
    assert "being recomputed" in html and data["computed_at"] in html
    assert [c.id for c in started] == [contest.id]


def test_only_one_process_recomputes_a_report_at_a_time(report, monkeypatch):
    import fcntl
    import json

    contest, _ = report
    path = service.directory(contest) / "integrity.json"
    monkeypatch.setattr(service, "cache_key", lambda c: "new protocols")  # the report is stale
    with open(service.directory(contest) / ".recompute.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another worker is at it
        assert service.recompute_once(contest) is False
        assert json.loads(path.read_text())["key"] != "new protocols"  # left to that worker
    assert service.recompute_once(contest) is True
    assert json.loads(path.read_text())["key"] == "new protocols"


def test_watch_stations_are_listed_in_rank_order(report, client):
    contest, data = report
    html = client.get(f"/en/e/{contest.election_id}/integrity/?status=watch").content.decode()
    listed = re.findall(r'<tr id="([^"]+)"><th scope="row">', html)
    ranks = [data["stations"][s]["rank"] for s in listed]
    assert len(listed) > 2 and ranks == sorted(ranks)
    assert sorted(v["rank"] for v in data["stations"].values()) == list(
        range(1, len(data["stations"]) + 1))
    assert f"Rank {ranks[0]}</small>" in html and "Ranked: first the stations" in html


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_stuffing_evidence_has_no_english_on_kk_and_ru_pages(lang):
    """The evidence of I19 (an observer's count) and I16/I20 (the fingerprint, an observer's
    report) named in the page's language; no value given (no bar) says nothing."""
    import re

    count = {"issued": 1535, "observer_count": 1260, "observer": "D023000015", "excess": 275,
             "excess_share": 0.2183, "z": 21.31, "median_excess_share": 0.0051}
    fingerprint = {"turnout": 0.61, "turnout_z": 3.38, "leader_share_z": 4.75, "both_z": 3.38,
                   "bar": None, "observers": ["checklist:more_ballots_than_voters",
                                              "incident:ballot_stuffing"]}
    items = views.evidence_items(count, lang) + views.evidence_items(fingerprint, lang)
    text = " ".join(items).replace("D023000015", "")  # an observer's badge is a number
    assert re.findall(r"[A-Za-z]{2,}", text) == []
    assert len(items) == len(count) + len(fingerprint) - 1  # "bar": None left out
    assert re.search(r"21[.,]8%", text)  # a share of the count, as a percentage


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_joint_evidence_has_no_english_on_kk_and_ru_pages(lang):
    """I21's evidence (the standardised sum, the station's peers) in the page's language."""
    import re

    joint = {"turnout": 0.58, "turnout_median": 0.44, "turnout_z": 2.4, "leader_share": 0.61,
             "leader_share_median": 0.52, "leader_share_z": 2.9, "joint_z": 3.75, "bar": 3.4,
             "observers": [], "peers": "city"}
    items = views.evidence_items(joint, lang)
    text = " ".join(items)
    assert re.findall(r"[A-Za-z]{2,}", text) == []
    assert len(items) == len(joint) - 1  # no observer reported anything: not shown
    for kind in stuffing.PEER_KINDS:
        assert re.findall(r"[A-Za-z]{2,}", " ".join(views.evidence_items({"peers": kind}, lang))) == []


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_excess_votes_chart_coordinates_are_svg_numbers_in_every_language(report, client, lang):
    """The chart's dashed peak line and its ticks are placed by numbers SVG reads: Russian writes
    a decimal comma ("460,5"), which SVG refused (the line fell to x = 0) or read as two
    positions (a tick's "120,0": its "%" drawn at x = 0)."""
    contest, data = report
    assert data["forensics"]["excess_votes"]["excess"] is not None
    html = client.get(f"/{lang}/e/{contest.election_id}/integrity/").content.decode()
    svg = re.search(r'<svg viewBox="0 0 600 180".*?</svg>', html, re.DOTALL).group(0)
    xs = re.findall(r'\sx[12]?="([^"]*)"', svg)
    assert len(xs) == 2 + 6  # the peak line's x1 and x2, and six ticks
    for x in xs:
        assert re.fullmatch(r"-?\d+(\.\d+)?", x), x
