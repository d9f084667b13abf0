"""What the volunteer pages, the station page and the refusals of this app say, as `Text`s
(kept beside the code that shows them, like the law's own texts). A page reads `PAGE` in its
language with `sailau.languages.page_words`, the refusals are raised with their `Text`."""

from sailau.languages import texts

T = texts("evidence.texts")

RATE_LIMITED = T("Too many readings in a short time: try again in {seconds} seconds.")
NOT_VOLUNTEER = T("Become a volunteer first.")
NO_TASK = T("This task was not given to you.")
TASK_DONE = T("This task is closed (already typed, or it expired).")
UNKNOWN_STATION = T("No such station: {station}.")
NOT_MODERATOR = T("Only a CEC administrator decides this.")
NOTHING_TO_MODERATE = T("This image is not waiting for a moderator.")
NO_MISMATCH = T("This image's verified reading does not differ from the official protocol: "
                "there is nothing to complain of.")
NOT_FINDER = T("Only the observer whose copy this is, or a volunteer whose reading was "
               "confirmed, may file this complaint.")

# The pages' words, by key; `page(lang)` gives a template {key: text}.
PAGE = {
    "title": T("Checking the paper: volunteers"),
    "intro": T(
        "Volunteers re-type the figures of every published image (a scan of the signed protocol "
        "or an observer's photo of the copy). Each image is typed by at least two volunteers "
        "who do not see each other's work; two equal readings make its verified reading, "
        "which is compared with the official protocol. A volunteer sees neither the official "
        "figures nor anyone else's reading."),
    "handwritten": T(
        "Handwritten figures on observers' copies are not read by machine: only volunteers "
        "read them."),
    "sign_in": T("Sign in to volunteer"),
    "join": T("Become a volunteer"),
    "start": T("Type the next image"),
    "you": T("You are a volunteer"),
    "typed": T("typed"),
    "confirmed": T("confirmed"),
    "reputation": T("reputation"),
    "claims": T("My stations (\"I watch this one\")"),
    "claims_help": T("You get these stations' images first."),
    "claim": T("Add"),
    "unclaim": T("Remove"),
    "station_number": T("Station number"),
    "election": T("Election"),
    "stats": T("Statistics by territory"),
    "csv": T("Download CSV"),
    "territory": T("Territory"),
    "total": T("Total"),
    "images": T("Images"),
    "verified": T("Verified"),
    "matches": T("Match"),
    "mismatches": T("Differ"),
    "superseded": T("Earlier version"),
    "moderation": T("With a moderator"),
    "duplicates": T("Duplicate photos"),
    # Statistics by territory: stations and voters (stats.STATION_COLUMNS).
    "with_copy": T("Stations with an observer's copy"),
    "with_verified_scan": T("Stations with a verified scan"),
    "copy_differs": T("Copy differs from the official protocol"),
    "copy_not_posted": T("Copy not posted (as an observer answered)"),
    "voters_counted_at": T("Stations where an observer counted voters"),
    "voters_observed": T("Voters counted by observers"),
    "voters_official": T("Official turnout at the same stations"),
    "stats_help": T(
        "Each row is a territory, the last one the total. Fewer voters counted by observers "
        "than the official turnout is what stuffed ballots look like."),
    "json": T("Download JSON"),
    "no_images": T("No images yet."),
    "task_title": T("Type the figures on the image"),
    "task_help": T("Type what the paper says, even where its figures do not add up. The control "
                   "relations help you find a typing slip: \"Check\" shows what is broken."),
    # Machines read only what the system printed (QR code, printed digits);
    # handwriting is people's work, and the pages say so rather than guess.
    "handwriting": T(
        "Handwritten figures (observers' copies) are read by volunteers, not by machines. "
        "Machines read only the QR code and the printed digits of a protocol the system "
        "printed itself."),
    "image_alt": T("Image of the protocol"),
    "full_size": T("Open the image at full size"),
    "scan": T("scan of the signed protocol"),
    "copy": T("observer's photo of the copy"),
    "lines": T("Protocol lines"),
    "votes": T("Votes"),
    "check": T("Check"),
    "send": T("Send"),
    "cannot_read": T("I cannot read it"),
    "relations_ok": T("All control relations hold."),
    "relations_broken": T("Broken control relations (if the paper says so, send it anyway):"),
    "no_task": T("There is no image for you right now. Thank you!"),
    "thanks": T("Thank you, your reading is saved."),
    "evidence_title": T("Verified reading and the official protocol"),
    "line": T("Line"),
    "paper": T("On the paper (verified reading)"),
    "official": T("Official protocol"),
    "match_text": T("The official figures match what the paper says, checked by {n} volunteers."),
    "mismatch_text": T(
        "The official figures differ from what the paper says ({n} volunteers read it alike)."),
    "superseded_text": T(
        "This image is of version {version} of the protocol; the current version is {current}."),
    "no_official_text": T("There is no official protocol yet."),
    "open_text": T("Volunteers are still typing it."),
    "checking_text": T(
        "Being checked again: a third volunteer types the paper before any difference from "
        "the official figures is reported."),
    "moderation_text": T("The readings differ or the image cannot be read: a moderator decides."),
    "duplicate_text": T("This photo is the same as another station's image: station {number}."),
    "details": T("Image and figures"),
    "moderate": T("Moderator's reading"),
    "station": T("Station"),
    "complaint_title": T("Complaint about the mismatch"),
    "complaint_offer": T("You found this mismatch: a complaint is ready for you to check "
                         "and file."),
    "complaint_to": T("To: {body} (the higher commission)"),
    "complaint_against": T("Against: {name}"),
    "complaint_deadline": T(
        "File by {date} (the official figures were made definitive on {event}; the law "
        "gives {days} days)."),
    "complaint_late": T("The term has passed: the complaint is accepted but marked late."),
    "complaint_due": T("A decision is due by {date} ({days} days)."),
    "complaint_evidence": T("Attached: the image, and both figures (below)."),
    "complaint_name": T("Your name"),
    "complaint_contact": T("Contact"),
    "complaint_text_label": T("Text of the complaint"),
    "complaint_file": T("File the complaint"),
    "complaint_line": T("Line \"{line}\": {paper} on the paper, {official} in the official "
                        "protocol."),
    "complaint_text": T(
        "The official protocol of station {number} differs from the paper its precinct "
        "commission signed. Evidence: the {source}, read alike by {n} volunteers who did not "
        "see each other's work.\n{lines}\nI ask that the figures be checked against the "
        "paper and the official protocol corrected."),
    "volunteer_section": T("Checked against the paper"),
}


# The statistics' words where the kind counts participants, not voters (a referendum's, whose
# `law.kinds.Wording` names its count of those who came): participation, not turnout.
PARTICIPANTS = {
    "voters_counted_at": T("Stations where an observer counted participants"),
    "voters_observed": T("Participants counted by observers"),
    "voters_official": T("Official participation at the same stations"),
    "stats_help": T(
        "Each row is a territory, the last one the total. Fewer participants counted by "
        "observers than the official participation is what stuffed ballots look like."),
}


def catalogue(election=None) -> dict:
    """The pages' texts, in the words of the chosen `election`'s kind where it has its own (a
    referendum's: the label over the list of votes, participants counted); read in a language
    by `languages.page_words`."""
    words = election.wording() if election else None
    own = {**({"election": words.vote} if words.vote else {}),
           **(PARTICIPANTS if words.counted else {})} if words else {}
    return {**PAGE, **own}
