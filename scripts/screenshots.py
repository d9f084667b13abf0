"""Screenshots of the public and entry pages of a running demo, for review and for docs/pages.md.

    .venv/bin/python scripts/screenshots.py BASE_URL OUT_DIR

Run by `scripts/screenshots`, which builds the demo night and serves it. The pages to show
(a reported station with a scan, the demo operator's station) are read from the database
before the browser starts; the pages themselves are fetched over HTTP like a visitor's."""

import os
import sys
from pathlib import Path

WIDTHS = {"1366": (1366, 900), "390": (390, 844)}
LANGS = ("kk", "ru")


def pages() -> tuple[dict[str, str], dict[str, str]]:
    """(public pages by name, the operator's entry pages by name), as paths after /<lang>/."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    django.setup()
    from sailau.accounts.models import Role
    from sailau.elections.models import Election
    from sailau.scans.models import Scan

    e = Election.objects.order_by("-date").first()
    scan = (Scan.objects.filter(station__election=e, status="match")
            .select_related("station").order_by("station__number").first())
    station = scan.station if scan else e.stations.order_by("number").first()
    territory = e.commissions.filter(level="territorial").order_by("number").first()
    public = {"election": f"e/{e.id}/", "station": f"e/{e.id}/s/{station.number}/",
              "search": f"e/{e.id}/search/?q={territory.name('ru').split()[0]}"}
    role = Role.objects.filter(user__username="demo-operator").select_related("commission").first()
    mine = e.stations.get(commission=role.commission) if role else None
    contest = e.contests.exclude(kind="single_member").order_by("id").first()
    entry = {"entry": "entry/"}
    if mine and not mine.protocols.filter(current=True).exists():  # none left at 100 %
        entry["entry-form"] = f"entry/{mine.id}/{contest.id}/1/"
    return public, entry


def main(base: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    public, entry = pages()
    out.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=args)
        for width, (w, h) in WIDTHS.items():
            ctx = b.new_context(viewport={"width": w, "height": h})
            page = ctx.new_page()
            for lang in LANGS:
                for name, path in public.items():
                    shoot(page, f"{base}/{lang}/{path}", out / f"{name}-{lang}-{width}.png")
            page.goto(f"{base}/kk/entry/login/")
            page.fill("input[name=username]", "demo-operator")
            page.fill("input[name=password]", "demo-operator")
            with page.expect_navigation():
                page.click("form:has(input[name=password]) button[type=submit]")
            for lang in LANGS:
                for name, path in entry.items():
                    shoot(page, f"{base}/{lang}/{path}", out / f"{name}-{lang}-{width}.png")
            ctx.close()
        b.close()


CHECKS = (Path(__file__).parent.parent / "tests" / "web" / "layout_checks.js").read_text()
MAX_HEIGHT = 4000  # a national page on a phone is ~12,000 px: its top says enough


def shoot(page, url: str, path: Path) -> None:
    r = page.goto(url)
    if r is None or r.status >= 400:
        sys.exit(f"{url}: {r.status if r else 'no answer'}")
    found = page.evaluate(CHECKS)
    faults = {k: found[k] for k in ("widest", "tables", "broken") if found[k]}
    height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
    width = page.viewport_size["width"]
    page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, "width": width,
                                                     "height": height})
    print(path, faults or "")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]))
