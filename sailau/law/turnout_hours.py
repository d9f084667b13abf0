"""The hours of election day at which each precinct commission reports how many voters have
received ballots so far, and which of them the evening criterion (I23) reads.

Practice of the Central Election Commission, not a provision quoted in the ODIHR reports: on 19 March 2023
the CEC announced the share of listed citizens who had received ballots "as of" 12:00 (30.65 %),
14:00 (46.84 %), 16:00 (51.98 %), 18:00 (53.11 %) and 20:00, the close (54.09 %), from the
figures the territorial commissions gathered from the precincts; the final figure, 22:10 Astana
time, was 54.19 % (`SOURCES`). An announcement at 10:00 is likely but was not found, so it is not
listed. Each hour is the station's local wall-clock time. Pure Python: no Django here."""

from __future__ import annotations

import datetime as dt

from sailau.law.source import Source

SOURCES = (
    Source("CEC of Kazakhstan, turnout as of 12:00, 19 March 2023, as reported by time.kz",
           "https://time.kz/news/politics/2023/03/19/pochti-tret-izbiratelej-uzhe-progolosovali",
           "30.65 % at 12:00"),
    Source("CEC of Kazakhstan, turnout as of 14:00, 19 March 2023, as reported by Sputnik "
           "Kazakhstan", "https://sputnik.kz/amp/20230319/sagat-1400-degi-zhagday-boyynsha-"
           "saylaushylardyn-47-payyzga-zhuygy-byulleten-aldy-33088018.html", "46.84 % at 14:00"),
    Source("CEC of Kazakhstan, turnout as of 16:00, 19 March 2023, as reported by Arbat.media",
           "https://arbatmedia.kz/vaznoe-v-kazaxstane/bolee-50-izbiratelei-progolosovali-na-"
           "vyborax-cik-8839", "51.98 % at 16:00"),
    Source("CEC of Kazakhstan, turnout as of 18:00, 19 March 2023, as reported by Informburo",
           "https://informburo.kz/amp/novosti/5311-izbiratelei-progolosovali-na-vyborax-v-"
           "mazilis-i-maslixaty", "53.11 % at 18:00"),
    Source("CEC of Kazakhstan, turnout at the close, 20:00, 19 March 2023, as reported by Mir 24",
           "https://lite.mir24.tv/news/16545820/yavka-na-vyborah-k-zakrytiyu-uchastkov-v-"
           "bolshinstve-regionov-kazahstana-prevysila-54", "54.09 % at 20:00"),
    Source("CEC of Kazakhstan, turnout as of 22:10 Astana time, 19 March 2023, as reported by "
           "Egemen Qazaqstan", "https://egemen.kz/article/338085-saylau-2023-dauys-berushilerdinh"
           "-sonhghy-malimetteri-dgariyalandy", "54.19 %, every station closed"),
)

# Local hours at which a precinct reports its ballots issued so far.
HOURS: tuple[int, ...] = (12, 14, 16, 18, 20)
# The hour the polls close (`eligibility.VoterRules.polls_close`): its report is the last of the
# day, made before the count.
CLOSING_HOUR = 20
# The evening criterion counts the ballots issued after this hour's report: the last one two
# hours before the close, so that ballots signed for in the last hours and ballots added at the
# count are both after it.
EVENING_FROM = 18

# The national shares announced on 19 March 2023 (`SOURCES`), hour -> percent of the list; the
# demo draws each station's day around their shape.
ANNOUNCED_2023 = {12: 30.65, 14: 46.84, 16: 51.98, 18: 53.11, 20: 54.09}
FINAL_2023 = 54.19


def is_hour(hour: int) -> bool:
    return hour in HOURS


# When the report of an hour is taken. ASSUMPTION, PROJECT DEFAULT: none of `SOURCES` nor the
# Constitutional Law "On Elections in the RK" (No. 2464, 28 September 1995) says how long after
# its hour a figure may still be given. The figure is the count "as of" the hour, so it is taken
# from the hour itself (a 20:00 figure sent at 14:00 is not a 20:00 figure) until the next
# reporting hour, when the next count is due, and an hour more for a slow connection: the 12:00
# report from 12:00 to 15:00. The closing hour's report is taken until two hours after the
# close: on 19 March 2023 the CEC had every station's figure by 22:10 (`SOURCES`). Past its window
# a figure would be written as of an hour long gone, and the day's sums would change after they
# were announced: it is refused and the territorial commission told instead.
REPORT_GRACE = dt.timedelta(hours=1)
CLOSING_GRACE = dt.timedelta(hours=2)


def window(election_day: dt.date, hour: int) -> tuple[dt.datetime, dt.datetime]:
    """(from, until): the local wall-clock times of election day between which the report of
    `hour` (one of HOURS) is taken, `from` included and `until` not. Naive: the caller places
    them in the station's time zone."""
    start = dt.datetime.combine(election_day, dt.time(hour))
    later = [h for h in HOURS if h > hour]
    if later:
        return start, dt.datetime.combine(election_day, dt.time(later[0])) + REPORT_GRACE
    return start, dt.datetime.combine(election_day, dt.time(CLOSING_HOUR)) + CLOSING_GRACE


def when(election_day: dt.date, hour: int, local_now: dt.datetime) -> str:
    """"early", "late" or "" (within its window) for a report of `hour` made at `local_now`, the
    station's local wall-clock time (naive)."""
    start, end = window(election_day, hour)
    if local_now < start:
        return "early"
    if local_now >= end:
        return "late"
    return ""
