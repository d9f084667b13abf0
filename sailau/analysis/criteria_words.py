"""The integrity criteria's names and explanations in the words of a kind of vote other than
the Mazhilis's, whose words `criteria_catalogue.CRITERIA` speaks. A kind names its vocabulary
in its `law.kinds.Wording.criteria`; a criterion not listed here keeps the catalogue's text.

- QUESTION (a referendum): its voters take part ("participation", not "turnout"), its choices
  are answers (the criteria's "leader" is the answer with most votes in the territory), and
  there is no election and no electoral district: the stations are compared within their
  territory.
- ONE_SEAT (the President): a leader and an election, but no electoral districts: a station is
  compared with the stations of its territory (district, аудан/район), as the explanations say.

Pure Python, no Django."""

from __future__ import annotations

from sailau.languages import Text, texts

T = texts("analysis.criteria_words")

QUESTION, ONE_SEAT = "question", "one_seat"

_QUESTION = {
    # Those on the lists and those given ballots are citizens entitled to take part, not voters.
    "I02": (None,
            T("More ballots were found in the boxes than were issued to citizens. This is a "
              "direct sign of ballot stuffing; the only other explanation is a miscount.")),
    "I19": (T("More ballots issued than the observer counted"),
            T("The observer at the station counted, from the book at the close, the citizens "
              "who had received ballots; the official protocol says markedly more were issued "
              "(the difference is more than 3.5 robust z-scores above that of the other "
              "counted stations, and at least 5 ballots). This is the strongest sign of "
              "ballot stuffing; the only other explanation is the observer's miscount.")),
    "I23": (None,
            T("Through the day the commission reports how many citizens have received "
              "ballots, at the hours the Central Referendum Commission asks for. At this "
              "station the share of ballots issued after the 18:00 report is far above "
              "similar stations' (in 2023 only 2 % of the day's ballots nationwide came after "
              "18:00). Ballots signed for in the name of absent citizens in the last hours, "
              "or added at the count, look like this. So may a station where many vote in "
              "the evening (after work) or a figure misreported at 18:00; an observer who "
              "counted those given ballots up to the close settles it.")),
    "I04": (T("Participation of 100% or over"),
            T("A ballot was issued to everyone on the list. This practically never happens "
              "at a genuine station (perhaps at a very small special station).")),
    "I05": (T("Participation an outlier in its territory"),
            T("Participation is more than 3.5 robust z-scores above the median of the "
              "stations in the same territory. Ballot stuffing raises participation, but "
              "hospitals, military units or very engaged villages can look the same.")),
    "I06": (T("An answer's share an outlier in its territory"),
            T("One answer's share differs from the median of the stations in the same "
              "territory by more than 3.5 robust z-scores. It can mean local opinion as well "
              "as votes moved from one answer to the other.")),
    "I07": (None,
            T("The share of ballots issued outside the room is an outlier in the territory "
              "or above a quarter of all ballots. The mobile box is the hardest to observe, "
              "but care homes and hospitals give such shares too.")),
    "I08": (None,
            T("Both participation and the majority answer's share are whole percentages "
              "(within 0.05 points): a sign of a result written to a target (Kobak, Shpilkin "
              "& Pshenichnikov, 2016). At one station it can happen by chance: the chance is "
              "given with the evidence.")),
    "I09": (None,
            T("With the fraud model of Klimek et al. (2012) fitted to the whole referendum, "
              "the station lies in a cell where falsified stations dominate, well above the "
              "clean peak in participation and share. This is a statement about its cell, "
              "not the station.")),
    "I16": (T("Participation and the majority answer's share both high in the territory"),
            T("Ballots added for the majority answer raise participation and that answer's "
              "share together. Both are above the territory's medians by more robust "
              "z-scores than a bar taken from the referendum's own figures: the stations as "
              "far below on both estimate the chance ones, and they are at most a tenth of "
              "the stations above the bar (Barber & Candès, 2015). Or an observer at the "
              "count saw more ballots than people who received them and both z-scores exceed "
              "1.28. Very engaged villages can look the same: a reason to check, not a "
              "proof.")),
    "I20": (T("Participation and the majority answer's share both high (below the "
              "referendum's bar)"),
            T("Participation and the majority answer's share are both more than 1.86 robust "
              "z-scores above the territory's medians: both at once happens at about one "
              "clean station in a thousand, but this referendum has enough stations as far "
              "below on both that it is only to watch. The highest come first in the list.")),
    "I21": (T("Participation and the majority answer's share together above similar "
              "stations"),
            T("Ballots added for the majority answer raise participation and that answer's "
              "share together. The station is compared with the stations of its kind in its "
              "territory (town, village, special station); the sum of the two robust "
              "z-scores (of the log-odds, divided by √2) is above a bar taken from the "
              "referendum's own figures: the stations whose sum is as far below the medians "
              "estimate the chance ones, and they are at most a tenth of the stations above "
              "the bar (Klimek et al., 2012; Barber & Candès, 2015). Or an observer at the "
              "count saw more ballots than people who received them and the sum exceeds "
              "2.33. Very engaged villages can look the same: a reason to check, not a "
              "proof.")),
    "I22": (T("Participation and share high, but the observer's count agrees"),
            T("The figures alone would flag this station: participation and the majority "
              "answer's share together above similar stations. But an observer at the "
              "station counted the people who received ballots up to the close, and the "
              "protocol's ballots issued do not exceed that count. The fingerprint stands "
              "for ballots added and covered by issued ballots, and the one person who "
              "counted saw no such participants: the station is kept on watch, not flagged. "
              "A busy station looks the same.")),
}

# The President: its leader and its election are the catalogue's words; only the electoral
# district ("округ") is not (the stations are compared within their territory).
_ONE_SEAT = {
    "I05": (T("Turnout an outlier in its territory"), None),
    "I06": (T("A candidate's share an outlier in its territory"), None),
    "I07": (None, _QUESTION["I07"][1]),
    "I16": (T("Turnout and the leader's share both high in the territory"), None),
}

# vocabulary -> criterion code -> (name, explanation); None keeps the catalogue's.
VOCABULARIES: dict[str, dict[str, tuple[Text | None, Text | None]]] = {
    QUESTION: _QUESTION, ONE_SEAT: _ONE_SEAT}


# The integrity report's own words where a referendum's differ from an election's: the
# forensic methods' headings and explanations (told of a leader and turnout by their authors,
# here of the majority answer and participation), the ranking's sentence, and the names of the
# evidence fields the criteria write (`integrity.views.EVIDENCE_LABELS`, `SOBYANIN_LABELS`).
# A word not listed keeps the page's own (an election's).
_QUESTION_PAGE = {
    "forensics": T("Statistical forensics of the whole referendum"),
    "fingerprint": T("Fingerprint: participation against the majority answer's share"),
    "fingerprint_text": T(
        "Each point of the picture is the number of citizens on the lists at stations with "
        "that participation (to the right) and that share for the majority answer (upwards). "
        "A clean vote shows one round spot. Ballots added for one answer draw a tail towards "
        "the top right corner; results written to a target draw bright lines at whole "
        "percentages. Places where people really are united (some villages, military units) "
        "also lie in the corner, so the picture shows a pattern, not which station is false."),
    "integer_text": T(
        "Counts how many stations have a participation or a majority answer's share that is a "
        "whole percentage, and compares it with what chance gives (1,000 binomial resamples, "
        "Kobak, Shpilkin & Pshenichnikov 2016). An excess means some results were written to a "
        "target. It cannot say which stations, nor detect targets that are not round numbers."),
    "klimek_text": T(
        "Fits to the fingerprint a model in which a share f_i of stations has some ballots "
        "added for the majority answer and a share f_e nearly all of them. Values near zero "
        "mean the fingerprint needs no fraud to explain it; they cannot rule out fraud that "
        "keeps the shape of the fingerprint."),
    "excess_text": T(
        "The votes for the majority answer (red) and for the other answer (grey) by station "
        "participation. Where participation rises only through added ballots, the other "
        "answer's votes stop growing and the majority answer's keep rising. The clean "
        "participation is taken at the peak of the other answer's votes (the dashed line); the "
        "majority answer's votes above it beyond the clean ratio are counted as excess. The "
        "estimate depends on that choice and assumes that higher participation would not by "
        "itself favour the majority answer."),
    "votes_by_turnout": T("Votes by participation"),
    "clean_peak": T("Clean participation peak"),
    "leader_share": T("Majority answer's share"),
    "sobyanin_text": T(
        "How many of each extra participant in higher-participation stations went to the "
        "majority answer. A slope above that answer's share suggests that added ballots went to "
        "it; it cannot separate that from real differences between places."),
    "ranked": T(
        "Ranked: first the stations with direct evidence (an observer's copy or a verified "
        "reading of the paper that differs, an observer's count of participants below the "
        "ballots issued, more ballots in the boxes than issued), the most votes in question "
        "first; then those whose participation and majority answer's share are furthest above "
        "similar stations together."),
}

# The names of the evidence fields the criteria write, by their keys.
_QUESTION_EVIDENCE = {
    "voters_on_list": T("citizens on the list"),
    "turnout": T("participation"),
    "turnout_pct": T("participation, %"),
    "leader_share_pct": T("majority answer's share, %"),
    "turnout_median": T("median participation of the group"),
    "leader_share_median": T("majority answer's median share in the group"),
    "turnout_z": T("participation deviation (z)"),
    "leader_share_z": T("majority answer's share deviation (z)"),
    "leader": T("majority answer"),
    "leader_share": T("majority answer's share"),
    "choice": T("answer"),
    "bar": T("the referendum's bar (z)"),
    "observer_count": T("observer's count of participants"),
    "ballots_added_estimate": T("ballots beyond the median participation"),
}

# The lines of the Sobyanin–Sukhovolsky slope, by their keys.
_QUESTION_SLOPE = {
    "leader_slope": T("Slope of the majority answer's votes"),
    "others_slope": T("Slope of the other answer's votes"),
    "leader_share": _QUESTION_PAGE["leader_share"],
}

# vocabulary -> word or key -> text: the integrity report's words, its evidence fields' names
# and its slope's lines in that vocabulary.
PAGE: dict[str, dict[str, Text]] = {QUESTION: _QUESTION_PAGE}
EVIDENCE: dict[str, dict[str, Text]] = {QUESTION: _QUESTION_EVIDENCE}
SLOPE: dict[str, dict[str, Text]] = {QUESTION: _QUESTION_SLOPE}
