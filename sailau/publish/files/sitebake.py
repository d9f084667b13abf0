"""The static public site inside each snapshot: `index.html`, `viewer.js` and `viewer.css`, a
small viewer that reads `manifest.json` and the content-addressed JSON objects, checks each
object's SHA-256 against the manifest, and draws the election → territory → district → station
drill-down in every language of `sailau.languages` (`latin.js` writes a Kazakh name or address
in Latin script for `kk-latn`, by the table of `sailau.languages.latin` this module publishes).
No server code runs: any static server or CDN carrying the snapshot directory serves the whole
site.

Why a viewer and not baked HTML: baking 10,223 station pages in three languages costs minutes of
rendering per publication against the 30 s budget, and every amendment would rebake pages; the
viewer reads the same files the researchers download, so it cannot disagree with them.

The viewer's words come from the Django catalogues (`site/i18n.json`, written per publication),
so they are translated in the same .po files as the rest of the site."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext_noop

from sailau import languages
from sailau.languages import Text, latin
from sailau.law import kinds
from sailau.paths import write_atomic
from sailau.publish.storage.store import ENTRY_POINTS, read_object
from sailau.tlog import canonicaljson

STATIC = Path(__file__).resolve().parent.parent / "static_site"  # (sailau/publish/static_site)

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
    gettext_noop("The scan matches the protocol"),
    gettext_noop("The scan differs from the protocol"),
    gettext_noop("Commission decision"),
    # What the witnesses cosigned (the log beside the snapshot), as the server's pages say it.
    gettext_noop("Not witnessed: this log has no witnesses, so every figure here "
                 "rests on the log's own signature alone."),
    gettext_noop("Leaves of the log signed by the log alone, not yet by the witnesses: %(n)s."),
    gettext_noop("No protocol counted here rests on a leaf the witnesses have not cosigned."),
    gettext_noop("Size of the log the witnesses cosigned: %(size)s."),
    gettext_noop("Signed by the log, not yet by the witnesses"),
    gettext_noop("Signed by the log alone: the log has no witnesses"),
    gettext_noop("In a checkpoint the witnesses cosigned"),
]
# The viewer's words a kind may name in its own (`kinds.Wording`'s parts).
OWN_WORDS = {"Turnout": "turnout", "Choice": "choice", "Polling station": "station",
             "Polling stations": "stations", "Registered voters": "voters"}
# How a protocol version came to be (the station page's `web/_protocol_source.html`).
SOURCES = {"entry": "double entry", "resolution": "differences between the two entries resolved",
           "amendment": "amendment by decision", "import": "imported"}


def translations(data) -> dict:
    """Per language (every one of `sailau.languages.LANGUAGES`): its name for the language
    switch and its place in it, the written language its names are read in (kk for kk-latn),
    the decimal separator its figures are written with (as the site's pages write them),
    the viewer's words, the protocol sources' and lines' labels per contest, and for Kazakh in
    Latin script the transliteration's table (names and addresses are published as written)."""
    out = {}
    # A kind's own words for what the viewer names (a referendum's participation and answer, a
    # Senate seat's joint session and electors), as on the site's pages (`kinds.Wording`).
    wording = kinds.wording(c.kind for c in data.contests)
    own = {s: getattr(wording, part, None) for s, part in OWN_WORDS.items()} if wording else {}
    for order, lang in enumerate(languages.LANGUAGES):
        with translation.override(lang):
            words = {s: translation.gettext(s) for s in STRINGS}
            sources = {k: translation.pgettext("protocol source", s) for k, s in SOURCES.items()}
        words.update({s: w.in_language(lang) for s, w in own.items() if w})
        lines = {c.id: [{"number": ln.number, "key": ln.key,
                         "label": Text.of(ln.label).in_language(lang)}
                        for ln in data.forms[c.id].lines] for c in data.contests}
        out[lang] = {"name": languages.NAMES[lang], "order": order,
                     "names_in": languages.written(lang), "words": words, "sources": sources,
                     "lines": lines, "decimal": languages.decimal_separator(lang)}
        if lang == languages.KAZAKH_LATIN:
            out[lang]["latin"] = latin.table()
    return out


def site_files(data):
    """(logical name, bytes) of the viewer, for the snapshot writer."""
    for name in ENTRY_POINTS:
        yield f"site/{name}", (STATIC / name).read_bytes()
    yield "site/i18n.json", canonicaljson.encode(translations(data))


_VIEWER_CHECKED: set[str] = set()  # elections whose viewer this process has written


def viewer_once(data, prev: dict, put) -> None:
    """The viewer's files, in a batch's publication (`put`) the first time in this process,
    when they differ from the previous manifest's (`prev`): a publisher restarted on a new build
    writes files the viewer it published before may not read (a district's stations as runs),
    and only a full publication wrote the viewer."""
    if data.election.id in _VIEWER_CHECKED:
        return
    for name, body in site_files(data):
        if prev["files"].get(name, {}).get("sha256") != hashlib.sha256(body).hexdigest():
            put(name, body)
    _VIEWER_CHECKED.add(data.election.id)


# The entry point this process last wrote in a folder (folder, name) -> (sha256, the file's
# inode and time): the viewer changes with a new build only, and written again with every
# commit its five files were ~32 KB read, opened and written a round (31 MB a national night).
_WRITTEN: dict[tuple[str, str], tuple[str, tuple]] = {}


def write_entry_points(election_dir: Path, manifest: dict) -> None:
    """Copy the viewer's files of this manifest to their plain names beside manifest.json, so
    that `<snapshot dir>/` opens the site. Atomic, like the manifest; a file this process wrote
    with the same bytes, still there as it left it, is not written again."""
    for name in ENTRY_POINTS:
        entry = manifest["files"].get(f"site/{name}")
        if entry is None:
            continue
        path = election_dir / name
        key = (str(election_dir), name)
        if _WRITTEN.get(key) == (entry["sha256"], _stamp(path)):
            continue
        # Opened: a static server sends these without Content-Encoding.
        body = read_object(election_dir / "objects" / f"{entry['sha256']}{Path(name).suffix}")
        write_atomic(path, body)
        if len(_WRITTEN) > 1000:  # (a test run publishes thousands of folders in one process)
            _WRITTEN.clear()
        _WRITTEN[key] = (entry["sha256"], _stamp(path))


def _stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)
