from django.urls import path

from sailau.integrity import views

app_name = "integrity"

urlpatterns = [
    path("", views.report, name="report"),
    path("flagged.csv", views.flagged_csv, name="flagged_csv"),
    path("plots/<str:name>", views.plot, name="plot"),
]
