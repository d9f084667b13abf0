"""The observer's phone form as an installable offline web app: its manifest and its service
worker, both served under /<lang>/observation/form/ so that the worker's scope is the form and
nothing else of the site (the public pages must never be served from a phone's cache)."""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

WORKER = Path(__file__).resolve().parent / "worker.js"
# What the form needs besides its own page: loaded from the cache when there is no network.
ASSETS = ("web/site.css", "observation/form.css", "observation/form.js",
          "observation/icon-192.png", "observation/icon-512.png")


@cache
def _version() -> str:
    """Changes whenever the worker or an asset does, so that phones drop the old cache."""
    h = hashlib.sha256(WORKER.read_bytes())
    for name in ASSETS:
        found = finders.find(name)
        h.update(Path(found).read_bytes() if found else name.encode())
    return h.hexdigest()[:12]


def manifest(request):
    """The web app manifest: installing the form puts it on the phone's home screen, opening
    in the page's language."""
    form = reverse("observation:form")
    doc = {"name": _("Sailau: observer's phone form"), "short_name": "Sailau",
           "lang": get_language(), "start_url": form, "scope": form, "id": form,
           "display": "standalone", "background_color": "#ffffff", "theme_color": "#0b5cad",
           "icons": [{"src": static(f"observation/icon-{n}.png"), "sizes": f"{n}x{n}",
                      "type": "image/png", "purpose": "any"} for n in (192, 512)]}
    resp = JsonResponse(doc, json_dumps_params={"ensure_ascii": False})
    resp["Content-Type"] = "application/manifest+json"
    return resp


def worker(request):
    """The service worker (worker.js) with what it caches: the form page and its assets, in a
    cache named after the language and the version."""
    config = {"cache": f"sailau-observer-{get_language()}-{_version()}",
              "page": reverse("observation:form"),
              "assets": [static(a) for a in ASSETS]}
    body = f"self.SHELL = {json.dumps(config)};\n{WORKER.read_text()}"
    resp = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    resp["Cache-Control"] = "no-cache"  # a phone checks for a new worker on every visit
    return resp
