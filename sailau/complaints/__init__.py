"""The public register of complaints and appeals: who filed, against what, where, the legal
deadline (from `sailau.law.deadlines`), the decision and its effect on results."""
