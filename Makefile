# The two commands of the README. Each first installs what it needs on a fresh machine.
.PHONY: demo test deps test-deps build release bench clean

SWIFT ?= swift
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# libzmq3-dev (ZeroMQ) and libsqlite3-dev (durable state), from Debian, when missing.
deps:
	@if ! pkg-config --exists libzmq || ! [ -f /usr/include/sqlite3.h ]; then \
		echo "installing libzmq3-dev and libsqlite3-dev"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libzmq3-dev libsqlite3-dev pkg-config; \
	fi

# pyzmq and PyYAML, for the protocol example that the tests run as an outside consumer.
test-deps: deps
	@$(PYTHON) -c 'import zmq, yaml' 2>/dev/null || $(PYTHON) -m pip install -q pyzmq pyyaml

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The whole system on this host from Topology/local.yaml, with simulated traffic, from
# nothing (var/local is removed first). Runs until Ctrl-C; ARGS="--duration 60" ends by itself.
demo: release
	$(SWIFT) run -c release switchboard demo --fresh $(ARGS)

# Unit and simulation tests run in parallel; the process tests (each starts a whole system of
# processes) run one at a time after them, so that on a small machine no system starves another
# of CPU while it starts.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip ProcessTests
	$(SWIFT) test --skip-build --filter ProcessTests --no-parallel

clean:
	rm -rf .build var
