"""The published files, built from the database: each station's and commission's document,
the downloads (CSV, Parquet, JSON), the NIST report, the tables of the whole country kept
station by station, results over time, the registers, the scan archives and the static viewer
inside each snapshot. Nothing here writes to storage: a builder hands its bytes to `put`."""
