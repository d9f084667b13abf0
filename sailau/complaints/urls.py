from django.contrib.auth.views import LoginView, LogoutView
from django.urls import path

from sailau.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.register, name="register"),
    path("complaints.csv", views.download_csv, name="csv"),
    path("complaints.json", views.download_json, name="json"),
    path("statistics/", views.statistics, name="statistics"),
    path("c/<str:receipt>/", views.case, name="case"),
    path("file/", views.file, name="file"),
    path("file/route/", views.route, name="route"),
    path("attachment/<int:pk>/", views.attachment, name="attachment"),
    path("login/", LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", LogoutView.as_view(next_page="complaints:register"), name="logout"),
    path("staff/", views.staff, name="staff"),
    path("staff/<str:receipt>/", views.staff_case, name="staff_case"),
]
