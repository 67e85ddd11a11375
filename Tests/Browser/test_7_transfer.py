"""An agent hands a chat to another queue from the web desk, with a note the next agent reads and the customer never sees."""

from __future__ import annotations

import json

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from pages import offer_for, open_desk, session_tab, set_presence, start_chat, until

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
    options = [o.get_attribute("value") for o in Select(desk.find_element(By.ID, "transfer-queue")).options]
    assert "chat-en-general" in options and "chat-en-cards" not in options, options
    assert all(not value.startswith(("voice", "email", "case")) for value in options), "only queues of its channel"
    Select(desk.find_element(By.ID, "transfer-queue")).select_by_value("chat-en-general")
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
