from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils import translation
from django.views.decorators.vary import vary_on_headers
from django.views.generic import RedirectView

from sailau.api import tus as video_tus
from sailau.api.api import api
from sailau.video import views as video_views


@vary_on_headers("Accept-Language", "Cookie")
def root(request):
    """`/` sends a visitor to the site in the language their browser asks for among
    sailau.languages' (kk, kk-Latn, ru, en), or the one they chose before, kept in Django's
    language cookie; Kazakh otherwise."""
    return redirect(f"/{translation.get_language_from_request(request)}/")


urlpatterns = [
    path("", root),
    # Browsers ask for /favicon.ico whatever the page says; the site's icon answers, not a 404.
    path("favicon.ico", RedirectView.as_view(url=static("observation/icon-192.png"),
                                             permanent=True)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # docs/pages.md names /api/ as the API's address: it answers with the documentation.
    path("api/", RedirectView.as_view(url="/api/docs", permanent=False)),
    # Resumable uploads of recordings (tus), beside the API: the protocol is headers and raw
    # bytes, not JSON; its refusals still answer the API's one error shape.
    path("api/video/uploads/", video_tus.uploads, name="video_uploads"),
    path("api/video/uploads/<uuid:upload_id>", video_tus.upload, name="video_upload"),
    path("video/file/<int:pk>", video_views.file, name="video_file"),
    path("api/", api.urls),
]
# Public pages carry their language in the path (/kk/, /ru/, /en/) so that every page has a
# stable address per language and can be baked into static snapshots.
urlpatterns += i18n_patterns(
    path("", include("sailau.web.urls")),
    path("", include("sailau.publish.urls")),
    path("complaints/", include("sailau.complaints.urls")),
    path("entry/turnout/", include("sailau.turnout.urls")),
    path("entry/", include("sailau.protocols.urls")),
    path("scans/", include("sailau.scans.urls")),
    path("observation/", include("sailau.observation.urls")),
    path("voters/", include("sailau.voters.urls")),
    path("evidence/", include("sailau.evidence.urls")),
    path("video/", include("sailau.video.urls")),
    path("e/<str:election_id>/integrity/", include("sailau.integrity.urls")),
    path("e/<str:election_id>/finance/", include("sailau.finance.urls")),
    path("e/<str:election_id>/candidates/", include("sailau.candidates.urls")),
    prefix_default_language=True,
)
# What Django refuses itself (no view at the address, get_object_or_404, a permission check)
# renders through the project's one refusal page.
handler404 = "sailau.web.refusals.not_found"
handler403 = "sailau.web.refusals.denied"
