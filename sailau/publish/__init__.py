"""Publication: drill-down pages, search, downloads (CSV, JSON, NIST SP 1500-100 v2), immutable
content-addressed snapshots and the read API. Everything here reads what the protocol chain
wrote; nothing upstream depends on it."""
