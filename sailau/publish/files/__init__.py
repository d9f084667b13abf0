"""The published files, built from the database: each station's and commission's document,
the downloads (CSV, Parquet, JSON), the NIST report, the tables of the whole country kept
station by station, results over time, the registers, the scan archives and the static viewer
inside each snapshot. A builder hands its bytes to `put`; the only files written here are the
viewer's entry points beside the manifest (`sitebake.write_entry_points`)."""
