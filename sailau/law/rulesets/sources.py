"""Where the facts of the rule sets come from. Each is cited by its public title, date and address."""

from sailau.law.source import Source

ELECTIONS_LAW = Source(
    "Constitutional Law of the RK 'On Elections in the RK', No. 2464, 28 September 1995, as amended",
    "https://adilet.zan.kz/eng/docs/Z950002464_",
    "seat counts, thresholds, quota method, tie rule")
REFERENDUM_LAW = Source(
    "Constitutional Law of the RK 'On the Republican Referendum', No. 2592, 2 November 1995, as "
    "amended", None,
    "turnout and majority required, the regions' majorities for a change of the Constitution")
ODIHR_2023 = Source(
    "OSCE/ODIHR EOM, Kazakhstan early parliamentary elections 19 March 2023, Statement of "
    "Preliminary Findings and Conclusions (Kazakh; ODIHR statement, 2023 Mazhilis)", None,
    "98 Mazhilis seats: 69 closed-list seats in one national constituency with a 5% threshold, "
    "29 single-member districts, one round, most votes wins; threshold lowered from 7% to 5%; "
    "30% combined quota of women, youth and persons with disabilities on lists and seats")
CEC_2023 = Source(
    "Central Election Commission, 'On establishing the results of the elections of Mazhilis "
    "Members', 27 March 2023",
    "https://www.election.gov.kz/eng/news/releases/index.php?ID=8937",
    "official party-list result (votes as published, seats 40/8/6/6/5/4/0)")
ODIHR_2022 = Source(
    "OSCE/ODIHR Referendum Assessment Mission, Kazakhstan constitutional referendum 5 June 2022, "
    "Final Report (Kazakh; ODIHR final report, 2022 referendum), section on the legal framework and annex of final results",
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

# The President: the law's majority, the ballot, and the CEC's announced results.
CONSTITUTION_41 = Source(
    "Constitution of the Republic of Kazakhstan, adopted by referendum on 30 August 1995, "
    "article 41 points 5 and 6",
    None,
    "the candidate with more than fifty per cent of the votes of the voters who took part in "
    "the voting is elected; else a repeat vote of the two with most votes, more votes elected")
ELECTIONS_LAW_9 = Source(
    "Constitutional Law 'On Elections in the Republic of Kazakhstan', No. 2464, 28 September "
    "1995, article 9 point 1(2), unofficial English translation (TEPJF 'Vota Elections' "
    "thesaurus)",
    "https://www.te.gob.mx/vota_elections/thesaurus/article/22590/16231/173",
    "President: more than fifty per cent of the votes of the voters taking part; in the repeat "
    "vote, more votes than the other candidate")
ELECTIONS_LAW_44 = Source(
    "Constitutional Law 'On Elections in the Republic of Kazakhstan', No. 2464, 28 September "
    "1995, article 44 point 5, unofficial English translation (TEPJF 'Vota Elections' "
    "thesaurus)",
    "https://www.te.gob.mx/vota_elections/thesaurus/article/22844/16231/150",
    "the CEC's statement gives the citizens on the lists and those who took part in the voting, "
    "and the votes for each candidate")
AGAINST_ALL_2021 = Source(
    "Constitutional Law amending the Constitutional Law 'On Elections in the Republic of "
    "Kazakhstan', signed by the President on 25 May 2021 (ANI / The Astana Times, 'New law on "
    "elections', 26 May 2021); Central Election Commission resolution No. 4/408 of 22 June 2021 "
    "amending its resolutions (ballot forms), Ministry of Justice registration No. 23157; the "
    "CEC's statement that the option, introduced in 2021, stays for the presidential election "
    "of 20 November 2022 (Qazaq TV, 23 September 2022)",
    "https://aninews.in/news/world/asia/kazakhstan-new-law-on-elections-aims-to-engage-kazakh-citizens-in-political-institution-say-experts20210526172003/",
    "'against all' on the ballots of every level from the 2021 law (first used at the rural "
    "akim elections of 25 July 2021); absent before")
CEC_PRESIDENT_2011 = Source(
    "Central Election Commission, final results of the early presidential election of 3 April "
    "2011 (votes as tabulated by IFES ElectionGuide, election 2187; Nazarbayev's 95.55 % as "
    "cited by Wikipedia, '2011 Kazakh presidential election')",
    "https://electionguide.org/elections/id/2187/",
    "votes: Nazarbayev 7,850,958 (95.55 %), Kasymov 159,036, Akhmetbekov 111,924, Eleusizov "
    "94,452; valid 8,216,370 (the invalid ballots and the turnout not in the source)")
CEC_PRESIDENT_2015 = Source(
    "Central Election Commission, final results of the early presidential election of 26 April "
    "2015, announced by its chairman K. Turgankulov on 28 April 2015 (Trend, 'CEC of Kazakhstan "
    "announced the final results of the presidential election', 28 April 2015; Syzdykov's count "
    "as cited by Wikipedia, 'Kazakh presidential election, 2015')",
    "http://www.trend.az/casia/kazakhstan/2388631.html",
    "Nazarbayev 8,833,250 (97.75 %), Syzdykov 145,756 (1.61 %), Kusainov 0.64 % (his count "
    "not found); turnout 95.22 %")
CEC_PRESIDENT_2019 = Source(
    "Central Election Commission, final results of the early presidential election of 9 June "
    "2019, announced 10 June 2019 (TASS, 10 June 2019; votes as tabulated by IFES "
    "ElectionGuide, election 3257)",
    "https://electionguide.org/elections/id/3257/",
    "Tokayev 6,539,715 (70.96 %), Kosanov 1,495,401 (16.23 %), Espayeva 465,714, Rakhimbekov "
    "280,451, Taspikhov 182,898, Akhmetbekov 167,649, Tugel 84,582; valid 9,216,410, invalid "
    "57,700; 11,960,364 registered, 9,274,110 took part (77.54 %, Wikipedia '2019 Kazakh "
    "presidential election')")
CEC_PRESIDENT_2022 = Source(
    "Central Election Commission, final results of the early presidential election of 20 "
    "November 2022, announced 22 November 2022 (Kazinform, 'CEC announces final results of Nov "
    "20 presidential election', 22 November 2022; votes per candidate: The Astana Times, 21 "
    "November 2022)",
    "https://www.inform.kz/en/cec-announces-final-results-of-nov-20-presidential-election_a4004726",
    "8,300,046 voters received ballots (69.44 % of 11,953,465, The Astana Times); Tokayev "
    "6,456,393 (81.31 %; 6,456,392 in the preliminary count), against all 460,484 (5.80 %), "
    "Dairabayev 271,641, Abden 206,206, Kazhyken 200,907, Auesbayev 176,116, Tursynbekova "
    "168,731 (Kazinform misprints the last four as 206,000 and 300,907: the percentages "
    "confirm The Astana Times); the invalid ballots were not announced")
AGAINST_ALL_COUNT_2022 = Source(
    "Azattyq (Radio Free Europe), 'The Minister of Justice could not explain the meaning of the "
    "against-all line, which does not affect the result of the presidential election', 25 "
    "August 2022",
    "https://rus.azattyq.org/amp/32055557.html",
    "the Minister's reading: 'against all' counts in the turnout, not in the result; the CEC's "
    "2022 shares nonetheless include it in their base")
BALLOT_2011 = Source(
    "Central Asia Online (OCA Magazine), 'Nazarbayev re-elected with 95.5 % of vote', 4 April "
    "2011",
    "http://www.ocamagazine.com/nazarbayev-re-elected-with-955-of-vote",
    "the 'none of the above' option did not appear on the 2011 ballot")
TERM_2022 = Source(
    "Law amending the Constitution of the Republic of Kazakhstan, signed by the President on 17 "
    "September 2022 (Al Mayadeen, 'Law on constitutional amendments approved - Kazakh President "
    "office', 17 September 2022)",
    "https://english.almayadeen.net/news/politics/law-on-constitutional-amendments-approved---kazakh-president",
    "one seven-year presidential term; the count of the votes is unchanged")
