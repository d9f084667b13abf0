from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from sailau.api.api import api
from sailau.web.views import root

urlpatterns = [
    path("", root),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The README names /api/ as the API's address: it answers with the documentation.
    path("api/", RedirectView.as_view(url="/api/docs", permanent=False)),
    path("api/", api.urls),
]
# Public pages carry their language in the path (/kk/, /ru/, /en/) so that every page has a
# stable address per language and can be baked into static snapshots.
urlpatterns += i18n_patterns(
    path("", include("sailau.web.urls")),
    path("", include("sailau.publish.urls")),
    path("complaints/", include("sailau.complaints.urls")),
    path("entry/", include("sailau.protocols.urls")),
    path("scans/", include("sailau.scans.urls")),
    path("observation/", include("sailau.observation.urls")),
    path("voters/", include("sailau.voters.urls")),
    path("e/<str:election_id>/integrity/", include("sailau.integrity.urls")),
    prefix_default_language=True,
)
