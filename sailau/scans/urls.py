"""Mounted at /<lang>/scans/ (names under the `scans` namespace)."""

from django.urls import path

from sailau.scans import views

app_name = "scans"

urlpatterns = [
    path("flagged/<str:election_id>/", views.flagged, name="flagged"),
    path("file/<int:pk>/", views.download, name="download"),
    path("<str:station_id>/<str:contest_id>/", views.station_scans, name="station"),
    path("<str:station_id>/<str:contest_id>/protocol.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("<str:station_id>/<str:contest_id>/upload/", views.upload, name="upload"),
]
