"""Campaign finance: each party's and candidate's fund, itemised income and spending imported
from reports (all or nothing), checked against the rule set's limits (`sailau.law`) with the
violations stored as findings, published per party and candidate, with downloads and the API."""
