"""What each integrity criterion is: a stable code, a key, its strength (a strong one flags the
station, a weak one puts it on watch) and its name and explanation in Kazakh, Russian and
English (what it means and what else could cause it); and the rules that give a station its
status. The numbers that light each criterion are computed in `criteria.py`.

Pure Python, no Django: the pages, the report and the published files read the texts here."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sailau.analysis import criteria_words
from sailau.languages import texts

T = texts("analysis.criteria_catalogue")

STRONG, WEAK = "strong", "weak"
FLAGGED, WATCH, CLEAR = "flagged", "watch", "clear"
STATUSES = (FLAGGED, WATCH, CLEAR)


@dataclass(frozen=True)
class Criterion:
    code: str  # stable: I01 ... never renumbered
    key: str
    strength: str  # strong | weak
    name: dict
    explanation: dict  # what it means and what else could cause it

    def to_json(self) -> dict:
        return {"code": self.code, "key": self.key, "strength": self.strength,
                "name": dict(self.name), "explanation": dict(self.explanation)}


CRITERIA: tuple[Criterion, ...] = (
    Criterion("I01", "control_error", STRONG,
              T("Control relation broken (error)"),
              T("A mandatory equality between the protocol's lines does not hold: such a protocol "
                "should not have passed entry. A sign of a miscount, a typing error or figures "
                "adjusted by hand.")),
    Criterion("I02", "more_ballots_than_issued", STRONG,
              T("More ballots in the boxes than issued"),
              T("More ballots were found in the boxes than were issued to voters. This is a "
                "direct sign of ballot stuffing; the only other explanation is a miscount.")),
    Criterion("I03", "control_warning", WEAK,
              T("Control relation warning"),
              T("The protocol was accepted with a warning (for instance more ballots issued "
                "outside the room than written requests). It shows that something happened, "
                "not that the result was falsified.")),
    Criterion("I04", "turnout_100", STRONG,
              T("Turnout of 100% or over"),
              T("A ballot was issued to every voter on the list. This practically never happens "
                "at a genuine station (perhaps at a very small special station).")),
    Criterion("I05", "turnout_outlier", WEAK,
              T("Turnout an outlier in its district"),
              T("Turnout is more than 3.5 robust z-scores above the median of the stations in "
                "the same district. Ballot stuffing raises turnout, but hospitals, military "
                "units or very engaged villages can look the same.")),
    Criterion("I06", "share_outlier", WEAK,
              T("A choice's share an outlier in its district"),
              T("One choice's share differs from the median of the stations in the same district "
                "by more than 3.5 robust z-scores. It can mean local support as well as votes "
                "moved from one choice to another.")),
    Criterion("I07", "mobile_share_extreme", WEAK,
              T("Mobile-box share extreme"),
              T("The share of ballots issued outside the room is an outlier in the district or "
                "above a quarter of all ballots. The mobile box is the hardest to observe, but "
                "care homes and hospitals give such shares too.")),
    Criterion("I08", "integer_percentages", WEAK,
              T("Integer percentages"),
              T("Both turnout and the leader's share are whole percentages (within 0.05 points): "
                "a sign of a result written to a target (Kobak, Shpilkin & Pshenichnikov, 2016). "
                "At one station it can happen by chance: the chance is given with the evidence.")),
    Criterion("I09", "fingerprint_model", WEAK,
              T("Suspect under the fingerprint model"),
              T("With the fraud model of Klimek et al. (2012) fitted to the whole election, the "
                "station lies in a cell where falsified stations dominate, well above the clean "
                "peak in turnout and share. This is a statement about its cell, not the station.")),
    Criterion("I10", "observer_copy_differs", STRONG,
              T("The official protocol differs from an observer's copy"),
              T("The figures of the certified copy handed to an observer do not match the "
                "published protocol: the figures may have changed after signing.")),
    Criterion("I11", "scan_qr_mismatch", STRONG,
              T("The scan's QR code does not match"),
              T("The figures in the QR code of the signed paper protocol's scan differ from the "
                "electronic protocol.")),
    Criterion("I12", "amended_after_publication", WEAK,
              T("Amended after publication"),
              T("The definitive protocol was changed by a commission decision after it was "
                "published. It may be a lawful correction; the decision and reason are shown.")),
    Criterion("I13", "late_submission", WEAK,
              T("Late submission"),
              T("The protocol became definitive more than 12 hours after the polls closed (the "
                "law allows the count at most 12 hours). Delay gives time to adjust figures, but "
                "communications or travel can also cause it.")),
    Criterion("I14", "negative_observer_assessment", WEAK,
              T("Negative observer assessments"),
              T("Observers assessed the voting or the count at the station negatively.")),
    Criterion("I15", "incidents", WEAK,
              T("Incidents"),
              T("Observers reported incidents at the station (obstruction of observers, breaches "
                "of procedure and the like).")),
    Criterion("I16", "stuffing_signature", STRONG,
              T("Turnout and the leader's share both high in the district"),
              T("Ballots added for the leader raise the turnout and the leader's share together. "
                "Both are above the district's medians by more robust z-scores than a bar taken "
                "from the election's own figures: the stations as far below on both estimate "
                "the chance ones, and they are at most a tenth of the stations above the bar "
                "(Barber & Candès, 2015). Or an observer at the count saw more ballots than "
                "voters and both z-scores exceed 1.28. Very engaged villages can look the same: "
                "a reason to check, not a proof.")),
    Criterion("I17", "verified_reading_differs", STRONG,
              T("The official protocol differs from the verified reading of the paper"),
              T("At least two volunteers, each without seeing the other's reading, typed the "
                "same figures from an image of the paper protocol (a scan or an observer's "
                "photo), and the published figures differ. The figures may have changed "
                "after signing; the image and both figures are shown side by side.")),
    Criterion("I18", "count_not_on_video", WEAK,
              T("The count is not fully covered by video"),
              T("The station has a registered camera, but between the close of the polls and "
                "the signing of the protocol there is a stretch with no recording, or the last "
                "recording ends before the signing. Nobody can check that part of the count. "
                "A camera fault, a power cut or a file not yet uploaded can also cause it.")),
    Criterion("I19", "observer_count_exceeded", STRONG,
              T("More ballots issued than the observer counted voters"),
              T("The observer at the station counted, from the book at the close, the voters who "
                "had received ballots; the official protocol says markedly more were issued "
                "(the difference is more than 3.5 robust z-scores above that of the other "
                "counted stations, and at least 5 ballots). This is the strongest sign of "
                "ballot stuffing; the only other explanation is the observer's miscount.")),
    Criterion("I20", "turnout_share_both_high", WEAK,
              T("Turnout and the leader's share both high (below the election's bar)"),
              T("Turnout and the leader's share are both more than 1.86 robust z-scores above the "
                "district's medians: both at once happens at about one clean station in a "
                "thousand, but this election has enough stations as far below on both that it "
                "is only to watch. The highest come first in the list.")),
    Criterion("I21", "stuffing_joint", STRONG,
              T("Turnout and the leader's share together above similar stations"),
              T("Ballots added for the leader raise the turnout and the leader's share "
                "together. The station is compared with the stations of its kind in its "
                "territory (town, village, special station); the sum of the two robust "
                "z-scores (of the log-odds, divided by √2) is above a bar taken from the election's own "
                "figures: the stations whose sum is as far below the medians estimate the "
                "chance ones, and they are at most a tenth of the stations above the bar "
                "(Klimek et al., 2012; Barber & Candès, 2015). Or an observer at the count saw "
                "more ballots than voters and the sum exceeds 2.33. Very engaged villages can "
                "look the same: a reason to check, not a proof.")),
    Criterion("I22", "fingerprint_outweighed_by_count", WEAK,
              T("Turnout and share high, but the observer's count agrees"),
              T("The figures alone would flag this station: turnout and the leader's share "
                "together above similar stations. But an observer at the station counted the "
                "voters who received ballots up to the close, and the protocol's ballots "
                "issued do not exceed that count. The fingerprint stands for ballots added and "
                "covered by issued ballots, and the one person who counted saw no such "
                "voters: the station is kept on watch, not flagged. A busy station looks the "
                "same.")),
    Criterion("I23", "issued_after_evening", STRONG,
              T("Too many ballots issued after the evening report"),
              T("Through the day the commission reports how many voters have received ballots, "
                "at the hours the CEC asks for. At this station the share of ballots issued "
                "after the 18:00 report is far above similar stations' (in 2023 only 2 % of the "
                "day's ballots nationwide came after 18:00). Ballots signed for in the name of "
                "absent voters in the last hours, or added at the count, look like this. So "
                "may a station where many vote in the evening (after work) or a figure "
                "misreported at 18:00; an observer who counted voters up to the close settles "
                "it.")),
)
BY_KEY = {c.key: c for c in CRITERIA}
BY_CODE = {c.code: c for c in CRITERIA}


def worded(criterion: Criterion, wording) -> Criterion:
    """The criterion in the words of a contest's kind (`law.kinds.Wording.criteria`, a
    vocabulary of `criteria_words`): a referendum's page reads of participation and the
    majority answer, not of turnout and a leader. `wording` None: the catalogue's words."""
    vocabulary = criteria_words.VOCABULARIES.get(getattr(wording, "criteria", None)) or {}
    name, explanation = vocabulary.get(criterion.code, (None, None))
    return replace(criterion, name=name or criterion.name,
                   explanation=explanation or criterion.explanation)


def of_kind(wording) -> tuple[Criterion, ...]:
    """Every criterion, in the words of the kind whose `Wording` is `wording`."""
    return tuple(worded(c, wording) for c in CRITERIA)

RULES: tuple[dict, ...] = (
    {"status": FLAGGED, "rule": "R1",
     "text": T("at least one strong criterion")},
    {"status": WATCH, "rule": "R2",
     "text": T("weak criteria only")},
    {"status": CLEAR, "rule": "R3",
     "text": T("no criterion")},
)
