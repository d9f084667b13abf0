from django.urls import path

from sailau.voters import views

app_name = "voters"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("report/", views.oversight, name="report"),
    path("report.csv", views.oversight_csv, name="report_csv"),
    path("staff/", views.staff, name="staff"),
    path("staff/<str:election_id>/operations/", views.operation, name="operations"),
    path("staff/<str:election_id>/<int:number>/", views.station_list, name="station"),
]
