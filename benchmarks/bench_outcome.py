"""Time `sailau outcome` as a user runs it (a fresh process) on national figures, against the
bare interpreter start-up (`python -c pass`) measured in the same run; and the outcome function
alone, in process. Prints Markdown."""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "outcome"
RUNS = 25


def median_seconds(cmd: list[str], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process_us(ruleset: str, runs: int = 2000) -> float:
    sys.path.insert(0, str(ROOT))
    from sailau.law import get_ruleset

    rs = get_ruleset(ruleset)
    data = json.loads((EXAMPLES / f"{ruleset}.json").read_text(encoding="utf-8"))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        rs.outcome(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    py = sys.executable
    baseline = median_seconds([py, "-c", "pass"])
    rows = [("`python -c pass` (baseline)", baseline)]
    rows.append(("`python -c 'import sailau.law.rulesets'`",
                 median_seconds([py, "-c", "import sailau.law.rulesets"])))
    for name in ("kz-mazhilis-2023", "kz-referendum-constitutional-2026"):
        rows.append((f"`sailau outcome {name}`",
                     median_seconds([py, "-m", "sailau", "outcome", name,
                                     str(EXAMPLES / f"{name}.json")])))
    rows.append(("`sailau rules`", median_seconds([py, "-m", "sailau", "rules"])))

    print(f"### `sailau outcome` (median of {RUNS} fresh processes)\n")
    print("| command | median (ms) | ratio to baseline |")
    print("|---|---:|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds * 1000:.1f} | {seconds / baseline:.2f} |")
    print("\n| outcome function alone, in process | median (µs) |")
    print("|---|---:|")
    for name in ("kz-mazhilis-2023", "kz-referendum-constitutional-2026"):
        print(f"| {name} | {in_process_us(name):.1f} |")
    target = rows[2][1]
    print(f"\nTarget: under 200 ms for `sailau outcome` on national figures: "
          f"{'met' if target < 0.2 else 'NOT met'} ({target * 1000:.0f} ms).")


if __name__ == "__main__":
    main()
