"""The whole system for the browser tests: a topology of its own on free loopback ports, the real
`switchboard up`, browsers, screenshots, and the bus read from the outside (heartbeats, snapshots)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import requests
import zmq

ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("SWITCHBOARD_BINARY", str(ROOT / ".build" / "debug" / "switchboard"))
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", str(ROOT / ".build" / "browser-artifacts")))

# Who the tests sign in as (Topology/contact-centre.yaml): the agent who takes the chats, an agent
# without the cards skill for the refusals, and a supervisor.
AGENT = "priya-raman"
AGENT_NAME = "Priya Raman"
OTHER_AGENT = "amara-nwosu"
SUPERVISOR = "grace-okafor"
SUPERVISOR_NAME = "Grace Okafor"
PASSWORDS = {AGENT: "correct horse battery 1", OTHER_AGENT: "correct horse battery 2", SUPERVISOR: "correct horse battery 3"}
API_KEY_RATE_PER_MINUTE = 40


def free_ports(count: int) -> list[int]:
    """Ports free a moment ago on 127.0.0.1 (bound to port 0 together, so never the same twice)."""
    sockets, ports = [], []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in sockets:
            s.close()
    return ports


def wait_for(what: str, predicate, timeout: float = 30, interval: float = 0.25):
    """Polls `predicate` until it returns something truthy; fails naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as error:  # noqa: BLE001 - reported below if it never comes right
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout} s" + (f" (last error: {last_error!r})" if last_error else ""))


class System:
    """One running system: `switchboard up` with every service, the gateway included."""

    def __init__(self, centre: Path | None = None) -> None:
        """`centre`: the contact-centre file (Topology/contact-centre.yaml unless a test brings its own)."""
        self.centre = centre or ROOT / "Topology" / "contact-centre.yaml"
        if not os.access(BINARY, os.X_OK):
            raise RuntimeError(f"{BINARY} is missing: build it with `swift build --product switchboard` first")
        self.directory = Path(tempfile.mkdtemp(prefix="sb-browser-"))
        ports = free_ports(14)
        self.endpoints = {
            "router": ports[0:3], "presence": ports[3:6], "desk": ports[6:9],
            "summariser": ports[9:11], "monitor": ports[11:14],
        }
        self.http_port = free_ports(1)[0]
        while self.http_port in ports:
            self.http_port = free_ports(1)[0]
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.ws_base = f"ws://127.0.0.1:{self.http_port}"
        self.topology = self.directory / "topology.yaml"
        self.topology.write_text(self._topology_text())
        self.pids: dict[str, int] = {}
        self.all_pids: set[int] = set()
        self.started = threading.Condition()
        self.up: subprocess.Popen | None = None
        self.api_keys: dict[str, str] = {}

    def _topology_text(self) -> str:
        e = {name: [f"tcp://127.0.0.1:{p}" for p in ports] for name, ports in self.endpoints.items()}
        centre = self.centre
        return f"""version: 1
name: browser-test
contactCentre: {centre}
dataDirectory: {self.directory / 'data'}
supervision: {{restartsMax: 50, windowSeconds: 30}}
hosts:
  local: {{address: 127.0.0.1}}
services:
  router: {{host: local, publish: "{e['router'][0]}", state: "{e['router'][1]}", command: "{e['router'][2]}"}}
  presence: {{host: local, publish: "{e['presence'][0]}", state: "{e['presence'][1]}", command: "{e['presence'][2]}", heartbeatTimeoutSeconds: 3600}}
  desk: {{host: local, publish: "{e['desk'][0]}", state: "{e['desk'][1]}", command: "{e['desk'][2]}"}}
  summariser: {{host: local, publish: "{e['summariser'][0]}", state: "{e['summariser'][1]}"}}
  monitor: {{host: local, publish: "{e['monitor'][0]}", state: "{e['monitor'][1]}", command: "{e['monitor'][2]}"}}
  gateway:
    host: local
    http: "tcp://127.0.0.1:{self.http_port}"
    bcryptCost: 4
    limits: {{signinPerAccount: 1000, signinPerAddress: 1000, apiPerKey: {API_KEY_RATE_PER_MINUTE}, apiPerAddress: 100000}}
"""

    # ---- lifecycle ----

    def cli(self, *arguments: str, stdin: str = "") -> str:
        result = subprocess.run(
            [BINARY, *arguments, "--topology", str(self.topology)], input=stdin, capture_output=True, text=True,
            timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"switchboard {' '.join(arguments)} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def seed(self) -> None:
        for person, password in PASSWORDS.items():
            self.cli("gateway", "passwords", "set", person, stdin=password)
        for name in ("tests", "burst", "drafts"):
            output = self.cli("gateway", "apikeys", "create", name)
            words = [w for w in output.split() if len(w) >= 20]
            if not words:
                raise RuntimeError(f"`gateway apikeys create {name}` printed no key: {output!r}")
            self.api_keys[name] = words[-1]

    def start(self) -> None:
        self.seed()
        log = open(self.directory / "up.stderr", "w")
        self.up = subprocess.Popen(
            [BINARY, "up", "--topology", str(self.topology), "--json", "--log-level", "warning"],
            stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True)
        threading.Thread(target=self._read_lines, daemon=True).start()
        wait_for("the gateway answering", lambda: requests.get(self.base + "/", timeout=2).status_code == 200, 120)
        for service in ("router", "presence", "desk", "monitor", "summariser"):
            wait_for(f"a heartbeat from the {service}", lambda s=service: self.heartbeat(s, timeout=2), 60)

    def _read_lines(self) -> None:
        assert self.up is not None and self.up.stdout is not None
        for line in self.up.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "started":
                with self.started:
                    self.pids[event["service"]] = int(event["pid"])
                    self.all_pids.add(int(event["pid"]))
                    self.started.notify_all()

    def pid(self, service: str) -> int:
        with self.started:
            self.started.wait_for(lambda: service in self.pids, timeout=30)
            return self.pids[service]

    def kill(self, service: str, sig: int) -> int:
        """Signals the service; returns its new pid once `up` started it again."""
        old = self.pid(service)
        os.kill(old, sig)
        with self.started:
            if not self.started.wait_for(lambda: self.pids.get(service) != old, timeout=60):
                raise AssertionError(f"up did not start the {service} again within 60 s after signal {sig}; "
                                     f"the end of up's log:\n{self.log_tail()}")
            return self.pids[service]

    def log_tail(self, characters: int = 3000) -> str:
        try:
            return (self.directory / "up.stderr").read_text(errors="replace")[-characters:]
        except OSError as error:
            return f"(no log: {error})"

    def stop(self) -> list[int]:
        """Stops `up` (SIGTERM, then SIGKILL) and returns the pids of children that survived it."""
        if self.up is None:
            return []
        if self.up.poll() is None:
            self.up.send_signal(signal.SIGTERM)
            try:
                self.up.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.up.pid, signal.SIGKILL)
                self.up.wait(timeout=10)
        survivors = []
        for pid in sorted(self.all_pids):
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and alive(pid):
                time.sleep(0.1)
            if alive(pid):
                survivors.append(pid)
                os.kill(pid, signal.SIGKILL)
        return survivors

    # ---- the bus, read from outside ----

    def heartbeat(self, service: str, timeout: float = 10) -> dict:
        """The `data` of the next `sys.<service>.hugz` heartbeat (`{"seqs": {...}}`)."""
        context = zmq.Context.instance()
        sub = context.socket(zmq.SUB)
        sub.setsockopt(zmq.LINGER, 0)
        sub.connect(f"tcp://127.0.0.1:{self.endpoints[service][0]}")
        sub.setsockopt(zmq.SUBSCRIBE, f"sys.{service}.hugz".encode())
        try:
            if not sub.poll(int(timeout * 1000)):
                raise AssertionError(f"no heartbeat from the {service} within {timeout} s")
            _topic, envelope = sub.recv_multipart()
            return json.loads(envelope)["data"]
        finally:
            sub.close()

    def bus_seqs(self) -> dict:
        return {s: self.heartbeat(s)["seqs"] for s in ("router", "desk")}

    def settled_bus_seqs(self, timeout: float = 40) -> dict:
        """Router and desk seqs once three heartbeats in a row agree (nothing in flight)."""
        deadline = time.monotonic() + timeout
        previous, same = None, 0
        while time.monotonic() < deadline:
            current = self.bus_seqs()
            same = same + 1 if current == previous else 0
            if same >= 2:
                return current
            previous = current
            time.sleep(0.5)
        raise AssertionError(f"the router's and desk's seqs did not settle within {timeout} s (last {previous})")

    def snapshot(self, service: str, prefix: str, timeout: float = 5) -> dict:
        """Items of `service`'s snapshot under `prefix` (the Clone pattern's request), by key."""
        context = zmq.Context.instance()
        dealer = context.socket(zmq.DEALER)
        dealer.setsockopt(zmq.LINGER, 0)
        dealer.connect(f"tcp://127.0.0.1:{self.endpoints[service][1]}")
        try:
            dealer.send(json.dumps({"v": 1, "type": "snapshot", "prefix": prefix}).encode())
            items = {}
            while True:
                if not dealer.poll(int(timeout * 1000)):
                    raise AssertionError(f"the {service} did not answer a snapshot of {prefix} within {timeout} s")
                kind, body = dealer.recv_multipart()
                value = json.loads(body)
                if kind == b"item":
                    items[value["key"]] = value["value"]
                elif kind == b"end":
                    return items
                else:
                    raise AssertionError(f"snapshot of {prefix} refused: {value}")
        finally:
            dealer.close()

    # ---- HTTP helpers ----

    def signed_in(self, person: str) -> requests.Session:
        """A requests session signed in as `person` (through the real sign-in form)."""
        http = requests.Session()
        page = http.get(self.base + "/signin", timeout=10)
        token = hidden_field(page.text, "csrf")
        reply = http.post(self.base + "/signin", data={
            "username": person, "password": PASSWORDS[person], "next": "/", "csrf": token,
        }, allow_redirects=False, timeout=10)
        assert reply.status_code == 303, f"sign-in of {person}: {reply.status_code} {reply.text[:300]}"
        http.csrf = http.get(self.base + "/api/session", timeout=10).json()["csrf"]
        return http


def hidden_field(html: str, name: str) -> str:
    match = re.search(r'<input[^>]*name="%s"[^>]*value="([^"]*)"' % re.escape(name), html)
    return match.group(1) if match else ""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is dead for our purpose
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1].split()[0] != "Z"
    except OSError:
        return False
