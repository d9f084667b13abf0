from django.contrib.auth.views import LoginView, LogoutView
from django.urls import path

from sailau.observation import accreditation_pages, offline, views

app_name = "observation"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/", views.organisations, name="organisations"),
    path("apply/", accreditation_pages.apply_page, name="apply"),
    path("queue/", accreditation_pages.queue_page, name="queue"),
    path("queue/<int:accreditation_id>/", accreditation_pages.queue_page, name="decide"),
    path("statistics/", views.stats_page, name="statistics"),
    path("statistics.csv", views.stats_csv, name="statistics_csv"),
    path("copies/", views.copies, name="copies"),
    path("pvt/<int:sample_id>/", views.pvt_page, name="pvt"),
    path("pvt/commit/", views.pvt_commit_page, name="pvt_commit"),
    path("pvt/commitments/<int:commitment_id>/", views.pvt_commitment_page,
         name="pvt_commitment"),
    path("pvt/commitments/<int:commitment_id>.txt", views.pvt_commitment_text,
         name="pvt_commitment_text"),
    path("check/<str:badge>/", views.check, name="check"),
    path("badge/<str:badge>.pdf", views.badge_pdf, name="badge"),
    path("form/", views.phone_form, name="form"),
    path("form/manifest.webmanifest", offline.manifest, name="form_manifest"),
    path("form/worker.js", offline.worker, name="form_worker"),
    path("login/", LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", LogoutView.as_view(next_page="observation:index"), name="logout"),
]
