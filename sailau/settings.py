"""Django settings. Everything that varies comes from the environment:

SAILAU_DATA_DIR       where the SQLite database and all files live (default ./var)
SAILAU_DATABASE_URL   postgres://user:pass@host:port/name to use PostgreSQL instead of SQLite
SAILAU_SECRET_KEY     secret key (a per-data-dir key is generated and kept otherwise)
SAILAU_DEBUG          1 to turn on Django's debug pages
SAILAU_PRODUCTION     1 behind a TLS-terminating proxy on the internet (docs/operations.md,
                      "Production settings"): HSTS, Secure cookies, the proxy's X-Forwarded-Proto trusted,
                      and SAILAU_ALLOWED_HOSTS (comma-separated host names) required
SAILAU_TRUSTED_PROXIES  the proxies' addresses or CIDR ranges, comma-separated: whose
                      X-Forwarded-For names the client that throttles count (sailau.clientaddr)
SAILAU_CLOCK_OFFSET   seconds added to the real time for the application's "now" (sailau/clock.py;
                      unset in production; the demo sets its own in its data directory)
SAILAU_S3_BUCKET ...  large files in S3-compatible object storage (sailau/filestores.py)
"""

import datetime as _dt
import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.csp import CSP

from sailau import languages as _languages
from sailau.clientaddr import parse_proxies
from sailau.filestores import storages
from sailau.paths import data_dir

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()


def _secret_key() -> str:
    if key := os.environ.get("SAILAU_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _private_file(path: Path) -> None:
    """The SQLite file holds password hashes and the voter register: readable by its owner
    only. Created empty here (SQLite takes an empty file as a new database) so that it is never
    world-readable, not even for a moment; its -wal and -shm files take the same mode."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)


def _database() -> dict:
    url = os.environ.get("SAILAU_DATABASE_URL")
    if not url:
        _private_file(DATA_DIR / "sailau.sqlite3")
        return {
            "ENGINE": "sailau.sqlitedb",  # Django's, with `first_in_line`
            "NAME": DATA_DIR / "sailau.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while a writer commits; IMMEDIATE takes the write
                # lock at BEGIN so two writers queue instead of failing mid-transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # In memory, as Django does for its own SQLite engine's name (pytest-django
            # recognises only that name, and would make a file name of ours for each worker).
            "TEST": {"NAME": ":memory:"},
        }
    u = urlparse(url)
    if u.scheme not in ("postgres", "postgresql"):
        raise RuntimeError(f"SAILAU_DATABASE_URL: unsupported scheme {u.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": u.path.lstrip("/"),
        "USER": unquote(u.username or ""),
        "PASSWORD": unquote(u.password or ""),
        "HOST": u.hostname or "",
        "PORT": u.port or "",
        "CONN_MAX_AGE": 60,
    }


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SAILAU_DEBUG") == "1"
PRODUCTION = os.environ.get("SAILAU_PRODUCTION") == "1"
# The demo answers on any name; production names its hosts (a wrong Host header is refused).
ALLOWED_HOSTS = ["*"]
if PRODUCTION:
    ALLOWED_HOSTS = [h.strip() for h in os.environ.get("SAILAU_ALLOWED_HOSTS", "").split(",")
                     if h.strip()]
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise RuntimeError("SAILAU_PRODUCTION=1 needs SAILAU_ALLOWED_HOSTS, the site's host "
                           "names separated by commas (no '*')")
    if DEBUG:
        raise RuntimeError("SAILAU_PRODUCTION=1 and SAILAU_DEBUG=1 cannot go together")
    # Behind the proxy every request comes from the proxy: without its address, every throttle
    # would count the whole country as one visitor (sailau.clientaddr).
    if not os.environ.get("SAILAU_TRUSTED_PROXIES", "").strip():
        raise RuntimeError("SAILAU_PRODUCTION=1 needs SAILAU_TRUSTED_PROXIES, the addresses or "
                           "CIDR ranges of the reverse proxies in front, separated by commas")
    # TLS ends at the proxy in front (nginx, Caddy...), which must set X-Forwarded-Proto and
    # strip any such header a client sent.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS]
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Only for its static files and templates: /api/docs then loads Swagger UI from this
    # server instead of a CDN, so it works offline and under the Content-Security-Policy.
    "ninja",
    "sailau.elections",
    "sailau.protocols",
    "sailau.accounts",
    "sailau.audit",
    "sailau.ledger",
    "sailau.scans",
    "sailau.web",
    "sailau.publish",
    "sailau.integrity",
    "sailau.complaints",
    "sailau.observation",
    "sailau.voters",
    "sailau.finance",
    "sailau.candidates",
    "sailau.evidence",
    "sailau.video",
    "sailau.turnout",
    "axes",
]

# The reverse proxies in front (addresses or CIDR ranges, comma-separated): X-Forwarded-For is
# read only as far as these handed the request on (sailau.clientaddr), and every throttle counts
# the client address found that way. Empty: the header is ignored, REMOTE_ADDR is the client.
SAILAU_TRUSTED_PROXIES = os.environ.get("SAILAU_TRUSTED_PROXIES", "")
# A mistyped entry stops the start, naming it; in production so does one that trusts nothing
# (an empty entry) or everything (a /0 range).
parse_proxies(SAILAU_TRUSTED_PROXIES, production=PRODUCTION)

# Login throttling (django-axes, sailau.accounts.lockout): failed logins are counted in the
# database, so every server process sees the same count. After AXES_FAILURE_LIMIT wrong passwords
# for one account from one client address, that account is refused from there (even with the
# right password) for the cool-off, and from nowhere else; after
# SAILAU_LOGIN_FAILURES_PER_ADDRESS wrong passwords from one address over all accounts, that
# address is refused.
AUTHENTICATION_BACKENDS = [
    "sailau.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Passwords set by `sailau accounts` and the admin: Django's checks, at least 12 characters (an
# account may enter a commission's protocols).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("SAILAU_PASSWORD_MIN_LENGTH", "12"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = int(os.environ.get("SAILAU_LOGIN_FAILURES", "10"))
AXES_COOLOFF_TIME = _dt.timedelta(minutes=int(os.environ.get("SAILAU_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "sailau.clientaddr.client_ip"
SAILAU_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("SAILAU_LOGIN_FAILURES_PER_ADDRESS", "30"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sailau.accounts.lockout.locked_out"
AXES_VERBOSE = False
# A signed-in session of an account with a commission or deciding role (sailau.accounts.apps):
# one shift, not Django's 14 days.
SAILAU_STAFF_SESSION_HOURS = int(os.environ.get("SAILAU_STAFF_SESSION_HOURS", "12"))
# API tokens live this many days unless asked otherwise.
SAILAU_TOKEN_DAYS = int(os.environ.get("SAILAU_TOKEN_DAYS", "30"))

# A refused form's page in the page's language (Django's own is English).
CSRF_FAILURE_VIEW = "sailau.web.refusals.csrf_failure"

MIDDLEWARE = [
    # Outermost, so that snapshot files served by the next one carry the policy too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Snapshot files first: election-night traffic should not pay for sessions or CSRF.
    "sailau.publish.storage.serving.SnapshotMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: an oversized request is refused unread (sailau.uploads).
    "sailau.uploads.RequestSizeMiddleware",
    # A trusted proxy that names no client: said in the log and on /api/health.
    "sailau.api.health.ForwardedCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "sailau.web.refusals.RefusalMiddleware",  # a SailauError raised by a page: its page
    "sailau.api.shape.ApiErrorShapeMiddleware",  # an /api/ 404 or 405 from outside the API
    "sailau.web.refusals.NulInputMiddleware",  # text PostgreSQL cannot store: 422/400, not 500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sailau.web.account.AccountMiddleware",  # a signed-in user's name in the shared header
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# No inline script or style anywhere: every script is a static file, so text that slips into a
# page unescaped (a station address, a complaint) still cannot run.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Recordings of the count play from the object store's own address when it has one (a public
# base or pre-signed URLs: sailau.video.views), so the player may load media from there.
SECURE_CSP["media-src"] = [CSP.SELF, *sorted({
    f"{urlparse(u).scheme}://{urlparse(u).netloc}"
    for u in (os.environ.get("SAILAU_S3_PUBLIC_URL"), os.environ.get("SAILAU_S3_ENDPOINT_URL"))
    if u and urlparse(u).netloc})]
if os.environ.get("SAILAU_S3_BUCKET") and not os.environ.get("SAILAU_S3_ENDPOINT_URL"):
    SECURE_CSP["media-src"].append("https://*.amazonaws.com")  # AWS's pre-signed URLs

ROOT_URLCONF = "sailau.urls"
WSGI_APPLICATION = "sailau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sailau.web.context.site",
            ]
        },
    }
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Kazakh first: it is the state language and the public pages' default.
LANGUAGE_CODE = "kk"
# The list is sailau.languages' (its one home), each language by its own name.
LANGUAGES = [(code, _languages.NAMES[code]) for code in _languages.LANGUAGES]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# A figure's decimal separator by the page's language, from sailau.languages (sailau/formats).
FORMAT_MODULE_PATH = ["sailau.formats"]
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start otherwise
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# "default" (scans, attachments, photos), "snapshots" and "recordings": the local disk under
# DATA_DIR, or an S3-compatible object store when SAILAU_S3_BUCKET is set (sailau.filestores).
STORAGES = storages()
WHITENOISE_USE_FINDERS = True

# Rendered public pages, keyed by the rows they show (sailau.publish.pages.pagecache): never stale,
# so a plain directory shared by the server's workers is enough.
CACHES = {
    # Shared by every server process of this machine (sailau.sharedcache). Rate limits are in
    # the database instead (sailau.ratewindow), shared by every web node.
    "default": {"BACKEND": "sailau.sharedcache.SharedFileCache",
                "LOCATION": DATA_DIR / "cache" / "shared"},
    # On disk, so that every server worker shares what another rendered; keys carry the state
    # of what a page shows, so entries never need invalidating.
    "pages": {"BACKEND": "sailau.publish.pages.pagecache.PageFileCache",
              "LOCATION": DATA_DIR / "cache" / "pages", "OPTIONS": {"MAX_ENTRIES": 100000}},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # A refused entry (422), a lost race (409) or a wrong role (403) is answered to the user in
    # their language; logging each one as a warning buried the server's real errors on election
    # night. 5xx are still logged.
    "loggers": {"django.request": {"level": "ERROR"}},
}
