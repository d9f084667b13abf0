"""Where the facts of the rule sets come from. Seeds are in the shared `seeds/` folder."""

from sailau.law.source import Source

SPEC_RULES = Source("Sailau SPEC, section 'Rules' (facts gathered from the law and official results)",
                    None, "seat counts, thresholds, quota method, tie rule, referendum rules")
ODIHR_2023 = Source(
    "OSCE/ODIHR EOM, Kazakhstan early parliamentary elections 19 March 2023, Statement of "
    "Preliminary Findings and Conclusions (Kazakh; seeds/001)", None,
    "98 Mazhilis seats: 69 closed-list seats in one national constituency with a 5% threshold, "
    "29 single-member districts, one round, most votes wins; threshold lowered from 7% to 5%; "
    "30% combined quota of women, youth and persons with disabilities on lists and seats")
CEC_2023 = Source(
    "Central Election Commission, 'On establishing the results of the elections of Mazhilis "
    "Members', 27 March 2023",
    "https://www.election.gov.kz/eng/news/releases/index.php?ID=8937",
    "official party-list result (votes as in SPEC, seats 40/8/6/6/5/4/0)")
ODIHR_2022 = Source(
    "OSCE/ODIHR Referendum Assessment Mission, Kazakhstan constitutional referendum 5 June 2022, "
    "Final Report (Kazakh; seeds/000), section on the legal framework and annex of final results",
    "https://www.osce.org/files/f/documents/2/3/14310.pdf",
    "50% turnout of registered voters; constitutional change needs more than half in at least "
    "two-thirds of the regions; 17 regions in 2022; official national figures")
ELECTIONS_LAW_97 = Source(
    "Constitutional Law 'On Elections in the Republic of Kazakhstan' (1995), article 97 on the "
    "distribution of party-list mandates, unofficial English translation",
    "https://www.te.gob.mx/vota_elections/thesaurus/article/23093/16231/159",
    "7% of the voters who took part; if only one party reaches it, the party with the next "
    "largest number of votes is admitted too; first quota = admitted votes / mandates")
METHOD_2021 = Source(
    "qazaq-stan.press, 'On counting the parties' mandates in the new Mazhilis' (January 2021)",
    "https://qazaq-stan.press/o-podschete-mandatov-partii-v-novom-majilise.html",
    "integer parts of votes / first quota, then the largest fractional parts one by one")
RESULT_2021 = Source(
    "Almaty.tv and KazTAG, final results announced by the CEC on 12 January 2021",
    "https://zonakz.net/2021/01/12/76-mandatov-v-mazhilise-poluchila-pravyashhaya-partiya-kazaxstana/",
    "2021 votes: Nur Otan 5,148,074, Ak Zhol 792,828, QHP 659,019, Auyl 383,023, Adal 258,618 "
    "(percentages over the 7,241,562 votes for parties); 11,919,241 registered, 7,539,280 "
    "received ballots; seats 76/12/10 (also almaty.tv/news/saılaý-2021/1356)")
REUTERS_2012 = Source(
    "Reuters, 'Three parties gain entry to Kazakhstan's parliament', 17 January 2012",
    "http://uk.reuters.com/article/kazakhstan-election-results-idUKL6E8CH2Z420120117",
    "the law guarantees seats to the runner-up if it fails the 7% threshold")
KURULTAI_2026 = Source(
    "Kazinform, on the draft Constitution: Parliament ends 1 July 2026; the Kurultai has 145 "
    "deputies elected proportionally in one national constituency, 12 February 2026",
    "https://www.inform.kz/ru/nazvani-sroki-prekrasheniya-polnomochiy-parlamenta-i-provedeniya-viborov-v-kuriltay-3fb44d",
    "145 seats, proportional, single national constituency")
KURULTAI_QUOTAS = Source(
    "MTS.kg, 'Kazakhstan will have a unicameral parliament' (the President's proposal keeps the "
    "quotas for women, youth and persons with disabilities)",
    "https://mts.kg/en/politika/7337-v-kazahstane-budet-odnopalatnyj-parlament-iniciativa-prezidenta.html",
    "the 30% combined quota is kept")
