# Pendamping — the targets a newcomer needs. Everything installs itself into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# requirements/*.lock pin every package with its hashes; `make lock` remakes them with uv
# from pyproject.toml's ranges (a plain pip is enough to install from them).
UV_VERSION := 0.13.9
LOCK_ARGS  ?=
UV_COMPILE  = $(BIN)/uv pip compile --quiet --no-config --universal --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_ARGS) pyproject.toml requirements/build.in
# The console's browser tests drive Debian's Chromium (apt-get install chromium, and
# chromium-l10n for the Indonesian screenshots): Playwright
# never downloads a browser of its own here.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test install migrate migration lint typecheck clean chaos lock

$(STAMP): pyproject.toml requirements/dev.lock
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)  # new, or left without pip by a failed venv
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)           ## create .venv and install the suite with its dev tools, from the lock

lock:                       ## remake requirements/*.lock after editing pyproject.toml (LOCK_ARGS=--upgrade: newest allowed)
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)  # new, or left without pip by a failed venv
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV_COMPILE) --extra prod -o requirements/prod.lock
	$(UV_COMPILE) --extra dev -c requirements/prod.lock -o requirements/dev.lock

run: $(STAMP)               ## run the whole suite in the foreground (Ctrl-C stops it)
	$(BIN)/pendamping run

migrate: $(STAMP)           ## apply every service's migrations
	$(BIN)/pendamping migrate

test: $(STAMP)              ## lint and type check, then every test (starts Redis itself if none answers)
	$(BIN)/ruff check shared ops services tests bench
	$(MAKE) --no-print-directory typecheck
	$(BIN)/python -m pytest -q

migration: $(STAMP)         ## a new alembic revision: make migration SERVICE=intake MESSAGE="what changed"
	@test -n "$(SERVICE)" -a -n "$(MESSAGE)" || { echo 'usage: make migration SERVICE=intake MESSAGE="..."'; exit 2; }
	$(BIN)/python -c "import sys; from ops.migrations import new_revision; new_revision(*sys.argv[1:])" \
	"$(SERVICE)" "$(MESSAGE)"

.PHONY: fuzz
fuzz: $(STAMP)              ## OpenAPI fuzzing at full size (200 cases per operation and mode), then the security tests
	PENDAMPING_FUZZ_EXAMPLES=$${PENDAMPING_FUZZ_EXAMPLES:-200} PENDAMPING_FUZZ_RANDOM=1 \
	PENDAMPING_FUZZ_BACKENDS=sqlite,postgres PENDAMPING_SECURITY_BACKENDS=sqlite,postgres \
	$(BIN)/python -m pytest -q -s -p no:cacheprovider --timeout=3600 tests/fuzz tests/security

chaos: $(STAMP)             ## the chaos test at full size: 2,000 messages
	PENDAMPING_CHAOS_MESSAGES=2000 $(BIN)/python -m pytest -q -s -p no:cacheprovider --timeout=1800 tests/chaos

.PHONY: screenshots
screenshots: $(STAMP)       ## the staff console's browser test, saving its pages to docs/screenshots/*.png
	PENDAMPING_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider tests/e2e/test_console_browser.py

lint: $(STAMP)
	$(BIN)/ruff check shared ops services tests bench
	$(BIN)/ruff format --check shared ops services tests bench

typecheck: $(STAMP)
	$(BIN)/mypy shared ops services/notifications/quiet_hours.py services/notifications/reminder_timing.py \
		services/notifications/send_decision.py services/notifications/reply_intent.py \
		services/notifications/open_questions.py services/notifications/conversations.py \
		services/intake/client_codes.py services/intake/screening.py services/intake/identity.py \
		services/intake/data_request_rules.py services/intake/referral_rules.py \
		services/assessment/level_of_care.py services/assessment/capacity.py \
		services/assessment/engagement.py services/assessment/staffing_norm.py \
		services/assessment/risk_rules \
		services/console/lockout.py services/console/caseload.py services/console/charts.py \
		services/console/family_thread.py services/console/rsvp_week.py \
		services/console/risk_flag.py services/console/engagement.py

clean:
	rm -rf $(VENV) var .pytest_cache

# The benchmarks need only the standard library and what `make install` brings (bench/README.md).
.PHONY: bench
bench: $(STAMP)             ## benchmarks next to their baselines, ratio table at the end (BENCH_SCALE=2: bigger)
	$(BIN)/python -m bench.run_all
