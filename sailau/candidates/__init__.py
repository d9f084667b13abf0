"""Nomination and registration of candidates: each list and person nominated in a contest, the
documents and deposit recorded, the requirements of the rule set checked at nomination (findings
beside the commission's own decisions), every registration decision with its reason, body, date
and legal basis, appeals and their outcomes, presidential signature sheets checked against the
voter register; imported all or nothing, every import an audit record; public pages, downloads
and the API."""
