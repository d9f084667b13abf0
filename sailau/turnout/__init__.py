"""The commissions' reports of turnout through election day: at each hour the CEC asks for
(`sailau.law.turnout_hours`), how many voters have received ballots so far at one station."""
