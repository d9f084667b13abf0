"""Mounted under /<lang>/e/<election>/finance/."""

from django.urls import path

from sailau.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.index, name="index"),
    path("finance.<str:fmt>", views.download, name="download"),
    path("<str:kind>/<str:ident>/", views.fund, name="fund"),
]
