"""Accounts and roles: who may do what, for which part of the commission tree.

A user's roles are (kind, commission) pairs. The commission sets the territory: a precinct
commission covers its own station, a district or territorial commission the stations under it,
a single-member district commission its district's stations, the CEC all stations of its
election. Anyone without a role is the public: they read, never write. The rules are in
`permissions` and are called by the service layer, so the API and the pages cannot disagree."""
