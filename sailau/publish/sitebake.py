"""The static public site inside each snapshot: `index.html`, `viewer.js` and `viewer.css`, a
small viewer that reads `manifest.json` and the content-addressed JSON objects, checks each
object's SHA-256 against the manifest, and draws the election → territory → district → station
drill-down in Kazakh, Russian or English. No server code runs: any static server or CDN
carrying the snapshot directory serves the whole site.

Why a viewer and not baked HTML: baking 10,223 station pages in three languages costs minutes of
rendering per publication against the 30 s budget, and every amendment would rebake pages; the
viewer reads the same files the researchers download, so it cannot disagree with them.

The viewer's words come from the Django catalogues (`site/i18n.json`, written per publication),
so they are translated in the same .po files as the rest of the site."""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext_noop

from sailau.paths import write_atomic

STATIC = Path(__file__).resolve().parent / "static_site"
ENTRY_POINTS = ("index.html", "viewer.js", "viewer.css")  # also written under their own names

STRINGS = [
    gettext_noop("Open election results, station by station"),
    gettext_noop("Skip to content"),
    gettext_noop("Language"),
    gettext_noop("Polling station"),
    gettext_noop("Polling stations"),
    gettext_noop("Registered voters"),
    gettext_noop("Turnout"),
    gettext_noop("Votes"),
    gettext_noop("Choice"),
    gettext_noop("Share"),
    gettext_noop("Protocol lines"),
    gettext_noop("Line"),
    gettext_noop("Value"),
    gettext_noop("Version"),
    gettext_noop("Versions"),
    gettext_noop("current"),
    gettext_noop("Definitive protocol"),
    gettext_noop("Not reported yet"),
    gettext_noop("Stations reported"),
    gettext_noop("Control relations"),
    gettext_noop("All control relations hold"),
    gettext_noop("Scan of the signed protocol"),
    gettext_noop("No scan uploaded yet"),
    gettext_noop("Page not found"),
    gettext_noop("Search"),
    gettext_noop("Station number"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Static copy of the published snapshot"),
    gettext_noop("Published"),
    gettext_noop("Every file shown was checked against its SHA-256 in the manifest."),
    gettext_noop("A file does not match its SHA-256 in the manifest."),
    gettext_noop("This browser checks SHA-256 only over https or on this computer: the files shown were not checked."),
    gettext_noop("Loading…"),
    gettext_noop("Downloads"),
]


def translations(data) -> dict:
    """Per language: the viewer's words and the protocol lines' labels per contest."""
    from sailau.publish.election_data import LANGS

    out = {}
    for lang in LANGS:
        with translation.override(lang):
            words = {s: translation.gettext(s) for s in STRINGS}
        lines = {c.id: [{"number": ln.number, "key": ln.key,
                         "label": ln.label.get(lang, ln.label["kk"])}
                        for ln in data.forms[c.id].lines] for c in data.contests}
        out[lang] = {"words": words, "lines": lines}
    return out


def site_files(data):
    """(logical name, bytes) of the viewer, for the snapshot writer."""
    for name in ENTRY_POINTS:
        yield f"site/{name}", (STATIC / name).read_bytes()
    yield "site/i18n.json", json.dumps(translations(data), ensure_ascii=False, sort_keys=True,
                                       separators=(",", ":")).encode()


def write_entry_points(election_dir: Path, manifest: dict) -> None:
    """Copy the viewer's files of this manifest to their plain names beside manifest.json, so
    that `<snapshot dir>/` opens the site. Atomic, like the manifest."""
    for name in ENTRY_POINTS:
        entry = manifest["files"].get(f"site/{name}")
        if entry is None:
            continue
        body = (election_dir / "objects" / f"{entry['sha256']}{Path(name).suffix}").read_bytes()
        write_atomic(election_dir / name, body)
