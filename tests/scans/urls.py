"""The scans pages mounted as sailau/urls.py mounts them: /<lang>/scans/."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

urlpatterns = i18n_patterns(
    path("", include("sailau.web.urls")),
    path("scans/", include("sailau.scans.urls")),
    path("entry/", include("sailau.protocols.urls")),  # where the upload form sends to sign in
    prefix_default_language=True,
)
