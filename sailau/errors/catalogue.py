"""Every refusal code (`Code`) and what it means in kk, ru and en (`MESSAGES`): the one
catalogue of the error model (sailau.errors, which re-exports both). Clients match on a code;
its meaning never changes. Every code has its text in each language (tests/test_errors.py walks
the enum), so a refusal whose raiser gave only an English message still reads in the page's
language."""

from __future__ import annotations

from enum import StrEnum

from sailau.errors.register_texts import FILE_TEXTS, ROW_TEXTS
from sailau.languages import texts

T = texts("errors.catalogue")


class Code(StrEnum):
    """Refusal codes. Clients match on these; their meaning never changes."""

    BAD_INPUT = "bad_input"
    BAD_QUERY = "bad_query"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    NOT_ALLOWED = "not_allowed"
    UNAUTHORIZED = "unauthorized"
    RATE_LIMITED = "rate_limited"
    # a request's body that did not arrive in time, refused before the application sees it
    # (sailau.bodyfirst)
    REQUEST_TIMEOUT = "request.timeout"
    # the protocol chain
    CHAIN_ERROR = "chain_error"
    TRANSITION = "transition"
    ENTRY_REJECTED = "entry_rejected"
    ENTRY_HAS_ERRORS = "entry_has_errors"
    WARNINGS_NOT_ACKNOWLEDGED = "warnings_not_acknowledged"
    ENTRY_TAKEN = "entry_taken"
    SECOND_ENTRY_SAME_USER = "second_entry_same_user"
    ENTRY_ALREADY_FINALISED = "entry_already_finalised"
    FIRST_ENTRY_NOT_FINALISED = "first_entry_not_finalised"
    ENTRIES_DIFFERENT = "entries_different"
    DEFINITIVE = "definitive"
    NOTHING_TO_RESOLVE = "nothing_to_resolve"
    COORDINATOR_TYPED_ENTRY = "coordinator_typed_entry"
    ENTRY_NUMBER = "entry_number"
    NOTHING_TO_DISCARD = "nothing_to_discard"
    # publication
    UNKNOWN_ELECTION = "unknown_election"
    UNKNOWN_COMMISSION = "unknown_commission"
    UNKNOWN_STATION = "unknown_station"
    UNKNOWN_CONTEST = "unknown_contest"
    STATION_NOT_IN_ELECTION = "station_not_in_election"
    STATION_NOT_IN_CONTEST = "station_not_in_contest"
    NOT_PUBLISHED = "not_published"
    # observation
    NOT_DEPLOYED = "not_deployed"
    UUID_CONFLICT = "uuid_conflict"
    # voters
    DEADLINE_PASSED = "deadline_passed"
    TOO_EARLY = "too_early"
    NOT_ON_LIST = "not_on_list"
    ALREADY_LISTED = "already_listed"
    NOT_ADDABLE = "not_addable"  # a same-day addition refused: nothing said of where or why
    ALREADY_REDEEMED = "already_redeemed"
    UNKNOWN_CERTIFICATE = "unknown_certificate"
    NOT_ELECTION_DAY = "not_election_day"
    NOT_ELIGIBLE = "not_eligible"
    SAME_STATION = "same_station"
    DUPLICATE = "duplicate"
    REQUIRED = "required"
    INVALID = "invalid"
    UNKNOWN = "unknown"
    UNKNOWN_LANGUAGE = "unknown_language"
    # structure and complaints
    STRUCTURE = "structure"
    # files
    STORAGE_UNAVAILABLE = "storage_unavailable"
    PUBLICATION_UNSETTLED = "publication_unsettled"
    # commission-held keys and the commission's own signature
    KEY_INVALID = "key_invalid"
    KEY_WEAK = "key_weak"
    KEY_ACTIVE = "key_active"
    KEY_NOT_CONFIRMED = "key_not_confirmed"
    KEY_CONFIRMED = "key_confirmed"
    KEY_REVOKED = "key_revoked"
    SIGNATURE_INVALID = "signature_invalid"
    SIGNATURE_VERSION = "signature_version"
    NOTHING_TO_SIGN = "nothing_to_sign"
    ALREADY_SIGNED = "already_signed"
    AWAITING_SIGNATURE = "awaiting_signature"
    NOT_ABOVE = "not_above"  # a commission neither the station's own nor the one above it

    # the protocol chain, continued
    RESOLUTION = "resolution"
    NOT_DEFINITIVE = "not_definitive"
    CONCURRENT_CHANGE = "concurrent_change"
    SIGNING_KEY_UNAVAILABLE = "signing_key_unavailable"
    UNKNOWN_TALLY = "unknown_tally"
    # observation, continued
    ALREADY_OBSERVER = "already_observer"
    COMMISSION_MEMBER = "commission_member"
    NOT_ACCREDITED = "not_accredited"
    TOO_LONG = "too_long"
    NOT_AN_IMAGE = "not_an_image"
    # an observer's photo, refused by the upload check (sailau.uploads) for its size or shape
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    PIXELS = "pixels"
    PAGES = "pages"
    # every uploaded file (sailau.uploads)
    UPLOAD_EMPTY = "upload.empty"
    UPLOAD_TOO_LARGE = "upload.too_large"
    UPLOAD_TYPE = "upload.type"
    UPLOAD_PIXELS = "upload.pixels"
    UPLOAD_PAGES = "upload.pages"
    UPLOAD_CORRUPT = "upload.corrupt"
    # a resumable video upload (sailau.api.tus) past the account's quota of unfinished bytes
    UPLOAD_QUOTA = "upload.quota"
    # protocol scans (sailau.scans): the upload codes, and what a scan is checked against
    SCAN_EMPTY = "scan.empty"
    SCAN_TOO_LARGE = "scan.too_large"
    SCAN_TYPE = "scan.type"
    SCAN_PIXELS = "scan.pixels"
    SCAN_PAGES = "scan.pages"
    SCAN_CORRUPT = "scan.corrupt"
    SCAN_NOT_IN_ELECTION = "scan.not_in_election"
    SCAN_NO_PROTOCOL = "scan.no_protocol"
    SCAN_OTHER_STATION = "scan.other_station"
    SCAN_OTHER_CONTEST = "scan.other_contest"
    # video recordings (sailau.video)
    NOT_VIDEO = "not_video"
    TRUNCATED = "truncated"
    HASH_MISMATCH = "hash_mismatch"
    OTHER_STATION = "other_station"
    NO_START_TIME = "no_start_time"
    CHECKSUM_MISMATCH = "checksum_mismatch"
    OFFSET_MISMATCH = "offset_mismatch"
    BEYOND_LENGTH = "beyond_length"
    LENGTH_REQUIRED = "length_required"
    CAMERA_REMOVED = "camera_removed"
    NO_FFPROBE = "no_ffprobe"
    TERMINATED = "terminated"
    ABANDONED = "abandoned"  # untouched for hours, its staged bytes removed (a sweep)
    # turnout reported through the day (sailau.turnout)
    TURNOUT_HOUR = "turnout.hour"
    TURNOUT_REPORTED = "turnout.reported"
    TURNOUT_ORDER = "turnout.order"
    TURNOUT_CLOSED = "turnout.closed"
    TURNOUT_EARLY = "turnout.early"  # before its hour (sailau.law.turnout_hours.window)
    TURNOUT_LATE = "turnout.late"  # past its hour's window
    # a presidential second round (sailau.elections.rounds, sailau.law.rounds)
    NO_SECOND_ROUND = "no_second_round"
    SECOND_ROUND_EXISTS = "second_round_exists"
    SECOND_ROUND_DATE = "second_round_date"
    # a register extract's row (sailau.register.extract; texts in errors/register_texts.py)
    ENCODING, CONTROL, FORMAT, CENTURY, DATE = "encoding", "control", "format", "century", "date"
    UNUSABLE, CHECK_DIGIT, FUTURE, TOO_OLD = "unusable", "check_digit", "future", "too_old"
    IIN_MISMATCH, INVALID_CHARS = "iin_mismatch", "invalid_chars"
    NOT_BOOLEAN, DUPLICATE_IIN = "not_boolean", "duplicate_iin"
    # a register extract that cannot be read as a whole (sailau.register.extract.ExtractError)
    EXTRACT_EMPTY = "extract.empty"
    EXTRACT_ENCODING = "extract.encoding"
    EXTRACT_MISSING_COLUMNS = "extract.missing_columns"
    EXTRACT_REPEATED_COLUMNS = "extract.repeated_columns"

# What a code means, in each language: shown when the raiser gave only an English message.
MESSAGES: dict[str, dict[str, str]] = {
    Code.BAD_INPUT: T("Invalid input"),
    Code.BAD_QUERY: T("Invalid search query"),
    Code.NOT_FOUND: T("Not found"),
    Code.CONFLICT: T("The request conflicts with the current state"),
    Code.NOT_ALLOWED: T("You are not allowed to do this"),
    Code.UNAUTHORIZED: T("Authentication required"),
    Code.RATE_LIMITED: T("Too many requests; try again later"),
    Code.REQUEST_TIMEOUT: T("The request arrived too slowly; send it again"),
    Code.ENTRY_HAS_ERRORS: T("The entry has errors"),
    Code.WARNINGS_NOT_ACKNOWLEDGED: T("Warnings must be acknowledged"),
    Code.ENTRY_TAKEN: T("This entry is being typed by another user"),
    Code.SECOND_ENTRY_SAME_USER: T("The second entry needs a different user"),
    Code.ENTRY_ALREADY_FINALISED: T("This entry is already finalised"),
    Code.FIRST_ENTRY_NOT_FINALISED: T("The first entry must be finalised first"),
    Code.ENTRIES_DIFFERENT: T("The two entries differ: a coordinator must resolve them"),
    Code.DEFINITIVE: T("The protocol is definitive: it changes only by an amendment"),
    # What a page shows for a raiser's English message that names ids (a station, a contest).
    Code.UNKNOWN_ELECTION: T("No such election"),
    Code.UNKNOWN_COMMISSION: T("No such commission in this election"),
    Code.UNKNOWN_STATION: T("No such polling station"),
    Code.UNKNOWN_CONTEST: T("No such contest"),
    Code.STATION_NOT_IN_ELECTION: T("This station is not in the election of this contest"),
    Code.STATION_NOT_IN_CONTEST: T("This station does not vote in this contest"),
    Code.DEADLINE_PASSED: T("The legal deadline has passed"),
    Code.NOT_DEPLOYED: T("You are not deployed to this station"),
    Code.STORAGE_UNAVAILABLE: T(
        "File storage is unavailable right now: the file was not stored. Try again shortly."),
    Code.PUBLICATION_UNSETTLED: T(
        "Protocols kept arriving faster than the log took them in: nothing was published now. "
        "The next round of publication publishes them; try again shortly."),
    Code.KEY_INVALID: T("This is not an Ed25519 public key (32 bytes, base64)"),
    Code.KEY_WEAK: T("This key cannot be used: an Ed25519 point of small order or in a "
                     "non-canonical encoding, with which one signature would verify for "
                     "anything. Make a new key"),
    Code.KEY_ACTIVE: T("The commission already has a key of its own: revoke it first"),
    Code.KEY_NOT_CONFIRMED: T("The commission's key is not yet confirmed by the commission "
                              "above"),
    Code.KEY_CONFIRMED: T("This key is already confirmed"),
    Code.KEY_REVOKED: T("This key has been revoked"),
    Code.SIGNATURE_INVALID: T("The signature does not verify over this protocol: other "
                              "figures, another version or another key"),
    Code.SIGNATURE_VERSION: T("The signature is for another version of the protocol"),
    Code.NOTHING_TO_SIGN: T("No protocol is awaiting the commission's signature"),
    Code.ALREADY_SIGNED: T("The protocol has already been signed by another member or by the "
                           "other commission that may sign it"),
    Code.NOT_ABOVE: T("This commission may not sign the station's protocol: only the "
                      "station's own commission, or the commission above that typed it from "
                      "the paper, signs it"),
    Code.AWAITING_SIGNATURE: T("The protocol is awaiting the commission's signature"),
    Code.METHOD_NOT_ALLOWED: T("This address does not accept this HTTP method"),
    Code.CHAIN_ERROR: T("The protocol could not be processed"),
    Code.TRANSITION: T("This step is not possible in the protocol's current state"),
    Code.ENTRY_REJECTED: T("The entry was refused"),
    Code.NOTHING_TO_RESOLVE: T("There is no difference to resolve"),
    Code.COORDINATOR_TYPED_ENTRY: T("A coordinator does not resolve entries they typed"),
    Code.ENTRY_NUMBER: T("The entry number must be 1 or 2"),
    Code.NOTHING_TO_DISCARD: T("There is no entry to discard"),
    Code.RESOLUTION: T("A resolution must choose one of the entries or give the figures"),
    Code.NOT_DEFINITIVE: T("The station has no definitive protocol for this contest yet"),
    Code.CONCURRENT_CHANGE: T("Someone else changed the protocol at the same time: try again"),
    Code.SIGNING_KEY_UNAVAILABLE: T("The commission's signing key is unavailable"),
    Code.UNKNOWN_TALLY: T("This commission has no totals of this contest"),
    Code.NOT_PUBLISHED: T("The results have not been published yet"),
    Code.UUID_CONFLICT: T("This identifier was already sent with different content"),
    Code.ALREADY_OBSERVER: T("This user is already registered as an observer"),
    Code.COMMISSION_MEMBER: T("A member of a commission cannot be an observer"),
    Code.NOT_ACCREDITED: T("The organisation is not accredited"),
    Code.TOO_LONG: T("The text is too long"),
    Code.NOT_AN_IMAGE: T("The file is not an image or is damaged"),
    Code.TOO_EARLY: T("It is too early for this"),
    Code.NOT_ON_LIST: T("The voter is not on the list"),
    Code.ALREADY_LISTED: T("The voter is already listed"),
    Code.NOT_ADDABLE: T("This person cannot be added to this station's list: they should "
                        "see the territorial election commission"),
    Code.ALREADY_REDEEMED: T("This certificate has already been used"),
    Code.UNKNOWN_CERTIFICATE: T("No such absentee certificate"),
    Code.NOT_ELECTION_DAY: T("This is done on election day only"),
    Code.NOT_ELIGIBLE: T("The voter is not eligible"),
    Code.SAME_STATION: T("The voter is already on this station's list"),
    Code.DUPLICATE: T("This is already recorded"),
    Code.REQUIRED: T("A required field is empty"),
    Code.INVALID: T("The value is not valid"),
    Code.UNKNOWN: T("The value is not known"),
    Code.UNKNOWN_LANGUAGE: T("A name or address is given in a language that is not one of the "
                             "written languages"),
    Code.STRUCTURE: T("The election structure cannot be imported: the files have errors"),
    Code.EMPTY: T("The file is empty"),
    Code.TOO_LARGE: T("The file is too large"),
    Code.PIXELS: T("The image has too many pixels"),
    Code.PAGES: T("The PDF has too many pages"),
    Code.UPLOAD_EMPTY: T("The file is empty"),
    Code.UPLOAD_TOO_LARGE: T("The file is too large"),
    Code.UPLOAD_TYPE: T("The file's type is not accepted (judged by its content)"),
    Code.UPLOAD_QUOTA: T("Unfinished uploads take too much space: finish or end the ones "
                         "already started first"),
    Code.UPLOAD_PIXELS: T("The image has too many pixels"),
    Code.UPLOAD_PAGES: T("The PDF has too many pages"),
    Code.UPLOAD_CORRUPT: T("The file is damaged or cannot be read"),
    Code.SCAN_EMPTY: T("The scan file is empty"),
    Code.SCAN_TOO_LARGE: T("The scan file is too large"),
    Code.SCAN_TYPE: T("The scan is not a PDF, JPEG or PNG"),
    Code.SCAN_PIXELS: T("The scan has too many pixels"),
    Code.SCAN_PAGES: T("The scan's PDF has too many pages"),
    Code.SCAN_CORRUPT: T("The scan is damaged or cannot be read"),
    Code.SCAN_NOT_IN_ELECTION: T("The station is not in this election"),
    Code.SCAN_NO_PROTOCOL: T("The station has no definitive protocol yet"),
    Code.SCAN_OTHER_STATION: T("This is the protocol of another station"),
    Code.SCAN_OTHER_CONTEST: T("This is the protocol of another contest"),
    # video recordings
    Code.TERMINATED: T("This upload was ended"),
    Code.ABANDONED: T("This upload was left untouched too long and what was sent is removed: "
                      "send the file again"),
    Code.NOT_VIDEO: T("The file is not a video (ffprobe found no video stream in it)"),
    Code.TRUNCATED: T("The recording is truncated or corrupt: its end is missing"),
    Code.HASH_MISMATCH: T("The file's SHA-256 does not match the declared one"),
    Code.OTHER_STATION: T("The recording belongs to another station"),
    Code.NO_START_TIME: T("The recording's start time is unknown (no creation_time tag, no "
                          "started_at given)"),
    Code.CHECKSUM_MISMATCH: T("The chunk's checksum does not match: send the chunk again"),
    Code.OFFSET_MISMATCH: T("Upload-Offset does not match the offset kept by the server"),
    Code.LENGTH_REQUIRED: T("The chunk's length (Content-Length) is missing: send the chunk again "
                            "with it"),
    Code.BEYOND_LENGTH: T("The chunk goes beyond the declared length of the file"),
    Code.CAMERA_REMOVED: T("This camera has been removed from the registry"),
    Code.NO_FFPROBE: T("ffprobe (Debian's ffmpeg package) is missing on the server: the recording "
                       "cannot be checked"),
    # turnout reported through the day
    Code.TURNOUT_HOUR: T("Turnout is not reported for this hour: only 12:00, 14:00, 16:00, "
                         "18:00 and 20:00"),
    Code.TURNOUT_EARLY: T("Turnout for this hour cannot be reported yet: it is reported from "
                          "that hour on"),
    Code.TURNOUT_LATE: T("The time to report turnout for this hour is over: tell the "
                         "territorial election commission"),
    Code.TURNOUT_REPORTED: T("Turnout for this hour has already been reported; a reported "
                             "figure is not changed"),
    Code.TURNOUT_ORDER: T("The ballots issued cannot be fewer than at an earlier hour or more "
                          "than at a later one"),
    Code.TURNOUT_CLOSED: T("The station's protocol has been entered: turnout through the day "
                           "is no longer accepted"),
    Code.NO_SECOND_ROUND: T("The first round's outcome does not call a second round"),
    Code.SECOND_ROUND_EXISTS: T("A second round of this election exists already"),
    Code.SECOND_ROUND_DATE: T("The second round's day is outside the term the law sets"),
}
MESSAGES.update({Code(code): text for code, text in (ROW_TEXTS | FILE_TEXTS).items()})
