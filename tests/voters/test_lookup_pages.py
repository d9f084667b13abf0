import pytest
from django.core.cache import cache

from sailau.voters import models as m
from sailau.voters.lookup import LIMIT
from tests import factories as f


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_lookup_shows_only_station_and_address(client, imported, election):
    rows, _ = imported
    r = rows[0]
    entry = m.ListEntry.objects.select_related("station").get(voter__iin=r["iin"])
    resp = client.post("/ru/voters/", {"election": election.pk, "iin": r["iin"]})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert f"№{entry.station.number}" in html and (entry.station.addresses.get("ru", "") or entry.station.addresses["kk"]) in html
    for personal in (r["last_name"], r["first_name"], r["patronymic"], r["birth_date"], r["iin"]):
        assert personal not in html


def test_lookup_log_keeps_a_keyed_hash_never_the_iin(client, imported, election):
    rows, _ = imported
    client.post("/kk/voters/", {"election": election.pk, "iin": rows[0]["iin"]})
    client.post("/kk/voters/", {"election": election.pk, "iin": rows[4]["iin"]})  # a minor
    logs = list(m.LookupLog.objects.order_by("pk"))
    assert [x.found for x in logs] == [True, False]
    import hashlib
    for log, row in zip(logs, (rows[0], rows[4])):
        assert row["iin"] not in log.iin_hash and len(log.iin_hash) == 64
        assert log.iin_hash != hashlib.sha256(row["iin"].encode()).hexdigest()
        assert "127.0.0.1" not in log.client_hash


def test_ineligible_or_unknown_or_invalid_iin_reveals_nothing(client, imported, election):
    rows, _ = imported
    minor = client.post("/en/voters/", {"election": election.pk, "iin": rows[4]["iin"]}).content.decode()
    assert "under_age" not in minor and "No station list holds this IIN" in minor
    bad = client.post("/en/voters/", {"election": election.pk, "iin": "123"}).content.decode()
    assert "not a valid IIN" in bad


def test_rate_limited_per_client_address(client, imported, election):
    rows, _ = imported
    for _ in range(LIMIT):
        assert client.post("/kk/voters/", {"election": election.pk, "iin": rows[0]["iin"]},
                           REMOTE_ADDR="10.0.0.1").status_code == 200
    over = client.post("/kk/voters/", {"election": election.pk, "iin": rows[0]["iin"]},
                       REMOTE_ADDR="10.0.0.1")
    assert over.status_code == 429 and int(over["Retry-After"]) > 0
    assert m.LookupLog.objects.filter(limited=True).count() == 1
    other = client.post("/kk/voters/", {"election": election.pk, "iin": rows[0]["iin"]},
                        REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200  # another client is not affected


def test_lookup_api(client, imported, election):
    rows, _ = imported
    resp = client.post("/api/voters/lookup", {"election": election.pk, "iin": rows[0]["iin"]},
                       content_type="application/json")
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == {"status", "station", "address"} and body["status"] == "found"
    missing = client.post("/api/voters/lookup", {"election": "nope", "iin": rows[0]["iin"]},
                          content_type="application/json")
    assert missing.status_code == 404


def test_lookup_api_answers_in_kazakh_in_latin_script(client, imported, election):
    """The API's `lang` reads any code for a language Sailau speaks: kk-Latn answers the Kazakh
    address transliterated."""
    from sailau.languages.latin import from_cyrillic

    rows, _ = imported
    entry = m.ListEntry.objects.select_related("station").get(voter__iin=rows[0]["iin"])
    body = client.post("/api/voters/lookup", {"election": election.pk, "iin": rows[0]["iin"],
                                              "lang": "kk-Latn"},
                       content_type="application/json").json()
    assert body["address"] == from_cyrillic(entry.station.addresses["kk"])
    assert not any("\u0400" <= ch <= "\u04ff" for ch in body["address"])


def test_pages_in_every_language(client, imported, election):
    for lang in ("kk", "kk-latn", "ru", "en"):
        assert client.get(f"/{lang}/voters/").status_code == 200
        assert client.get(f"/{lang}/voters/report/?election={election.pk}").status_code == 200


def test_public_report_and_csv_carry_no_personal_data(client, imported, election):
    rows, _ = imported
    st = m.ListEntry.objects.get(voter__iin=rows[0]["iin"]).station
    page = client.get(f"/en/voters/report/?election={election.pk}&territory={st.territory_id}")
    csv_st = client.get(f"/en/voters/report.csv?election={election.pk}").content.decode()
    csv_t = client.get(f"/en/voters/report.csv?election={election.pk}&level=territory").content.decode()
    api = client.get(f"/api/voters/{election.pk}/report").content.decode()
    assert csv_st.splitlines()[0].startswith("station,station_id,territory,registered,same_day")
    assert "same_day_per_1000" in csv_t.splitlines()[0]
    line = next(x for x in csv_st.splitlines()[1:] if x.startswith(f"{st.number},"))
    assert line.split(",")[3] == str(m.ListEntry.objects.filter(station=st).count())
    for text in (page.content.decode(), csv_st, csv_t, api):
        for r in rows:
            assert r["iin"] not in text and r["last_name"] not in text


def test_staff_list_requires_a_role_and_every_access_is_logged(client, imported, election, admin):
    from sailau.audit.models import Record

    rows, _ = imported
    st = m.ListEntry.objects.get(voter__iin=rows[0]["iin"]).station
    url = f"/en/voters/staff/{election.pk}/{st.number}/"
    assert client.get(url).status_code == 302  # to the login page
    f.UserFactory(username="nobody", password="pw")
    client.login(username="nobody", password="pw")
    assert client.get(url).status_code == 403
    assert client.get(f"/api/voters/{election.pk}/stations/{st.number}/list").status_code == 403
    client.login(username="registrar", password="pw")
    page = client.get(url).content.decode()
    assert rows[0]["last_name"] in page
    api = client.get(f"/api/voters/{election.pk}/stations/{st.number}/list").json()
    assert rows[0]["iin"] in {v["iin"] for v in api["voters"]}
    logs = Record.objects.filter(action="voters.view_list", subject=f"station:{st.id}")
    assert [x.actor for x in logs] == ["registrar", "registrar"]
    assert all(rows[0]["iin"] not in str(x.payload) for x in logs)


def test_staff_operations_over_the_api(client, imported, election, admin):
    from django.utils import timezone

    rows, _ = imported
    client.login(username="registrar", password="pw")
    url = f"/api/voters/{election.pk}"
    # The real clock is far from the synthetic election day: the deadline decides.
    late = timezone.localdate() > election.date
    r = client.post(f"{url}/absentee", {"iin": rows[0]["iin"]}, content_type="application/json")
    if late:
        assert r.status_code == 422 and r.json()["error"] == "deadline_passed"
    else:
        assert r.status_code in (201, 422)
    bad = client.post(f"{url}/additions", {"station": 1, "iin": rows[0]["iin"], "reason": "x",
                                           "document_kind": "id_card", "document_number": "1"},
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] in ("station", "at", "reason")


def test_operations_page_reports_refusals(client, imported, election, admin):
    client.login(username="registrar", password="pw")
    page = client.get(f"/en/voters/staff/{election.pk}/operations/")
    assert page.status_code == 200
    resp = client.post(f"/en/voters/staff/{election.pk}/operations/",
                       {"op": "redeem", "certificate": "nope", "station": "1"})
    assert resp.status_code in (404, 422)


def test_lookup_page_is_translated(client, db):
    assert "Где я голосую" in client.get("/ru/voters/").content.decode()
    assert "Мен қайда дауыс беремін" in client.get("/kk/voters/").content.decode()


@pytest.mark.parametrize("level", ['x"\r\nSet-Cookie: a=b', "../../etc", "=1", ""])
def test_report_csv_names_the_file_only_by_a_known_level(client, imported, election, level):
    """The request's `level` never reaches the Content-Disposition header."""
    r = client.get("/en/voters/report.csv", {"election": election.pk, "level": level})
    assert r["Content-Disposition"] == 'attachment; filename="voter-lists-station.csv"'
    r = client.get("/en/voters/report.csv", {"election": election.pk, "level": "territory"})
    assert r["Content-Disposition"] == 'attachment; filename="voter-lists-territory.csv"'


def test_report_csv_neutralises_formulas_in_territory_names(client, imported, election):
    """Names (imported text) that a spreadsheet would run come out as text."""
    import csv
    import io

    hostile = ['=HYPERLINK("http://x")', "+1", "@SUM(1)"]
    territories = sorted({s.territory for s in election.stations.all()}, key=lambda t: t.id)
    for t, name in zip(territories, hostile, strict=False):
        t.names["kk"] = t.names["ru"] = t.names["en"] = name
        t.save()
    body = client.get("/en/voters/report.csv", {"election": election.pk, "level": "territory"})
    names = {r["territory_name"] for r in csv.DictReader(io.StringIO(body.content.decode()))}
    expected = {"'" + n for n in hostile[:len(territories)]}
    assert names == expected
