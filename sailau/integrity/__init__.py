"""Integrity analytics in the pages: per-station criteria (sailau.analysis.criteria) and the
whole-election forensics (sailau.analysis.report) run on the current definitive protocols."""
