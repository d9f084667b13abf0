"""Operator pages, mounted at /<lang>/entry/."""

from django.urls import path

from sailau.protocols import key_views, views

app_name = "entry"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.Login.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("<str:station_id>/<str:contest_id>/<int:n>/", views.entry_form, name="form"),
    path("<str:station_id>/<str:contest_id>/<int:n>/done/", views.entry_done, name="done"),
    path("<str:station_id>/<str:contest_id>/resolve/", views.resolve, name="resolve"),
    path("<str:station_id>/<str:contest_id>/amend/", views.amend, name="amend"),
    path("keys/<str:commission_id>/", key_views.commission_key, name="keys"),
    path("<str:station_id>/<str:contest_id>/sign/", key_views.sign, name="sign"),
]
