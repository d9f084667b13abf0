"""Debian's Chromium driven by Playwright, shared by the page tests: `pytestmark = NEEDS_CHROMIUM`
in a module, then the `browser` or `phone_page` fixtures (tests/conftest.py)."""

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NEEDS_CHROMIUM = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (CI installs it)"),
]
# Headless as root in a closed network: without these Chromium keeps trying to reach Google.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1366, "height": 768}  # the commonest laptop screen
