# The two commands of the README. Each first installs what it needs on a fresh machine.
.PHONY: demo test deps test-deps browser-deps test-browser build release bench clean

SWIFT ?= swift
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# libzmq3-dev (ZeroMQ) and libsqlite3-dev (durable state), from Debian, when missing.
deps:
	@if ! pkg-config --exists libzmq || ! [ -f /usr/include/sqlite3.h ]; then \
		echo "installing libzmq3-dev and libsqlite3-dev"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libzmq3-dev libsqlite3-dev pkg-config; \
	fi

# pyzmq and PyYAML, for the protocol example that the tests run as an outside consumer;
# iproute2 (network namespaces for the multi-host tests), systemd's systemd-analyze (the
# host unit is verified) and prometheus's promtool (every /metrics page is checked), from
# Debian, when missing.
test-deps: deps
	@$(PYTHON) -c 'import zmq, yaml' 2>/dev/null || $(PYTHON) -m pip install -q pyzmq pyyaml
	@if ! [ -x /usr/sbin/ip ] || ! [ -x /usr/bin/systemd-analyze ] || ! [ -x /usr/bin/promtool ]; then \
		echo "installing iproute2, systemd and prometheus (for promtool)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends iproute2 systemd prometheus; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The whole system on this host from Topology/local.yaml, with simulated traffic, from
# nothing (var/local is removed first). Runs until Ctrl-C; ARGS="--duration 60" ends by itself.
demo: release
	$(SWIFT) run -c release switchboard demo --fresh $(ARGS)

# Unit and simulation tests run in parallel; the process tests (each starts a whole system of
# processes) run one suite at a time after them, so that on a small machine no system starves
# another of CPU while it starts. Every step is bounded: a suite that does not finish within
# PROCESS_SUITE_SECONDS is stopped with its processes (timeout signals the whole process group),
# named, and the run goes on to the next suite and fails at the end.
UNIT_TEST_SECONDS ?= 1200
PROCESS_SUITE_SECONDS ?= 600
# Each phase prints its wall time ("== phase NAME: N s"), and the run ends with all of them.
test: test-deps
	@failed=""; times=""; \
	phase() { name=$$1; shift; started=$$(date +%s); "$$@"; status=$$?; \
		took=$$(( $$(date +%s) - started )); times="$$times\n   $$name: $$took s"; \
		echo "== phase $$name: $$took s (exit $$status)"; return $$status; }; \
	phase build $(SWIFT) build --build-tests || exit 1; \
	phase unit-tests timeout -k 30 $(UNIT_TEST_SECONDS) $(SWIFT) test --skip-build --skip '^ProcessTests\.' \
		|| failed="$$failed unit-tests"; \
	for suite in $$(cd Tests/ProcessTests && ls *.swift | sed 's/\.swift$$//'); do \
		echo "== process tests: $$suite"; \
		phase "process-tests $$suite" timeout -k 30 $(PROCESS_SUITE_SECONDS) \
			$(SWIFT) test --skip-build --no-parallel --filter "ProcessTests\.$$suite/"; \
		status=$$?; \
		if [ $$status = 124 ]; then echo "== $$suite did not finish within $(PROCESS_SUITE_SECONDS) s; stopped"; fi; \
		if [ $$status != 0 ]; then failed="$$failed $$suite"; fi; \
	done; \
	echo "== browser tests"; \
	phase browser-tests $(MAKE) --no-print-directory test-browser || failed="$$failed Browser"; \
	printf "== wall time of each phase:$$times\n"; \
	if [ -n "$$failed" ]; then echo "== test suites that failed:$$failed"; exit 1; fi

# The pages in a real browser: Debian's Chromium and its driver, through Selenium from Python,
# against the real binary (one system for the whole suite; see Tests/Browser/support.py).
# Screenshots of every page a test used go to .build/browser-artifacts/.
BROWSER_TEST_SECONDS ?= 1200
browser-deps: test-deps
	@if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then \
		echo "installing chromium and chromium-driver"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver; \
	fi
	@$(PYTHON) -c 'import selenium, requests, websockets, zmq, axe_selenium_python, pytest' 2>/dev/null || \
		$(PYTHON) -m pip install -q selenium requests websockets pyzmq axe-selenium-python pytest

test-browser: browser-deps
	$(SWIFT) build --product switchboard
	SE_OFFLINE=true timeout -k 30 $(BROWSER_TEST_SECONDS) $(PYTHON) -m pytest -v -p no:cacheprovider Tests/Browser $(PYTEST_ARGS)

clean:
	rm -rf .build var
