from django.urls import path

from sailau.video import views

app_name = "video"
urlpatterns = [
    path("r/<int:pk>/", views.recording, name="recording"),
]
