"""The commission's turnout page, mounted at /<lang>/entry/turnout/ beside the protocol pages."""

from django.urls import path

from sailau.turnout import views

app_name = "turnout"

urlpatterns = [
    path("<str:station_id>/", views.station, name="station"),
]
