"""The standard precinct protocol: its lines and control relations, in Kazakh, Russian, English.

Principle for severity: a relation that can only fail through a miscount or a typing mistake
(an identity of the form, or what the law says the protocol must record) is an error and blocks
(`F`); a relation that can fail because something really happened at the station (more ballots
in the box than were issued, mobile voting without requests) is a warning (`W`): the protocol
must record what was found, and the flag makes it public. A rule set may move a relation to the
other side; the number stays, the letter follows the severity (W203 → F203).

Line numbers follow the order of the protocol's lines as we list them; they are ours until matched to the CEC's form."""

import math
from collections.abc import Mapping

from sailau.languages import texts
from sailau.law.protocol import (
    CHOICES,
    REGISTERED,
    Line,
    ProtocolForm,
    Relation,
    Severity,
    at_most,
    equal,
)

T = texts("law.forms")

LINES = {
    "voters_on_list": Line("voters_on_list", 1, T(
        "Voters on the list (including those added on the day of the vote)")),
    "ballots_received": Line("ballots_received", 2, T(
        "Ballots received by the precinct commission")),
    "issued_in_room": Line("issued_in_room", 3, T("Ballots issued in the polling room")),
    "issued_mobile": Line("issued_mobile", 4, T(
        "Ballots issued outside the polling room (mobile voting)")),
    "issued_absentee": Line("issued_absentee", 5, T(
        "Ballots issued to holders of absentee certificates")),
    "cancelled": Line("cancelled", 6, T("Ballots cancelled (unused)")),
    "lost": Line("lost", 7, T("Ballots lost")),
    "found_stationary": Line("found_stationary", 8, T("Ballots found in the stationary boxes")),
    "found_mobile": Line("found_mobile", 9, T("Ballots found in the mobile boxes")),
    "mobile_requests": Line("mobile_requests", 10, T(
        "Written requests for voting outside the polling room")),
    "invalid": Line("invalid", 11, T("Invalid ballots")),
    "both_marked": Line("both_marked", 12, T("Ballots marked both yes and no")),
    "valid": Line("valid", 13, T("Valid ballots"), required=False),
}

# A referendum's protocol counts citizens on the lists of those entitled to take part, not
# voters (Constitutional Law of the RK "On the Republican Referendum", No. 2592, 2 Nov 1995;
# assumption: worded after the Central Referendum Commission's published usage, the law's
# article on the protocol not read here). Its other lines are the election protocol's.
REFERENDUM_LINES = {**LINES, "voters_on_list": Line("voters_on_list", 1, T(
    "Citizens on the list of those entitled to take part (including those added on the day "
    "of the vote)"))}

# Every line of any protocol form, in the form's order: the figure columns of the published
# tables (CSV, Parquet), so that whatever a commission can type is published and checkable.
LINE_KEYS = tuple(LINES)

ISSUED = ("issued_in_room", "issued_mobile", "issued_absentee")
FOUND = ("found_stationary", "found_mobile")


def _code(number: str, severity: Severity) -> str:
    return ("F" if severity == "error" else "W") + number


def _mobile_box_voided(code: str, severity: Severity) -> Relation:
    """The law voids a mobile box holding more ballots than there were written requests; the
    protocol must then count all of that box as invalid."""
    def test(figures, choices):
        box, requests, invalid = (figures["found_mobile"], figures["mobile_requests"],
                                  figures["invalid"])
        if box > requests and invalid < box:
            return {"found_mobile": box, "mobile_requests": requests, "invalid": invalid}
        return None
    return Relation(
        code, severity, ("found_mobile", "mobile_requests", "invalid"),
        T("When a mobile box holds more ballots than there were written requests, the law voids "
          "every ballot in that box; the invalid line must include them."),
        T("The mobile boxes hold {found_mobile} ballots for {mobile_requests} written requests: "
          "by law the whole box is void, yet only {invalid} ballots are recorded as invalid."),
        test)


def standard_relations(referendum: bool = False,
                       severity: Mapping[str, Severity] | None = None) -> tuple[Relation, ...]:
    """The control relations of the precinct protocol. `severity` maps a relation number
    ("101"...) to "error" or "warning" where a rule set departs from the defaults."""
    sev = {"101": "error", "102": "error", "103": "error", "104": "error", "105": "error",
           "201": "warning", "202": "warning", "203": "warning", "204": "warning",
           "301": "warning"}
    sev.update(severity or {})
    counted = (CHOICES, "invalid") + (("both_marked",) if referendum else ())
    c = {n: _code(n, s) for n, s in sev.items()}
    return (
        equal(c["101"], sev["101"], ("ballots_received",), ISSUED + ("cancelled", "lost"),
              T("Every ballot received is issued (in the room, outside it, on an absentee "
                "certificate), cancelled unused, or lost."),
              T("Ballots received ({lhs}) ≠ issued + cancelled + lost ({rhs}); difference {diff}.")),
        equal(c["102"], sev["102"], FOUND, counted,
              *(REFERENDUM_102 if referendum else ELECTION_102)),
        equal(c["103"], sev["103"], ("valid",), (CHOICES,),
              T("Valid ballots equal the sum of the votes for all choices."),
              T("Valid ballots ({lhs}) ≠ sum of the votes for the choices ({rhs}); difference {diff}.")),
        at_most(c["104"], sev["104"], ISSUED, ("voters_on_list",), *(REFERENDUM_104 if referendum else (
                T("A ballot is issued only against a signature on the list, which includes voters "
                  "added on the day and absentee-certificate holders."),
                T("Ballots issued ({lhs}) exceed the voters on the list ({rhs}) by {diff}.")))),
        _mobile_box_voided(c["105"], sev["105"]),
        at_most(c["201"], sev["201"], FOUND, ISSUED,
                T("Ballots found may be fewer than those issued, never more; extra ballots are a "
                  "sign of ballot stuffing."),
                T("More ballots in the boxes ({lhs}) than were issued ({rhs}): {diff} extra.")),
        at_most(c["202"], sev["202"], ("found_mobile",), ("issued_mobile",),
                T("The mobile boxes cannot hold more ballots than were issued outside the room."),
                T("The mobile boxes hold {lhs} ballots, {diff} more than issued outside the room ({rhs}).")),
        at_most(c["203"], sev["203"], ("issued_mobile",), ("mobile_requests",),
                REFERENDUM_203 if referendum else
                T("Voting outside the room is only for voters who asked in writing (by 12:00 on "
                  "election day)."),
                T("Ballots issued outside the room ({lhs}) exceed the written requests ({rhs}) by {diff}.")),
        at_most(c["204"], sev["204"], ("found_stationary",), ("issued_in_room", "issued_absentee"),
                T("The stationary boxes cannot hold more ballots than were issued in the room."),
                T("The stationary boxes hold {lhs} ballots, {diff} more than issued in the room ({rhs}).")),
        _beyond_the_register(c["301"], sev["301"], referendum),
    )


# The relations' words where a referendum's differ from an election's: citizens on the lists
# of those entitled to take part, not voters; the day of the vote, not election day.
# Relation 102, every ballot found is counted: an election's ballot is a vote or invalid; a
# referendum's may also be marked both yes and no (the both_marked line).
ELECTION_102 = (
    T("Every ballot found in a box is a valid vote for one choice or invalid."),
    T("Ballots found in the boxes ({lhs}) ≠ votes for the choices + invalid ({rhs}); "
      "difference {diff}."))
REFERENDUM_102 = (
    T("Every ballot found in a box is a valid vote for one choice or invalid, or marked both "
      "yes and no."),
    T("Ballots found in the boxes ({lhs}) ≠ votes for the choices + invalid + both marked "
      "({rhs}); difference {diff}."))
REFERENDUM_104 = (
    T("A ballot is issued only against a signature on the list, which includes citizens "
      "added on the day and absentee-certificate holders."),
    T("Ballots issued ({lhs}) exceed the citizens on the list ({rhs}) by {diff}."))
REFERENDUM_203 = T(
    "Voting outside the room is only for those who asked in writing (by 12:00 on the day of "
    "the vote).")
REFERENDUM_301 = (
    T("Line 1 includes the citizens added to the list on the day of the vote, but they are "
      "few: a number far above the list before that day is most often a typing slip."),
    T("Citizens on the list ({lhs}) exceed the list before the day of the vote ({rhs}) by "
      "{diff}: check line 1 against the paper."))


# Voters added to a station's list on election day (a voter who moved, one not found on the
# list): a few, not a multiple of the register. Beyond this many over the register before the
# day, line 1 is more likely a typing slip (1,000 for an embassy's 86) than day additions.
ADDED_ON_THE_DAY_SHARE = 0.10
ADDED_ON_THE_DAY_MIN = 20


def _beyond_the_register(code: str, severity: Severity, referendum: bool = False) -> Relation:
    """Line 1 (voters on the list, the day's additions included) against the station's voter
    register before election day, the one relation whose other side is not on the protocol:
    `ProtocolForm.check(..., registered=N)` gives it (`REGISTERED`); without it the relation
    does not apply. A warning: a station can really receive many voters on the day."""
    def test(figures, choices):
        registered = figures.get(REGISTERED)
        if registered is None:
            return None
        allowed = registered + max(ADDED_ON_THE_DAY_MIN,
                                   math.ceil(ADDED_ON_THE_DAY_SHARE * registered))
        listed = figures["voters_on_list"]
        return None if listed <= allowed else {"lhs": listed, "rhs": registered,
                                               "diff": listed - registered, "allowed": allowed}
    return Relation(
        code, severity, ("voters_on_list",), *(REFERENDUM_301 if referendum else (
        T("Line 1 includes the voters added to the list on election day, but they are few: a "
          "number far above the list before election day is most often a typing slip."),
        T("Voters on the list ({lhs}) exceed the list before election day ({rhs}) by {diff}: "
          "check line 1 against the paper."))),
        test)


def candidate_form(kind: str, against_all: bool = True,
                   severity: Mapping[str, Severity] | None = None) -> ProtocolForm:
    """Protocol of an election (parties or candidates, optionally "against all")."""
    keys = [k for k in LINES if k != "both_marked"]
    return ProtocolForm(kind, tuple(LINES[k] for k in keys),
                        standard_relations(False, severity), None, against_all)


def referendum_form(kind: str = "referendum",
                    severity: Mapping[str, Severity] | None = None) -> ProtocolForm:
    """Protocol of a referendum question: yes, no, and ballots with both marked."""
    return ProtocolForm(kind, tuple(REFERENDUM_LINES.values()), standard_relations(True, severity),
                        ("yes", "no"), False)
