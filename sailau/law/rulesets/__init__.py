"""The catalogue of rule sets, by name. A new version of the law is a new entry here."""

from sailau.law.rulesets import parliament, president, referendum, senate, single

CATALOGUE = {rs.name: rs for rs in (*parliament.RULESETS, *single.RULESETS, *president.RULESETS,
                                    *referendum.RULESETS,
                                    *senate.RULESETS)}
