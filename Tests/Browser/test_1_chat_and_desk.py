"""A customer's chat reaches an agent's desk and back; a returning customer reaches the same agent."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from pages import (chat_conversation, chat_status, close_with, offer_for, open_desk, reply, session_tab,
                   set_presence, start_chat, transcript_has, until)
from support import AGENT, AGENT_NAME, wait_for

FIRST = "My card was declined at a shop this morning, although there is money in my account."
RETURNING = "Hello again, my card was declined a second time at the same shop."


@pytest.fixture(scope="module")
def customer_window():
    """The customer's browser, kept across this module's tests (the returning customer's storage)."""
    return {}


def test_customer_chat_reaches_agent_and_is_wrapped_up(system, browsers, customer_window):
    customer = browsers.new("customer")
    conversation = start_chat(customer, system, FIRST, name="Ana Souza")
    until(customer, "the customer told to wait (or already connected)",
          lambda d: "Waiting" in chat_status(d) or AGENT_NAME in chat_status(d))
    browsers.shot(customer, "waiting")
    customer_window["token"] = customer.execute_script(
        "return localStorage.getItem('sb.customer.' + location.origin)")
    assert customer_window["token"], "the chat page keeps the customer token for a returning customer"

    desk = browsers.new("desk")
    open_desk(desk, system)
    set_presence(desk, "available")
    offer = offer_for(desk, conversation)
    assert "chat-en-cards" in offer.text
    browsers.shot(desk, "offer")
    offer.find_element(By.CSS_SELECTOR, "button.accept").click()
    session_tab(desk, conversation)
    transcript_has(desk, FIRST)

    answer = "Hello Ana, I am sorry about that. Let me look at the decline for you."
    reply(desk, answer)
    transcript_has(desk, answer)
    until(customer, "the agent's reply on the customer's page",
          lambda d: any(answer in e.text for e in d.find_elements(By.CSS_SELECTOR, "#transcript .msg.agent")))
    until(customer, "the agent's name on the customer's page", lambda d: AGENT_NAME in chat_status(d))
    assert AGENT_NAME in customer.find_element(By.CSS_SELECTOR, "#transcript .msg.agent .who").text
    browsers.shot(customer, "connected")
    # A reload resumes the same conversation from what the page kept (localStorage).
    customer.refresh()
    until(customer, "the conversation resumed after a reload", lambda d: AGENT_NAME in chat_status(d)
          and any(answer in e.text for e in d.find_elements(By.CSS_SELECTOR, "#transcript .msg.agent")))
    assert chat_conversation(customer) == conversation
    browsers.shot(desk, "replied")

    assert close_with(desk, "resolved") == conversation
    until(customer, "the end shown to the customer", lambda d: d.find_element(By.ID, "ended").is_displayed())
    assert customer.find_element(By.ID, "new-chat").text == "Start a new chat"
    browsers.shot(customer, "ended")
    # The router holds the conversation closed with the agent's disposition, its wrap-up over.
    item = wait_for("the conversation closed at the router", lambda: (
        system.snapshot("router", f"conv.{conversation}").get(f"conv.{conversation}") or {}).get("state") == "closed"
        and system.snapshot("router", f"conv.{conversation}")[f"conv.{conversation}"], 20)
    assert item.get("agentId") == AGENT
    if "disposition" in item:
        assert item["disposition"] == "resolved"
    set_presence(desk, "dnd")


def test_returning_customer_reaches_the_same_agent(system, browsers, customer_window):
    assert customer_window.get("token"), "runs after the first chat test"
    desk = browsers.new("desk")
    open_desk(desk, system)
    set_presence(desk, "available")

    customer = browsers.new("customer")
    customer.get(system.base + "/chat/chat-en-cards")
    customer.execute_script("localStorage.setItem('sb.customer.' + location.origin, arguments[0])", customer_window["token"])
    conversation = start_chat(customer, system, RETURNING)
    offer = offer_for(desk, conversation)
    assert offer.get_attribute("data-rule") == "sticky", f"the offer's rule is {offer.get_attribute('data-rule')!r}"
    browsers.shot(desk, "sticky-offer")
    offer.find_element(By.CSS_SELECTOR, "button.accept").click()
    session_tab(desk, conversation)
    reply(desk, "Welcome back, Ana. I have your earlier chat in front of me.")
    until(customer, "the same agent's name", lambda d: AGENT_NAME in chat_status(d))
    assert chat_conversation(customer) == conversation
    browsers.shot(customer, "same-agent")
    close_with(desk, "follow-up")
    set_presence(desk, "dnd")

    # Preferences: another style for a new session's notification, kept by the desk across a reload.
    desk.find_element(By.CSS_SELECTOR, "#prefs summary").click()
    before = desk.find_element(By.ID, "pref-newSession").get_attribute("value")
    chosen = "toast-and-sound" if before != "toast-and-sound" else "badge"
    Select(desk.find_element(By.ID, "pref-newSession")).select_by_value(chosen)
    desk.find_element(By.ID, "prefs-save").click()
    until(desk, "the preferences saved", lambda d: d.find_element(By.ID, "prefs-result").text == "Preferences saved.")
    desk.refresh()
    until(desk, "the preference back from the desk item", lambda d: d.find_element(By.ID, "connection").get_attribute("data-state") == "live"
          and d.find_element(By.ID, "pref-newSession").get_attribute("value") == chosen)
