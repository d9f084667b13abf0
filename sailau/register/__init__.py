"""The voter register's pure core: the population-register extract (parsing and validation),
eligibility, the synthetic register and duplicate detection. No Django here: the register app
calls these functions."""
