# Ponleu: the front door. `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PONLEU_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ponleu
PRODUCTION_CHECK_ENV := PONLEU_MODE=production ALLOWED_HOSTS=ponleu.example.org \
	DATABASE_URL=postgres://ponleu@127.0.0.1:5432/ponleu \
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	PONLEU_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from ponleu.encryption.keyring import new_key_line; print(new_key_line("check"))')
PYTEST_ARGS ?=
# Two pytest workers for the server-side tests (the machines have two cores), each taking
# the next test as it finishes one (work stealing); the browser journeys share one demo server
# and one Chromium, so they run in a session of their own.
PYTEST_WORKERS ?= 2
XDIST := -n $(PYTEST_WORKERS) --dist worksteal
# The tests marked `dated` run again on each of these days (ponleu/testing/travel.py): the first
# day of a school year, the last day of a month and of a leap year (a Sunday), 29 February at
# 06:30 (the UTC date is still the 28th), Khmer New Year, the long holidays on the last day of
# August (the main run is on the real day). One process: a second worker's start and test
# database would cost more than it saves on these few tests.
DATED_DAYS ?= 2027-11-01,2028-12-31,2028-02-29T06:30,2027-04-14,2027-08-31
SCALE ?= 1
# make fuzz: schemathesis cases per role of the test world (9 roles); make test runs 200 per role.
FUZZ_CASES ?= 1200

.PHONY: demo test install messages lint fmt openapi migrate run worker test-sqlite test-server test-browser test-postgres \
	checks bench-ews bench-search bench-names bench-directory clean browser-deps fuzz install-check bench-load

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

# Translations are compiled with Babel, so no system gettext is needed.
messages: $(STAMP)
	@$(BIN)/python -m ponleu.web.compile_messages

demo: install messages
	@mkdir -p var
	PONLEU_MODE=demo $(BIN)/ponleu migrate --noinput -v0
	PONLEU_MODE=demo $(BIN)/ponleu gazetteer load
	PONLEU_MODE=demo $(BIN)/ponleu demo
	PONLEU_MODE=demo $(BIN)/ponleu collectstatic --noinput -v0
	@echo
	@echo "Demo logins (every account also needs a code: .venv/bin/ponleu demo code USERNAME)"
	@PONLEU_MODE=demo $(BIN)/ponleu demo logins
	@echo
	PONLEU_MODE=demo $(BIN)/ponleu serve --host 127.0.0.1 --port 8000

run: install messages
	$(BIN)/ponleu serve

worker: install
	$(BIN)/ponleu worker

migrate: install
	$(BIN)/ponleu migrate

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The golden API schema (ponleu/api/openapi.json), regenerated after an API change; review the diff.
openapi: install
	$(BIN)/ponleu openapi --write

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

checks: install messages
	$(BIN)/ponleu makemigrations --check --dry-run
	$(PRODUCTION_CHECK_ENV) $(BIN)/ponleu check --deploy --fail-level WARNING

# Debian's Chromium for the browser journeys (tests/browser): installed when missing and we are
# root; otherwise the journeys skip with a loud message, and CI (CI=true) fails here.
browser-deps:
	@test -x /usr/bin/chromium && exit 0; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "Installing Chromium for the browser journeys (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium chromium-driver fonts-noto-core; \
	fi; \
	test -x /usr/bin/chromium && exit 0; \
	echo "=============================================================================="; \
	echo "Chromium is not installed (/usr/bin/chromium): THE BROWSER JOURNEYS WILL NOT RUN."; \
	echo "As root: apt-get install chromium chromium-driver fonts-noto-core"; \
	echo "=============================================================================="; \
	if [ "$$CI" = "true" ]; then echo "CI requires the browser journeys."; exit 1; fi

test-sqlite: test-server test-browser

# `make test` splits the identities of the request matrices (authorization matrix, adversarial
# pass, API fuzz) between the two database phases: every (identity, route, input, scope) runs in
# one of them (ponleu/testing/shards.py). Alone, a phase runs every identity.
MATRIX_SPLIT ?=
SHARD_SQLITE := $(if $(MATRIX_SPLIT),PONLEU_MATRIX_SHARD=1/2)
SHARD_POSTGRES := $(if $(MATRIX_SPLIT),PONLEU_MATRIX_SHARD=2/2)
MATRIX_TESTS := tests/security/test_matrix.py tests/security/test_matrix_inputs.py tests/test_api_fuzz.py

# The server-side tests on SQLite.
test-server: install messages
	$(SHARD_SQLITE) $(BIN)/pytest $(XDIST) --ignore=tests/browser $(PYTEST_ARGS)
	$(BIN)/pytest -n 0 --ignore=tests/browser -m dated --dates=$(DATED_DAYS) $(PYTEST_ARGS)

# The browser journeys, on SQLite; they print their own time line at the end.
test-browser: install messages browser-deps
	$(BIN)/pytest tests/browser $(PYTEST_ARGS)

# The server-side tests again on PostgreSQL: those that reach a database (a test that never
# does answers the same on both; ponleu/testing/scheduling.py). The test databases' commits do
# not wait for the disk (synchronous_commit, a per-session setting): a commit then costs a tenth
# of a millisecond instead of an fsync (6 ms measured here), and a test database is thrown away.
test-postgres: install messages
	@status=0; $(BIN)/python -m ponleu.testing.postgres_gate || status=$$?; \
	if [ $$status -eq 0 ]; then \
		PGOPTIONS="-c synchronous_commit=off" \
		DATABASE_URL=$(PONLEU_TEST_DATABASE_URL) $(SHARD_POSTGRES) $(BIN)/pytest $(XDIST) --ignore=tests/browser \
			-m "not browser" --database-tests-only $(PYTEST_ARGS); \
	elif [ $$status -eq 1 ]; then echo "PostgreSQL run skipped (see above)."; \
		if [ -n "$(MATRIX_SPLIT)" ]; then \
			echo "The request matrices' other identities, on SQLite instead:"; \
			$(SHARD_POSTGRES) $(BIN)/pytest $(XDIST) $(MATRIX_TESTS) $(PYTEST_ARGS); \
		fi; \
	else exit 1; fi

# Each phase in turn, stopping at the first that fails, then how long each took; phases joined
# by + run at the same time. The browser journeys mostly wait (for pages, axe-core, the next
# code of a phone): measured, 5 minutes of processor time in 13:45, so they run beside both
# database phases, which share the two cores between them. ponleu/testing/phases.py.
TEST_PHASES := lint checks test-browser+test-server+test-postgres

test:
	@MATRIX_SPLIT=1 $(PYTHON) ponleu/testing/phases.py $(TEST_PHASES)

# The API fuzz pass at depth (tests/test_api_fuzz.py): every role, 0 server errors and 0 schema
# violations; prints the figures. DATABASE_URL=postgres://... runs it on PostgreSQL.
fuzz: install messages
	PONLEU_FUZZ_CASES=$(FUZZ_CASES) $(BIN)/pytest tests/test_api_fuzz.py -p no:xdist -q -s -W ignore::UserWarning $(PYTEST_ARGS)

# Follow docs/operations/install.md on this machine as a fresh system user with its own
# directories, database and ports, ending with `ponleu doctor` and a login through Caddy (root).
install-check: install
	bash deploy/install-check.sh

bench-ews: install
	$(BIN)/python bench/ews_features.py --scale $(SCALE)

# Against a running server on the demo world (bench/load.py): LOAD_ARGS="--url ... --users 200".
LOAD_ARGS ?=
bench-load: install
	PONLEU_MODE=demo $(BIN)/python bench/load.py $(LOAD_ARGS)

bench-search: install
	$(BIN)/python bench/search.py

bench-names: install
	$(BIN)/python bench/name_recall.py

# Directory search by service and commune over 20,000 providers (bench/directory_search.py); the
# target is for PostgreSQL: DATABASE_URL=postgres://... make bench-directory.
bench-directory: install
	$(BIN)/python bench/directory_search.py --database-url "$(DATABASE_URL)"

clean:
	rm -rf $(VENV) var/static var/screenshots
