from django.urls import path

from sailau.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.join, name="join"),
    path("task/", views.task, name="task"),
    path("task/<int:task_id>/image/", views.image, name="image"),
    path("claims/", views.claims, name="claims"),
    path("stats.csv", views.stats_csv, name="stats_csv"),
    path("stats.json", views.stats_json, name="stats_json"),
    path("image/<int:image_id>/", views.evidence, name="evidence"),
    path("image/<int:image_id>/file", views.image_file, name="image_file"),
    path("image/<int:image_id>/complaint/", views.file_complaint, name="complaint"),
]
