"""Deployment settings: the data directory and the SQLite file are private to their owner, and
SAILAU_PRODUCTION=1 turns on what running on the internet behind a TLS proxy needs, while the
demo's defaults stay as they were. Settings are read in a fresh interpreter each time."""

import json
import os
import subprocess
import sys

import pytest

SHOW = """
import json, django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "sailau.settings"
from django.conf import settings
print(json.dumps({k: getattr(settings, k, None) for k in (
    "ALLOWED_HOSTS", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "CSRF_TRUSTED_ORIGINS")}))
"""


def _settings(tmp_path, **env):
    full = {**os.environ, "SAILAU_DATA_DIR": str(tmp_path / "var"), **env}
    full.pop("SAILAU_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-c", SHOW], check=False, env=full, capture_output=True,
                          text=True, timeout=60)


def test_data_dir_and_sqlite_file_are_private(tmp_path):
    r = _settings(tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "var").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "var" / "sailau.sqlite3").stat().st_mode & 0o777 == 0o600
    # A file left world-readable by an older version is closed on the next start.
    (tmp_path / "var" / "sailau.sqlite3").chmod(0o644)
    assert _settings(tmp_path).returncode == 0
    assert (tmp_path / "var" / "sailau.sqlite3").stat().st_mode & 0o777 == 0o600


def test_demo_defaults_stay_convenient(tmp_path):
    s = json.loads(_settings(tmp_path).stdout)
    assert s["ALLOWED_HOSTS"] == ["*"] and not s["SESSION_COOKIE_SECURE"]
    assert not s["SECURE_HSTS_SECONDS"]


def test_production_settings(tmp_path):
    r = _settings(tmp_path, SAILAU_PRODUCTION="1", SAILAU_TRUSTED_PROXIES="127.0.0.1",
                  SAILAU_ALLOWED_HOSTS="results.example.kz, www.example.kz")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["ALLOWED_HOSTS"] == ["results.example.kz", "www.example.kz"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://results.example.kz", "https://www.example.kz"]


@pytest.mark.parametrize("hosts", ["", "*"])
def test_production_needs_named_hosts(tmp_path, hosts):
    r = _settings(tmp_path, SAILAU_PRODUCTION="1", SAILAU_ALLOWED_HOSTS=hosts,
                  SAILAU_TRUSTED_PROXIES="127.0.0.1")
    assert r.returncode != 0 and "SAILAU_ALLOWED_HOSTS" in r.stderr


def test_production_needs_its_proxies_named(tmp_path):
    # Behind a proxy, throttles would otherwise count every visitor as the proxy.
    r = _settings(tmp_path, SAILAU_PRODUCTION="1", SAILAU_ALLOWED_HOSTS="results.example.kz")
    assert r.returncode != 0 and "SAILAU_TRUSTED_PROXIES" in r.stderr


def test_a_mistyped_proxy_stops_the_start(tmp_path):
    r = _settings(tmp_path, SAILAU_TRUSTED_PROXIES="10.0.0.1, 10.0.0.300")
    assert r.returncode != 0 and "10.0.0.300" in r.stderr


@pytest.mark.parametrize("proxies,named", [
    (",", "empty entry"), ("127.0.0.1,", "empty entry"), (" , ", "empty entry"),
    ("0.0.0.0/0", "0.0.0.0/0"), ("127.0.0.1, ::/0", "::/0"), ("0.0.0.0/0.0.0.0", "every address"),
])
def test_production_refuses_proxies_that_trust_nothing_or_everything(tmp_path, proxies, named):
    """An empty entry trusts nothing (every visitor is the proxy: one client); a /0 range trusts
    every address (anyone escapes every limit with a header of their own)."""
    r = _settings(tmp_path, SAILAU_PRODUCTION="1", SAILAU_ALLOWED_HOSTS="results.example.kz",
                  SAILAU_TRUSTED_PROXIES=proxies)
    assert r.returncode != 0 and "SAILAU_TRUSTED_PROXIES" in r.stderr and named in r.stderr, \
        r.stderr[-500:]
    # The demo still starts with the same setting's leniency for empty entries.
    if named == "empty entry":
        assert _settings(tmp_path, SAILAU_TRUSTED_PROXIES=proxies).returncode == 0
