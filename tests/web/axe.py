"""axe-core (vendored from npm under tests/vendor/axe-core, MPL-2.0) run in a page: the serious
and critical violations of WCAG 2.x A/AA rules, as short lines that name the rule and the nodes.
Evaluated through Playwright rather than added as a <script>: the pages' Content-Security-Policy
refuses inline scripts, and the test must not need a hole in it."""

from pathlib import Path

AXE = (Path(__file__).parent.parent / "vendor" / "axe-core" / "axe.min.js").read_text()
RUN = """() => axe.run(document, {
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
  resultTypes: ["violations"]
}).then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")
    + (n.failureSummary ? " (" + n.failureSummary.split("\\n").slice(1, 2).join("") + ")" : ""))
    .join(" | ")))"""


def violations(page) -> list[str]:
    """The serious and critical accessibility violations of the page as loaded now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    return page.evaluate(RUN)
