"""Integrity analytics without Django: station-level results read from several sources, and the
statistical forensics of a whole election (integer percentages, digit tests, fingerprints, the
Klimek fraud model, Shpilkin's excess-vote estimate). Everything here takes numpy arrays or a
`StationResults` and returns plain dicts and arrays, so the web app can show per-station results."""
