"""The read API: documents, ETag/304, CORS, errors, and the OpenAPI description."""

import pytest

from sailau.elections.models import Commission, Station

pytestmark = pytest.mark.django_db


def test_station_endpoint_with_etag_and_cors(client, small_election):
    s = Station.objects.filter(election=small_election).first()
    url = f"/api/publish/elections/{small_election.id}/stations/{s.number}"
    r = client.get(url)
    assert r.status_code == 200
    assert r["Access-Control-Allow-Origin"] == "*"
    doc = r.json()
    assert doc["id"] == s.id and doc["registered"] == s.registered
    again = client.get(url, HTTP_IF_NONE_MATCH=r["ETag"])
    assert again.status_code == 304 and again["ETag"] == r["ETag"]


def test_commission_and_search_endpoints(client, small_election):
    t = Commission.objects.filter(election=small_election, level="territorial").first()
    doc = client.get(f"/api/publish/elections/{small_election.id}/commissions/{t.id}").json()
    assert doc["level"] == "territorial" and doc["children"]
    s = Station.objects.filter(election=small_election).first()
    found = client.get(f"/api/publish/elections/{small_election.id}/search",
                       {"q": str(s.number)}).json()
    assert found["results"][0]["id"] == s.id and found["count"] == 1
    # The same count and pages as the search page: every station of the city, 2 a page here.
    from sailau.publish.pages import search

    n = Station.objects.filter(election=small_election, settlements__kk="Алматы").count()
    url = f"/api/publish/elections/{small_election.id}/search"
    found = client.get(url, {"q": "Алматы", "page": 2}).json()
    assert (found["count"], found["page"], found["per_page"]) == (n, 1, search.PER_PAGE)
    assert len(found["results"]) == n  # one page holds them: page 2 is past the last
    r = client.get(url, {"q": "Алматы", "page": 0})
    assert r.status_code == 422 and r.json()["field"] == "page"


def test_errors_are_4xx_with_a_message(client, small_election):
    r = client.get(f"/api/publish/elections/{small_election.id}/search", {"q": "z" * 300})
    assert r.status_code == 422 and r.json()["field"] == "q" and "at most" in r.json()["message"]
    assert client.get("/api/publish/elections/nope").status_code == 404
    r = client.get(f"/api/publish/elections/{small_election.id}/stations/99999999")
    assert r.status_code == 404 and r.json()["error"] == "unknown_station"


def test_openapi_lists_the_publication_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/publish/elections/{election_id}/stations/{number}" in paths
