"""Scoring a station-level flagger against known falsifications (the demo's injected ones, or
a synthetic election): precision, recall and F1 over station ids."""

from __future__ import annotations


def precision_recall(flagged, truth) -> dict:
    flagged, truth = {str(x) for x in flagged}, {str(x) for x in truth}
    tp = len(flagged & truth)
    fp = len(flagged - truth)
    fn = len(truth - flagged)
    precision = tp / (tp + fp) if flagged else None
    recall = tp / (tp + fn) if truth else None
    f1 = (2 * precision * recall / (precision + recall)
          if precision and recall else (0.0 if precision is not None and recall is not None else None))
    return {"flagged": len(flagged), "true": len(truth), "true_positives": tp,
            "false_positives": fp, "false_negatives": fn,
            "precision": None if precision is None else round(precision, 4),
            "recall": None if recall is None else round(recall, 4),
            "f1": None if f1 is None else round(f1, 4)}
