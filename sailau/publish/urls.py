"""Mounted inside i18n_patterns: /<lang>/e/<election>/c/<commission>/, /s/<number>/, search,
downloads. Paths are stable: snapshots and researchers' scripts cite them."""

from django.urls import path, register_converter

from sailau.publish import views


class Format:
    regex = "csv|json|parquet"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Format, "fmt")

app_name = "publish"

urlpatterns = [
    path("e/<str:election_id>/c/<str:commission_id>/", views.commission, name="commission"),
    path("e/<str:election_id>/s/<int:number>/", views.station, name="station"),
    path("e/<str:election_id>/s/<int:number>/station.json", views.station_json,
         name="station_json"),
    path("e/<str:election_id>/search/", views.search, name="search"),
    path("e/<str:election_id>/download/", views.downloads, name="downloads"),
    path("e/<str:election_id>/download/nist.json", views.download_nist, name="download_nist"),
    path("e/<str:election_id>/download/scans/<str:territory_id>.zip", views.download_scans,
         name="download_scans"),
    path("e/<str:election_id>/download/<str:contest_id>/stations.<fmt:fmt>",
         views.download_stations, name="download_stations"),
    path("e/<str:election_id>/download/<str:contest_id>/<str:level>.<fmt:fmt>",
         views.download_level, name="download_level"),
]
