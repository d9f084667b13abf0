"""Precision and recall of the criteria against the demo's injected falsifications
(SAILAU_DATA_DIR/demo/ground_truth.json: station id -> kinds).

Per kind, recall is the share of that kind's stations the rule finds; precision counts as false
positives only stations with no injected falsification at all (a station falsified in another
way is not a false alarm, just found for another reason). `rewritten_upstream` moves votes
between the signed paper and the figures entered upstream while keeping every control relation:
from the official figures alone it is visible only as shifted shares, so its recall here says
what the official figures can show; observers' copies (I10) and scans (I11) are what find it."""

from __future__ import annotations

from collections.abc import Mapping

from sailau.analysis import criteria, criteria_catalogue
from sailau.analysis.scoring import precision_recall

KINDS = ("ballot_stuffing", "turnout_100", "rewritten_upstream", "altered_after_printing")
# A scan altered after printing falsifies one contest's paper: it counts for that contest only.
PER_CONTEST = {"altered_after_printing": "altered_scans"}


def truth_by_kind(truth: Mapping, contest: str | None = None) -> dict[str, set[str]]:
    """{kind: station ids} from the ground truth JSON (or its "stations" mapping). With
    `contest`, a kind that names its contest (`PER_CONTEST`) counts only for that contest."""
    stations = truth.get("stations", truth)
    out: dict[str, set[str]] = {k: set() for k in KINDS}
    for sid, entry in stations.items():
        for kind in entry["kinds"]:
            where = PER_CONTEST.get(kind)
            if contest is not None and where and not any(
                    a.get("contest") == contest for a in entry.get(where, ())):
                continue
            out.setdefault(kind, set()).add(str(sid))
    return out


def score(stations: Mapping[str, Mapping], truth: Mapping, contest: str | None = None) -> dict:
    """`stations`: the non-clear stations of an integrity report (id -> {status, flags}).
    Rows: each status rule (flagged; flagged or watch) and each criterion, with overall
    precision/recall and per kind."""
    kinds = truth_by_kind(truth, contest)
    any_truth = set().union(*kinds.values())
    selections = {
        "status: flagged": {s for s, v in stations.items() if v["status"] == criteria.FLAGGED},
        "status: flagged or watch": set(stations),
    }
    for c in criteria_catalogue.CRITERIA:
        selections[f"{c.code} {c.key}"] = {s for s, v in stations.items()
                                            if any(f["code"] == c.code for f in v["flags"])}
    rows = {}
    for name, chosen in selections.items():
        row = {"all": precision_recall(chosen, any_truth)}
        for kind, ids in kinds.items():
            others = any_truth - ids
            row[kind] = precision_recall(chosen - others, ids)
        rows[name] = row
    return {"true": {k: len(v) for k, v in kinds.items()}, "rows": rows}


def markdown(scored: dict) -> str:
    kinds = list(scored["true"])
    head = ["selection", "flagged", "precision (any kind)", "recall (any kind)"]
    head += [f"{k}: precision / recall" for k in kinds]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    fmt = lambda x: "—" if x is None else f"{x:.3f}"
    for name, row in scored["rows"].items():
        if row["all"]["flagged"] == 0 and not name.startswith("status"):
            continue
        cells = [name, str(row["all"]["flagged"]), fmt(row["all"]["precision"]), fmt(row["all"]["recall"])]
        cells += [f"{fmt(row[k]['precision'])} / {fmt(row[k]['recall'])}" for k in kinds]
        lines.append("| " + " | ".join(cells) + " |")
    true = ", ".join(f"{k} {n}" for k, n in scored["true"].items())
    return "\n".join(lines) + f"\n\nInjected: {true} stations."
