import datetime as dt

import pytest

from sailau.voters import models as m
from sailau.voters.importer import import_extract
from tests.voters.conftest import person, write_extract


def test_import_assigns_eligible_voters_and_records_every_exclusion(imported, election):
    rows, report = imported
    assert (report.created, report.updated, report.errors) == (6, 0, [])
    assert report.excluded == {"under_age": 1, "not_citizen": 1}
    minor = m.ListEntry.objects.get(voter__iin=rows[4]["iin"])
    assert (minor.eligible, minor.reasons, minor.state, minor.station) == (
        False, ["under_age"], m.ListEntry.EXCLUDED, None)
    ok = m.ListEntry.objects.get(voter__iin=rows[0]["iin"])
    assert ok.eligible and ok.state == m.ListEntry.ON_LIST
    # Astana's voters go to a station whose settlement is Astana.
    assert ok.station.settlements["kk"] == "Астана" and ok.station.election_id == election.id


def test_reimport_updates_by_iin_and_never_duplicates(imported, election, tmp_path):
    rows, _ = imported
    rows[0] = {**rows[0], "street": "Кенесары", "house": "7"}
    rows.append(person(7))
    again = import_extract(write_extract(tmp_path / "again.csv", rows), election, today=election.date)
    assert (again.created, again.updated, again.unchanged) == (1, 1, 5)
    assert m.Voter.objects.count() == 7 and m.ListEntry.objects.count() == 7
    assert m.Voter.objects.get(iin=rows[0]["iin"]).street == "Кенесары"


def test_bad_rows_reported_by_row_and_field_and_the_rest_imported(election, tmp_path):
    good = person(1)
    bad_check = person(2)
    bad_check["iin"] = bad_check["iin"][:11] + str((int(bad_check["iin"][11]) + 1) % 10)
    bad_date = person(3, birth_date="1980-02-31")
    impossible_iin = person(4)
    impossible_iin["iin"] = "801317" + impossible_iin["iin"][6:]  # month 13
    unknown_place = person(5, locality="Атлантида")
    report = import_extract(write_extract(tmp_path / "x.csv",
                                          [good, bad_check, bad_date, impossible_iin, unknown_place]),
                            election, today=election.date, skip_invalid=True)
    got = {(e.row, e.field, e.code) for e in report.errors}
    assert (2, "iin", "check_digit") in got
    assert (3, "birth_date", "date") in got
    assert (4, "iin", "date") in got
    assert (5, "locality", "unknown") in got
    assert report.created == 1 and m.Voter.objects.get().iin == good["iin"]


def test_rows_in_the_wrong_encoding_are_reported_and_the_rest_imported(election, tmp_path):
    path = write_extract(tmp_path / "mixed.csv", [person(1), person(2)])
    # Second data row re-encoded in Windows-1251, as when two files are concatenated.
    lines = path.read_bytes().split(b"\r\n")
    lines[2] = lines[2].decode("utf-8").encode("cp1251", errors="replace")
    path.write_bytes(b"\r\n".join(lines))
    report = import_extract(path, election, today=election.date, skip_invalid=True)
    assert {(e.row, e.code) for e in report.errors} >= {(2, "encoding")}
    assert {e.field for e in report.errors if e.row == 2} >= {"last_name"}
    assert report.created == 1


def test_whole_file_in_windows_1251_is_refused_naming_the_encoding(election, tmp_path):
    from sailau.register.extract import ExtractError

    path = tmp_path / "cp.csv"
    path.write_bytes("иин,фамилия\n1,2\n".encode("cp1251"))
    with pytest.raises(ExtractError, match="UTF-8"):
        import_extract(path, election)


def test_import_is_in_the_audit_chain_without_personal_data(imported, election):
    from sailau.audit.models import Record

    rows, _ = imported
    rec = Record.objects.filter(action="voters.import").get()
    assert rec.payload["created"] == 6 and len(rec.payload["file_sha256"]) == 64
    text = str(rec.payload)
    assert not any(r["iin"] in text or r["last_name"] in text for r in rows)


def test_eligibility_options_come_from_the_rule_set():
    from sailau.law import get_ruleset
    from sailau.law.eligibility import ODIHR_RECOMMENDED
    from sailau.register.eligibility import eligibility
    from sailau.register.extract import Record

    rules = get_ruleset("kz-mazhilis-2023").voter_rules
    assert (rules.min_age, rules.exclude_detention, rules.exclude_legal_incapacity) == (18, True, True)
    rec = Record(0, "x", "a", "b", "", dt.date(1980, 1, 1), "M", "KAZ", "r", "l", "", "", "",
                 False, True)
    assert eligibility(rec, dt.date(2026, 3, 1), rules).reasons == ("legal_incapacity", "in_detention")
    assert eligibility(rec, dt.date(2026, 3, 1), ODIHR_RECOMMENDED).eligible
    day = dt.date(2026, 3, 15)
    assert rules.absentee_window(day)[1] == dt.datetime(2026, 3, 14, 18, 0)
    assert rules.mobile_deadline(day) == dt.datetime(2026, 3, 15, 12, 0)


def test_a_first_import_in_chunks_rebuilds_the_list_index_and_stores_what_the_orm_reads(
        election, tmp_path, monkeypatch):
    """The national path, made small: rows written a chunk at a time, and the (station, state)
    index dropped and built again after an import into an empty table."""
    from django.db import connection

    from sailau.voters import importer

    monkeypatch.setattr(importer, "CHUNK", 2)
    rows = [person(i) for i in range(1, 8)]
    report = import_extract(write_extract(tmp_path / "x.csv", rows), election, today=election.date)
    assert report.created == 7 and m.ListEntry.objects.count() == 7
    from sailau.paths import data_dir

    assert not list(data_dir().glob(".stage*"))  # staging files (SQLite) removed
    with connection.cursor() as cur:
        indexes = connection.introspection.get_constraints(cur, "voters_listentry")
    assert any(c["index"] and c["columns"] == ["station_id", "state"] for c in indexes.values())
    assert sorted(c["columns"][0] for c in indexes.values() if c["foreign_key"]) == [
        "election_id", "home_station_id", "station_id", "voter_id"]
    v = m.Voter.objects.get(iin=rows[0]["iin"])
    assert v.birth_date == dt.date.fromisoformat(rows[0]["birth_date"])
    assert v.updated_at.tzinfo is not None and v.last_name == rows[0]["last_name"]
    assert v.apartment == "" and v.legal_capacity is True and v.in_detention is False
    entry = m.ListEntry.objects.get(voter=v)
    assert entry.state == m.ListEntry.ON_LIST and entry.reasons == [] and not entry.same_day


def test_reimport_writes_only_the_entries_that_change(imported, election, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows, _ = imported
    path = write_extract(tmp_path / "same.csv", rows)
    with CaptureQueriesContext(connection) as q:
        same = import_extract(path, election, today=election.date)
    assert (same.created, same.updated, same.unchanged) == (0, 0, 6)
    assert not [x for x in q.captured_queries if "UPDATE voters_" in x["sql"]]
    # A minor comes of age by the new election day: only that entry is rewritten.
    minor = m.ListEntry.objects.get(voter__iin=rows[4]["iin"])
    later = election.date + dt.timedelta(days=365 * 2)
    from sailau.elections.models import Election

    Election.objects.filter(pk=election.pk).update(date=later)
    election.refresh_from_db()
    with CaptureQueriesContext(connection) as q:
        import_extract(path, election, today=later)
    updates = [x for x in q.captured_queries if "UPDATE voters_listentry" in x["sql"]]
    assert len(updates) == 1
    minor.refresh_from_db()
    assert minor.eligible and minor.reasons == [] and minor.state == m.ListEntry.ON_LIST
