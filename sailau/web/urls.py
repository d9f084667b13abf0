from django.urls import path

from sailau.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("e/<str:election_id>/", views.election, name="election"),
]
