"""The supervisor's "What if" page: simulated traffic runs, then a supervisor replays the router's
journal unchanged (every decision reproduced, the queues in a table), with an agent removed from
the centre (some conversations go differently), and with a broken centre (the error names the
line). An agent is refused the page and its endpoint.

These tests run on a system of their own: the simulated agents and customers would otherwise
share the floor with the other tests' people."""

from __future__ import annotations

import re
import subprocess

import pytest
import requests
from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from pages import sign_in, until
from support import AGENT, BINARY, SUPERVISOR, System, wait_for

REPLAY_SECONDS = 90  # the gateway's own limit is 60 s; the page shows its answer before this
# A replay starts from a checkpoint the router kept (its starting state is one); the fixture waits for it.
SIMULATION_SECONDS = 20


@pytest.fixture(scope="module")
def traffic_system():
    """A fresh system that has carried a short run of simulated traffic (customers and agents)."""
    running = System()
    try:
        running.start()
        simulation = subprocess.run(
            [BINARY, "simulate", "--topology", str(running.topology), "--duration", str(SIMULATION_SECONDS),
             "--rate", "2", "--seed", "11", "--json", "--no-check", "--log-level", "warning"],
            capture_output=True, text=True, timeout=SIMULATION_SECONDS + 150)
        assert simulation.returncode == 0, f"the simulation failed ({simulation.returncode}): {simulation.stderr[-2000:]}"
        print(f"simulation: {simulation.stdout.strip()[-600:]}")
        supervisor = running.signed_in(SUPERVISOR)
        setting = wait_for("a checkpoint to replay from", lambda: (supervisor.get(
            running.base + "/api/whatif", timeout=10).json().get("journal") or {}).get("replayableFrom"), 90, 1)
        print(f"replayable from {setting}")
        yield running
    finally:
        survivors = running.stop()
        assert not survivors, f"processes survived `up`'s stop and were killed: {survivors}"


def run_replay(driver) -> str:
    """Clicks Run and waits for the replay's answer: the status line once it no longer says it is replaying."""
    before = driver.find_element(By.ID, "status").text
    driver.find_element(By.ID, "run").click()
    until(driver, "the replay under way or answered", lambda d: d.find_element(By.ID, "status").text != before)
    until(driver, "the replay's answer", lambda d: not d.find_element(By.ID, "run").get_attribute("disabled")
          and not d.find_element(By.ID, "status").text.startswith("Replaying"), REPLAY_SECONDS)
    return driver.find_element(By.ID, "status").text


def queue_rows(driver) -> dict[str, str]:
    return {row.get_attribute("data-queue"): row.text
            for row in driver.find_elements(By.CSS_SELECTOR, "#queues tr[data-queue]")}


def without_agent(centre: str, agent: str) -> str:
    """The centre's text without `agent`'s entry under `agents:` (its line and the more indented ones after it)."""
    lines = centre.split("\n")
    start = next(i for i, line in enumerate(lines) if re.match(rf"^  {re.escape(agent)}:", line))
    end = start + 1
    while end < len(lines) and re.match(r"^   ", lines[end]):
        end += 1
    return "\n".join(lines[:start] + lines[end:])


def set_centre(driver, text: str) -> None:
    box = driver.find_element(By.ID, "centre")
    driver.execute_script("arguments[0].value = arguments[1]", box, text)
    box.send_keys(" ")  # a real keystroke too, as a person's edit would end


def serious(driver) -> list:
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v.get("impact") in ("serious", "critical")]


def test_whatif_replays_the_journal_unchanged_and_changed(traffic_system, browsers):
    supervisor = browsers.new("supervisor", width=1400, height=1000)
    sign_in(supervisor, traffic_system, SUPERVISOR, "/supervisor")
    until(supervisor, "the dashboard's link to What if", lambda d: d.find_elements(By.ID, "nav-whatif"))
    supervisor.find_element(By.ID, "nav-whatif").click()
    until(supervisor, "the page ready with the centre in force",
          lambda d: "Ready" in d.find_element(By.ID, "status").text
          and "agents:" in d.find_element(By.ID, "centre").get_attribute("value"))
    assert supervisor.current_url == traffic_system.base + "/whatif"
    assert Select(supervisor.find_element(By.ID, "window-preset")).first_selected_option.get_attribute("value") == "hour"
    assert "a replay can start from" in supervisor.find_element(By.ID, "journal-span").text
    in_force = supervisor.find_element(By.ID, "centre").get_attribute("value")
    assert in_force == traffic_system.centre.read_text()

    # Unchanged: every decision reproduced, a row per queue that had work.
    status = run_replay(supervisor)
    assert status.startswith("Replayed"), f"{status}: {supervisor.find_element(By.ID, 'error').text}"
    reproduction = supervisor.find_element(By.ID, "reproduction").text
    assert reproduction.startswith("Every decision reproduced"), reproduction
    rows = queue_rows(supervisor)
    assert rows, "no queue in the table"
    assert all("→" in text for text in rows.values()), rows
    assert supervisor.find_element(By.ID, "changed").text == "0"
    for chart in ("chart-service-level", "chart-wait"):
        assert supervisor.find_elements(By.CSS_SELECTOR, f"#{chart} svg circle.dot.recorded"), f"{chart} has no points"
        assert supervisor.find_elements(By.CSS_SELECTOR, f"#{chart} svg .legend text"), f"{chart} has no legend"
    assert supervisor.find_elements(By.CSS_SELECTOR, "#models table[data-model]"), "no model shown"
    handled = {}
    for row in supervisor.find_elements(By.CSS_SELECTOR, "#agents tr[data-agent]"):
        cells = row.find_elements(By.TAG_NAME, "td")
        handled[row.get_attribute("data-agent")] = int(cells[2].text) if cells[2].text.isdigit() else 0
    busiest = max(handled, key=handled.get)
    assert handled[busiest] > 0, f"no agent handled anything in the journal: {handled}"
    browsers.shot(supervisor, "unchanged")
    problems = serious(supervisor)
    assert not problems, f"axe found serious or critical violations on /whatif: {problems}"

    # Without the agent who handled the most, their conversations go elsewhere or wait.
    set_centre(supervisor, without_agent(in_force, busiest))
    status = run_replay(supervisor)
    assert status.startswith("Replayed") and "changed centre" in status, \
        f"{status}: {supervisor.find_element(By.ID, 'error').text}"
    assert int(supervisor.find_element(By.ID, "changed").text) > 0
    assert "With the changed centre" in supervisor.find_element(By.ID, "reproduction").text
    assert supervisor.find_elements(By.CSS_SELECTOR, "#queues .diff.better, #queues .diff.worse"), \
        f"no difference shown in the queues: {queue_rows(supervisor)}"
    assert not any(row.get_attribute("data-agent") == busiest and row.find_elements(By.TAG_NAME, "td")[3].text not in ("0", "—")
                   for row in supervisor.find_elements(By.CSS_SELECTOR, "#agents tr[data-agent]")), \
        f"{busiest} still handles conversations in the replay without them"
    browsers.shot(supervisor, "changed")

    # A key the centre does not know: the replay's own error, naming the line, and that line selected.
    lines = in_force.split("\n")
    broken_line = next(i for i, line in enumerate(lines) if line.startswith("offlineGraceSeconds:")) + 1
    lines[broken_line - 1] = "offlineGraceSecondz: 60"
    set_centre(supervisor, "\n".join(lines))
    run_replay(supervisor)
    error = supervisor.find_element(By.ID, "error").text
    assert f"contact-centre.yaml:{broken_line}:" in error or f"line {broken_line}" in error, error
    assert "offlineGraceSecondz" in error, error
    assert "switchboard-whatif-" not in error, f"the temporary folder leaks into the message: {error}"
    selected = supervisor.execute_script(
        "const b = document.getElementById('centre'); return b.value.slice(b.selectionStart, b.selectionEnd)")
    assert selected == "offlineGraceSecondz: 60"
    browsers.shot(supervisor, "broken")

    supervisor.find_element(By.ID, "restore-centre").click()
    assert supervisor.find_element(By.ID, "centre").get_attribute("value") == in_force


def test_whatif_is_for_supervisors_only(traffic_system, browsers):
    agent = browsers.new("agent")
    sign_in(agent, traffic_system, AGENT, "/whatif")
    until(agent, "the refusal page", lambda d: "cannot supervise" in d.find_element(By.TAG_NAME, "body").text)
    browsers.shot(agent, "refused")

    window = {"since": "2026-01-01T00:00:00Z", "until": "2026-01-01T01:00:00Z"}
    as_agent = traffic_system.signed_in(AGENT)
    for answer in (as_agent.get(traffic_system.base + "/api/whatif", timeout=10),
                   as_agent.post(traffic_system.base + "/api/whatif/replay", json=window,
                                 headers={"X-CSRF-Token": as_agent.csrf}, timeout=10)):
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"]["code"] == "forbidden"
        assert "cannot supervise" in answer.json()["error"]["message"]

    nobody = requests.post(traffic_system.base + "/api/whatif/replay", json=window, timeout=10)
    assert nobody.status_code == 401

    as_supervisor = traffic_system.signed_in(SUPERVISOR)
    forged = as_supervisor.post(traffic_system.base + "/api/whatif/replay", json=window, timeout=10)
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "csrf"
    backwards = as_supervisor.post(traffic_system.base + "/api/whatif/replay",
                                   json={"since": window["until"], "until": window["since"]},
                                   headers={"X-CSRF-Token": as_supervisor.csrf}, timeout=10)
    assert backwards.status_code == 422 and backwards.json()["error"]["field"] == "until", backwards.text
