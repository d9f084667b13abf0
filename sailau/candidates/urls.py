"""Mounted under /<lang>/e/<election>/candidates/."""

from django.urls import path

from sailau.candidates import views

app_name = "candidates"

urlpatterns = [
    path("", views.index, name="index"),
    path("candidates.<str:fmt>", views.download, name="download"),
    path("refusals/", views.refusals, name="refusals"),
    path("contest/<str:contest_id>/", views.contest, name="contest"),
    path("n/<str:key>/", views.nomination, name="nomination"),
]
