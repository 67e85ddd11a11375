"""A supervisor reassigns a chat from the dashboard to another agent, who then has it with the note,
and sets that agent Away from the agents' table."""

from __future__ import annotations

import json

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from pages import click, offer_for, open_desk, session_tab, set_presence, sign_in, start_chat, until
from support import OTHER_AGENT, SUPERVISOR, SUPERVISOR_NAME

# An agent who serves chat and whom no test signs in.
OFFLINE_AGENT = "noah-brown"
NOTE = "Customer wants to raise a card limit; please confirm their income first."


def test_supervisor_reassigns_a_chat_and_sets_an_agent_away(system, browsers):
    customer = browsers.new("customer")
    conversation = start_chat(customer, system, "Could you raise the limit on my credit card?", name="Nora Lind")
    desk = browsers.new("desk")
    open_desk(desk, system)
    set_presence(desk, "available")
    offer_for(desk, conversation).find_element(By.CSS_SELECTOR, "button.accept").click()
    session_tab(desk, conversation)
    other = browsers.new("other-desk")
    open_desk(other, system, OTHER_AGENT)
    set_presence(other, "available")

    supervisor = browsers.new("supervisor")
    sign_in(supervisor, system, SUPERVISOR, "/supervisor")
    until(supervisor, "the dashboard's agents",
          lambda d: d.find_elements(By.CSS_SELECTOR, f'#agents tr[data-agent="{OTHER_AGENT}"]'))
    supervisor.find_element(By.ID, "open-id").send_keys(conversation)
    supervisor.find_element(By.ID, "open-submit").click()
    until(supervisor, "the watched transcript", lambda d: "raise the limit" in d.find_element(By.ID, "watch-transcript").text)

    supervisor.find_element(By.ID, "do-reassign").click()
    until(supervisor, "the reassign dialog", lambda d: d.find_element(By.ID, "reassign-dialog").is_displayed())
    options = [o.get_attribute("value") for o in Select(supervisor.find_element(By.ID, "reassign-to")).options]
    assert f"agent:{OTHER_AGENT}" in options, options
    assert "queue:chat-en-general" in options and "queue:chat-en-cards" not in options, options
    assert all(not value.startswith(("queue:voice", "queue:email", "queue:case")) for value in options), options
    # An agent who is not signed in cannot take it: the router's refusal is shown in the dialog.
    Select(supervisor.find_element(By.ID, "reassign-to")).select_by_value(f"agent:{OFFLINE_AGENT}")
    supervisor.find_element(By.ID, "reassign-confirm").click()
    refusal = until(supervisor, "the refusal in the dialog",
                    lambda d: d.find_element(By.ID, "reassign-error").text.strip())
    assert refusal.startswith("Not reassigned:") and "not Available" in refusal, refusal
    assert supervisor.find_element(By.ID, "reassign-dialog").is_displayed()
    Select(supervisor.find_element(By.ID, "reassign-to")).select_by_value(f"agent:{OTHER_AGENT}")
    supervisor.find_element(By.ID, "reassign-note").send_keys(NOTE)
    browsers.shot(supervisor, "reassign-dialog")
    supervisor.find_element(By.ID, "reassign-confirm").click()
    until(supervisor, "the reassign dialog gone", lambda d: not d.find_element(By.ID, "reassign-dialog").is_displayed())

    # The other agent has it now; the first agent no longer does.
    session_tab(other, conversation)
    until(desk, "the session gone from the first desk",
          lambda d: not d.find_elements(By.CSS_SELECTOR, f'.session-tab[data-conversation="{conversation}"]'), 45)
    explained = json.loads(system.cli("explain", conversation, "--json"))
    steps = [step for step in explained["history"] if step.get("event") == "transferred"]
    assert steps and steps[-1].get("toAgentId") == OTHER_AGENT, explained
    assert steps[-1].get("note") == f"Reassigned by supervisor {SUPERVISOR_NAME}: {NOTE}"
    assert NOTE not in customer.page_source

    # Set the other agent Away from their row of the agents' table.
    click(supervisor, "the other agent's presence button",
          f'#agents tr[data-agent="{OTHER_AGENT}"] button.set-presence')
    until(supervisor, "the presence dialog", lambda d: d.find_element(By.ID, "presence-dialog").is_displayed())
    Select(supervisor.find_element(By.ID, "presence-status")).select_by_value("away")
    supervisor.find_element(By.ID, "presence-reason").send_keys("Coaching session")
    supervisor.find_element(By.ID, "presence-confirm").click()
    until(supervisor, "the presence dialog gone", lambda d: not d.find_element(By.ID, "presence-dialog").is_displayed())
    until(other, "Away on the other agent's desk",
          lambda d: d.find_element(By.ID, "presence-status").get_attribute("data-confirmed") == "away")
    until(supervisor, "Away on the dashboard", lambda d: "Away" in d.find_element(
        By.CSS_SELECTOR, f'#agents tr[data-agent="{OTHER_AGENT}"] .presence').text)
    browsers.shot(supervisor, "agent-set-away")
    set_presence(desk, "dnd")
