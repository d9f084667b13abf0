"""The 2023 Mazhilis election as the synthetic one copies its shape: its date and id, how many
stations (abroad, special), single-member districts and list seats, the parties with their
national shares of the ballots, the turnout, and the lines of the precinct protocol."""

import datetime as dt

ELECTION_DATE = dt.date(2023, 3, 19)
ELECTION_ID = "kz.mazhilis.2023-03-19"
FULL_STATIONS = 10_223
FULL_ABROAD = 77
FULL_SPECIAL = 300
SMD_COUNT = 29
LIST_SEATS = 69

# (id, short, kk, ru, en, colour, national share of ballots in 2023 official results,
#  registration order assumed for the demo)
PARTIES = [
    ("amanat", "AMANAT", "AMANAT партиясы", "Партия AMANAT", "AMANAT party", "#1f5fa8", 0.5390),
    ("akzhol", "Ақ жол", "«Ақ жол» демократиялық партиясы", "Демократическая партия «Ак жол»",
     "Ak Zhol Democratic Party", "#d9a404", 0.0841),
    ("auyl", "AUYL", "«AUYL» халықтық-демократиялық патриоттық партиясы",
     "Народно-демократическая патриотическая партия «Ауыл»", "AUYL party", "#3a8f3a", 0.1090),
    ("qhp", "ҚХП", "Қазақстан Халық партиясы", "Народная партия Казахстана",
     "People's Party of Kazakhstan", "#b22222", 0.0680),
    ("jsdp", "ЖСДП", "Жалпыұлттық социал-демократиялық партия",
     "Общенациональная социал-демократическая партия", "National Social Democratic Party",
     "#e4572e", 0.0520),
    ("baytaq", "Baytaq", "«Байтақ» Жасылдар партиясы", "Партия зелёных «Байтак»",
     "Baytaq Green Party", "#2e8b57", 0.0230),
    ("respublica", "Respublica", "Respublica партиясы", "Партия Respublica", "Respublica party",
     "#6a3d9a", 0.0859),
]
AGAINST_ALL_SHARE = 0.0390
NATIONAL_TURNOUT = 0.5419
LIST_KEYS = [p[0] for p in PARTIES] + ["against_all"]
LINE_KEYS = [
    "voters_on_list", "ballots_received", "issued_in_room", "issued_mobile", "issued_absentee",
    "cancelled", "lost", "found_stationary", "found_mobile", "invalid", "mobile_requests",
]
