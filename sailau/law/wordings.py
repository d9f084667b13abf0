"""The words a kind of contest uses on the pages where they differ from an election's
(`Wording`): a referendum's question, answers and citizens on the lists; the Senate's joint
sessions and electors. Data only; `law.kinds` gives each kind its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sailau.languages import Text, texts

T = texts("law.wordings")


@dataclass(frozen=True, eq=False)  # one object per kind: compared (and hashed) by identity
class Wording:
    """What the pages call the parts of a kind's election where the words of an election at
    polling stations would mislead a reader (a Senate seat is no "single-member district of the
    maslikhat", its joint session no "polling station", its electors no "registered voters"; a
    referendum has no "election day" and no "leader"). A part left None keeps those words."""

    seats: Text | None = None  # the heading over the list of its contests, one seat each
    seat: Text | None = None  # that list's first column: what each contest is of
    station: Text | None = None  # one of its stations, as its page's heading names it
    stations: Text | None = None  # its stations, counted on the election's page
    voters: Text | None = None  # those on its stations' lists
    # Its stations are sittings of electors, not polling stations under district commissions
    # (the Senate's joint sessions): the election's structure counts territorial commissions
    # and sittings only, and a commission's children are headed as its sittings.
    sittings: bool = False
    voters_all: Text | None = None  # those on the lists of all its stations, before the day
    voters_reported: Text | None = None  # those on the lists of the stations that reported
    voters_note: Text | None = None  # why the two differ (the lists before the day, protocols)
    turnout_base: Text | None = None  # what the percentage of those who came is of
    protocol: Text | None = None  # the title of its stations' printed protocol
    day: Text | None = None  # the day of the vote, beside its date
    turnout: Text | None = None  # those who came, in percent of the voters on the lists
    turnout_day: Text | None = None  # the heading of the turnout reported through the day
    # Its latest hour, with "{hour}", "{share}" (in <strong>), "{n}" and "{total}" (the
    # stations reported and expected); when no station has reported; and where it comes from.
    turnout_day_lead: Text | None = None
    turnout_day_none: Text | None = None
    turnout_day_note: Text | None = None
    choice: Text | None = None  # the column of what was voted for
    leader: Text | None = None  # the choice with most votes in a territory (the map)
    share_note: Text | None = None  # what a share is a percent of, under the results
    # Its commissions' names by level ("cec", "territorial", "district", "precinct"; "abroad":
    # the district of the stations abroad, in the demo's structure), "{}" for
    # the place or the number, where a structure gives none of its own (the demo's) and where
    # a name must be read back to its place (`elections.models.Commission.place`).
    commissions: Mapping[str, Text] | None = field(default=None, compare=False)
    # The words of the integrity criteria's names and explanations: a vocabulary of
    # `analysis.criteria_words` ("question": participation, the majority answer, the
    # referendum; "one_seat": no electoral districts); None: the Mazhilis's words.
    criteria: str | None = None
    # The staff's and observers' pages (the entry, the turnout report, the observer's phone
    # form, the volunteers' pages): what the vote as a whole and one of its contests are
    # called in a list or a label; the line under the entry form's title, with "{n}" (the
    # station's list before the day); the link to the turnout report, that page's lead with
    # "{n}" and its field; the observer's count of those who came, its note and its field;
    # and the heading of the observers' samples committed before the day.
    vote: Text | None = None
    contest: Text | None = None
    registered_note: Text | None = None
    turnout_report: Text | None = None
    turnout_report_lead: Text | None = None
    turnout_report_field: Text | None = None
    counted: Text | None = None
    counted_note: Text | None = None
    counted_field: Text | None = None
    samples_before: Text | None = None
    # Whether these are a referendum's words, where a page or the demo chooses between texts
    # written for each (a question and citizens, not candidates and voters): a checklist item's
    # `label_referendum` where the form gives one (`observation.checklists.item_label`), its
    # `label` otherwise; the kinds of incident a referendum names in its words
    # (`observation.models.Incident.kinds_in`).
    referendum: bool = False
    # "Where do I vote": the link to the lists' oversight report, the lookup's lead, its answer
    # with "{n}" (the station's number) and its answer when no list holds the number.
    lists_report: Text | None = None
    lookup_lead: Text | None = None
    lookup_found: Text | None = None
    lookup_none: Text | None = None
    # The lists' pages (the oversight report and the staff's): the lists, the report's lead,
    # no station in the vote or in a territory, a station's empty list, the operations' title.
    lists: Text | None = None
    lists_lead: Text | None = None
    lists_no_station: Text | None = None
    lists_no_station_here: Text | None = None
    list_empty: Text | None = None
    list_operations: Text | None = None
    # Added on the day of the vote: the report's column, a list's row, the operation's heading.
    lists_added: Text | None = None
    list_added: Text | None = None
    list_add: Text | None = None


# A referendum's words.
REFERENDUM = Wording(
    criteria="question", referendum=True,
    # The election commissions act as the referendum's commissions and are so named:
    # Constitutional Law of the RK "On the Republican Referendum", No. 2592, 2 Nov 1995,
    # art. 13 ("the system of referendum commissions"). Assumption: the article's text was not
    # at hand here; the words follow the names the CEC used for the 5 June 2022 referendum as
    # far as known ("Центральная комиссия референдума"), each level named alike.
    commissions={
        "cec": T("Central Referendum Commission"),
        "territorial": T("{} territorial referendum commission"),
        "district": T("{} referendum commission"),
        "precinct": T("Precinct referendum commission no. {}"),
        # the district the demo gathers the stations abroad under (no place in it)
        "abroad": T("Referendum stations abroad")},
    # Its stations, and the citizens on their lists: the law names referendum stations and
    # "lists of citizens entitled to take part in the republican referendum" (Constitutional
    # Law of the RK "On the Republican Referendum", No. 2592, 2 Nov 1995). Assumption: the
    # articles' text was not at hand here; the words follow the Central Referendum
    # Commission's published usage for the 5 June 2022 and 15 March 2026 referendums
    # ("участки референдума", "референдум учаскесі", "списки граждан, имеющих право
    # участвовать в республиканском референдуме"). Those on the lists are "citizens", not
    # "participants": the law's participants are those who took part (`share_note`).
    station=T("Referendum station"),
    stations=T("Referendum stations"),
    voters=T("Citizens on the lists"),
    voters_all=T("Citizens on the lists of all referendum stations"),
    voters_reported=T("Citizens on the lists of the stations that reported"),
    voters_note=T(
        "Why two figures of citizens on the lists: the first is the lists of every station "
        "before the day of the vote; the one in the results comes from the protocols of the "
        "stations that have reported, with those added to the lists on the day of the vote."),
    turnout_base=T("ballots issued / citizens on the lists"),
    protocol=T("Protocol of the precinct referendum commission on the results of the vote"),
    day=T("Referendum day"),
    turnout=T("Participation in the referendum"),
    turnout_day=T("Participation through referendum day"),
    turnout_day_lead=T(
        "As of {hour}, <strong>{share}</strong> of the citizens on the lists had received "
        "ballots ({n} of {total} stations reported)."),
    turnout_day_none=T("No station in this area has reported participation yet."),
    turnout_day_note=T(
        "Summed from the precinct referendum commissions' own reports at the Central "
        "Referendum Commission's hours (local time). Each share is of the citizens on the "
        "lists of the stations that reported by that hour; the final participation is the "
        "protocols'."),
    choice=T("Answer"),
    leader=T("Majority answer"),
    vote=T("Referendum"),
    contest=T("Question"),
    registered_note=T(
        "Citizens on this station's list before the day of the vote: {n}. Line 1 counts "
        "them with those added on the day."),
    turnout_report=T("Report participation"),
    turnout_report_lead=T(
        "At each of the Central Referendum Commission's hours, report how many citizens "
        "have received ballots at this station since it opened. Citizens on the list before "
        "the day of the vote: {n}. A report is never changed once sent."),
    turnout_report_field=T("Citizens who have received ballots since the station opened"),
    counted=T("Participants counted"),
    counted_note=T(
        "Citizens who had received ballots by now, as the station's book shows: at arrival, "
        "every hour or so, and at departure."),
    counted_field=T("Participants"),
    samples_before=T("Samples committed before the day of the vote"),
    lists_report=T("Lists of citizens: oversight report"),
    lookup_lead=T("Enter your IIN: you will see the number of your referendum station and its "
                  "address, nothing else. The number you type is not stored."),
    lookup_found=T("Referendum station no. {n}"),
    lookup_none=T(
        "No station list holds this IIN. If you hold an absentee certificate, vote at any "
        "station; otherwise ask your precinct referendum commission."),
    lists=T("Lists of citizens"),
    lists_lead=T(
        "Counts only: citizens added to the lists on the day of the vote by reason, "
        "mobile-voting requests, absentee certificates issued, redeemed and refused a second "
        "time, transfers. No personal data."),
    lists_no_station=T("This referendum has no referendum station yet: there is nothing to count."),
    lists_no_station_here=T("No station of this referendum is in this territory."),
    list_empty=T("No citizen is on this station's list yet."),
    list_operations=T("Operations on the lists of citizens"),
    lists_added=T("Added on the day of the vote"),
    list_added=T("added on the day of the vote"),
    list_add=T("Add a citizen on the day of the vote"),
    # The law's participants (`law.figures.counted`), the base of validity and adoption.
    share_note=T("Shares: percent of those who took part in the referendum (yes, no, both answers "
                 "marked and invalid ballots), as the law counts them."))

# The Senate's: a region's seat elected at a joint session of its maslikhats' deputies.
SENATE = Wording(sittings=True,
    seats=T("Senate seats: regions, cities of republican significance and the capital"),
    seat=T("Region"),
    station=T("Joint session of the maslikhats' deputies"),
    stations=T("Joint sessions of the maslikhats' deputies"),
    voters=T("Electors (maslikhat deputies)"))
