# The two commands: `make demo` and `make test`. Both install what they need.
.PHONY: demo test test-sqlite test-postgres install bench
PY := .venv/bin/python

install:
	@scripts/bootstrap

demo: install
	.venv/bin/sailau demo

# SQLite always; PostgreSQL too when SAILAU_TEST_POSTGRES_URL is set (CI sets it).
test: install
	scripts/test

bench: install
	$(PY) -m benchmarks
