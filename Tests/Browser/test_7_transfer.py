"""An agent hands a chat to another queue, or to a named agent, from the web desk, with a note the next agent reads
and the customer never sees."""

from __future__ import annotations

import json

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from pages import click_session, offer_for, open_desk, session_tab, set_presence, start_chat, until
from support import AGENT, AGENT_NAME, OTHER_AGENT

NOTE = "Address change for a card: identity checked by SMS code; customer prefers to finish by chat."


def test_agent_transfers_a_chat_with_a_note(system, browsers):
    customer = browsers.new("customer")
    conversation = start_chat(customer, system, "I have moved and need my card sent to the new address.", name="Ivo Petrov")
    desk = browsers.new("desk")
    open_desk(desk, system)
    set_presence(desk, "available")
    offer_for(desk, conversation).find_element(By.CSS_SELECTOR, "button.accept").click()
    session_tab(desk, conversation)
    # Not available any more, so the chat is not offered straight back to the same agent.
    set_presence(desk, "dnd")

    desk.find_element(By.ID, "transfer-session").click()
    until(desk, "the transfer dialog", lambda d: d.find_element(By.ID, "transfer-dialog").is_displayed())
    options = [o.get_attribute("value") for o in Select(desk.find_element(By.ID, "transfer-to")).options]
    assert "queue:chat-en-general" in options and "queue:chat-en-cards" not in options, options
    assert all(not value.startswith(("queue:voice", "queue:email", "queue:case")) for value in options), \
        "only queues of its channel"
    assert f"agent:{OTHER_AGENT}" in options and f"agent:{AGENT}" not in options, "other agents, not oneself"
    Select(desk.find_element(By.ID, "transfer-to")).select_by_value("queue:chat-en-general")
    desk.find_element(By.ID, "transfer-note").send_keys(NOTE)
    browsers.shot(desk, "transfer-dialog")
    desk.find_element(By.ID, "transfer-confirm").click()
    until(desk, "the transfer dialog gone", lambda d: not d.find_element(By.ID, "transfer-dialog").is_displayed())
    until(desk, "the session gone from this desk",
          lambda d: not d.find_elements(By.CSS_SELECTOR, f'.session-tab[data-conversation="{conversation}"]'))

    # The router moved it, from this agent, with the note as a field of the transfer.
    explained = json.loads(system.cli("explain", conversation, "--json"))
    steps = [step for step in explained["history"] if step.get("event") == "transferred"]
    assert steps, explained
    assert steps[-1].get("toQueue") == "chat-en-general"
    assert steps[-1].get("note") == NOTE
    # The customer's page never shows the note.
    assert NOTE not in customer.page_source


# No full stop at the end: the case summary's steps end without one.
NAMED_NOTE = "Wants to dispute a transfer sent twice; statement reference checked, needs a senior agent"


def test_agent_transfers_a_chat_to_a_named_agent_who_reads_the_note_in_the_case_summary(system, browsers):
    first = browsers.new("first-desk")
    open_desk(first, system, OTHER_AGENT)
    set_presence(first, "available")
    customer = browsers.new("customer")
    conversation = start_chat(customer, system, "A transfer to my landlord went out twice this morning.",
                              name="Omar Haddad", queue="chat-en-general")
    offer_for(first, conversation).find_element(By.CSS_SELECTOR, "button.accept").click()
    session_tab(first, conversation)
    # The named agent must be Available to take it.
    second = browsers.new("second-desk")
    open_desk(second, system, AGENT)
    set_presence(second, "available")

    first.find_element(By.ID, "transfer-session").click()
    until(first, "the transfer dialog", lambda d: d.find_element(By.ID, "transfer-dialog").is_displayed())
    Select(first.find_element(By.ID, "transfer-to")).select_by_value(f"agent:{AGENT}")
    first.find_element(By.ID, "transfer-note").send_keys(NAMED_NOTE)
    browsers.shot(first, "transfer-to-agent-dialog")
    first.find_element(By.ID, "transfer-confirm").click()
    until(first, "the transfer dialog gone", lambda d: not d.find_element(By.ID, "transfer-dialog").is_displayed())
    until(first, "the session gone from the first desk",
          lambda d: not d.find_elements(By.CSS_SELECTOR, f'.session-tab[data-conversation="{conversation}"]'), 45)

    # The named agent has it, and their case summary carries the note.
    session_tab(second, conversation)
    click_session(second, conversation)
    until(second, "the note in the case summary",
          lambda d: NAMED_NOTE in d.find_element(By.ID, "case-summary").get_attribute("textContent"), 60)
    browsers.shot(second, "case-summary-with-note")
    explained = json.loads(system.cli("explain", conversation, "--json"))
    steps = [step for step in explained["history"] if step.get("event") == "transferred"]
    assert steps and steps[-1].get("toAgentId") == AGENT and steps[-1].get("note") == NAMED_NOTE, explained
    steps_taken = second.find_element(By.ID, "case-summary").get_attribute("textContent")
    assert f"transferred to {AGENT_NAME.lower()} by " in steps_taken.lower(), steps_taken
    assert NAMED_NOTE not in customer.page_source
    set_presence(first, "dnd")
    set_presence(second, "dnd")
